from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "guangong.notifications"
    label = "notifications"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from guangong.core import crypto

        from .models import Delivery

        crypto.register(Delivery, "address_enc")

        from guangong.notices.services import notices

        from .work import reminded

        if reminded not in notices.reminder_hooks:  # a message to the reminded organisation
            notices.reminder_hooks.append(reminded)
