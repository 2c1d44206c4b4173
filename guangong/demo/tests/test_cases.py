"""The demo region's care cases: every stage, for the demo care worker, the same per seed."""

import pytest

from guangong.accounts.models import User
from guangong.care.models import Case, Status
from guangong.demo.loader import load

pytestmark = pytest.mark.django_db


def test_the_demo_region_has_cases_at_every_stage_for_the_care_worker():
    result = load("small", 3)
    assert Case.objects.count() >= result.cases >= 15  # the help desk adds its own
    stages = set(Case.objects.values_list("status", flat=True))
    assert stages == set(Status.values)
    assert Case.objects.filter(anonymised_at__isnull=False, youth=None).exists()
    assert Case.objects.filter(status=Status.CLOSED, anonymised_at=None).exists()

    worker = User.objects.get(username="demo-care-a")
    assert Case.objects.visible_to(worker).count() == Case.objects.count()
    assert set(Case.objects.values_list("care_worker", flat=True)) == {worker.pk}
    county = User.objects.get(username="demo-county-a")
    assert county.has_verb("care") and county.has_verb("approve")
    assert User.objects.get(username="demo-city").has_verb("care")
    assert not User.objects.get(username="demo-county-b").has_verb("care")
    minors = Case.objects.filter(status=Status.APPROVAL)
    assert all(c.has_consent for c in minors if c.youth.is_minor)
