"""The demo region's reports: every state, deterministic by seed, and a picture each demo
account can act on."""

import datetime
from collections import Counter

import pytest

from guangong.accounts.models import User
from guangong.demo.loader import load
from guangong.reporting.aggregate import aggregate, notices, overdue
from guangong.reporting.models import Report, ReportForm, ReportStatus
from guangong.reporting.periods import recent
from guangong.reporting.services import approval, chain

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)


def picture():
    return sorted(
        Report.objects.values_list("organization__path", "period_start", "status", "note")
    )


def test_the_demo_region_has_reports_in_every_state():
    load("small", 3, today=TODAY)
    first = picture()
    form = ReportForm.objects.get()
    assert form.owner.short_name == "伊犁州" or form.owner.name.startswith("伊犁")
    statuses = Counter(status for _p, _s, status, _n in first)
    assert set(statuses) == set(ReportStatus.values)
    latest = recent(form.period_type, TODAY, 1)[0]

    city = User.objects.get(username="demo-city")
    county_a = User.objects.get(username="demo-county-a")
    town_a = User.objects.get(username="demo-town-a")
    # demo-town-a has a returned report to correct; county A has one waiting for approval
    assert [n.period for n in notices(town_a, TODAY)][:1] == [latest]
    mine = Report.objects.get(organization=town_a.organization, period_start=latest.start)
    assert mine.status == ReportStatus.RETURNED
    waiting = Report.objects.filter(
        period_start=latest.start,
        status=ReportStatus.SUBMITTED,
        organization__in=chain.reporting_children(form, county_a.organization),
    )
    assert waiting.exists()
    approval.approve(county_a, waiting.first())
    assert overdue(city.organization, TODAY)  # some townships never opened theirs

    # the city's totals are the approved counties' values
    older = recent(form.period_type, TODAY, 3)[2]
    result = aggregate(form, city.organization, older)
    assert result.approved == result.expected > 0
