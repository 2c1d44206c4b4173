"""The mentorship figures of a drafted summary and of a report's computed items open the
mentorship list, filtered so that it has as many rows as the figure: those active at some time
in the period (现有结对), and those begun in it (新结对)."""

import datetime

import pytest

from guangong.core.periods import Period
from guangong.reporting import metrics
from guangong.stats import people as people_stats
from guangong.stats.trace import figure_urls

from .pivot_world import more_mentorships

PERIODS = [
    Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    Period(datetime.date(2025, 1, 1), datetime.date(2025, 1, 1)),
    Period(datetime.date(2025, 12, 31), datetime.date(2026, 6, 30)),
    Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
]


@pytest.fixture
def mentorships(tree, city_admin, categories):
    more_mentorships(city_admin, tree, categories)
    return tree


def rows(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["table"].paginator.count


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_each_mentorship_figure_opens_as_many_mentorships(mentorships, city_admin, client, period):
    client.force_login(city_admin)
    for org in (mentorships.city, mentorships.county_a, mentorships.enterprise):
        urls = figure_urls(org.pk, period)
        active = people_stats.mentorships_active(org, period)
        begun = people_stats.mentorships_new(org, period)
        assert (rows(client, urls["mentorships"]), rows(client, urls["new_mentorships"])) == (
            active,
            begun,
        )
        assert metrics.records_url("mentorships", org.pk, period) == urls["mentorships"]
    # The figures differ from each other somewhere, so the two filters are not the same one.
    assert any(
        people_stats.mentorships_active(mentorships.city, p)
        != people_stats.mentorships_new(mentorships.city, p)
        for p in PERIODS
    )


def test_a_summary_links_its_mentorship_figures_and_not_its_zeros(mentorships, city_admin):
    from guangong.documents import services
    from guangong.documents.views.summaries import figures_of

    city = mentorships.city
    period = Period(datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    assert people_stats.mentorships_new(city, period) == 0  # active ones, none begun
    summary = services.create_summary(city_admin, mentorships.city, period)
    shown = {label: (value, url) for label, value, url in figures_of(summary)}
    active, begun = shown["在帮结对数"], shown["新结对"]
    assert int(active[0]) == people_stats.mentorships_active(mentorships.city, period) > 0
    assert active[1] == figure_urls(mentorships.city.pk, period)["mentorships"]
    assert (begun[0], begun[1]) == ("0", None)
