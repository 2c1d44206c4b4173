"""Each metric a form may use returns what the statistics layer (or a plain count) says."""

import datetime

from guangong.care.tests.conftest import open_case
from guangong.core.periods import Period
from guangong.core.scope import subtree_q
from guangong.dicts.models import DictItem, DictKind
from guangong.people.models import Elder, Mentorship, Youth
from guangong.reporting import metrics
from guangong.reporting.periods import period_starting
from guangong.stats import activities as activity_stats
from guangong.stats.coverage import coverage

from .test_chain import talk

Q1 = period_starting("quarter", datetime.date(2026, 1, 1))


def test_every_metric_matches_its_source(tree, people, city_admin, a_revealer):
    talk(city_admin, tree.township, datetime.date(2026, 2, 3), 120)
    open_case(a_revealer, people["county_a"], "助学", opened_on=datetime.date(2026, 2, 1))
    span = Period(Q1.start, Q1.end)
    for org in (tree.city, tree.county_a, tree.township):
        summary = activity_stats.summary(org, span, compare=False)["totals"]
        assert metrics.compute("activity_sessions", org, Q1) == summary["sessions"]
        assert metrics.compute("activity_participants", org, Q1) == summary["participants"]
        assert metrics.compute("elders_engaged", org, Q1) == summary["elders_engaged"]
        in_subtree = subtree_q("organization__path", org.path)
        assert metrics.compute("elders", org, Q1) == Elder.objects.filter(in_subtree).count()
        assert metrics.compute("youth", org, Q1) == Youth.objects.filter(in_subtree).count()
        assert (
            metrics.compute("mentorships", org, Q1) == Mentorship.objects.filter(in_subtree).count()
        )
        cov = coverage(org, include_children=False).total
        assert metrics.compute("committees", org, Q1) == cov.established
    assert metrics.compute("cases", tree.city, Q1) == 1
    kind = DictItem.objects.get(kind=DictKind.CASE_KIND, label="助学")
    assert metrics.compute("cases", tree.city, Q1, str(kind.pk)) == 1
    assert metrics.compute("cases", tree.county_b, Q1) == 0
    teacher = DictItem.objects.get(kind=DictKind.ELDER_CATEGORY, label="老教师")
    assert metrics.compute("elders", tree.city, Q1, str(teacher.pk)) == 3


def test_parameters_offered_are_the_ones_accepted(db):
    for metric in metrics.METRICS.values():
        for value, _label in metrics.param_choices(metric.param):
            assert metrics.valid_param(metric, value)
        assert not metrics.valid_param(metric, "nonsense") or metric.param == ""
