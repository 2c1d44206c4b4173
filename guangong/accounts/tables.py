import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS

from .models import User


class UserTable(tables.Table):
    username = tables.Column(
        linkify=("accounts:user_edit", {"pk": tables.A("pk")}), verbose_name=_("User name")
    )
    full_name = tables.Column(verbose_name=_("Full name"))
    organization = tables.Column(verbose_name=_("Organisation"))
    role = tables.Column(verbose_name=_("Role"))
    can_reveal = tables.BooleanColumn(verbose_name=_("May reveal"))
    can_handle_cases = tables.BooleanColumn(verbose_name=_("Care cases"))
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    last_login = tables.DateTimeColumn(verbose_name=_("Last login"), format="Y-m-d H:i")

    def value_last_login(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    class Meta:
        model = User
        fields = (
            "username",
            "full_name",
            "organization",
            "role",
            "can_reveal",
            "can_handle_cases",
            "is_active",
            "last_login",
        )
        attrs = TABLE_ATTRS
