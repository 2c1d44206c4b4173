"""A member unit's page: its facts, the phone masked with an audited reveal, and the
activities it co-organised (named and un-named here)."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from guangong.activities.models import Activity
from guangong.core.forms import RevealReasonForm, apply_validation_error
from guangong.core.masking import may_reveal
from guangong.core.resource_views import ResourceDetailView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.validators import mask_phone
from guangong.core.views import VerbRequiredMixin

from ..figures import joint_activities
from ..services import units as services
from .base import RowActionView, no_store


class LinkForm(forms.Form):
    activity = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    linked = forms.BooleanField(required=False)


def unit_context(user, unit) -> dict:
    seen = policy_for(Activity).instances(user, "read", Activity.objects.all())
    linked = seen.filter(member_units=unit).order_by("-date", "-pk")
    linkable = services.linkable_activities(user, unit).exclude(member_units=unit)
    return {
        "masked_phone": mask_phone(unit.phone) if unit.phone else "",
        "can_reveal": bool(unit.phone) and policy_for(type(unit)).may(user, "reveal"),
        "reveal_form": RevealReasonForm(),
        "reveal_url": reverse("meetings:memberunit_reveal", args=[unit.pk]),
        "linked": linked[:100],
        "joint_count": linked.count(),
        "linkable": linkable.order_by("-date", "-pk")[:50],
        "can_edit": policy_for(type(unit)).allows(user, "write", unit),
        "joint_total": joint_activities(user, unit.organization),
        "reveals": may_reveal(user),
    }


class UnitDetailView(ResourceDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(unit_context(self.request.user, self.object))
        return ctx


class RevealView(ResourceMixin, VerbRequiredMixin, View):
    """POST a reason, see the contact's phone once (audited); htmx swaps it in."""

    op = "reveal"
    http_method_names = ["post"]

    def post(self, request, pk):
        unit = self.resource.policy.get(request.user, pk, "read", self.resource.queryset())
        form = RevealReasonForm(request.POST)
        value = None
        if form.is_valid():
            try:
                value = services.reveal_phone(request.user, unit, form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
        ctx = {
            **unit_context(request.user, unit),
            "object": unit,
            "value": value,
            "reveal_form": form,
        }
        if request.htmx:
            return no_store(render(request, "meetings/_unit_phone.html", ctx))
        status = 200 if value is not None else 400
        return no_store(render(request, "meetings/memberunit_detail.html", ctx, status=status))


class LinkView(RowActionView):
    """Name the unit a co-organiser of an activity (``linked``) or take it off."""

    op = "write"
    form_class = LinkForm

    def perform(self, unit, form):
        activity = Activity.objects.filter(pk=form.cleaned_data["activity"]).first()
        linked = form.cleaned_data["linked"]
        self.done_message = _("Saved.")
        return services.link_activity(self.request.user, unit, activity, linked=linked)
