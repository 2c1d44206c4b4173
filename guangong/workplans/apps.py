from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "guangong.workplans"
    label = "workplans"
    verbose_name = _("Annual work points")
