"""同比 of a period not yet over compares like for like: on 6 December, 1–6 December against
1–6 December a year before, and the prose says so (“截至12月6日”, “较上年同期”)."""

import datetime

from django.utils import timezone

from guangong.activities.tests.conftest import record, types  # noqa: F401  (fixture)
from guangong.core.periods import Period
from guangong.stats import phrasing
from guangong.stats.figures import Figures

ON_6TH = datetime.date(2025, 12, 6)
DECEMBER = Period.month(2025, 12)


def test_an_unfinished_month_is_compared_with_the_same_days_a_year_earlier(
    tree,
    city_admin,
    types,  # noqa: F811
):
    for day in (datetime.date(2024, 12, 3), datetime.date(2024, 12, 20)):
        record(city_admin, tree.county_a, types["talk"], day=day, participants=50)
    for day in (datetime.date(2025, 12, 2), datetime.date(2025, 12, 5)):
        record(city_admin, tree.county_a, types["talk"], day=day, participants=30)

    result = Figures(tree.county_a, DECEMBER, today=ON_6TH).activities
    assert result["period"]["complete"] is False
    assert result["period"]["as_of"] == ON_6TH
    assert result["previous"]["period"] == {
        "from": datetime.date(2024, 12, 1),
        "to": datetime.date(2024, 12, 6),
    }
    # two sessions against the one of 1–6 December 2024 (not the two of all that December)
    assert (result["totals"]["sessions"], result["previous"]["sessions"]) == (2, 1)
    assert result["change"]["sessions"] == 100.0
    assert result["change"]["participants"] == 20.0  # 60 against 50

    over = Figures(tree.county_a, DECEMBER, today=datetime.date(2026, 1, 1)).activities
    assert over["period"]["complete"] is True
    assert over["previous"]["sessions"] == 2 and over["change"]["sessions"] == 0.0

    not_started = Figures(tree.county_a, Period.month(2026, 1), today=ON_6TH).activities
    assert not_started["previous"] is None and not_started["change"]["sessions"] is None

    text = phrasing.bulletin_paragraphs(Figures(tree.county_a, DECEMBER, today=ON_6TH))[0]
    assert text.startswith("12月1日以来（截至12月6日），")
    assert "较上年同期增长100%" in text
    over = Figures(tree.county_a, DECEMBER, today=ON_6TH.replace(2026))
    text = phrasing.bulletin_paragraphs(over)
    assert text[0].startswith("12月1日至12月31日，") and "与上年同期持平" in text[0]


def test_a_summary_of_a_year_not_yet_over_says_to_which_day(tree, city_admin, types):  # noqa: F811
    record(city_admin, tree.county_a, types["training"], day=datetime.date(2025, 3, 2))
    draft = phrasing.draft_summary(Figures(tree.county_a, Period.year(2025), today=ON_6TH))
    assert draft.title.endswith("2025年工作总结")
    text = "".join(p for s in draft.sections for p in s.paragraphs)
    assert "2025年（截至12月6日）" in text
    assert "技能培训、讲座" in text and "/" not in text  # a type's label as prose names it
    assert "新结对0对" not in text


def test_topics_leave_out_the_catch_all_type():
    by_type = [
        {"group": "g", "label": "志愿服务", "sessions": 5},
        {"group": "g", "label": "其他", "sessions": 4},
        {"group": "g", "label": "招聘会", "sessions": 3},
    ]
    assert phrasing._type_phrase(by_type, "g") == "志愿服务、招聘会"


def test_the_statistics_page_says_to_which_day_a_period_is_counted(
    client,
    city_admin,
    tree,
    types,  # noqa: F811
):
    client.force_login(city_admin)
    today = timezone.localdate()
    record(city_admin, tree.city, types["talk"], day=datetime.date(today.year - 1, 1, 2))
    page = client.get("/stats/", {"period": "year"}).content.decode()
    assert f'<span data-testid="as-of">截至{today:%Y-%m-%d}</span>' in page
    assert f"{today.year - 1}-01-01" in page  # compared with the same days of last year
    page = client.get("/stats/", {"period": "last_year"}).content.decode()
    assert 'data-testid="as-of"' not in page
