from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guangong.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .observability import log_slow_queries

        connection_created.connect(log_slow_queries, dispatch_uid="guangong-slow-queries")
