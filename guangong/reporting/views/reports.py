"""Report pages: 我的报表, one report in its form's layout, and the approver's actions on it.

A report is seen by users whose subtree holds its organisation (404 otherwise) and changed
only through ``services``: values are saved all or nothing, with a Chinese message beside each
refused item.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from guangong.core.ids import parse_id
from guangong.core.periods import Period
from guangong.core.resource_views import ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import VerbRequiredMixin
from guangong.orgs.models import Organization

from .. import metrics
from ..forms import CommentForm
from ..layout import layout
from ..models import ItemKind, Report, ReportForm, ReportStatus
from ..periods import period_containing, period_starting, recent
from ..services import approval, chain, filing

#: What each event of a report's history reads as.
EVENT_LABELS = {
    "open": gettext_lazy("Opened"),
    "refresh": gettext_lazy("Recomputed"),
    "submit": gettext_lazy("Submitted"),
    "submit_refresh": gettext_lazy("Recomputed on submission"),
    "return": gettext_lazy("Returned"),
    "approve": gettext_lazy("Approved"),
    "unlock": gettext_lazy("Unlocked"),
    "not_reported": gettext_lazy("Marked not reported"),
}

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)

STATUS_BADGES = {
    ReportStatus.DRAFT: "text-bg-secondary",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.APPROVED: "text-bg-success",
    ReportStatus.RETURNED: "text-bg-warning",
    ReportStatus.NOT_REPORTED: "text-bg-dark",
}


def periods_of(form: ReportForm, today: datetime.date, count: int = 4) -> list[Period]:
    """The current period and the last ``count`` ended ones, newest first, from the form's
    first period on."""
    first = form.first_period().start
    current = period_containing(form.period_type, today)
    out = [current, *recent(form.period_type, today, count)]
    return [p for p in out if p.start >= first]


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def report_forms_for(user, org: Organization):
    """The active forms ``org`` files, among those the user sees."""
    forms = ReportForm.objects.visible_to(user).filter(active=True).select_related("owner")
    return [f for f in forms if chain.is_reporter(f, org)]


def collected_forms(user, org: Organization):
    """The forms whose reports ``org`` collects (it owns them, or reporters sit below it)."""
    forms = ReportForm.objects.visible_to(user).filter(active=True).select_related("owner")
    out = []
    for form in forms:
        if form.owner_id == org.pk or chain.is_reporter(form, org):
            children = chain.reporting_children(form, org)
            if children:
                out.append((form, len(children)))
    return out


class MyReportsView(VerbRequiredMixin, TemplateView):
    """我的报表: each form the user's organisation files, with its recent periods."""

    template_name = "reporting/my_reports.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org = user.organization
        today = timezone.localdate()
        rows = []
        if org is not None:
            for form in report_forms_for(user, org):
                periods = periods_of(form, today)
                existing = {
                    r.period_start: r
                    for r in Report.objects.filter(
                        form=form, organization=org, period_start__in=[p.start for p in periods]
                    )
                }
                lines = []
                for period in periods:
                    report = existing.get(period.start)
                    due = period.due(form.due_days)
                    lines.append(
                        {
                            "period": period,
                            "due": due,
                            "report": report,
                            "badge": STATUS_BADGES.get(report.status, "") if report else "",
                            "late": due < today and (report is None or report.status in EDITABLE),
                            "url": report.get_absolute_url()
                            if report
                            else reverse("reporting:file", args=[form.pk, period.start]),
                        }
                    )
                rows.append({"form": form, "lines": lines})
            ctx["collected"] = collected_forms(user, org)
        ctx["org"] = org
        ctx["rows"] = rows
        ctx["can_edit"] = policy_for(Report).may(user, "write")
        ctx["can_design"] = policy_for(ReportForm).may(user, "write")
        return ctx


