from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgGroupsConfig(AppConfig):
    name = "guangong.orggroups"
    label = "orggroups"
    verbose_name = _("Organisation groups")
