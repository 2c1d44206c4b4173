"""Anonymisation on schedule: the nightly task and the command."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from guangong.audit.models import AuditLog
from guangong.care import tasks
from guangong.care.models import Case, Status

from .conftest import close


def test_the_nightly_task_anonymises_what_is_due(case, a_care, city_approver, settings):
    settings.CARE_RETENTION_DAYS = 10
    long_ago = timezone.localdate() - datetime.timedelta(days=11)
    close(case, a_care, city_approver, long_ago)

    assert tasks.anonymise_closed_cases.call_local() == 1
    case.refresh_from_db()
    assert case.anonymised_at and case.youth is None and not case.address_enc
    assert AuditLog.objects.filter(object_type="care.case", username="system").count() == 1
    assert tasks.anonymise_closed_cases.call_local() == 0  # once only


def test_the_task_runs_daily_at_half_past_two():
    task = tasks.anonymise_closed_cases.task_class()
    # huey's scheduler checks naive local times.
    at = datetime.datetime  # noqa: DTZ001 - naive on purpose
    assert task.validate_datetime(at(2026, 5, 1, 2, 30))  # noqa: DTZ001
    assert task.validate_datetime(at(2026, 5, 2, 2, 30))  # noqa: DTZ001
    assert not task.validate_datetime(at(2026, 5, 1, 3, 30))  # noqa: DTZ001
    assert not task.validate_datetime(at(2026, 5, 1, 2, 31))  # noqa: DTZ001


def test_the_command_with_and_without_dry_run(case, a_care, city_approver, settings, capsys):
    settings.CARE_RETENTION_DAYS = 30
    close(case, a_care, city_approver, timezone.localdate() - datetime.timedelta(days=31))

    call_command("anonymise_cases", "--dry-run")
    out = capsys.readouterr().out
    assert case.number in out
    assert Case.objects.get(pk=case.pk).anonymised_at is None

    call_command("anonymise_cases")
    case.refresh_from_db()
    assert case.anonymised_at is not None and case.status == Status.CLOSED
    call_command("anonymise_cases", "--dry-run")
    assert case.number not in capsys.readouterr().out


def test_recent_closures_are_kept(case, a_care, city_approver, settings):
    settings.CARE_RETENTION_DAYS = 30
    close(case, a_care, city_approver, timezone.localdate() - datetime.timedelta(days=29))
    assert tasks.anonymise_closed_cases.call_local() == 0
    assert Case.objects.get(pk=case.pk).youth is not None
