from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "guangong.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        # Each app's importers.py registers its importers, in the web process and the worker.
        autodiscover_modules("importers")
        from guangong.core import export, metrics

        from . import exports, imports  # noqa: F401 - register the export, import and undo jobs
        from .metrics import JobCollector

        metrics.register(JobCollector())
        export.set_background_export(exports.start_list_export)
