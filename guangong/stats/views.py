"""The statistics page (统计分析) and the completeness view (未填报组织).

Both show one organisation's subtree, chosen in the tree beside the page (the user's own by
default, anything outside their scope answers 404), read their figures from
``stats.figures`` and export what they show to .xlsx, audited like every export.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from guangong.core.forms import PeriodForm
from guangong.core.pinyin import search_key
from guangong.core.resources import policy_for
from guangong.core.scope import subtree_q
from guangong.core.views import ScopedMixin
from guangong.orggroups.selection import GroupChoiceForm, link_query
from guangong.orgs.models import Organization
from guangong.orgs.views import scope_roots

from . import export
from .activities import silent_organizations
from .figures import Figures
from .forms import WindowForm
from .groups import activities_by_group
from .models import Population

#: Columns of the breakdown by child organisation, by the key of ``?sort=``.
CHILD_SORT_KEYS = (
    "name",
    "sessions",
    "share_sessions",
    "participants",
    "share_participants",
    "elder_times",
    "service_hours",
)


def sort_children(rows: list[dict], sort: str) -> list[dict]:
    """The breakdown in the order ``sort`` asks for (``-`` for descending); tree order else."""
    key = sort.removeprefix("-")
    if key not in CHILD_SORT_KEYS:
        return rows
    if key == "name":
        return sorted(rows, key=lambda r: search_key(r["name"]), reverse=sort.startswith("-"))
    # A stable sort on the tree order: equal figures keep the tree's order.
    return sorted(rows, key=lambda r: r[key], reverse=sort.startswith("-"))


def child_columns(query: dict, current: str) -> list[dict]:
    """The header of the breakdown: for each column, the query that sorts by it (numbers
    largest first; clicking the sorted column again reverses it)."""
    labels = {
        "name": _("Organisation"),
        "sessions": _("Sessions"),
        "share_sessions": _("Share of sessions"),
        "participants": _("Participants"),
        "share_participants": _("Share of participants"),
        "elder_times": _("Elder attendances"),
        "service_hours": _("Service hours"),
    }
    columns = []
    for key in CHILD_SORT_KEYS:
        first = key if key == "name" else f"-{key}"
        reverse = key if first.startswith("-") else f"-{key}"
        aria = "ascending" if current == key else "descending" if current == f"-{key}" else ""
        columns.append(
            {
                "key": key,
                "label": labels[key],
                "num": key != "name",
                "aria": aria,
                "query": urlencode({**query, "sort": reverse if current == first else first}),
            }
        )
    return columns


def default_root(user) -> Organization:
    """The user's own organisation (a superuser without one: the first root)."""
    root = scope_roots(user).first()
    if root is None:
        raise Http404
    return root


def resolve_org(user, value) -> Organization:
    """The organisation asked for, if the user may see it (404 otherwise); else their own."""
    if value in (None, ""):
        return default_root(user)
    return policy_for(Organization).get(user, value)


def change_sign(value: float | None) -> str:
    if value is None:
        return ""
    return "up" if value > 0 else "down" if value < 0 else "flat"


def chart_data(result: dict) -> dict:
    """What charts.js draws, with the labels already translated."""
    return {
        "locale": "ZH" if (get_language() or "").startswith("zh") else "EN",
        "labels": {
            "sessions": _("Sessions"),
            "participants": _("Participants (person-times)"),
        },
        "groups": [
            {"name": g["label"], "value": g["sessions"]}
            for g in result["by_group"]
            if g["sessions"]
        ],
        "types": {
            "names": [t["label"] for t in result["by_type"]],
            "sessions": [t["sessions"] for t in result["by_type"]],
            "participants": [t["participants"] for t in result["by_type"]],
        },
        "months": {
            "names": [m["month"] for m in result["by_month"]],
            "sessions": [m["sessions"] for m in result["by_month"]],
            "participants": [m["participants"] for m in result["by_month"]],
        },
    }


class StatsMixin(ScopedMixin):
    model = Organization
    show_tree = True  # the organisation tree beside the page links back here

    def get_root(self) -> Organization:
        return resolve_org(self.request.user, self.request.GET.get("org"))


