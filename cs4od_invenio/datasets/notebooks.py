"""Preview of Jupyter notebooks: sanitised HTML, and a clear message for broken files.

InvenioRDM's own ``ipynb`` previewer renders a notebook with nbconvert and sanitises its
Markdown and HTML (no script of the notebook runs in the viewer). A file that is not a
notebook, though, either shows a terse "Error" or breaks the preview with a server error
(valid JSON that nbformat cannot read). This previewer says what is wrong with the file,
then hands good notebooks to the upstream previewer.
"""

import json

import nbformat
from flask import render_template
from invenio_i18n import gettext as _
from invenio_previewer.extensions import ipynb as upstream

previewable_extensions = ["ipynb"]


def notebook_problem(content):
    """Why ``content`` (bytes) is not a readable Jupyter notebook, or None."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return _("The file is not UTF-8 text, so it is not a Jupyter notebook.")
    try:
        json.loads(text)
    except ValueError as error:
        return _(
            "The file is not valid JSON (%(msg)s at line %(line)s, column %(col)s), "
            "so it is not a Jupyter notebook.",
            msg=error.msg, line=error.lineno, col=error.colno,
        )
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # nbformat raises many kinds (KeyError, ValidationError…)
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return _(
            "The file is JSON but not a valid Jupyter notebook: %(reason)s", reason=reason[:200]
        )
    return None


def can_preview(file):
    """Notebooks stored in this repository."""
    return file.is_local() and file.has_extensions(".ipynb")


def preview(file):
    """The notebook as sanitised HTML, or a page saying why it cannot be shown."""
    with file.open() as stream:
        problem = notebook_problem(stream.read())
    if problem:
        return render_template(
            "cs4od_invenio/datasets/notebook_error.html", file=file, problem=problem
        )
    return upstream.preview(file)
