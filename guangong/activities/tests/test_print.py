"""The ledger's print view: an organisation's activities for a period (the list's
``?print=1``: every row, the organisation and the filters above, no filter form)."""

import datetime

from guangong.activities.tests.conftest import record
from guangong.core.tests.support import text


def test_the_ledger_prints_every_row_of_the_period(client_for, tree, types, a_admin):
    for day in range(1, 31):
        record(a_admin, tree.township, types["talk"], day=datetime.date(2026, 4, day))
    record(a_admin, tree.township, types["talk"], day=datetime.date(2026, 5, 2), title="五月")
    query = {"org": tree.township.pk, "date_from": "2026-04-01", "date_to": "2026-04-30"}
    listed = client_for(a_admin).get("/activities/", query)
    assert len(listed.context["table"].page.object_list) == 25
    assert 'data-testid="print-view"' in listed.content.decode()

    printed = client_for(a_admin).get("/activities/", {**query, "print": "1"})
    body = text(printed)
    assert len(printed.context["table"].page.object_list) == 30
    assert 'data-testid="print-heading"' in body and tree.township.name in body
    assert "2026-04-01" in body and "五月" not in body
    assert 'class="gg-filters' not in body and "data-gg-print" in body


def test_only_the_ledger_offers_a_print_view(client_for, tree, a_admin):
    body = client_for(a_admin).get("/orgs/", {"print": "1"}).content.decode()
    assert 'data-testid="print-heading"' not in body and 'data-testid="print-view"' not in body
