"""A task's page: its figure against its target, the progress reported, what each adopting
organisation reports; the progress form; the evidence files."""

from django.http import FileResponse, Http404
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from guangong.core.resource_views import ResourceDetailView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import VerbRequiredMixin
from guangong.meetings.views.base import RowActionView

from .. import attachments
from ..figures import adoptions, measure, measure_label
from ..forms import ProgressForm
from ..models import PlanTask, WorkPlan
from ..services import tasks as services
from ..text import numbered_heading


class TaskDetailView(ResourceDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        task, user = self.object, self.request.user
        plan = task.plan
        heading = ""
        if 1 <= task.section <= len(plan.sections):
            heading = numbered_heading(task.section, plan.sections[task.section - 1])
        writes = policy_for(PlanTask).allows(user, "write", task)
        source = task.source
        ctx.update(
            heading=heading,
            measured=measure(task),
            measure=measure_label(task),
            reports=task.reports.order_by("-created_at", "-pk"),
            can_edit=writes,
            progress_form=ProgressForm(initial={"status": task.status, "percent": task.percent}),
            adoptions=adoptions(user, task),
            source=source
            if source is not None and policy_for(PlanTask).allows(user, "read", source)
            else None,
            sees_plan=policy_for(WorkPlan).allows(user, "read", plan),
        )
        return ctx


class ProgressView(RowActionView):
    op = "write"
    form_class = ProgressForm
    done_message = pgettext_lazy("workplan", "Progress reported.")

    def perform(self, task, form):
        data = form.cleaned_data
        return services.report(
            self.request.user,
            task,
            data["text"],
            data["status"],
            data.get("percent"),
            data.get("file"),
        )


class EvidenceView(ResourceMixin, VerbRequiredMixin, TemplateView):
    """A progress report's file, to whoever reads the task."""

    def get(self, request, pk, progress_pk):
        task = self.resource.policy.get(request.user, pk, "read", self.resource.queryset())
        entry = task.reports.filter(pk=progress_pk).exclude(file="").first()
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
