from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "guangong.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from guangong.core import crypto

        from .models import Elder, Youth

        crypto.register(Elder, "id_number_enc")
        crypto.register(Youth, "id_number_enc")
