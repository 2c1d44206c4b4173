"""The genre's rounding and comparisons."""

from decimal import Decimal

import pytest

from guangong.stats import phrasing


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (65, "65"),
        (99, "99"),
        (100, "100"),
        (703, "700余"),
        (830, "830"),
        (834, "830余"),
        (6213, "6200余"),
        (6200, "6200"),
        (9999, "9900余"),
        (10000, "1万"),
        (62130, "6.2万余"),
        (1234567, "123.4万余"),
        (Decimal("12.5"), "12.5"),  # below 100 exact: never “12余小时”
        (Decimal("93.25"), "93.3"),
    ],
)
def test_approx(n, text):
    assert phrasing.approx(n) == text


@pytest.mark.parametrize(
    ("now", "before", "text"),
    [
        (150, 100, "同比增长50%"),
        (70, 80, "同比下降12.5%"),
        (5, 5, "与上年同期持平"),
        (5, 0, ""),
        (5, None, ""),
    ],
)
def test_change(now, before, text):
    assert phrasing.change(now, before) == text


def test_money_and_series():
    assert phrasing.money(Decimal("36000")) == "3.6万元"
    assert phrasing.money(Decimal("8500.4")) == "8500元"
    assert phrasing.series([(8, "园区"), (0, "学校"), (19, "国有企业")]) == "8个园区、19个国有企业"
    assert phrasing.share(5, 8) == "62.5%"
