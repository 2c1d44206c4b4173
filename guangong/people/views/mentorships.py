"""Pages for mentorships (结对帮带): the pairings of an elder and a young person, their visits
and their end.

Built on the generic resource views (``people.resources``): everything starts from the policy's
rows (404 outside the user's subtree) and every change is an action, which also refuses an
elder's mentee beyond ``MAX_ACTIVE_MENTEES``.
"""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.resource_views import ResourceDetailView, ResourceFormView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import ServiceFormView

from ..forms import EndMentorshipForm, VisitForm
from ..models import Elder, MentorshipVisit, Youth
from ..services.mentorships import add_visit, end_mentorship
from .pages import PeopleListView


class MentorshipListView(PeopleListView):
    def get_queryset(self):
        qs = super().get_queryset().prefetch_related(None)
        return qs.annotate(visit_count=Count("visits", distinct=True)).order_by(
            "-start_date", "-pk"
        )


class MentorshipDetailView(ResourceDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["visits"] = self.object.visits.all()
        ctx["can_edit"] = self.resource.policy.may(self.request.user, "write")
        ctx["visit_form"] = kwargs.get("visit_form") or VisitForm()
        ctx["end_form"] = kwargs.get("end_form") or EndMentorshipForm()
        return ctx


class MentorshipFormView(ResourceFormView):
    def get_initial(self) -> dict:
        """Prefilled from ``?elder=`` / ``?youth=`` (the detail pages' buttons)."""
        user = self.request.user
        initial = {}
        org = None
        for field, model in (("elder", Elder), ("youth", Youth)):
            pk = self.request.GET.get(field)
            if pk:
                person = policy_for(model).get(user, pk, "read", model.objects.current())
                initial[field] = person.pk
                org = org or person.organization
        org = org or self.requested_org()
        if org is not None:
            initial["organization"] = org.pk
        return initial


class MentorshipChildFormView(ResourceMixin, ServiceFormView):
    """A form about one mentorship (a visit, its end), shown on its own page or posted from
    the detail page; for whoever may change mentorships."""

    op = "write"

    def get_mentorship(self):
        resource = self.resource
        self.mentorship = resource.policy.get(
            self.request.user, self.kwargs["pk"], "read", resource.queryset()
        )
        return self.mentorship

    def get_success_url(self, obj):
        return self.mentorship.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["subtitle"] = str(self.mentorship)
        ctx["cancel_url"] = self.mentorship.get_absolute_url()
        return ctx


class VisitAddView(MentorshipChildFormView):
    success_message = gettext_lazy("Visit recorded.")

    def get_form(self, data=None):
        visit = MentorshipVisit(mentorship=self.get_mentorship())
        return VisitForm(data, instance=visit)

    def perform(self, form):
        return add_visit(self.request.user, form.instance)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Record a visit")
        return ctx


class MentorshipEndView(MentorshipChildFormView):
    success_message = gettext_lazy("Ended %(object)s.")

    def get_form(self, data=None):
        self.get_mentorship()
        return EndMentorshipForm(data)

    def perform(self, form):
        return end_mentorship(
            self.request.user, self.mentorship, end_date=form.cleaned_data["end_date"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("End the mentorship")
        return ctx
