"""Care figures (stats.care) per subtree and period equal the cases behind them."""

import datetime
from decimal import Decimal

from guangong.care.models import Case
from guangong.care.services import transitions
from guangong.care.tests.conftest import assess, open_case
from guangong.core.periods import Period
from guangong.stats import care as stats

YEAR = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def test_cases_people_and_money_by_subtree(tree, people, a_care, city_approver, b_revealer):
    first = open_case(a_care, people["county_a"], "助学", opened_on=datetime.date(2026, 2, 1))
    open_case(a_care, people["county_a"], "助医", opened_on=datetime.date(2026, 3, 1))
    open_case(a_care, people["township"], "助学", opened_on=datetime.date(2026, 3, 9))
    open_case(b_revealer, people["county_b"], "法律援助", opened_on=datetime.date(2025, 6, 1))
    # money for the first case
    assess(a_care, first, consent_on=datetime.date(2026, 2, 2))
    transitions.transition(city_approver, first, "approve", amount_approved="1500")
    transitions.transition(a_care, first, "disburse", amount_disbursed="1200")

    city = stats.summary(tree.city, YEAR)
    assert (city["cases"], city["people_helped"]) == (3, 2)  # two cases for the same child
    assert city["amount_disbursed"] == Decimal("1200.00")
    assert city["amount_approved"] == Decimal("1500.00")
    kinds = {row["label"]: row["cases"] for row in city["by_kind"]}
    assert kinds == {"助学": 2, "助医": 1}
    stages = {row["status"]: row["cases"] for row in city["by_status"]}
    assert stages["registered"] == 2 and stages["follow_up"] == 1

    county_b = stats.summary(tree.county_b, YEAR)
    assert county_b["cases"] == 0 and county_b["open_cases"] == 1
    assert Case.objects.count() == 4
