"""Dictionaries (字典): the lists users may extend — youth categories, team kinds, goals…

Which lists exist is code (``DictKind``); what is in them is data, managed by administrators.
An item in use cannot be deleted (foreign keys to it PROTECT); it can be deactivated, which
hides it from new entries while old records keep it.

Dictionaries are global: every signed-in user with the ``view`` verb reads them, only the
``manage_system`` verb changes them (see ``services.py``). Other apps refer to items with
``fields.dict_fk(kind)`` and offer them in forms with ``fields.DictChoiceField(kind)``.
"""

from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from guangong.core.models import Searchable, SearchQuerySet, Timestamped
from guangong.core.scope import ScopedQuerySet


class DictKind(models.TextChoices):
    ELDER_CATEGORY = "elder_category", _("Five-elders category")
    YOUTH_CATEGORY = "youth_category", _("Youth category")
    TEAM_KIND = "team_kind", _("Team kind")
    MENTORSHIP_GOAL = "mentorship_goal", _("Mentorship goal")
    MENTORSHIP_OUTCOME = "mentorship_outcome", _("Mentorship outcome")
    SPECIALITY = "speciality", _("Speciality")
    ACTIVITY_TYPE = "activity_type", _("Activity type")
    CASE_KIND = "case_kind", _("Care case kind")
    FUNDING_SOURCE = "funding_source", _("Funding source")
    INFO_KIND = "info_kind", _("Information item kind")
    MEMBER_UNIT = "member_unit", _("Member unit kind")
    MEETING_KIND = "meeting_kind", _("Meeting kind")


class StatGroup(models.TextChoices):
    """The statistical groups activity types are counted under (the work's five fields)."""

    IDEOLOGY = "ideology", _("Ideological guidance")
    CARE = "care", _("Care and assistance")
    GROWTH = "growth", _("Growth and development")
    SERVICE = "service", _("Serving the overall situation")
    ORGANISATION = "organisation", _("Organisation building")


#: Dictionaries whose items carry a statistical group (required there, empty elsewhere).
GROUPED_KINDS = frozenset({DictKind.ACTIVITY_TYPE})


class DictItemQuerySet(SearchQuerySet, ScopedQuerySet):
    """Not organisation-scoped: the same lists serve the whole network (``dicts.resources``)."""

    def of(self, kind: str):
        return self.filter(kind=kind)

    def active(self):
        return self.filter(active=True)


class DictItem(Searchable, Timestamped):
    search_fields = ("label",)

    kind = models.CharField(_("dictionary"), max_length=30, choices=DictKind.choices)
    label = models.CharField(_("label"), max_length=50)
    order = models.PositiveSmallIntegerField(
        _("order"), default=100, help_text=_("Items are listed by this number, smallest first.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive items are not offered for new entries.")
    )
    stat_group = models.CharField(
        _("statistical group"),
        max_length=20,
        choices=StatGroup.choices,
        blank=True,
        help_text=_("Activity types only: the group their activities are counted under."),
    )
    seeded = models.BooleanField(_("built in"), default=False, editable=False)

    objects = DictItemQuerySet.as_manager()

    audit_fields = ("kind", "label", "order", "active", "stat_group")

    class Meta:
        verbose_name = _("dictionary item")
        verbose_name_plural = _("dictionary items")
        ordering = ["kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "label"], name="dict_item_unique_label")
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        """The list of this item's dictionary (items have no page of their own)."""
        return f"{reverse('dicts:dictitem_list')}?{urlencode({'kind': self.kind})}"
