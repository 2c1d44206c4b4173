"""Pages for elders, young people and teams (mentorships: ``mentorship_views``).

Everything starts from ``visible_to(user)`` (404 outside the user's subtree) and every change
goes through ``services``. ID numbers are shown masked; the clear number is only ever in the
response to an audited reveal (``RevealView``), never in a URL or the session.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from guangong.core.forms import apply_validation_error
from guangong.core.ids import parse_ids
from guangong.core.scope import get_visible_or_404, has_verb, requested_org
from guangong.core.views import (
    ObjectDetailView,
    ObjectListView,
    ScopedMixin,
    ServiceDeleteView,
    ServiceFormView,
    VerbRequiredMixin,
)
from guangong.orgs.models import Organization

from . import dupcheck, services
from .filters import (
    ElderFilterSet,
    TeamFilterSet,
    YouthFilterSet,
    looks_like_id_number,
)
from .forms import (
    ElderForm,
    FindByIdNumberForm,
    RevealForm,
    TeamForm,
    YouthForm,
)
from .models import Elder, Team, Youth
from .tables import (
    ElderTable,
    TeamTable,
    YouthTable,
    elder_export_fields,
    shown_phone,
    youth_export_fields,
)


def url_name(model, action: str) -> str:
    return f"people:{model._meta.model_name}_{action}"


# --- Lists ----------------------------------------------------------------------------------


class PeopleListView(ObjectListView):
    actions_template = "people/list_actions.html"
    #: The import page of each list (teams: members added to existing teams).
    import_urls = {
        "elder": reverse_lazy("people:elder_import"),
        "youth": reverse_lazy("people:youth_import"),
        "team": reverse_lazy("people:team_member_import"),
    }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        add_url = reverse(url_name(self.model, "add"))
        org = self.request.GET.get("org", "")
        ctx["add_url"] = f"{add_url}?org={org}" if org.isdigit() else add_url
        ctx["can_merge"] = has_verb(self.request.user, "manage_users") and self.model in (
            Elder,
            Youth,
        )
        ctx["duplicates_url"] = f"{reverse('people:duplicates')}?kind={self.model._meta.model_name}"
        ctx["import_url"] = self.import_urls.get(self.model._meta.model_name)
        ctx["import_label"] = _("Import members") if self.model is Team else _("Import")
        return ctx


def see_other(url: str) -> HttpResponseRedirect:
    """A 303: the browser follows with a GET (after a POST), and nothing is resubmitted."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


