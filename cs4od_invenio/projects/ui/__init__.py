"""Web pages of projects: search, create/edit form, landing page, dashboard, community tab."""

from .views import create_ui_blueprint, init_menu

__all__ = ("create_ui_blueprint", "init_menu")
