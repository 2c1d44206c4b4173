"""The home app's menu entry (``core.menu``)."""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem

menu.register(MenuItem("home:todo", _("To-do"), order=15, testid="nav-todo"))
