"""The analysis pages (统计分析 · 交叉表, 分布): the pivot and the distributions of one subtree,
with a chart, an .xlsx export (audited) and a link that asks the same again.

The query string is the API's (``stats.pivot_table.PARAMS``): what the page shows is what
``/api/stats/pivot/`` answers for the same link.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from guangong.audit.services import Action, record
from guangong.core.export import build_workbook, xlsx_response
from guangong.orggroups.models import GroupSet
from guangong.orgs.models import Kind

from .distribution import OF, distribution, parse_bins
from .pivot import MEASURES, PivotError
from .pivot_links import links
from .pivot_sources import DIMENSIONS
from .pivot_table import PARAMS, as_table, parse, run
from .views import StatsMixin


def _period_text(table: dict) -> str:
    period = table["period"]
    return f"{period['from']:%Y-%m-%d}—{period['to']:%Y-%m-%d}"


def pivot_workbook(table: dict) -> bytes:
    heading = table["rows"]["label"]
    if table["cols"]:
        heading = f"{heading} \\ {table['cols']['label']}"
    cols = [c["label"] for c in table["col_headers"]]
    headers = [heading, *cols, _("Total")]
    if any(r["share"] is not None for r in table["row_headers"]):
        headers.append(_("Share (%)"))
    rows = []
    for header, cells in zip(table["row_headers"], table["cells"], strict=True):
        line = [header["label"], *cells, header["total"]]
        if len(headers) > len(cols) + 2:
            line.append(header["share"])
        rows.append(line)
    rows.append([_("Total"), *(c["total"] for c in table["col_headers"]), table["total"]])
    return build_workbook([(table["measure"]["label"], headers, rows)], widths=(28,))


class AnalysisMixin(StatsMixin):
    def choices(self, root, params) -> dict:
        user = self.request.user
        return {
            "measures": [(k, str(m.label)) for k, m in MEASURES.items()],
            "dimensions": [(k, str(d.label)) for k, d in DIMENSIONS.items()],
            "kinds": Kind.choices,
            "sets": list(
                GroupSet.objects.visible_to(user).order_by("name").values_list("pk", "name")
            ),
            "chosen": {k: params.get(k, "") for k in PARAMS},
        }


class PivotPageView(AnalysisMixin, TemplateView):
    template_name = "stats/pivot.html"

    def get(self, request, *args, **kwargs):
        root = self.get_root()
        params = request.GET
        ctx = {"root": root, **self.choices(root, params)}
        try:
            query = parse(request.user, params)
        except PivotError as exc:
            ctx["error"] = exc.message
            return self.render_to_response(self.get_context_data(**ctx), status=400)
        except Http404:
            raise
        result = run(root, query)
        table = as_table(result, links(result, request.user, query.filters))
        link = {k: params[k] for k in PARAMS if params.get(k)}
        link["org"] = root.pk
        if params.get("export") == "xlsx":
            name = _("%(measure)s of %(org)s %(period)s") % {
                "measure": table["measure"]["label"],
                "org": root.name,
                "period": _period_text(table),
            }
            record(request.user, Action.EXPORT, root, message=name)
            return xlsx_response(name, pivot_workbook(table))
        ctx.update(
            table=table,
            rows=[
                (header, list(zip(cells, urls, strict=True)))
                for header, cells, urls in zip(
                    table["row_headers"], table["cells"], table["records_urls"], strict=True
                )
            ],
            query=urlencode(link),
            export_query=urlencode({**link, "export": "xlsx"}),
            chart={
                "rows": [r["label"] for r in table["row_headers"]],
                "cols": [c["label"] for c in table["col_headers"]],
                "cells": table["cells"],
                "totals": [r["total"] for r in table["row_headers"]],
                "measure": table["measure"]["label"],
                "decimals": table["measure"]["decimals"],
                # Bars stack only where the cells add up to the row's total: not different
                # elders (counted once a year, not once a quarter), not a team column.
                "stacked": result.measure.additive
                and not any(DIMENSIONS[d].multi for d in result.dims),
            },
        )
        return self.render_to_response(self.get_context_data(**ctx))


class DistributionPageView(AnalysisMixin, TemplateView):
    template_name = "stats/distribution.html"

    def get(self, request, *args, **kwargs):
        root = self.get_root()
        params = request.GET
        ctx = {"root": root, "of_choices": list(OF.items()), **self.choices(root, params)}
        ctx["chosen"].update(of=params.get("of", "teams"), bins=params.get("bins", ""))
        try:
            query = parse(request.user, {**params.dict(), "measure": "organizations"})
            result = distribution(
                root,
                params.get("of") or "teams",
                query.period,
                query.filters.kind,
                parse_bins(params.get("bins")),
            )
        except PivotError as exc:
            ctx["error"] = exc.message
            return self.render_to_response(self.get_context_data(**ctx), status=400)
        ctx.update(
            result=result,
            chart={
                "rows": [b["label"] for b in result["buckets"]],
                "cols": [],
                "cells": [],
                "totals": [b["organizations"] for b in result["buckets"]],
                "measure": str(_("Organisations")),
            },
        )
        return self.render_to_response(self.get_context_data(**ctx))
