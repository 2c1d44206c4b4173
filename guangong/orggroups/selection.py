"""Choosing a group or a group set to count by: what coverage, the statistics page, report
totals and the lists they link to share.

A user may count by the groups of the sets they see (``GroupSet.objects.visible_to``: sets of
their organisation, of those above it and of those below it); another's is absent (404 on a
page, a Chinese 400 on the API). Membership is one indexed join to the assignment table
(``Assignment(group, organization)``), never a walk in Python.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import IntegerField, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.ids import parse_id
from guangong.core.resources import policy_for

from .models import Assignment, GroupSet, OrgGroup


class GroupChoiceError(ValueError):
    """A group or set named by something that is not an id (the message is for the user)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def visible_groups(user):
    """The groups of the sets the user sees, in set order (for a choice)."""
    return (
        OrgGroup.objects.filter(group_set__in=GroupSet.objects.visible_to(user))
        .select_related("group_set", "group_set__organization")
        .order_by("group_set__organization__path", "group_set__name", "order", "pk")
    )


def group_choices(user, empty_label=None) -> list:
    """``[("", 全部), (set name, [(id, group name), …]), …]``: a select's choices grouped by
    set (optgroups)."""
    by_set: dict[int, tuple[str, list]] = {}
    for group in visible_groups(user):
        label = group.group_set.name
        by_set.setdefault(group.group_set_id, (label, []))[1].append((str(group.pk), group.name))
    return [("", empty_label or _("All")), *by_set.values()]


def set_choices(user, empty_label=None) -> list:
    sets = GroupSet.objects.visible_to(user).order_by("organization__path", "name")
    return [("", empty_label or "—"), *((str(s.pk), s.name) for s in sets)]


def chosen_group(user, raw, field: str = "group") -> OrgGroup | None:
    """The group ``raw`` names, if the user sees its set; None for none. Text that is no id is
    a ``GroupChoiceError``; an id of a group the user does not see is absent (404)."""
    if raw in (None, ""):
        return None
    if parse_id(raw) is None:
        raise GroupChoiceError(_("The group must be given by its id, a number."), field)
    return policy_for(OrgGroup).get(user, raw, "read", OrgGroup.objects.select_related("group_set"))


def chosen_set(user, raw, field: str = "by_set") -> GroupSet | None:
    """The group set ``raw`` names, as ``chosen_group``."""
    if raw in (None, ""):
        return None
    if parse_id(raw) is None:
        raise GroupChoiceError(_("The group set must be given by its id, a number."), field)
    return policy_for(GroupSet).get(user, raw)


def members(group: OrgGroup | int):
    """The ids of the organisations in ``group`` (a subquery)."""
    return Assignment.objects.filter(group_id=getattr(group, "pk", group)).values("organization_id")


def in_group_q(org_id_lookup: str, group) -> Q:
    """Rows whose organisation (``org_id_lookup``: ``pk``, ``organization_id``…) is in
    ``group``."""
    return Q(**{f"{org_id_lookup}__in": members(group)})


def ungrouped_q(org_id_lookup: str, group_set: GroupSet | int) -> Q:
    """Rows whose organisation has no group of ``group_set`` (未分组)."""
    assigned = Assignment.objects.filter(group_set_id=getattr(group_set, "pk", group_set))
    return ~Q(**{f"{org_id_lookup}__in": assigned.values("organization_id")})


def group_of(org_id_lookup: str, group_set: GroupSet | int) -> Subquery:
    """The id of the organisation's group of ``group_set`` (NULL: none), to group rows by."""
    chosen = Assignment.objects.filter(
        organization_id=OuterRef(org_id_lookup), group_set_id=getattr(group_set, "pk", group_set)
    ).values("group_id")[:1]
    return Subquery(chosen, output_field=IntegerField())


@dataclass
class Slot:
    """One row of a breakdown by a set: a group, or None for 未分组 (of the set ``set_id``)."""

    group: OrgGroup | None
    label: str
    set_id: int

    @property
    def key(self) -> int | None:
        return self.group.pk if self.group else None


def slots(group_set: GroupSet) -> list[Slot]:
    """The rows of a breakdown by ``group_set``: its groups in order, then 未分组."""
    rows = [Slot(g, g.name, group_set.pk) for g in OrgGroup.objects.filter(group_set=group_set)]
    return [*rows, Slot(None, _("Not in any group"), group_set.pk)]


