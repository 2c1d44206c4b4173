"""Organisation groups (组织分组): sets of groups an administrator defines for a subtree.

A group set (四化型工作模式, 五好关工委, 示范点, 协会·志愿者工作站) belongs to the organisation
whose subtree it sorts; its groups (已建立 / 未建立) are a small dictionary of its own. An
organisation of that subtree is assigned to at most one group of each set. Coverage and the
statistics filter and break down by group; shares state their denominator (the organisations
counted).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guangong.core.models import Timestamped
from guangong.core.scope import ScopedQuerySet


class GroupSet(Timestamped):
    organization = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        verbose_name=_("organisation"),
        related_name="+",
        help_text=_("The set sorts the organisations of this organisation's subtree."),
    )
    name = models.CharField(_("name"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    audit_fields = ("organization", "name", "description")

    class Meta:
        verbose_name = _("group set")
        verbose_name_plural = _("group sets")
        ordering = ["organization__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="group_set_name_once",
                violation_error_message=_("This organisation already has a group set so named."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orggroups:group_list") + f"?group_set={self.pk}"


class OrgGroup(Timestamped):
    group_set = models.ForeignKey(
        GroupSet, models.CASCADE, verbose_name=_("group set"), related_name="groups"
    )
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()
    audit_fields = ("group_set", "name", "order")

    class Meta:
        verbose_name = _("organisation group")
        verbose_name_plural = _("organisation groups")
        ordering = ["group_set_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_set", "name"],
                name="org_group_name_once",
                violation_error_message=_("This group set already has a group so named."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_set.name}：{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("orggroups:group_list") + f"?group_set={self.group_set_id}"


class Assignment(Timestamped):
    """One organisation in one group (at most one group of each set)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        models.CASCADE,
        verbose_name=_("organisation"),
        related_name="group_assignments",
    )
    group_set = models.ForeignKey(
        GroupSet, models.CASCADE, verbose_name=_("group set"), related_name="+", editable=False
    )
    group = models.ForeignKey(
        OrgGroup, models.CASCADE, verbose_name=_("group"), related_name="assignments"
    )
    import_batch = models.CharField(max_length=32, blank=True, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    audit_fields = ("organization", "group")

    class Meta:
        verbose_name = _("group assignment")
        verbose_name_plural = _("group assignments")
        ordering = ["organization__path", "group_set_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "group_set"],
                name="one_group_per_set",
                violation_error_message=_(
                    "This organisation already has a group of this set: change that one."
                ),
            )
        ]
        indexes = [models.Index(fields=["group", "organization"])]

    def __str__(self) -> str:
        return f"{self.organization} → {self.group}"

    def get_absolute_url(self) -> str:
        return reverse("orggroups:assignment_list") + f"?group_set={self.group_set_id}"
