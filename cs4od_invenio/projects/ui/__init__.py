"""Web pages of projects: search, create/edit form, landing page, dashboard, community tab."""

from .backlinks import init_record_pages
from .views import create_ui_blueprint, init_menu

__all__ = ("create_ui_blueprint", "init_menu", "init_record_pages")
