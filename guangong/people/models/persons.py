"""Elders (五老) and young people: what they share (``Person``), each kind, and the pairs of
their records marked as two different people.

ID numbers are never stored in clear: ``id_number_enc`` holds the authenticated ciphertext,
``id_number_hash`` a keyed hash for exact look-up and duplicate detection, ``id_number_masked``
what lists show. The clear value is read only through ``services.persons.reveal_id_number``,
which is audited.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core import crypto, dates, idnumber
from guangong.core.fields import BoundedDateField
from guangong.core.models import DetailPage, Searchable, SearchQuerySet, Timestamped
from guangong.core.scope import ScopedQuerySet
from guangong.core.validators import validate_mobile, validate_phone
from guangong.dicts.models import DictItem, DictKind

from ..choices import ETHNICITY_CHOICES, Health, HouseholdType, PoliticalStatus, Sex


class NamedQuerySet(SearchQuerySet, ScopedQuerySet):
    """Rows found by their name, its pinyin initials or full pinyin (``search_text``)."""


class PersonQuerySet(NamedQuerySet):
    def with_id_number(self, raw: str):
        """Exact match on a full ID number, through its keyed hash.

        An empty number matches nothing (not every row stored without one).
        """
        value = idnumber.normalize(raw)
        if not value:
            return self.none()
        return self.filter(id_number_hash=crypto.blind_index(value))

    def current(self):
        return self.filter(merged_into__isnull=True)


def age_on(birth_date: datetime.date | None, on: datetime.date | None = None) -> int | None:
    if birth_date is None:
        return None
    on = on or timezone.localdate()
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


class Person(Searchable, Timestamped):
    # Indexed in each model's Meta together with merged_into and name: the lists (current
    # records of a subtree, by organisation then name) and their counts read that index alone.
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = BoundedDateField(_("birth date"), null=True, blank=True, within=dates.BIRTH)
    id_number_enc = models.TextField(blank=True, editable=False)
    # Indexed in each model's Meta (equality look-ups only: no pattern-ops twin on PostgreSQL).
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=24, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_mobile])
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    import_batch = models.CharField(max_length=32, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_duplicates",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        return age_on(self.birth_date)

    @property
    def is_minor(self) -> bool:
        age = self.age
        return age is not None and age < 18

    @property
    def has_id_number(self) -> bool:
        return bool(self.id_number_enc)

    def set_id_number(self, raw: str | None) -> None:
        """Store an ID number (already validated by the caller): ciphertext, hash and mask.

        Sex and birth date follow from the number and are filled in when they are empty.
        """
        value = idnumber.normalize(raw or "")
        if not value:
            self.id_number_enc = self.id_number_hash = self.id_number_masked = ""
            return
        self.id_number_enc = crypto.encrypt(value)
        self.id_number_hash = crypto.blind_index(value)
        self.id_number_masked = idnumber.mask(value)
        info = idnumber.parse(value)
        self.birth_date = self.birth_date or info.birth_date
        self.sex = self.sex or info.sex


#: What the audit keeps of every person, before the fields of each kind.
PERSON_AUDIT_FIELDS = ("organization", "name", "sex", "birth_date", "id_number_masked", "phone")


def person_indexes(prefix: str) -> list:
    """The indexes of a kind of person: look-ups by name and birth date, by ID number (its
    keyed hash), by import batch, and the lists (current records of a subtree, by name)."""
    return [
        models.Index(fields=["name", "birth_date"], name=f"{prefix}_name_birth"),
        models.Index(fields=["id_number_hash"], name=f"{prefix}_id_hash"),
        models.Index(fields=["import_batch"], name=f"{prefix}_import_batch"),
        models.Index(fields=["organization", "merged_into", "name"], name=f"{prefix}_org_list"),
    ]


def dict_fk(kind: str, verbose_name, **kwargs):
    return models.ForeignKey(
        DictItem,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": kind},
        related_name="+",
        **kwargs,
    )


def dict_m2m(kind: str, verbose_name, related_name: str):
    return models.ManyToManyField(
        DictItem,
        verbose_name=verbose_name,
        limit_choices_to={"kind": kind},
        related_name=related_name,
        blank=True,
    )


class Elder(DetailPage, Person):
    """A 五老 volunteer: 老干部, 老战士, 老专家, 老教师, 老模范."""

    categories = dict_m2m(DictKind.ELDER_CATEGORY, _("categories"), "elders_in_category")
    former_unit = models.CharField(_("former unit"), max_length=100, blank=True)
    former_post = models.CharField(_("former post"), max_length=50, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    specialities = dict_m2m(DictKind.SPECIALITY, _("specialities"), "elders_with_speciality")
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, blank=True)
    availability = models.CharField(_("availability"), max_length=100, blank=True)
    joined_on = BoundedDateField(_("joined on"), null=True, blank=True, within=dates.HISTORY)
    active = models.BooleanField(_("still serving"), default=True)
    service_hours = models.DecimalField(
        _("service hours"), max_digits=9, decimal_places=1, default=0, editable=False
    )

    #: An elder's own plain fields, in the order the form, the API and the audit list them.
    own_fields = (
        "former_unit",
        "former_post",
        "political_status",
        "health",
        "availability",
        "joined_on",
        "active",
    )
    audit_fields = (*PERSON_AUDIT_FIELDS, *own_fields, "notes")

    detail_url = "people:elder_detail"

    class Meta:
        verbose_name = _("five-elders volunteer")
        verbose_name_plural = _("five-elders volunteers")
        indexes = person_indexes("elder")


class Youth(DetailPage, Person):
    """A young person: a young worker, a student, a left-behind child…"""

    category = dict_fk(DictKind.YOUTH_CATEGORY, _("category"))
    guardian_name = models.CharField(_("guardian"), max_length=50, blank=True)
    guardian_phone = models.CharField(
        _("guardian's phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    guardian_relation = models.CharField(_("relation to guardian"), max_length=20, blank=True)
    school_or_employer = models.CharField(_("school or employer"), max_length=100, blank=True)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=10, choices=ETHNICITY_CHOICES, blank=True
    )
    household_type = models.CharField(
        _("household registration"), max_length=10, choices=HouseholdType.choices, blank=True
    )

    #: A young person's own plain fields, in the order the form and the API list them.
    own_fields = (
        "school_or_employer",
        "ethnicity",
        "household_type",
        "guardian_name",
        "guardian_relation",
        "guardian_phone",
    )
    audit_fields = (
        *PERSON_AUDIT_FIELDS,
        "category",
        "guardian_name",
        "guardian_phone",
        "guardian_relation",
        "school_or_employer",
        "ethnicity",
        "household_type",
        "notes",
    )

    detail_url = "people:youth_detail"

    class Meta:
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        indexes = person_indexes("youth")


class DuplicateDismissal(models.Model):
    """An administrator's decision that two records with the same name and birth date are two
    different people (“不是同一人”): the pair is no longer listed as a possible duplicate, nor
    asked about again when either record is edited. The pair is ordered (``first`` has the
    smaller id); restoring it deletes the row. Both are audited on the two records."""

    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


def dismissal_constraints(prefix: str) -> list:
    """A pair is marked once, and in order (``first`` has the smaller id)."""
    return [
        models.UniqueConstraint(fields=["first", "second"], name=f"{prefix}_dismissal_pair"),
        models.CheckConstraint(
            condition=models.Q(first__lt=models.F("second")), name=f"{prefix}_dismissal_order"
        ),
    ]


class ElderDuplicateDismissal(DuplicateDismissal):
    first = models.ForeignKey(Elder, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Elder, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("dismissed duplicate of a five-elders volunteer")
        constraints = dismissal_constraints("elder")


class YouthDuplicateDismissal(DuplicateDismissal):
    first = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("dismissed duplicate of a young person")
        constraints = dismissal_constraints("youth")


#: The dismissals of each kind of person.
DISMISSALS = {Elder: ElderDuplicateDismissal, Youth: YouthDuplicateDismissal}
