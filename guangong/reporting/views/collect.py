"""The collector's pages: its children's reports for a period with the approver's actions, the
aggregated table and its .xlsx export, marking 未报, and the overdue list of a subtree."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from guangong.audit.services import Action, record
from guangong.core.export import xlsx_response
from guangong.core.resources import policy_for
from guangong.core.scope import requested_org
from guangong.core.views import VerbRequiredMixin
from guangong.orggroups.selection import GroupChoiceForm
from guangong.orgs.models import Organization
from guangong.orgs.views import scope_roots

from ..aggregate import aggregate, overdue
from ..export import aggregate_xlsx
from ..forms import CommentForm
from ..layout import layout, plain
from ..models import Report, ReportForm, ReportStatus, ReportValue
from ..periods import period_containing, period_starting
from ..services import approval, chain
from .reports import STATUS_BADGES, periods_of, safe_next


def collecting_org(request) -> Organization:
    """The organisation named by ``?org=`` (404 outside the user's scope), else the user's own
    (or, for a user without one, the top of their scope)."""
    org = requested_org(request, Organization.objects) or scope_roots(request.user).first()
    if org is None:
        raise Http404
    return org


class CollectMixin(VerbRequiredMixin):
    """The form, the collecting organisation and the period a collector's page is about."""

    def setup_collect(self, request, pk):
        forms = ReportForm.objects.select_related("owner")
        self.form = policy_for(ReportForm).get(request.user, pk, "read", forms)
        self.org = collecting_org(request)
        today = timezone.localdate()
        self.choices = [p for p in periods_of(self.form, today, 6) if p.start <= today]
        raw = request.GET.get("period") or request.POST.get("period") or ""
        if raw:
            try:
                self.period = period_starting(
                    self.form.period_type, datetime.date.fromisoformat(raw)
                )
            except ValueError as exc:
                raise Http404 from exc
        else:
            ended = [p for p in self.choices if p.end < today]
            self.period = ended[0] if ended else period_containing(self.form.period_type, today)
        # The organisation group counted and the set broken down by (None, None if invalid).
        self.choice = GroupChoiceForm(request.GET, user=request.user)
        self.group, self.by_set = self.choice.chosen()

    def choice_invalid(self) -> bool:
        return self.choice.is_bound and not self.choice.is_valid()

    def query(self) -> str:
        query = {"org": self.org.pk, "period": self.period.start.isoformat()}
        return "?" + urlencode({**query, **self.choice.query()})


def group_table(result, sections) -> list[dict] | None:
    """The numeric items' totals by the groups of the chosen set: ``[{item, cells}]`` with a
    cell per group (then 未分组) and the total (None without a set)."""
    if not result.by_group:
        return None
    rows = []
    for section in sections:
        for row in section.rows:
            if not row.item.numeric:
                continue
            cells = [line.totals.get(row.item.pk) for line in result.by_group]
            rows.append(
                {"item": row.item, "cells": [plain(c) if c is not None else "" for c in cells]}
            )
    return rows


class CollectView(CollectMixin, TemplateView):
    template_name = "reporting/collect.html"

    def get(self, request, *args, **kwargs):
        self.setup_collect(request, kwargs["pk"])
        if self.choice_invalid():
            ctx = {
                "form": self.form,
                "org": self.org,
                "period": self.period,
                "choices": self.choices,
                "result": None,
                "choice": self.choice,
                "choice_hidden": self.choice_hidden(),
            }
            return self.render_to_response(ctx, status=400)
        return super().get(request, *args, **kwargs)

    def choice_hidden(self) -> list[tuple]:
        return [("org", self.org.pk), ("period", self.period.start.isoformat())]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        result = aggregate(self.form, self.org, self.period, self.group, self.by_set)
        today = timezone.localdate()
        approvers = policy_for(Report)
        lines = []
        for line in result.children:
            report = line.report
            probe = report or Report(form=self.form, organization=line.organization)
            approver = approvers.allows_path(user, "approve", line.organization.path, probe)
            status = line.status
            lines.append(
                {
                    "line": line,
                    "badge": STATUS_BADGES.get(status, ""),
                    "late": not line.on_time
                    and status != ReportStatus.NOT_REPORTED
                    and ((report and report.submitted_at) or result.due < today),
                    "can_approve": approver and status == ReportStatus.SUBMITTED,
                    "can_unlock": approver
                    and status in (ReportStatus.APPROVED, ReportStatus.NOT_REPORTED),
                    "can_mark": approver
                    and status in ("", ReportStatus.DRAFT, ReportStatus.RETURNED),
                }
            )
        sections = layout(self.form)
        for section in sections:
            for row in section.rows:
                total = result.totals.get(row.item.pk)
                row.entered = plain(total) if total is not None else ""
        ctx.update(
            {
                "form": self.form,
                "org": self.org,
                "period": self.period,
                "choices": self.choices,
                "result": result,
                "lines": lines,
                "sections": sections,
                "late": [
                    c
                    for c in result.children
                    if not c.on_time and c.report and c.report.submitted_at
                ],
                "comment_form": CommentForm(),
                "batch": any(line["can_approve"] for line in lines),
                "here": self.request.get_full_path(),
                "export_url": reverse("reporting:collect_export", args=[self.form.pk])
                + self.query(),
                "own_url": self.own_report_url(),
                "choice": self.choice,
                "choice_hidden": self.choice_hidden(),
                "choice_pairs": list(self.choice.query().items()),
                "group_table": group_table(result, sections),
                "by_set": self.by_set,
            }
        )
        return ctx

    def own_report_url(self) -> str:
        if not chain.is_reporter(self.form, self.org):
            return ""
        return (
            reverse("reporting:file", args=[self.form.pk, self.period.start.isoformat()])
            + f"?org={self.org.pk}"
        )


class CollectExportView(CollectMixin, View):
    """The aggregated table as .xlsx in the form's layout, with a sheet of each child's values."""

    def get(self, request, pk):
        self.setup_collect(request, pk)
        if self.choice_invalid():
            errors = [str(e) for field in self.choice.errors.values() for e in field]
            return HttpResponseBadRequest(
                " ".join(errors), content_type="text/plain; charset=utf-8"
            )
        result = aggregate(self.form, self.org, self.period, self.group, self.by_set)
        approved = [c.report for c in result.children if c.status == ReportStatus.APPROVED]
        values = {}
        for report_id, item_id, value, text in ReportValue.objects.filter(
            report__in=approved
        ).values_list("report_id", "item_id", "value", "text"):
            values[(report_id, item_id)] = value if value is not None else text
        content = aggregate_xlsx(result, layout(self.form), values)
        name = f"{self.form.name}-{self.org.name}-{self.period.label}"
        record(
            request.user,
            Action.EXPORT,
            self.form,
            org_path=self.org.path,
            message=_("%(name)s: aggregated table of %(n)d reports")
            % {"name": name, "n": len(approved)},
        )
        return xlsx_response(name, content)


class NotReportedView(CollectMixin, View):
    """未报: the approver records that a child will not file for the period, and why."""

    verb = "approve"

    def post(self, request, pk):
        self.setup_collect(request, pk)
        child = policy_for(Organization).get(request.user, request.POST.get("child"))
        form = CommentForm(request.POST)
        back = safe_next(request, reverse("reporting:collect", args=[pk]) + self.query())
        if not form.is_valid():
            messages.error(request, _("Give the reason the report is missing."))
            return HttpResponseRedirect(back)
        try:
            approval.mark_not_reported(
                request.user, self.form, child, self.period.start, form.cleaned_data["comment"]
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                messages.error(request, message)
        else:
            messages.success(request, _("%(org)s marked not reported.") % {"org": child.name})
        return HttpResponseRedirect(back)


class BatchApproveView(CollectMixin, View):
    """批量审核: approve the submitted reports the approver ticked on the collect page, each on
    its own (``approval.approve_each``): one that cannot be approved is named with the reason,
    the others stay approved."""

    verb = "approve"

    def post(self, request, pk):
        self.setup_collect(request, pk)
        back = safe_next(request, reverse("reporting:collect", args=[pk]) + self.query())
        ids = sorted({int(v) for v in request.POST.getlist("report") if v.isdigit()})
        if not ids:
            messages.error(request, _("Tick the reports you have checked first."))
            return HttpResponseRedirect(back)
        rows = Report.objects.filter(pk__in=ids, form=self.form)
        found = policy_for(Report).instances(request.user, "read", rows)
        reports = list(found.select_related("form", "organization").order_by("organization__path"))
        done, refused = approval.approve_each(request.user, reports, "")
        if done:
            messages.success(
                request,
                _("Approved %(n)d reports: %(orgs)s.")
                % {"n": len(done), "orgs": "、".join(r.organization.name for r in done)},
            )
        for report, reason in refused:
            messages.error(
                request,
                _("Not approved: %(org)s — %(reason)s")
                % {"org": report.organization.name, "reason": reason},
            )
        if len(reports) < len(ids):
            messages.error(request, _("Some of the reports ticked no longer exist."))
        return HttpResponseRedirect(back)


class OverdueView(VerbRequiredMixin, TemplateView):
    """Reports of a subtree past their due date and not yet received."""

    template_name = "reporting/overdue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        root = collecting_org(self.request)
        rows = []
        for entry in overdue(root):
            collector = chain.collector_of(entry.form, entry.organization)
            rows.append(
                {
                    "entry": entry,
                    "status": ReportStatus(entry.status).label if entry.status else _("Not opened"),
                    "days": (timezone.localdate() - entry.due).days,
                    "collect_url": reverse("reporting:collect", args=[entry.form.pk])
                    + f"?org={collector.pk}&period={entry.period.start.isoformat()}"
                    if collector.path.startswith(self.request.user.scope_path or "")
                    else "",
                }
            )
        ctx["root"] = root
        ctx["rows"] = rows
        return ctx
