"""reana.yaml, reproducible bundles and runners (issue 6)."""