def link_query(group: OrgGroup | None, slot: Slot | None = None) -> dict:
    """The list filters (``org_group``, ``and_group``, ``ungrouped``) that select the rows a
    figure counts: those of the chosen ``group`` and, in a breakdown, of the ``slot``."""
    query: dict = {}
    if group is not None:
        query["org_group"] = group.pk
    if slot is not None:
        if slot.group is None:
            query["ungrouped"] = slot.set_id
        elif group is None:
            query["org_group"] = slot.group.pk
        elif slot.group.pk != group.pk:
            query["and_group"] = slot.group.pk
    return query


# --- The lists' filters -------------------------------------------------------------------------


class OrgGroupFilters:
    """Mixed into a list's filter set: ``org_group`` (a visible choice of the groups the user
    sees, grouped by set), ``and_group`` (a second group, for a breakdown under a chosen group)
    and ``ungrouped`` (a set id: organisations with no group of it). ``org_group_lookup`` is
    the organisation id of a row (``pk`` for the organisation list)."""

    org_group_lookup = "organization_id"

    def setup_org_groups(self, user) -> None:
        self.form.fields["org_group"].choices = group_choices(user)
        visible = GroupSet.objects.visible_to(user)
        self.form.fields["and_group"].queryset = OrgGroup.objects.filter(group_set__in=visible)
        self.form.fields["ungrouped"].queryset = visible

    def filter_org_group(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(in_group_q(self.org_group_lookup, getattr(value, "pk", value)))

    def filter_ungrouped(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(ungrouped_q(self.org_group_lookup, value))


def org_group_filters() -> tuple:
    """The three filters of ``OrgGroupFilters``, to declare on the filter set as
    ``org_group, and_group, ungrouped = org_group_filters()``."""
    return (
        django_filters.ChoiceFilter(
            label=gettext_lazy("Organisation group"),
            choices=[],
            method="filter_org_group",
            empty_label=None,
        ),
        django_filters.ModelChoiceFilter(
            queryset=OrgGroup.objects.none(),
            method="filter_org_group",
            widget=forms.HiddenInput,
        ),
        django_filters.ModelChoiceFilter(
            queryset=GroupSet.objects.none(),
            method="filter_ungrouped",
            widget=forms.HiddenInput,
        ),
    )


# --- The pages' choice ---------------------------------------------------------------------------


class GroupChoiceForm(forms.Form):
    """A page's ``?group=`` (count only the organisations of one group) and ``?by_set=`` (break
    down by the groups of one set): choices of the sets the user sees; another's id, or text,
    is an invalid choice (the page answers 400 with the message)."""

    group = forms.TypedChoiceField(
        label=gettext_lazy("Organisation group"), required=False, coerce=int, empty_value=None
    )
    by_set = forms.TypedChoiceField(
        label=gettext_lazy("Break down by group set"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data=None, *, user, **kwargs):
        wanted = {k: data.get(k) for k in ("group", "by_set")} if data is not None else None
        super().__init__(wanted if wanted and any(wanted.values()) else None, **kwargs)
        self.user = user
        self.fields["group"].choices = group_choices(user)
        self.fields["by_set"].choices = set_choices(user, gettext_lazy("None"))
        for name in ("group", "by_set"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose a group or group set within your scope."
            )
            self.fields[name].widget.attrs["class"] = "form-select"

    def chosen(self) -> tuple[OrgGroup | None, GroupSet | None]:
        """The group and the set chosen (None, None for an unbound or invalid form)."""
        if not self.is_bound or not self.is_valid():
            return None, None
        group_id, set_id = self.cleaned_data.get("group"), self.cleaned_data.get("by_set")
        group = visible_groups(self.user).get(pk=group_id) if group_id else None
        group_set = GroupSet.objects.visible_to(self.user).get(pk=set_id) if set_id else None
        return group, group_set

    def query(self) -> dict:
        """The chosen values, to carry in the page's other links."""
        group, group_set = self.chosen()
        return {
            **({"group": group.pk} if group else {}),
            **({"by_set": group_set.pk} if group_set else {}),
        }
