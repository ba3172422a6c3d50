"""The CS4OD instance: branding, front page, set-up and demo content."""