class PersonListView(PeopleListView):
    """Elders' and young people's lists: the name search, and for users who may reveal, a
    separate POST form to find someone by full ID number."""

    template_name = "people/person_list.html"

    def get(self, request, *args, **kwargs):
        # A full ID number typed into the name search: drop it from the address at once (it
        # finds nothing there and nothing is logged) and point to the ID number form.
        if looks_like_id_number(request.GET.get("q", "")):
            query = request.GET.copy()
            del query["q"]
            if has_verb(request.user, "reveal"):
                messages.info(request, _("To find someone by ID number, use the ID number form."))
            else:
                messages.info(request, _("The search takes names and pinyin, not ID numbers."))
            return see_other(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if has_verb(self.request.user, "reveal"):
            ctx["find_form"] = FindByIdNumberForm()
            ctx["find_url"] = reverse(url_name(self.model, "find"))
        return ctx


class ElderListView(PersonListView):
    model = Elder
    table_class = ElderTable
    filterset_class = ElderFilterSet

    def get_queryset(self):
        qs = super().get_queryset().current().select_related("organization")
        return qs.prefetch_related("categories").order_by("organization__path", "name", "pk")

    def export_fields(self):
        return elder_export_fields(self.request.user)


class YouthListView(PersonListView):
    model = Youth
    table_class = YouthTable
    filterset_class = YouthFilterSet

    def get_queryset(self):
        qs = super().get_queryset().current().select_related("organization", "category")
        return qs.order_by("organization__path", "name", "pk")

    def export_fields(self):
        return youth_export_fields(self.request.user)


class TeamListView(PeopleListView):
    model = Team
    table_class = TeamTable
    filterset_class = TeamFilterSet

    def get_queryset(self):
        qs = super().get_queryset().select_related("organization", "kind", "leader")
        qs = qs.annotate(member_count=Count("members", distinct=True))
        return qs.order_by("organization__path", "name", "pk")


# --- Details --------------------------------------------------------------------------------


class PersonDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        ctx["can_edit"] = has_verb(user, "edit")
        ctx["can_reveal"] = has_verb(user, "reveal") and person.has_id_number
        ctx["reveal_form"] = RevealForm()
        ctx["reveal_url"] = reverse(url_name(self.model, "reveal"), args=[person.pk])
        ctx["phone"] = shown_phone(user, person.phone)
        ctx["mentorships"] = (
            person.mentorships.visible_to(user)
            .select_related("elder", "youth")
            .order_by("-start_date", "-pk")
        )
        merged_into = person.merged_into
        if merged_into is not None and merged_into.organization.path.startswith(
            user.scope_path or ""
        ):
            ctx["merged_into"] = merged_into
        return ctx


class ElderDetailView(PersonDetailView):
    model = Elder
    template_name = "people/elder_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["teams"] = self.object.teams.visible_to(user).select_related("kind").order_by("name")
        ctx["led_teams"] = self.object.led_teams.visible_to(user).order_by("name")
        ctx["active_mentees"] = self.object.mentorships.active().count()
        return ctx


class YouthDetailView(PersonDetailView):
    model = Youth
    template_name = "people/youth_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["guardian_phone"] = shown_phone(self.request.user, self.object.guardian_phone)
        return ctx


class TeamDetailView(ObjectDetailView):
    model = Team
    template_name = "people/team_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        members = self.object.members.visible_to(user).current()
        ctx["members"] = (
            members.select_related("organization")
            .prefetch_related("categories")
            .order_by("name", "pk")
        )
        # Members per elder category, in one grouped query (a member may be in several).
        ctx["by_category"] = (
            members.values("categories__label", "categories__order")
            .annotate(n=Count("pk", distinct=True))
            .order_by("categories__order", "categories__label")
        )
        ctx["can_edit"] = has_verb(user, "edit")
        return ctx


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


# --- Reveal ---------------------------------------------------------------------------------


class RevealView(VerbRequiredMixin, View):
    """POST a reason, get the full ID number once (htmx swaps it in for the masked one).

    Without the ``reveal`` verb: 403, before anything is looked up. Outside the subtree: 404.
    The response is never cached; the number is in its body only.
    """

    verb = "reveal"
    model = None
    http_method_names = ["post"]

    def post(self, request, pk):
        person = get_visible_or_404(self.model.objects, request.user, pk=pk)
        form = RevealForm(request.POST)
        value = None
        if form.is_valid():
            try:
                value = services.reveal_id_number(request.user, person, form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
        ctx = {
            "object": person,
            "form": form,
            "value": value,
            "reveal_url": reverse(url_name(self.model, "reveal"), args=[person.pk]),
        }
        if request.htmx:
            template, status = "people/reveal.html", 200
        else:
            template, status = "people/reveal_page.html", 200 if value is not None else 400
        response = render(request, template, ctx, status=status)
        response["Cache-Control"] = "no-store"
        return response


class FindByIdNumberView(VerbRequiredMixin, View):
    """POST a full ID number: 303 to the person's page, or the form again with “not found”.

    Without the ``reveal`` verb: 403, before anything is looked up. A record outside the
    user's subtree is “not found”, exactly like a number nobody holds; the number is never in
    a URL, and the form does not send it back.
    """

    verb = "reveal"
    model = None
    http_method_names = ["post"]

    def post(self, request):
        form = FindByIdNumberForm(request.POST)
        if form.is_valid():
            person = services.find_by_id_number(
                request.user, self.model, form.cleaned_data["id_number"]
            )
            if person is not None:
                return see_other(person.get_absolute_url())
            form.add_error("id_number", _("No one with this ID number was found."))
        ctx = {
            "form": form,
            "model_meta": self.model._meta,
            "find_url": reverse(url_name(self.model, "find")),
            "list_url": reverse(url_name(self.model, "list")),
        }
        response = render(request, "people/find_by_id.html", ctx)
        response["Cache-Control"] = "no-store"
        return response


# --- Pickers --------------------------------------------------------------------------------


class PersonChoicesView(ScopedMixin, TemplateView):
    """<option>s for a person picker: search within scope, 20 at a time; the ids sent under
    ``keep``'s name stay selected (a multiple select keeps its choice while searching)."""

    template_name = "people/person_choices.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = self.get_queryset().current().select_related("organization")
        keep_name = self.request.GET.get("keep", "")
        kept_ids = parse_ids(self.request.GET.getlist(keep_name), limit=200)
        kept = list(qs.filter(pk__in=kept_ids).order_by("name", "pk")) if keep_name else []
        q = self.request.GET.get("q", "")
        found = qs.search(q).exclude(pk__in=[p.pk for p in kept]).order_by("name", "pk")[:20]
        blank = self.request.GET.get("blank") == "1"
        ctx.update(kept=kept, found=found, multiple=bool(keep_name), blank=blank)
        return ctx


class ElderChoicesView(PersonChoicesView):
    model = Elder


class YouthChoicesView(PersonChoicesView):
    model = Youth
