"""The demo region loaded once for a whole test module, and what "the same region" means.

Loading the small region takes seconds. A module whose tests read it (or change it within their
own test, which rolls back) shares one load: the region is written inside a transaction that is
rolled back when the module ends, and each test runs in a savepoint within it.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from guangong.demo.loader import load
from guangong.orgs.models import Organization


def region_fixture(seed: int = 1, **options):
    """A module-scoped fixture: ``load("small", seed, **options)``'s result, rolled back after
    the module's last test."""

    @pytest.fixture(scope="module")
    def region(django_db_setup, django_db_blocker):
        outer = transaction.atomic()
        # As Django's TestCase marks its own: the services' durable blocks may open inside it.
        outer._from_testcase = True
        with django_db_blocker.unblock(), outer:
            yield load("small", seed, **options)
            transaction.set_rollback(True)

    return region


def row_counts() -> dict[str, int]:
    """Rows per model of every Guangong app (the audit trail aside: it records when)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("guangong.") and model._meta.app_label != "audit"
    }


def picture() -> dict[str, list]:
    """What a seed decides, module by module, in a form two loads can be compared by."""
    from guangong.activities.models import Activity, ActivityElder
    from guangong.care.models import Case
    from guangong.meetings.models import Meeting
    from guangong.orgs.models import Organization, Position
    from guangong.people.models import Elder, Mentorship, Youth
    from guangong.reporting.models import Report

    def rows(queryset, *fields):
        return sorted(
            tuple("" if v is None else v for v in row) for row in queryset.values_list(*fields)
        )

    return {
        "organisations": rows(
            Organization.objects, "path", "name", "division_code", "status", "kind"
        ),
        "roster": rows(Position.objects, "organization__path", "name", "role"),
        "people": rows(Elder.objects, "name", "birth_date", "id_number_masked")
        + rows(Youth.objects, "name", "birth_date", "id_number_masked"),
        "elder keys": sorted(Elder.objects.values_list("id_number_hash", flat=True)),
        "mentorships": rows(Mentorship.objects, "elder__name", "youth__name", "start_date"),
        "ledger": rows(
            Activity.objects,
            "organization__path",
            "type__label",
            "title",
            "date",
            "place",
            "participants",
        ),
        "elder hours": rows(
            ActivityElder.objects, "activity__title", "activity__date", "elder__name", "hours"
        ),
        "cases": rows(
            Case.objects, "youth__name", "kind__label", "status", "amount_requested", "opened_on"
        ),
        "reports": rows(Report.objects, "organization__path", "period_start", "status", "note"),
        "meetings": rows(
            Meeting.objects, "organization__path", "kind__label", "date", "status", "head_count"
        ),
    }


def snapshot() -> list:
    """The organisations as a load left them."""
    return sorted(
        Organization.objects.values_list("path", "name", "division_code", "status", "kind")
    )


def run(*args) -> str:
    """A management command's output, in English."""
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()
