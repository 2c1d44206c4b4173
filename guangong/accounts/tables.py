import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from guangong.core.tables import TABLE_ATTRS, Card, LocalDateTimeColumn

from .models import User
from .services import USER_FIELDS


class UserTable(tables.Table):
    card = Card(title="username", status="is_active", fields=("full_name", "role"))
    username = tables.Column(
        linkify=("accounts:user_edit", {"pk": tables.A("pk")}), verbose_name=_("User name")
    )
    full_name = tables.Column(verbose_name=_("Full name"))
    organization = tables.Column(verbose_name=_("Organisation"))
    role = tables.Column(verbose_name=_("Role"))
    can_reveal = tables.BooleanColumn(verbose_name=_("May reveal"))
    can_handle_cases = tables.BooleanColumn(verbose_name=_("Care cases"))
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    last_login = LocalDateTimeColumn(verbose_name=_("Last login"), format="Y-m-d H:i")

    class Meta:
        model = User
        # The account's fields but its phone, and when it last logged in.
        fields = (*(name for name in USER_FIELDS if name != "phone"), "last_login")
        attrs = TABLE_ATTRS