class StatisticsView(StatsMixin, TemplateView):
    template_name = "stats/statistics.html"

    def get(self, request, *args, **kwargs):
        root = self.get_root()
        period_data = {k: v for k, v in request.GET.items() if k not in ("group", "by_set")}
        form = PeriodForm(period_data or None, url_names=True)
        choice = GroupChoiceForm(request.GET, user=request.user)
        if (form.is_bound and not form.is_valid()) or (choice.is_bound and not choice.is_valid()):
            presets = [(key, label, False) for key, label, _chosen in form.preset_choices()]
            ctx = self.get_context_data(
                root=root,
                form=form,
                result=None,
                presets=presets,
                choice=choice,
                choice_hidden=self.choice_hidden(root, form),
            )
            return self.render_to_response(ctx, status=400)
        group, group_set = choice.chosen()
        figures = Figures(root, form.get_period(), group=group)
        if request.GET.get("export") == "xlsx":
            lines = None
            if group_set is not None:
                lines = (group_set, activities_by_group(root, figures.period, group_set, group))
            return export.summary_response(request.user, root, figures.activities, group, lines)
        return self.render_to_response(self.page_context(root, form, figures, choice, group_set))

    @staticmethod
    def choice_hidden(root, form) -> list[tuple]:
        """The page's other parameters, kept by the group choice's form."""
        keep = [("org", root.pk)]
        if form.is_bound:
            keep += [(k, form.data[k]) for k in ("period", "from", "to") if form.data.get(k)]
        return keep

    def page_context(self, root, form, figures: Figures, choice, group_set) -> dict:
        result = figures.activities
        group = figures.group
        query = {"org": root.pk}
        if form.preset():
            query["period"] = form.preset()
        else:
            query["from"] = result["period"]["from"].isoformat()
            query["to"] = result["period"]["to"].isoformat()
        query.update(choice.query())
        ledger_dates = {
            "date_from": result["period"]["from"].isoformat(),
            "date_to": result["period"]["to"].isoformat(),
        }
        by_org_group = None
        if group_set is not None:
            period = figures.period
            by_org_group = activities_by_group(root, period, group_set, group)
            for line in by_org_group:
                line["query"] = urlencode(
                    {**ledger_dates, "org": root.pk, **link_query(group, line["slot"])}
                )
        sort = self.request.GET.get("sort", "")
        totals, change = result["totals"], result["change"]
        cards = [
            ("sessions", _("Sessions"), totals["sessions"], change["sessions"]),
            ("participants", _("Participants"), totals["participants"], change["participants"]),
            (
                "elders_engaged",
                _("Elders taking part"),
                totals["elders_engaged"],
                change["elders_engaged"],
            ),
            (
                "service_hours",
                _("Service hours"),
                totals["service_hours"],
                change["service_hours"],
            ),
        ]
        cov = figures.coverage.total
        return self.get_context_data(
            root=root,
            form=form,
            result=result,
            cards=[
                {"key": k, "label": label, "value": v, "change": c, "sign": change_sign(c)}
                for k, label, v, c in cards
            ],
            children=sort_children(result["by_child"], sort),
            sort=sort,
            child_columns=child_columns(query, sort),
            child_query=urlencode(
                {k: v for k, v in {**query, "sort": sort}.items() if k != "org" and v}
            ),
            own=export.own_line(result),
            query=urlencode(query),
            export_query=urlencode({**query, "export": "xlsx"}),
            presets=form.preset_choices(),
            coverage=cov,
            coverage_percent=round(cov.share * 100, 1) if cov.share is not None else None,
            chart_data=chart_data(result),
            has_activity=bool(totals["sessions"]),
            # Each figure links to the ledger rows behind it (the list sums them the same way):
            # those of the chosen organisation group's organisations only, if one is chosen.
            ledger_list=reverse("activities:activity_list"),
            ledger_dates=urlencode({**ledger_dates, **link_query(group)}),
            group=group,
            group_set=group_set,
            by_org_group=by_org_group,
            choice=choice,
            choice_hidden=self.choice_hidden(root, form),
            coverage_query=urlencode({"org": root.pk, **({"group": group.pk} if group else {})}),
            choice_pairs=list(choice.query().items()),
            may_record_population=policy_for(Population).allows_path(
                self.request.user, "write", root.path
            ),
        )


def lineage(orgs: list[Organization], root: Organization) -> dict[int, list[str]]:
    """For each organisation, the names from ``root`` down to its parent (never above root,
    which may lie outside the user's scope)."""
    step = Organization.steplen
    wanted = {org.path[:i] for org in orgs for i in range(len(root.path), len(org.path), step)}
    names: dict[str, str] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        names.update(Organization.objects.filter(path__in=chunk).values_list("path", "name"))
    return {
        org.pk: [names[org.path[:i]] for i in range(len(root.path), len(org.path), step)]
        for org in orgs
    }


class CompletenessView(StatsMixin, TemplateView):
    """Organisations of the subtree whose whole subtree recorded nothing this month/quarter."""

    template_name = "stats/completeness.html"
    per_page = 25

    def get(self, request, *args, **kwargs):
        root = self.get_root()
        form = WindowForm(request.GET if "window" in request.GET else None)
        period = form.get_period()
        silent = silent_organizations(root, period)
        if request.GET.get("export") == "xlsx":
            rows = list(silent)
            return export.completeness_response(
                request.user, root, period, rows, lineage(rows, root)
            )
        total = Organization.objects.filter(subtree_q("path", root.path)).count()
        page = Paginator(silent, self.per_page).get_page(request.GET.get("page"))
        paths = lineage(list(page.object_list), root)
        count = page.paginator.count
        query = {"org": root.pk, "window": form.chosen()}
        return self.render_to_response(
            self.get_context_data(
                root=root,
                form=form,
                period=period,
                page_obj=page,
                rows=[(org, paths[org.pk]) for org in page.object_list],
                silent_count=count,
                total=total,
                share=round(count * 100 / total, 1) if total else None,
                windows=[
                    (k, label, k == form.chosen()) for k, label in form.fields["window"].choices
                ],
                query=urlencode(query),
                export_query=urlencode({**query, "export": "xlsx"}),
            )
        )
