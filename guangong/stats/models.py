"""Populations (人口基数): the denominators of rates such as 每万名青少年活动场次.

An administrator records, per region or unit and year, how many young people live there
(青少年人口, e.g. from the census or the statistical yearbook) or work there (青年职工人数, from
the unit's staff records), with the source. A rate is shown only where such a number is
recorded for the period's year: never divided by the young people registered in Guangong, who
are the ones the committees work with, not the population.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guangong.core.models import Timestamped
from guangong.core.scope import ScopedQuerySet


class PopulationKind(models.TextChoices):
    YOUTH = "youth", _("Young people living there")
    YOUNG_WORKERS = "young_workers", _("Young employees")


class Population(Timestamped):
    organization = models.ForeignKey(
        "orgs.Organization",
        models.PROTECT,
        verbose_name=_("organisation"),
        related_name="populations",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(
        _("kind of population"),
        max_length=20,
        choices=PopulationKind.choices,
        default=PopulationKind.YOUTH,
    )
    count = models.PositiveIntegerField(
        _("number of people"), validators=[MinValueValidator(1), MaxValueValidator(500_000_000)]
    )
    source = models.CharField(
        _("source"),
        max_length=100,
        help_text=_("Where the number comes from: the census, a yearbook, the unit's staff list."),
    )

    objects = ScopedQuerySet.as_manager()
    audit_fields = ("organization", "year", "kind", "count", "source")

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["-year", "organization__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "kind"],
                name="population_once_a_year",
                violation_error_message=_(
                    "This organisation already has this population recorded for that year: edit it."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("stats:population_list") + f"?org={self.organization_id}"
