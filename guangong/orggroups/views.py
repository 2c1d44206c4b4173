"""Bulk assignment: the organisations of a filtered list into one group of a set."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.resource_views import ResourceFormView, ResourceListView
from guangong.core.resources import policy_for
from guangong.core.scope import subtree_q
from guangong.orgs.filters import OrganizationFilterSet
from guangong.orgs.models import Organization

from . import services
from .forms import BulkAssignForm
from .models import Assignment, GroupSet


class BulkAssignView(ResourceFormView):
    """``?q=&kind=&status=&org=`` as on the organisation list: those of them within the set's
    subtree that the user may change go into the chosen group."""

    template_name = "orggroups/bulk_assign.html"
    success_message = gettext_lazy("Assignments of %(object)s saved.")

    def get_object(self):
        return policy_for(GroupSet).get(self.request.user, self.kwargs["pk"], "read")

    def organizations(self):
        user = self.request.user
        filters = OrganizationFilterSet(
            self.request.GET, queryset=Organization.objects.all(), request=self.request
        )
        self.filters = filters
        qs = filters.qs if filters.is_valid() else Organization.objects.none()
        if not policy_for(Assignment).may(user, "write"):
            qs = qs.none()
        qs = policy_for(Organization).instances(user, "write", qs)
        return qs.filter(subtree_q("path", self.object.organization.path)).order_by("path")

    def get_form(self, data=None):
        self.object = self.get_object()
        return BulkAssignForm(data, group_set=self.object, user=self.request.user)

    def perform(self, form):
        organizations = list(self.organizations()[: services.BULK_LIMIT + 1])
        if not organizations:
            raise ValidationError(_("No organisation of this list can be assigned."))
        self.changed = services.assign_many(
            self.request.user, organizations, form.cleaned_data["group"], self.object
        )
        return self.object

    def get_success_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("orggroups:assignment_list") + "?" + urlencode({"group_set": obj.pk})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        matched = self.organizations()
        ctx.update(
            title=_("Assign organisations: %(set)s") % {"set": self.object.name},
            object=self.object,
            filter=self.filters,
            matched=matched.count(),
            sample=list(matched[:10]),
            cancel_url=self.get_success_url(self.object),
            query=self.request.GET.urlencode(),
        )
        return ctx


class GroupListView(ResourceListView):
    """The lists of sets, groups and assignments, with the way to each page of the three."""

    actions_template = "orggroups/list_actions.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_define"] = policy_for(GroupSet).may(self.request.user, "write")
        chosen = self.request.GET.get("group_set", "")
        ctx["group_set"] = chosen if chosen.isdigit() and len(chosen) < 19 else ""
        return ctx
