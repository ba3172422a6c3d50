"""Data layer of projects."""

from .api import Project, ProjectDraft, ProjectParent

__all__ = ("Project", "ProjectDraft", "ProjectParent")
