from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "guangong.helpdesk"
    label = "helpdesk"
    verbose_name = _("Online help desk")

    def ready(self) -> None:
        from guangong.core import crypto

        from .models import HelpRequest

        crypto.register(HelpRequest, "phone_enc")
