"""Material of the tests of runs on a REANA server from the app."""

REANA_TOKEN = "reana-Personal-Token-42c1"
"""The one access token the REANA stand-in accepts."""
