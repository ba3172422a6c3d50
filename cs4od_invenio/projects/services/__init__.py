"""Service layer of projects."""

from .config import ProjectServiceConfig
from .errors import ProjectRemovedError
from .service import ProjectService

__all__ = ("ProjectRemovedError", "ProjectService", "ProjectServiceConfig")
