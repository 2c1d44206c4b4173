"""A meeting's page (attendees, agenda, minutes and their files, decisions with their action
items), its actions (held, minuted), the files, and the schedule of regular meetings."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from guangong.core.ids import parse_id
from guangong.core.resource_views import ResourceDetailView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import ServiceFormView, VerbRequiredMixin

from .. import attachments
from ..forms import AttachmentForm, HoldForm, MinutesForm, ScheduleForm
from ..models import ActionItem, Decision, Meeting, MeetingAttachment, MeetingStatus
from ..services import meetings as services
from .base import RowActionView


class MeetingDetailView(ResourceDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        can_edit = policy_for(Meeting).allows(user, "write", meeting)
        decisions = list(meeting.decisions.order_by("number", "pk"))
        items = ActionItem.objects.filter(meeting=meeting).select_related("owner_org", "owner_unit")
        by_decision = {}
        for item in items.order_by("due_date", "pk"):
            by_decision.setdefault(item.decision_id, []).append(item)
        for decision in decisions:
            decision.item_list = by_decision.get(decision.pk, [])
        files = list(meeting.attachments.all())
        ctx.update(
            can_edit=can_edit,
            decisions=decisions,
            units=meeting.units.order_by("name"),
            committees=meeting.committees.order_by("path"),
            users=meeting.users.order_by("username"),
            elders=meeting.elders.order_by("name"),
            photos=[f for f in files if f.kind == MeetingAttachment.Kind.PHOTO],
            documents=[f for f in files if f.kind != MeetingAttachment.Kind.PHOTO],
            attachment_form=AttachmentForm(),
            hold_form=HoldForm(initial={"head_count": meeting.head_count or None}),
            minutes_form=MinutesForm(
                initial={"minutes": meeting.minutes, "speeches": meeting.speeches}
            ),
            planned=meeting.status == MeetingStatus.PLANNED,
        )
        return ctx


class HoldView(RowActionView):
    op = "write"
    form_class = HoldForm
    done_message = gettext_lazy("The meeting is marked as held.")

    def perform(self, meeting, form):
        return services.hold(self.request.user, meeting, form.cleaned_data["head_count"])


class MinuteView(RowActionView):
    op = "write"
    form_class = MinutesForm
    done_message = gettext_lazy("Minutes saved.")

    def perform(self, meeting, form):
        data = form.cleaned_data
        return services.minute(self.request.user, meeting, data["minutes"], data["speeches"])


class FileAddView(RowActionView):
    op = "write"
    form_class = AttachmentForm
    done_message = gettext_lazy("Attached.")

    def perform(self, meeting, form):
        return services.add_attachment(self.request.user, meeting, form.cleaned_data["file"])


def _file_of(user, pk, file_pk, op: str) -> MeetingAttachment:
    meeting = policy_for(Meeting).get(user, pk, op)
    if parse_id(file_pk) is None:
        raise Http404
    try:
        return meeting.attachments.get(pk=file_pk)
    except (MeetingAttachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


class FileView(VerbRequiredMixin, View):
    """A file of the minutes, to whoever reads the meeting (photos inline)."""

    def get(self, request, pk, minutes_file_pk):
        found = _file_of(request.user, pk, minutes_file_pk, "read")
        try:
            handle = found.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        is_photo = found.kind == MeetingAttachment.Kind.PHOTO
        response = FileResponse(
            handle,
            as_attachment=not is_photo,
            filename=found.name,
            content_type=attachments.content_type_of(found.file.name) or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        return response


class FileDeleteView(VerbRequiredMixin, View):
    verb = "edit"
    http_method_names = ["post"]

    def post(self, request, pk, minutes_file_pk):
        found = _file_of(request.user, pk, minutes_file_pk, "write")
        services.delete_attachment(request.user, found.meeting, found.pk)
        messages.success(request, _("Deleted %(object)s.") % {"object": found.name})
        return HttpResponseRedirect(found.meeting.get_absolute_url())


class ScheduleView(ResourceMixin, ServiceFormView):
    """Regular meetings (例会) from a schedule: the next N, monthly or quarterly, as planned."""

    op = "write"
    template_name = "core/object_form.html"

    def get_form(self, data=None):
        initial = {"every": "month", "count": 12}
        if self.request.user.organization_id:
            initial["organization"] = self.request.user.organization_id
        return ScheduleForm(data, user=self.request.user, initial=initial)

    def perform(self, form):
        data = dict(form.cleaned_data)
        made = services.schedule(self.request.user, data.pop("organization"), **data)
        messages.success(self.request, _("%(n)d planned meetings created.") % {"n": len(made)})
        return made[0]

    def get_success_url(self, obj) -> str:
        return reverse("meetings:meeting_list") + f"?q={obj.series}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Schedule regular meetings")
        ctx["cancel_url"] = reverse("meetings:meeting_list")
        return ctx


class DecisionMixin:
    """Decision pages return to their meeting."""

    def get_success_url(self, obj) -> str:
        return Decision.objects.get(pk=obj.pk).meeting.get_absolute_url()
