"""The statistics as spreadsheets: one sheet per table, Chinese headers, audited.

Cells go through ``core.export.safe_cell`` (an organisation named "=…" never becomes a
formula); every export writes an audit record naming the organisation, the period and what was
exported, as the list pages' exports do.
"""

from django.utils.translation import gettext as _

from guangong.audit.services import Action, record
from guangong.core.export import Sheet, build_workbook, xlsx_response
from guangong.core.periods import Period
from guangong.orgs.models import Organization


def _period_text(period: Period) -> str:
    return f"{period.start:%Y-%m-%d}—{period.end:%Y-%m-%d}"


def _figures(line: dict) -> list:
    return [line["sessions"], line["participants"], line["elder_times"], line["service_hours"]]


def figure_headers() -> list[str]:
    return [
        _("Sessions"),
        _("Participants (person-times)"),
        _("Elder attendances (person-times)"),
        _("Service hours"),
    ]


def own_line(result: dict) -> dict:
    """What the organisation recorded itself: its subtree's totals less its children's."""
    totals = result["totals"]
    own = {
        key: totals[key] - sum(line[key] for line in result["by_child"])
        for key in ("sessions", "participants", "elder_times", "service_hours")
    }
    for key, of in (("share_sessions", "sessions"), ("share_participants", "participants")):
        own[key] = round(own[of] * 100 / totals[of], 1) if totals[of] else 0.0
    return own


def summary_sheets(result: dict) -> list[Sheet]:
    """The breakdown by child organisation, by type, by group and by month."""
    figures = figure_headers()
    totals = result["totals"]
    children = [
        [
            line["name"],
            *_figures(line),
            line["share_sessions"],
            line["share_participants"],
        ]
        for line in result["by_child"]
    ]
    types = [[line["label"], *_figures(line)] for line in result["by_type"]]
    groups = [[line["label"], *_figures(line)] for line in result["by_group"]]
    months = [
        [line["month"], *_figures(line), line["elders_engaged"]] for line in result["by_month"]
    ]
    total_row = [_("Total"), *_figures(totals)]
    own = own_line(result)
    if own["sessions"]:
        children.append(
            [
                _("%(org)s itself") % {"org": result["organization"]["name"]},
                *_figures(own),
                own["share_sessions"],
                own["share_participants"],
            ]
        )
    return [
        (
            _("By subordinate organisation"),
            [
                _("Organisation"),
                *figures,
                _("Share of sessions (%)"),
                _("Share of participants (%)"),
            ],
            [
                *children,
                [
                    *total_row,
                    100.0 if totals["sessions"] else 0.0,
                    100.0 if totals["participants"] else 0.0,
                ],
            ],
        ),
        (_("By activity type"), [_("Activity type"), *figures], [*types, total_row]),
        (_("By statistical group"), [_("Statistical group"), *figures], [*groups, total_row]),
        (_("By month"), [_("Month"), *figures, _("Elders taking part")], months),
    ]


def group_sheet(group_set, lines: list[dict]) -> Sheet:
    """The breakdown by the groups of one set (``stats.groups.activities_by_group``)."""
    rows = [[line["label"], *_figures(line), line["elders_engaged"]] for line in lines]
    title = f"{_('By group')} {group_set.name}"
    return (
        "".join(c for c in title if c not in "[]:*?/\\"),
        [_("Group"), *figure_headers(), _("Elders taking part")],
        rows,
    )


def summary_response(user, org: Organization, result: dict, group=None, by_group=None):
    """``group``: the organisation group counted (named in the file's name); ``by_group``:
    ``(group set, lines)`` of the breakdown by a set, as one more sheet."""
    period = Period(result["period"]["from"], result["period"]["to"])
    name = _("Statistics of %(org)s %(period)s") % {"org": org.name, "period": _period_text(period)}
    if group is not None:
        name = f"{name} {group.group_set.name}-{group.name}"
    sheets = summary_sheets(result)
    if by_group is not None:
        sheets.append(group_sheet(*by_group))
    content = build_workbook(sheets)
    record(
        user,
        Action.EXPORT,
        org,
        message=_("%(name)s: %(n)d subordinate organisations, %(t)d activity types")
        % {"name": name, "n": len(result["by_child"]), "t": len(result["by_type"])},
    )
    return xlsx_response(name, content)


def completeness_response(
    user, root: Organization, period: Period, rows: list, paths: dict[int, list[str]]
):
    name = _("Organisations without activities, %(org)s %(period)s") % {
        "org": root.name,
        "period": _period_text(period),
    }
    headers = [_("Organisation"), _("Kind"), _("Parent organisation"), _("Path")]
    lines = [
        [
            org.name,
            org.get_kind_display(),
            paths[org.pk][-1] if paths[org.pk] else "",
            " / ".join(paths[org.pk]),
        ]
        for org in rows
    ]
    content = build_workbook([(_("Without activities"), headers, lines)])
    record(
        user,
        Action.EXPORT,
        root,
        message=_("%(name)s: %(n)d rows") % {"name": name, "n": len(rows)},
    )
    return xlsx_response(name, content)
