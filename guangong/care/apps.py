from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "guangong.care"
    label = "care"
    verbose_name = _("Care cases")

    def ready(self) -> None:
        from guangong.core import crypto

        from .models import Case

        for name in Case.SENSITIVE_FIELDS.values():
            crypto.register(Case, name)

        from . import exports

        exports.register()  # the encrypted export's job handler, in the web process and worker
