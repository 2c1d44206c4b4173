from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "guangong.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from . import jobs  # noqa: F401 - registers the document generation job
