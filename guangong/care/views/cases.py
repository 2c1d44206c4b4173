"""Care case pages: the list (or, without the ``care`` verb, counts only), the detail page,
and the create and edit forms.

Every case comes from ``Case.objects.visible_to(user)``, which is empty for users without the
``care`` verb: their detail pages answer 404 like a case outside their subtree. Each opening of
a detail page is written to the case's access log (``services.open_case``). Sensitive values
never appear on these pages: only the reveal responses (``actions``) carry them, once.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.ids import parse_id
from guangong.core.resource_views import ResourceDetailView, ResourceFormView, ResourceListView
from guangong.core.resources import policy_for
from guangong.core.scope import requested_org
from guangong.orgs.models import Organization
from guangong.people.models import Youth
from guangong.stats.care import case_counts

from .. import workflow
from ..forms import AttachmentForm, ConsentForm, FollowUpForm, RevealForm, TransitionForm
from ..models import Access, Case, Status
from ..services.access import SENSITIVE_LABELS, open_case
from ..services.cases import save_case
from .steps import next_holder, step_form

#: What a masked value reads.
HIDDEN = gettext_lazy("Hidden")


class CaseListView(ResourceListView):
    """Cases in scope for care workers; counts by kind and stage for everyone else."""

    op = "count"  # everyone who may count cases gets the page; only care workers see cases
    template_name = "care/case_list.html"

    def get(self, request, *args, **kwargs):
        if not self.resource.policy.may(request.user, "read"):
            org = requested_org(request, Organization.objects)
            ctx = {"counts": case_counts(request.user, org), "org": org, "show_tree": True}
            return render(request, "care/case_counts.html", ctx)
        if request.GET.get("export"):
            # Case data leaves only as an encrypted background export (POST to case_export).
            raise PermissionDenied(_("Cases are exported as encrypted files only."))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().order_by("-opened_on", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        ctx["filters"] = query.urlencode()
        ctx["can_add"] = self.resource.policy.may(self.request.user, "write")
        org = self.request.GET.get("org", "")
        ctx["add_url"] = reverse("care:case_add") + (f"?org={org}" if org.isdigit() else "")
        ctx["can_audit"] = policy_for(Access).may(self.request.user, "read")
        return ctx


class CaseDetailView(ResourceDetailView):
    """A case; each opening is written to its access log. Whoever may not open it (without
    the ``care`` verb, or out of scope) gets 404, as for a case that does not exist."""

    op = "count"

    def get_object(self, queryset=None):
        return open_case(self.request.user, super().get_object(queryset))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(detail_context(self.request, self.object, **kwargs))
        return ctx


def detail_context(request, case: Case, **forms) -> dict:
    user = request.user
    policy = policy_for(Case)
    editable = (
        case.status != Status.CLOSED
        and not case.anonymised_at
        and policy.allows(user, "write", case)
    )
    can_reveal = not case.anonymised_at and policy.may(user, "reveal")
    sensitive = [
        {
            "field": name,
            "label": SENSITIVE_LABELS[name],
            "stored": case.has_sensitive(name),
            "form": RevealForm(initial={"field": name}, auto_id=f"id_{name}_%s"),
        }
        for name in Case.SENSITIVE_FIELDS
    ]
    actions = []
    if not case.anonymised_at:
        failed = forms.get("transition_form")
        failed_fields = forms.get("step_form")
        for step in workflow.available(case.status):
            if not policy.allows(user, step.op(case.status), case):
                continue
            form = failed if failed is not None and failed.action == step.name else None
            form = form or TransitionForm(action=step.name, case=case, prefix=step.name)
            fields = failed_fields if form is failed and failed_fields is not None else None
            fields = fields or step_form(step.name, case)
            actions.append({"action": step, "form": form, "fields": fields})
    youth = case.youth
    attachments = list(case.attachments.all())
    return {
        "hidden": HIDDEN,
        "can_edit": editable,
        "can_reveal": can_reveal,
        "sensitive": sensitive,
        "id_reveal_form": RevealForm(initial={"field": "id_number"}, auto_id="id_idn_%s"),
        "photo_reveal_form": RevealForm(initial={"field": "photos"}, auto_id="id_photo_%s"),
        "reveal_url": reverse("care:case_reveal", args=[case.pk]),
        "actions": actions,
        "next_holder": next_holder(case),
        "transitions": case.transitions.select_related("actor"),
        "follow_ups": case.follow_ups.all(),
        "follow_up_form": forms.get("follow_up_form")
        or (
            FollowUpForm()
            if editable and case.status in (Status.IMPLEMENTATION, Status.FOLLOW_UP)
            else None
        ),
        "is_minor": bool(youth and youth.is_minor),
        "consent_form": forms.get("consent_form")
        or (ConsentForm(case=case) if editable and youth is not None else None),
        "documents": [a for a in attachments if a.kind == "document"],
        "photo_count": sum(1 for a in attachments if a.kind == "photo"),
        "upload_form": forms.get("upload_form") or (AttachmentForm() if editable else None),
    }


class CaseFormView(ResourceFormView):
    """Register a case (no ``pk``) or edit one (``pk``; 404 outside the user's cases), with
    its sensitive fields."""

    template_name = "care/case_form.html"

    def permitted(self, user) -> bool:
        """Registering needs the Case policy's ``write``; a role that may edit but not work on
        cases reads a case it may not change as absent (404, from ``get_object``)."""
        return self.resource.policy.may(user, "edit" if "pk" in self.kwargs else "write")

    def get_initial(self) -> dict:
        initial = {}
        youth_id = parse_id(self.request.GET.get("youth"))
        if youth_id:
            youths = Youth.objects.current()
            youth = policy_for(Youth).get(self.request.user, youth_id, "read", youths)
            initial.update(youth=youth.pk, organization=youth.organization_id)
        else:
            initial.update(super().get_initial())
        user = self.request.user
        if self.resource.policy.may(user, "transition") and user.role == "care_worker":
            initial["care_worker"] = user.pk
        return initial

    def perform(self, form):
        return save_case(self.request.user, form.instance, sensitive=form.sensitive_values())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.object.pk:
            ctx["title"] = _("New care case")
        return ctx
