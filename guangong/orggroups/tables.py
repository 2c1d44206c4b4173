"""The lists of group sets, groups and assignments."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from guangong.core.resources import policy_for
from guangong.core.tables import TABLE_ATTRS, WIDE_ONLY, OrganizationColumn

from .models import Assignment, GroupSet, OrgGroup


def _edit_link(table, model, url_name: str, pk: int) -> str:
    user = getattr(getattr(table, "request", None), "user", None)
    if not policy_for(model).may(user, "write"):
        return ""
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), _("Edit"))


class GroupSetTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    organization = OrganizationColumn()
    description = tables.Column(verbose_name=_("Description"), attrs=WIDE_ONLY)
    edit = tables.Column(
        empty_values=(), orderable=False, verbose_name="", exclude_from_export=True
    )

    class Meta:
        model = GroupSet
        fields = ("name", "organization", "description")
        attrs = {**TABLE_ATTRS, "data-testid": "group-set-table"}

    def render_edit(self, record):
        edit = _edit_link(self, GroupSet, "orggroups:groupset_edit", record.pk)
        if not edit:
            return ""
        assign = reverse("orggroups:groupset_assign", args=[record.pk])
        return format_html('{} · <a href="{}">{}</a>', edit, assign, _("Assign organisations"))


class GroupTable(tables.Table):
    group_set = tables.Column(accessor="group_set__name", verbose_name=_("Group set"))
    name = tables.Column(verbose_name=_("Name"))
    order = tables.Column(verbose_name=_("Order"), attrs=WIDE_ONLY)
    edit = tables.Column(
        empty_values=(), orderable=False, verbose_name="", exclude_from_export=True
    )

    class Meta:
        model = OrgGroup
        fields = ("group_set", "name", "order")
        attrs = {**TABLE_ATTRS, "data-testid": "group-table"}

    def render_edit(self, record):
        return _edit_link(self, OrgGroup, "orggroups:group_edit", record.pk)


class AssignmentTable(tables.Table):
    organization = OrganizationColumn()
    group_set = tables.Column(accessor="group_set__name", verbose_name=_("Group set"))
    group = tables.Column(accessor="group__name", verbose_name=_("Group"))
    edit = tables.Column(
        empty_values=(), orderable=False, verbose_name="", exclude_from_export=True
    )

    class Meta:
        model = Assignment
        fields = ("organization", "group_set", "group")
        attrs = {**TABLE_ATTRS, "data-testid": "assignment-table"}

    def render_edit(self, record):
        return _edit_link(self, Assignment, "orggroups:assignment_edit", record.pk)
