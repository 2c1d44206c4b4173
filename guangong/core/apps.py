from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guangong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import canary, resources  # canary registers the deploy check of the field keys
        from .observability import log_slow_queries

        resources.autodiscover()
        post_migrate.connect(canary.after_migrate, sender=self, dispatch_uid="core.key_canary")
        connection_created.connect(log_slow_queries, dispatch_uid="guangong-slow-queries")
