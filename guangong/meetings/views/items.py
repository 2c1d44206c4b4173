"""An action item's page and its actions (progress reported, closure asked for, approved or
returned), and the 督办 table of a subtree with its export."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from guangong.audit.services import Action, record
from guangong.core import export
from guangong.core.forms import PeriodForm
from guangong.core.ids import parse_id
from guangong.core.resource_views import ResourceDetailView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.scope import requested_org, subtree_q
from guangong.core.views import VerbRequiredMixin
from guangong.orgs.models import Organization

from .. import attachments
from ..figures import items_by_owner, items_by_status, items_in, joint_activities
from ..forms import ReportForm, ReturnForm
from ..models import SHOWN_STATUSES, ActionItem, Meeting, MeetingStatus
from ..services import items as services
from .base import RowActionView


class ItemDetailView(ResourceDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        policy = policy_for(ActionItem)
        ctx.update(
            reports=item.reports.order_by("created_at", "pk"),
            can_edit=policy.allows(user, "write", item) and not item.closed,
            can_report=not item.closed and services.may_report(user, item),
            can_approve=bool(item.closure_requested_at)
            and not item.closed
            and policy.allows(user, "approve", item),
            sees_meeting=policy_for(Meeting).allows(user, "read", item.meeting),
            report_form=ReportForm(),
            return_form=ReturnForm(),
        )
        return ctx


class ReportView(RowActionView):
    op = "read"  # the owner reads the item through the policy's reach; the service decides
    verb = "edit"
    form_class = ReportForm
    done_message = gettext_lazy("Progress reported.")

    def permitted(self, user) -> bool:
        return super().permitted(user) and user.has_verb("edit")

    def perform(self, item, form):
        data = form.cleaned_data
        return services.report(self.request.user, item, data["text"], data.get("file"))


class FinishView(ReportView):
    form_class = ReturnForm
    done_message = gettext_lazy("Closure requested; the organiser will approve it.")

    def perform(self, item, form):
        return services.request_closure(self.request.user, item)


class ApproveView(RowActionView):
    op = "approve"
    form_class = ReturnForm
    done_message = gettext_lazy("The item is closed.")

    def perform(self, item, form):
        return services.approve_closure(self.request.user, item, approved=True)


class ReturnView(ApproveView):
    done_message = gettext_lazy("The closure request was returned.")

    def perform(self, item, form):
        note = form.cleaned_data["note"]
        return services.approve_closure(self.request.user, item, approved=False, note=note)


class EvidenceView(ResourceMixin, VerbRequiredMixin, TemplateView):
    """A progress report's file, to whoever reads the item."""

    def get(self, request, pk, report_pk):
        item = self.resource.policy.get(request.user, pk, "read", self.resource.queryset())
        if parse_id(report_pk) is None:
            raise Http404
        entry = item.reports.filter(pk=report_pk).exclude(file="").first()
        if entry is None:
            raise Http404
        try:
            handle = entry.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=entry.kind != "photo",
            filename=entry.name,
            content_type=attachments.content_type_of(entry.file.name) or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SupervisionView(ResourceMixin, VerbRequiredMixin, TemplateView):
    """督办: a subtree's action items counted by status and by owner, the overdue ones listed;
    ``?export=xlsx`` gives the same as a workbook."""

    template_name = "meetings/supervision.html"

    def figures(self):
        user = self.request.user
        org = requested_org(self.request, Organization.objects.visible_to(user))
        if org is None:
            raise Http404
        form = PeriodForm(self.request.GET or None)
        period = form.get_period(timezone.localdate())
        items = items_in(user, org)
        return {
            "org": org,
            "by_status": items_by_status(items),
            "by_owner": items_by_owner(items),
            "overdue": items.overdue().select_related("owner_org", "owner_unit", "meeting")[:200],
            "statuses": SHOWN_STATUSES,
            "joint": joint_activities(user, org),
            "joint_year": joint_activities(user, org, period),
            "period": period,
            "held": Meeting.objects.visible_to(user)
            .filter(subtree_q("organization__path", org.path))
            .exclude(status=MeetingStatus.PLANNED)
            .count(),
        }

    def get(self, request, *args, **kwargs):
        data = self.figures()
        if request.GET.get("export") == "xlsx":
            return self.export(data)
        ctx = self.get_context_data(**data)
        url = reverse("meetings:actionitem_supervision")
        ctx["export_url"] = f"{url}?org={data['org'].pk}&export=xlsx"
        return render(request, self.template_name, ctx)

    def export(self, data):
        labels = [str(label) for _key, label in SHOWN_STATUSES]
        keys = [key for key, _label in SHOWN_STATUSES]
        by_status = [[str(label), data["by_status"][key]] for key, label in SHOWN_STATUSES]
        owners = [
            [row["owner"], *(row["counts"][k] for k in keys), row["total"]]
            for row in data["by_owner"]
        ]
        overdue = [
            [i.task, i.owner_name, i.due_date, i.meeting.title, i.responsible]
            for i in data["overdue"]
        ]
        content = export.build_workbook(
            [
                (_("By status"), [_("Status"), _("Items")], by_status),
                (_("By owner"), [_("Owner"), *labels, _("Total")], owners),
                (
                    _("Overdue"),
                    [_("Task"), _("Owner"), _("Due date"), _("Meeting"), _("Responsible person")],
                    overdue,
                ),
            ]
        )
        title = _("Supervision of %(org)s") % {"org": data["org"].name}
        record(
            self.request.user,
            Action.EXPORT,
            None,
            org_path=data["org"].path,
            message=_("%(name)s: %(n)d owners") % {"name": title, "n": len(owners)},
        )
        return export.xlsx_response(title, content)
