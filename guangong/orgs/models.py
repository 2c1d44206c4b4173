"""The organisation tree (关工委组织) and its leadership roster (领导班子)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from guangong.core import dates
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Searchable, SearchQuerySet, Timestamped
from guangong.core.scope import PATH_STEP, ScopedQuerySet, ancestor_paths
from guangong.core.validators import validate_division_code, validate_phone


class Kind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City / prefecture")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / subdistrict")
    VILLAGE = "village", _("Village / community")
    AGENCY = "agency", _("Government agency")
    STATE_ENTERPRISE = "soe", _("State-owned enterprise")
    PRIVATE_ENTERPRISE = "private", _("Private enterprise")
    PARK = "park", _("Industrial park")
    CHAMBER = "chamber", _("Chamber of commerce")
    SCHOOL = "school", _("School")
    SOCIAL_ORG = "social", _("Social organisation")
    JOINT = "joint", _("Joint committee")


REGION_KINDS = (Kind.PROVINCE, Kind.CITY, Kind.COUNTY, Kind.TOWNSHIP, Kind.VILLAGE)
UNIT_KINDS = tuple(k for k in Kind if k not in REGION_KINDS)
# Which regional kinds may sit directly under which (units may hang anywhere).
REGION_PARENTS = {
    Kind.PROVINCE: (None,),
    Kind.CITY: (Kind.PROVINCE,),
    Kind.COUNTY: (Kind.PROVINCE, Kind.CITY),
    Kind.TOWNSHIP: (Kind.COUNTY,),
    Kind.VILLAGE: (Kind.TOWNSHIP,),
}
CODE_LENGTHS = {
    Kind.PROVINCE: 6,
    Kind.CITY: 6,
    Kind.COUNTY: 6,
    Kind.TOWNSHIP: 12,
    Kind.VILLAGE: 12,
}


class Status(models.TextChoices):
    NONE = "none", _("Not established")
    PREPARING = "preparing", _("Being established")
    ESTABLISHED = "established", _("Established")
    CONSOLIDATED = "consolidated", _("Consolidated (five-good)")


ESTABLISHED_STATUSES = (Status.ESTABLISHED, Status.CONSOLIDATED)
#: Organisations that exist today: coverage, the pivot's organisations and the distributions
#: count only these (a dissolved committee keeps its records and its page).
NOT_DISSOLVED = models.Q(dissolved_on__isnull=True)


class OrganizationQuerySet(MP_NodeQuerySet, SearchQuerySet, ScopedQuerySet):
    """Scope: ``orgs.resources`` (an organisation owns itself)."""

    def with_parent_pk(self):
        """Annotate ``parent_pk`` in the same query (the parent's path is ours minus a step)."""
        parent_path = Substr(
            models.OuterRef("path"), 1, Length(models.OuterRef("path")) - Organization.steplen
        )
        parents = Organization.objects.filter(path=parent_path).values("pk")[:1]
        return self.annotate(parent_pk=models.Subquery(parents))

    def search_condition(self, q: str) -> models.Q:
        return super().search_condition(q) | models.Q(division_code__startswith=q)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(DetailPage, Searchable, Timestamped, MP_Node):
    """One committee (关工委) and the unit or region it belongs to."""

    steplen = PATH_STEP
    search_fields = ("name", "short_name")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    division_code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_division_code],
        help_text=_("GB/T 2260 code (6 digits) or 12-digit statistical code; regions only."),
        error_messages={"unique": _("Another organisation already has this division code.")},
    )
    status = models.CharField(
        _("committee status"), max_length=12, choices=Status.choices, default=Status.NONE
    )
    status_since = BoundedDateField(_("status since"), null=True, blank=True, within=dates.HISTORY)
    established_on = BoundedDateField(
        _("established on"), null=True, blank=True, within=dates.HISTORY
    )
    # The day the committee was dissolved (撤销): no activity of its own is dated after it. The
    # status keeps what it was; the date says the committee's life has ended.
    dissolved_on = BoundedDateField(
        _("dissolved on"),
        null=True,
        blank=True,
        within=dates.HISTORY,
        help_text=_("Only for a committee that has been dissolved; leave empty otherwise."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    # An office line the committee publishes anyway: shown in full to whoever sees the
    # organisation. Otherwise the phone is masked for readers without the reveal verb.
    phone_public = models.BooleanField(
        _("contact phone is public"),
        default=False,
        help_text=_(
            "Tick only for a public office line: it is then shown in full to everyone who can "
            "see this organisation. Otherwise it is shown masked to users who may not reveal "
            "sensitive fields."
        ),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    # The spreadsheet import that created this organisation (the import job's id), for undo.
    import_batch = models.CharField(
        _("import batch"), max_length=32, null=True, blank=True, editable=False, db_index=True
    )

    objects = OrganizationManager()

    audit_fields = (
        "name",
        "short_name",
        "kind",
        "division_code",
        "status",
        "status_since",
        "established_on",
        "dissolved_on",
        "address",
        "contact_person",
        "contact_phone",
        "phone_public",
        "notes",
    )

    detail_url = "orgs:organization_detail"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["path", "kind", "status"], name="org_path_kind_status"),
            models.Index(fields=["kind"], name="org_kind"),
            # Children of a node (depth = d + 1 within its path range) and the top level.
            models.Index(fields=["depth", "path"], name="org_depth_path"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_region(self) -> bool:
        return self.kind in REGION_KINDS

    @property
    def is_established(self) -> bool:
        return self.status in ESTABLISHED_STATUSES

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    def save(self, *args, **kwargs):
        if self.division_code == "":
            self.division_code = None
        super().save(*args, **kwargs)

    def ancestors_and_self(self):
        """The breadcrumb: one query on the path prefixes."""
        return Organization.objects.filter(path__in=ancestor_paths(self.path)).order_by("depth")

    def clean_against_parent(self, parent: "Organization | None") -> None:
        """Rules that depend on where the node hangs; raised as form-friendly errors."""
        errors: dict[str, list] = {}
        if self.kind in REGION_KINDS:
            allowed = REGION_PARENTS[self.kind]
            parent_kind = parent.kind if parent else None
            if parent_kind not in allowed and parent is None:
                errors.setdefault("kind", []).append(
                    _("A %(kind)s cannot be a top-level organisation.")
                    % {"kind": self.get_kind_display()}
                )
            elif parent_kind not in allowed:
                errors.setdefault("kind", []).append(
                    _("A %(kind)s cannot sit directly under a %(parent)s.")
                    % {"kind": self.get_kind_display(), "parent": parent.get_kind_display()}
                )
            if self.division_code:
                expected = CODE_LENGTHS[self.kind]
                if len(self.division_code) != expected:
                    errors.setdefault("division_code", []).append(
                        _("The division code of a %(kind)s has %(n)d digits.")
                        % {"kind": self.get_kind_display(), "n": expected}
                    )
                elif parent and parent.division_code and parent.is_region:
                    prefix = region_prefix(parent.division_code, parent.kind)
                    if not self.division_code.startswith(prefix):
                        errors.setdefault("division_code", []).append(
                            _("The code must start with %(prefix)s, the code of %(parent)s.")
                            % {"prefix": prefix, "parent": parent.name}
                        )
        elif self.division_code:
            errors.setdefault("division_code", []).append(
                _("Only regions (province to village) carry a division code.")
            )
        if self.established_on and self.established_on > timezone.localdate():
            errors.setdefault("established_on", []).append(
                _("The establishment date cannot be in the future.")
            )
        if self.established_on and self.status not in ESTABLISHED_STATUSES:
            errors.setdefault("status", []).append(
                _(
                    "An organisation with an establishment date must have the status "
                    "Established or Consolidated."
                )
            )
        # (A date in the future is refused by the field's own range, dates.HISTORY.)
        ended = self.dissolved_on
        if ended and self.established_on and ended < self.established_on:
            errors.setdefault("dissolved_on", []).append(
                _("The dissolution date cannot be before the establishment date (%(day)s).")
                % {"day": self.established_on.isoformat()}
            )
        if errors:
            raise ValidationError(errors)


def region_prefix(code: str, kind: str) -> str:
    """The significant digits of a region's code: 65 for 650000, 6540 for 654000."""
    if kind == Kind.PROVINCE:
        return code[:2]
    if kind == Kind.CITY:
        return code[:4]
    if kind == Kind.COUNTY:
        return code[:6]
    if kind == Kind.TOWNSHIP:
        return code[:9]
    return code


class PositionRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    EXECUTIVE_DEPUTY = "executive_deputy", _("Executive deputy director")
    DEPUTY = "deputy", _("Deputy director")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    MEMBER = "member", _("Member")


class PositionSource(models.TextChoices):
    SERVING = "serving", _("Serving leader")
    ELDER = "elder", _("Five-elders volunteer")
    PARTY_WORKER = "party_worker", _("Party-building officer")


class PositionQuerySet(ScopedQuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on)).filter(
            models.Q(start_date__isnull=True) | models.Q(start_date__lte=on)
        )


class Position(Timestamped):
    """A seat in a committee's leadership (领导班子)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    role = models.CharField(_("post"), max_length=20, choices=PositionRole.choices)
    source = models.CharField(_("source"), max_length=20, choices=PositionSource.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    start_date = BoundedDateField(_("start date"), null=True, blank=True, within=dates.HISTORY)
    end_date = BoundedDateField(_("end date"), null=True, blank=True, within=dates.TERM_END)

    objects = PositionQuerySet.as_manager()

    audit_fields = ("organization", "name", "role", "source", "phone", "start_date", "end_date")

    class Meta:
        verbose_name = _("leadership position")
        verbose_name_plural = _("leadership positions")
        ordering = ["organization", "role", "name"]
        indexes = [
            # Covers "current members by post" over the whole tree without touching the table.
            models.Index(fields=["role", "end_date", "start_date"], name="position_role_term"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("orgs:organization_detail", args=[self.organization_id])

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class SubtreeCount(models.Model):
    """How many organisations of a kind and status lie in a subtree (its root included).

    A rollup kept exact inside the same transactions that change organisations (see
    ``rollup.py``), so coverage for any subtree reads a few dozen rows instead of counting
    tens of thousands. Rows for the organisations inside a moved subtree stay valid, because
    they count relative to their own root.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="subtree_counts"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "status"], name="subtree_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind}/{self.status}: {self.n}"
