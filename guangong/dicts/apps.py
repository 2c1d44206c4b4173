from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DictsConfig(AppConfig):
    name = "guangong.dicts"
    label = "dicts"
    verbose_name = _("Dictionaries")
