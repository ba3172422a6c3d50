"""Why a file named .ipynb cannot be shown as a notebook, in words a person can act on."""

import json

import nbformat
import pytest

from cs4od_invenio.datasets.notebooks import notebook_problem


def _notebook(**kwargs):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("print(1 + 1)", **kwargs)]
    return nbformat.writes(notebook).encode()


def test_a_notebook_has_no_problem(app):
    assert notebook_problem(_notebook()) is None


@pytest.mark.parametrize("content, expected", [
    (b"\xff\xfe\x00binary", "The file is not UTF-8 text, so it is not a Jupyter notebook."),
    (b'{"cells": [}', "The file is not valid JSON (Expecting value at line 1, column 12), "
                      "so it is not a Jupyter notebook."),
    (b'{"hello": "world"}', "The file is JSON but not a valid Jupyter notebook: "),
    (json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"cell_type": "code", "source": "1"}]}).encode(),
     "The file is JSON but not a valid Jupyter notebook: "),
])
def test_problems_are_named(app, content, expected):
    problem = notebook_problem(content)
    assert problem is not None and str(problem).startswith(expected), problem