class FileView(VerbRequiredMixin, View):
    """The report of the user's organisation for one period: shown if it exists, else offered
    to be opened (prefilled from the ledgers)."""

    def dispatch(self, request, *args, **kwargs):
        self.form = policy_for(ReportForm).get(request.user, kwargs["form"])
        org_id = parse_id(request.GET.get("org") or request.POST.get("org"))
        if org_id:
            self.org = policy_for(Organization).get(request.user, org_id)
        elif request.user.organization is not None:
            self.org = request.user.organization
        else:
            raise Http404
        try:
            self.period = period_starting(
                self.form.period_type, datetime.date.fromisoformat(kwargs["start"])
            )
        except ValueError as exc:
            raise Http404 from exc
        return super().dispatch(request, *args, **kwargs)

    def existing(self):
        return Report.objects.filter(
            form=self.form, organization=self.org, period_start=self.period.start
        ).first()

    def get(self, request, *args, **kwargs):
        report = self.existing()
        if report is not None:
            return HttpResponseRedirect(report.get_absolute_url())
        return render(
            request,
            "reporting/file.html",
            {
                "form": self.form,
                "org": self.org,
                "period": self.period,
                "due": self.period.due(self.form.due_days),
                "can_edit": policy_for(Report).may(request.user, "write"),
            },
        )

    def post(self, request, *args, **kwargs):
        try:
            report = filing.open_report(request.user, self.form, self.org, self.period.start)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(reverse("reporting:my_reports"))
        return HttpResponseRedirect(report.get_absolute_url())


def split_errors(exc: ValidationError) -> tuple[dict[str, str], list[str]]:
    """Item errors by code, and the rest."""
    by_code: dict[str, str] = {}
    general: list[str] = []
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            by_code[key] = errors[0]
    else:
        general.extend(exc.messages)
    return by_code, general


