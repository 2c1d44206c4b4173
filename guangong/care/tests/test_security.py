"""A case's dates stay between 2000 and today (page, API, services), and anonymising a case
removes its files only when the anonymisation commits."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guangong.care import attachments, retention
from guangong.care.models import Attachment, Case, FollowUp
from guangong.care.services import cases, entries, transitions
from guangong.core.actions import batch
from guangong.core.tests.support import text

from .conftest import assess, close

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Boom(Exception):
    """Something failing later in the same transaction."""


@pytest.mark.parametrize("day", ["1999-12-31", "0001-01-01"])
def test_the_consent_page_refuses_an_implausible_date(case, client_for, a_care, day):
    response = client_for(a_care).post(
        f"/care/{case.pk}/consent/",
        {"by": "程母", "relation": "母亲", "on": day},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "2000年1月1日" in text(response)
    case.refresh_from_db()
    assert case.consent_on is None


def test_the_consent_api_refuses_an_implausible_date(case, api_for, a_care):
    response = api_for(a_care).post(
        f"/api/cases/{case.pk}/consent/",
        {"by": "程叔", "relation": "叔叔", "on": "1999-12-31"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 400
    assert "2000年1月1日" in str(response.json())
    case.refresh_from_db()
    assert case.consent_on is None


def test_the_services_refuse_implausible_case_dates(case, a_care, city_approver):
    with pytest.raises(ValidationError) as caught:
        cases.record_consent(a_care, case, by="程母", relation="母亲", on=datetime.date(1999, 1, 1))
    assert "consent_on" in caught.value.message_dict

    case.opened_on = datetime.date(1999, 12, 31)
    with pytest.raises(ValidationError) as caught:
        cases.save_case(a_care, case)
    assert "opened_on" in caught.value.message_dict

    case.refresh_from_db()
    assess(a_care, case)
    transitions.transition(city_approver, case, "approve")
    with pytest.raises(ValidationError) as caught:
        transitions.transition(
            a_care,
            case,
            "disburse",
            amount_disbursed="100",
            disbursed_on=datetime.date(1999, 6, 1),
        )
    assert "disbursed_on" in caught.value.message_dict
    transitions.transition(a_care, case, "disburse", amount_disbursed="100")
    with pytest.raises(ValidationError) as caught:
        entries.add_follow_up(a_care, case, FollowUp(date=datetime.date(1999, 2, 1), content="好"))
    assert "date" in caught.value.message_dict


# --- Files go with the commit, never before ---------------------------------------------------


@pytest.fixture
def closed_with_file(case, a_care, city_approver, settings) -> tuple[Case, str]:
    entries.add_attachment(a_care, case, attachments.check(SimpleUploadedFile("证明.pdf", PDF)))
    settings.CARE_RETENTION_DAYS = 10
    close(case, a_care, city_approver, datetime.date(2026, 1, 1))
    attachment = Attachment.objects.get(case=case)
    return case, attachment.file.name


def test_a_rolled_back_anonymisation_keeps_the_files(closed_with_file):
    case, name = closed_with_file
    storage = Attachment._meta.get_field("file").storage

    with pytest.raises(Boom), batch():
        retention.anonymise(None, case)
        raise Boom

    assert Attachment.objects.filter(case=case).exists()
    assert storage.exists(name)
    assert Case.objects.get(pk=case.pk).anonymised_at is None


def test_a_committed_anonymisation_removes_the_files(
    closed_with_file, django_capture_on_commit_callbacks
):
    case, name = closed_with_file
    storage = Attachment._meta.get_field("file").storage

    with django_capture_on_commit_callbacks(execute=True):
        retention.anonymise(None, case)
        assert storage.exists(name)  # not before the commit

    assert not Attachment.objects.filter(case=case).exists()
    assert not storage.exists(name)
