from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The landing page after login; it gathers what the domain apps have to show a user."""

    name = "guangong.home"
    label = "home"
    verbose_name = _("Home")
