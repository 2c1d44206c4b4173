"""Where each figure's records are: the list, filtered as the figure counts, that a page or a
drafted document links the figure to (docs/statistics.md, "Tracing a figure").

The lists sum their own rows by the same definitions: the activity ledger shows its totals
for one subtree and period (``activities.totals``), the case list counts the cases opened
in the period, the mentorship list those active (or begun) in it, the coverage page and the
roster count the subtree's units and members.
"""

from urllib.parse import urlencode

from django.urls import reverse

from guangong.core.periods import Period

#: The figures whose rows are activities of the subtree in the period.
ACTIVITY_FIGURES = ("sessions", "participants", "elder_times", "elders_engaged", "service_hours")


def activities_url(org_id: int, period: Period, **more) -> str:
    query = {
        "org": org_id,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
        **more,
    }
    return f"{reverse('activities:activity_list')}?{urlencode(query)}"


def cases_url(org_id: int, period: Period) -> str:
    query = {
        "org": org_id,
        "opened_from": period.start.isoformat(),
        "opened_to": period.end.isoformat(),
    }
    return f"{reverse('care:case_list')}?{urlencode(query)}"


def mentorships_url(org_id: int, period: Period, begun: bool = False) -> str:
    """The mentorships active at some time in the period (``begun``: those begun in it)."""
    names = ("started_from", "started_to") if begun else ("active_from", "active_to")
    query = {"org": org_id, names[0]: period.start.isoformat(), names[1]: period.end.isoformat()}
    return f"{reverse('people:mentorship_list')}?{urlencode(query)}"


def figure_urls(org_id: int, period: Period, group=None) -> dict[str, str]:
    """The list behind each figure of a subtree and period, by the figure's key; with an
    organisation ``group``, the activity list and coverage of its organisations only."""
    chosen = {"org_group": group.pk} if group is not None else {}
    activities = activities_url(org_id, period, **chosen)
    cases = cases_url(org_id, period)
    coverage = {"org": org_id, **({"group": group.pk} if group is not None else {})}
    return {
        **dict.fromkeys(ACTIVITY_FIGURES, activities),
        "cases": cases,
        "people_helped": cases,
        "established": f"{reverse('orgs:coverage')}?{urlencode(coverage)}",
        "positions": f"{reverse('orgs:position_list')}?{urlencode({'org': org_id})}",
        "mentorships": mentorships_url(org_id, period),
        "new_mentorships": mentorships_url(org_id, period, begun=True),
    }