class ReportDetailView(ResourceMixin, VerbRequiredMixin, View):
    """One report in its form's layout: enter, save, recompute, submit; the history; and, for
    the approver, approve, return and unlock."""

    template_name = "reporting/report_detail.html"

    def get_report(self) -> Report:
        qs = Report.objects.select_related("form", "form__owner", "organization", "approved_by")
        return self.resource.policy.get(self.request.user, self.kwargs["pk"], "read", qs)

    def get(self, request, *args, **kwargs):
        report = self.get_report()
        return self.render(report, layout(report.form, self.stored(report)))

    def stored(self, report):
        return {v.item_id: v for v in report.values.all()}

    def post(self, request, *args, **kwargs):
        report = self.get_report()
        action = request.POST.get("action", "save")
        sections = layout(report.form, self.stored(report))
        data, overrides = self.read_values(sections)
        try:
            if action == "refresh":
                filing.refresh(request.user, report)
                done = _("The computed items were recomputed.")
            elif action == "submit":
                filing.save_and_submit(request.user, report, data, overrides)
                done = _("The report was submitted.")
            else:
                filing.save_values(request.user, report, data, overrides)
                done = _("Saved.")
        except ValidationError as exc:
            by_code, general = split_errors(exc)
            for section in sections:
                for row in section.rows:
                    row.error = by_code.pop(row.item.code, "")
            general.extend(by_code.values())
            return self.render(report, sections, errors=general, status=400)
        messages.success(request, done)
        return HttpResponseRedirect(report.get_absolute_url())

    def read_values(self, sections):
        """What was posted, by item code; typed values stay on the rows for a second look."""
        data, overrides = {}, {}
        for section in sections:
            for row in section.rows:
                item = row.item
                raw = self.request.POST.get(row.input_name, "")
                if item.kind == ItemKind.COMPUTED:
                    if not item.overridable:
                        continue
                    row.override = row.override_name in self.request.POST
                    overrides[item.code] = row.override
                    if row.override:
                        data[item.code] = raw
                        row.entered = raw
                else:
                    data[item.code] = raw
                    row.entered = raw
        return data, overrides

    def render(self, report, sections, errors=(), status=200):
        user = self.request.user
        events = list(report.events.all())
        period = filing.period_of(report)
        for section in sections:  # each computed figure opens the records it counts
            for row in section.rows:
                if row.computed:
                    row.records_url = metrics.records_url(
                        row.item.metric, report.organization_id, period, row.item.metric_param
                    )
        approver = policy_for(Report).allows(user, "approve", report)
        returns = [e.comment for e in events if e.action == "return" and e.comment]
        ctx = {
            # A returned report says why first (the latest return's comment).
            "return_reason": (returns[-1] if returns else report.note)
            if report.status == ReportStatus.RETURNED
            else "",
            "report": report,
            "form": report.form,
            "sections": sections,
            "errors": errors,
            "period": filing.period_of(report),
            "due": filing.period_of(report).due(report.form.due_days),
            "can_edit": report.editable and policy_for(Report).allows(user, "write", report),
            "can_approve": approver and report.status == ReportStatus.SUBMITTED,
            "can_unlock": approver and report.locked,
            "comment_form": CommentForm(),
            "events": [(e, EVENT_LABELS.get(e.action, e.action)) for e in events],
            "changed_on_submit": changed_on_submit(report, events),
            "badge": STATUS_BADGES.get(report.status, ""),
            "collector": chain.collector_of(report.form, report.organization),
            "collect_url": self.collect_url(report),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def collect_url(self, report) -> str:
        if not chain.reporting_children(report.form, report.organization):
            return ""
        return (
            reverse("reporting:collect", args=[report.form_id])
            + f"?org={report.organization_id}&period={report.period_start.isoformat()}"
        )


def changed_on_submit(report: Report, events: list) -> list[str]:
    """The computed items the last submission changed (“label: old → new”), while the report
    is submitted or approved."""
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        return []
    for event in reversed(events):
        if event.action == "submit_refresh":
            return event.comment.split("；")
        if event.action == "submit":
            continue
        if event.action in ("open", "refresh", "return", "unlock"):
            return []
    return []


class ReportActionView(VerbRequiredMixin, View):
    """Approve, return (with a comment) or unlock (with a reason) one report."""

    verb = "approve"
    action = None

    def post(self, request, pk):
        report = policy_for(Report).get(request.user, pk)
        approval.ensure_approver(request.user, report)  # 403 before the comment is read
        form = CommentForm(request.POST, required=self.action != "approve")
        back = safe_next(request, report.get_absolute_url())
        if not form.is_valid():
            messages.error(request, self.missing_comment())
            return HttpResponseRedirect(back)
        comment = form.cleaned_data["comment"]
        try:
            if self.action == "approve":
                approval.approve(request.user, report, comment)
                messages.success(request, _("Approved: %(report)s.") % {"report": label(report)})
            elif self.action == "return":
                approval.return_report(request.user, report, comment)
                messages.success(request, _("Returned: %(report)s.") % {"report": label(report)})
            else:
                approval.unlock(request.user, report, comment)
                messages.success(request, _("Unlocked: %(report)s.") % {"report": label(report)})
        except (ValidationError, PermissionDenied) as exc:
            text = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            for message in text:
                messages.error(request, message)
        return HttpResponseRedirect(back)

    def missing_comment(self) -> str:
        if self.action == "return":
            return _("Say what must be corrected.")
        if self.action == "unlock":
            return _("Give the reason for unlocking.")
        return _("The comment is too long.")


def label(report: Report) -> str:
    return f"{report.organization.name} {filing.period_of(report).label}"


def report_notices(user) -> list[dict]:
    """The home page's notices: what the user's organisation must still file, with links."""
    from ..aggregate import notices

    today = timezone.localdate()
    out = []
    for notice in notices(user, today):
        existing = Report.objects.filter(
            form=notice.form, organization=notice.organization, period_start=notice.period.start
        ).first()
        out.append(
            {
                "notice": notice,
                "overdue": notice.due < today,
                "url": existing.get_absolute_url()
                if existing
                else reverse("reporting:file", args=[notice.form.pk, notice.period.start]),
            }
        )
    return out
