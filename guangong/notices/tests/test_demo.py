"""The demo region's notices and information items."""

import datetime

import pytest

from guangong.demo.loader import load
from guangong.notices.models import InfoItem, ItemStatus, Notice, Receipt
from guangong.orgs.models import Kind

TODAY = datetime.date(2026, 5, 20)


@pytest.mark.django_db
def test_demo_has_two_city_notices_with_partial_receipts_and_items_in_every_state():
    load("small", 1, today=TODAY)
    notices = Notice.objects.filter(organization__kind=Kind.CITY)
    assert notices.count() == 2
    joint = Notice.objects.get(prefix="鸡关联字")
    assert joint.doc_number == f"鸡关联字〔{joint.year}〕1号" and joint.feedback_required
    receipts = Receipt.objects.filter(notice=joint)
    assert receipts.filter(read_at__isnull=True).exists()
    assert receipts.filter(answered_at__isnull=False).exists()
    assert set(InfoItem.objects.values_list("status", flat=True)) == set(ItemStatus.values)
