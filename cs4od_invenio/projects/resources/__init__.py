"""REST layer of projects."""

from .config import ProjectResourceConfig
from .resource import ProjectResource

__all__ = ("ProjectResource", "ProjectResourceConfig")
