"""Creating, editing and deleting elders, young people and teams, through ``services``; the
organisation a new record starts in comes from ``?org=`` (core.scope.requested_org)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.scope import get_visible_or_404, requested_org
from guangong.core.views import (
    ServiceDeleteView,
    ServiceFormView,
)
from guangong.orgs.models import Organization

from .. import dupcheck, services
from ..forms import (
    ElderForm,
    TeamForm,
    YouthForm,
)
from ..models import Elder, Team, Youth
from .pages import url_name

# --- Create, edit, delete -------------------------------------------------------------------


class ScopedFormView(ServiceFormView):
    """Create (no ``pk``) or edit (``pk``, 404 outside the subtree) one object."""

    model = None
    form_class = None

    def get_object(self):
        if "pk" in self.kwargs:
            return get_visible_or_404(self.model.objects, self.request.user, pk=self.kwargs["pk"])
        return self.model()

    def get_initial(self) -> dict:
        org = requested_org(self.request, Organization.objects)
        return {"organization": org.pk} if org is not None else {}

    def get_form(self, data=None):
        self.object = self.get_object()
        initial = {} if self.object.pk else self.get_initial()
        return self.form_class(data, instance=self.object, user=self.request.user, initial=initial)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = self.model._meta
        if self.object.pk:
            ctx["title"] = _("Edit %(object)s") % {"object": self.object}
            ctx["cancel_url"] = self.object.get_absolute_url()
        else:
            ctx["title"] = _("New %(kind)s") % {"kind": meta.verbose_name}
            ctx["cancel_url"] = reverse(url_name(self.model, "list"))
        return ctx


class PersonFormView(ScopedFormView):
    success_message = gettext_lazy("Saved %(object)s.")

    def post(self, request, *args, **kwargs):
        # Answers about people outside the scope are audited even when the save is refused.
        with dupcheck.recording():
            return super().post(request, *args, **kwargs)

    def perform(self, form):
        return services.save_person(self.request.user, form.instance, **form.service_kwargs())

    def render_form(self, form, status=200):
        if form.has_error("name", "duplicate_name"):
            form.offer_same_name()
        return super().render_form(form, status=status)


class ElderFormView(PersonFormView):
    model = Elder
    form_class = ElderForm


class YouthFormView(PersonFormView):
    model = Youth
    form_class = YouthForm


class TeamFormView(ScopedFormView):
    model = Team
    form_class = TeamForm
    success_message = gettext_lazy("Saved %(object)s.")

    def perform(self, form):
        members = list(form.cleaned_data["members"])
        return services.save_team(self.request.user, form.instance, members=members)


class PeopleDeleteView(ServiceDeleteView):
    service = None

    def delete(self, obj):
        type(self).service(self.request.user, obj)

    def get_success_url(self, obj):
        return reverse(url_name(self.model, "list"))


class ElderDeleteView(PeopleDeleteView):
    model = Elder
    service = services.delete_person


class YouthDeleteView(PeopleDeleteView):
    model = Youth
    service = services.delete_person


class TeamDeleteView(PeopleDeleteView):
    model = Team
    service = services.delete_team
