"""The statistics pages' declarations (``core.resources``, ``core.menu``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem

menu.register(MenuItem("stats:statistics", _("Statistics"), order=30, testid="nav-statistics"))
