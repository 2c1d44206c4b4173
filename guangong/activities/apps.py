from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "guangong.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the tree-move handler)
