"""Pages for mentorships (结对帮带): the pairings of an elder and a young person, their visits
and their end.

Built on the people pages' scoped list, form and delete views (``views``): everything starts
from ``visible_to(user)`` (404 outside the user's subtree) and every change goes through
``services``, which also refuse an elder's mentee beyond ``MAX_ACTIVE_MENTEES``.
"""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.scope import get_visible_or_404, has_verb, requested_org
from guangong.core.views import ObjectDetailView, ServiceFormView
from guangong.orgs.models import Organization

from .. import services
from ..filters import MentorshipFilterSet
from ..forms import EndMentorshipForm, MentorshipForm, VisitForm
from ..models import Elder, Mentorship, MentorshipVisit, Youth
from ..tables import MentorshipTable
from .editing import PeopleDeleteView, ScopedFormView
from .pages import PeopleListView


class MentorshipListView(PeopleListView):
    model = Mentorship
    table_class = MentorshipTable
    filterset_class = MentorshipFilterSet

    def get_queryset(self):
        qs = super().get_queryset().select_related("organization", "elder", "youth")
        return qs.annotate(visit_count=Count("visits", distinct=True)).order_by(
            "-start_date", "-pk"
        )


class MentorshipDetailView(ObjectDetailView):
    model = Mentorship
    template_name = "people/mentorship_detail.html"

    def get_object(self, queryset=None):
        return get_visible_or_404(
            Mentorship.objects.select_related("elder", "youth", "organization"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["visits"] = self.object.visits.all()
        ctx["can_edit"] = has_verb(self.request.user, "edit")
        ctx["visit_form"] = kwargs.get("visit_form") or VisitForm()
        ctx["end_form"] = kwargs.get("end_form") or EndMentorshipForm()
        return ctx


class MentorshipFormView(ScopedFormView):
    model = Mentorship
    form_class = MentorshipForm
    success_message = gettext_lazy("Saved %(object)s.")

    def get_initial(self) -> dict:
        """Prefilled from ``?elder=`` / ``?youth=`` (the detail pages' buttons)."""
        user = self.request.user
        initial = {}
        org = None
        for field, model in (("elder", Elder), ("youth", Youth)):
            pk = self.request.GET.get(field)
            if pk:
                person = get_visible_or_404(model.objects.current(), user, pk=pk)
                initial[field] = person.pk
                org = org or person.organization
        org = org or requested_org(self.request, Organization.objects)
        if org is not None:
            initial["organization"] = org.pk
        return initial

    def perform(self, form):
        return services.save_mentorship(
            self.request.user,
            form.instance,
            goals=list(form.cleaned_data["goals"]),
            outcomes=list(form.cleaned_data["outcomes"]),
        )


class MentorshipChildFormView(ServiceFormView):
    """A form about one mentorship (a visit, its end), shown on its own page or posted from
    the detail page."""

    def get_mentorship(self):
        self.mentorship = get_visible_or_404(
            Mentorship.objects.select_related("organization", "elder", "youth"),
            self.request.user,
            pk=self.kwargs["pk"],
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
        return services.add_visit(self.request.user, form.instance)

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
        return services.end_mentorship(
            self.request.user, self.mentorship, end_date=form.cleaned_data["end_date"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("End the mentorship")
        return ctx


class MentorshipDeleteView(PeopleDeleteView):
    model = Mentorship
    service = services.delete_mentorship
