"""REANA's world population demo as test material and as a CS4OD project description."""

from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
DEMO = DATA / "reana" / "worldpopulation"
CSV_NAME = "World_historical_and_predicted_populations_in_percentage.csv"
CSV = DATA / CSV_NAME


def worldpopulation_project(workflow="serial", **changes):
    """The demo as a CS4OD project description: one notebook, one CSV, one plot."""
    project = {
        "title": "World population",
        "workflow": workflow,
        "notebooks": [
            {
                "name": "worldpopulation.ipynb",
                "path": str(DEMO / "code" / "worldpopulation.ipynb"),
                "parameters": {
                    "input_file": f"data/{CSV_NAME}",
                    "output_file": "outputs/plot.png",
                    "region": "Africa",
                    "year_min": 1500,
                    "year_max": 2012,
                },
            }
        ],
        "data": [{"name": CSV_NAME, "path": str(CSV), "size": CSV.stat().st_size}],
        "outputs": ["outputs/plot.png"],
    }
    project.update(changes)
    return project


def serial(tmp_path, *commands, outputs=(), parameters=None):
    """A working directory with a one-step serial reana.yaml."""
    spec = {
        "version": "0.3.0",
        "inputs": {"parameters": parameters or {}},
        "workflow": {
            "type": "serial",
            "specification": {"steps": [{"name": "only", "commands": list(commands)}]},
        },
        "outputs": {"files": list(outputs)},
    }
    workdir = tmp_path / "run"
    workdir.mkdir(parents=True)
    (workdir / "reana.yaml").write_text(yaml.safe_dump(spec))
    return workdir
