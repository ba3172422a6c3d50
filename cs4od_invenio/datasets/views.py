"""Blueprint of the dataset and notebook pages (for now: the notebook preview templates)."""

from flask import Blueprint


def create_blueprint(app):
    """Templates of the datasets package."""
    return Blueprint("cs4od_datasets", __name__, template_folder="templates")
