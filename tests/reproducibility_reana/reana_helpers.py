"""Material of the REANA path tests: the world population demo, small workspaces."""

import json
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
CSV = DATA / "World_historical_and_predicted_populations_in_percentage.csv"
TOKEN = "cs4od-Secret-Token-7f3a9c"


def worldpopulation_project():
    """REANA's world population demo as a CS4OD project: one notebook, one CSV."""
    return {
        "title": "World population",
        "workflow": "serial",
        "notebooks": [
            {
                "name": "worldpopulation.ipynb",
                "path": str(
                    DATA
                    / "reana"
                    / "worldpopulation"
                    / "code"
                    / "worldpopulation.ipynb"
                ),
                "parameters": {
                    "input_file": f"data/{CSV.name}",
                    "output_file": "outputs/plot.png",
                    "region": "Africa",
                    "year_min": 1500,
                    "year_max": 2012,
                },
            }
        ],
        "data": [{"name": CSV.name, "path": str(CSV), "size": CSV.stat().st_size}],
        "outputs": ["outputs/plot.png"],
    }


def notebook(*cells):
    """A notebook of code cells (nbformat 4) as text."""
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": source,
                }
                for source in cells
            ],
            "metadata": {
                "kernelspec": {
                    "display_name": "Python 3",
                    "language": "python",
                    "name": "python3",
                }
            },
            "nbformat": 4,
            "nbformat_minor": 4,
        }
    )


def serial_workspace(root, commands, outputs=(), files=None):
    """A working directory with a one-step serial reana.yaml and ``files``."""
    root.mkdir(parents=True)
    for path, text in (files or {}).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    spec = {
        "version": "0.3.0",
        "inputs": {"files": sorted(files or {})},
        "workflow": {
            "type": "serial",
            "specification": {
                "steps": [
                    {
                        "name": "main",
                        "environment": "docker.io/library/python:3.11",
                        "commands": list(commands),
                    }
                ]
            },
        },
        "outputs": {"files": list(outputs)},
    }
    (root / "reana.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return root
