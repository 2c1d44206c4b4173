"""A plan's pages: the list, the plan with its tasks by section (and their figures), its
publication, its adoption below, the overview of the subtree's tasks and the .docx."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from guangong.audit.services import Action, record
from guangong.core.resource_views import ResourceDetailView, ResourceListView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import VerbRequiredMixin
from guangong.meetings.views.base import RowActionView
from guangong.orgs.models import Organization

from .. import docx
from ..figures import measure, measure_label, overview
from ..forms import AdoptForm, EmptyForm
from ..models import WorkPlan
from ..services import plans as services
from ..text import numbered_heading


class PlanListView(ResourceListView):
    template_name = "workplans/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["add_url"] = reverse("workplans:workplan_add")
        return ctx


def grouped(plan: WorkPlan, with_figures: bool = True) -> list[dict]:
    """The plan's sections, each with its numbered heading and its tasks (and their
    figures)."""
    tasks = plan.tasks.select_related("lead_unit", "lead_org").prefetch_related("cooperating_units")
    headings = plan.sections or [""]
    sections = [
        {"number": i, "heading": numbered_heading(i, h) if h else "", "tasks": []}
        for i, h in enumerate(headings, 1)
    ]
    for task in tasks.order_by("section", "number", "pk"):
        index = min(max(task.section, 1), len(sections)) - 1
        sections[index]["tasks"].append(
            {
                "task": task,
                "measured": measure(task) if with_figures else None,
                "measure": measure_label(task),
            }
        )
    return sections


class PlanDetailView(ResourceDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        policy = policy_for(WorkPlan)
        own = (
            WorkPlan.objects.visible_to(user)
            .filter(organization=getattr(user, "organization", None), year=plan.year)
            .exclude(pk=plan.pk)
            .first()
        )
        adopt_for = services.adoptable_by(user, plan)
        if own is not None and not plan.tasks.exclude(adoptions__plan=own).exists():
            adopt_for = []  # every task is in the user's plan already
        ctx.update(
            sections=grouped(plan),
            can_edit=policy.allows(user, "write", plan),
            can_delete=policy.allows(user, "write", plan) and not plan.published,
            adopt_for=adopt_for,
            own_plan=own,
            adoptions=WorkPlan.objects.visible_to(user)
            .filter(source=plan)
            .select_related("organization"),
            form=EmptyForm(),
        )
        return ctx


class PublishView(RowActionView):
    op = "write"
    form_class = EmptyForm
    done_message = gettext_lazy("The plan is published to the organisations below.")

    def perform(self, plan, form):
        return services.publish(self.request.user, plan)


class AdoptView(RowActionView):
    """The user's organisation adopts the plan (the user's own organisation unless a
    subordinate one is named, within their scope)."""

    op = "read"
    form_class = AdoptForm
    done_message = gettext_lazy("The plan's tasks were copied into your plan; adapt them now.")

    def permitted(self, user) -> bool:
        return super().permitted(user) and user.has_verb("edit")

    def perform(self, plan, form):
        user = self.request.user
        org_id = form.cleaned_data.get("organization") or getattr(user, "organization_id", None)
        org = Organization.objects.visible_to(user).filter(pk=org_id).first()
        if org is None:
            raise ValidationError(_("Choose an organisation within your scope."))
        return services.adopt(user, plan, org)

    def success_url(self, plan, result) -> str:
        return result.get_absolute_url()


class ExportView(ResourceMixin, VerbRequiredMixin, View):
    """The plan as a Word document in the official layout (audited as an export)."""

    def get(self, request, pk):
        plan = self.resource.policy.get(request.user, pk, "read", self.resource.queryset())
        content = docx.render(plan, grouped(plan, with_figures=False))
        record(
            request.user,
            Action.EXPORT,
            plan,
            parent=plan.organization,
            org_path=plan.organization.path,
            message=_("Exported as .docx"),
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = docx.disposition(f"{plan.title}.docx")
        return response


class PlanOverviewView(ResourceMixin, VerbRequiredMixin, TemplateView):
    """The year's tasks of the plan's subtree counted by status: in all and per plan."""

    template_name = "workplans/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.resource.policy.get(
            self.request.user, self.kwargs["pk"], "read", self.resource.queryset()
        )
        ctx.update(object=plan, overview=overview(self.request.user, plan))
        return ctx
