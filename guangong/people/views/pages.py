"""Lists and detail pages of elders, young people and teams, over the generic resource views
(``people.resources`` declares them; changes: ``editing``; reveals, lookups and pickers:
``lookups``; mentorships: ``mentorships``).

Everything starts from the policy's rows (404 outside the user's subtree) and every change goes
through an action. ID numbers are shown masked; the clear number is only ever in the response
to an audited reveal (``RevealView``), never in a URL or the session.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from guangong.core.resource_views import ResourceDetailView, ResourceListView

from ..filters import looks_like_id_number
from ..forms import FindByIdNumberForm, RevealForm
from ..models import Team
from ..tables import export_fields, shown_phone


def url_name(model, action: str) -> str:
    return f"people:{model._meta.model_name}_{action}"


# --- Lists ----------------------------------------------------------------------------------


class PeopleListView(ResourceListView):
    actions_template = "people/list_actions.html"
    #: The import page of each list (teams: members added to existing teams).
    import_urls = {
        "elder": reverse_lazy("people:elder_import"),
        "youth": reverse_lazy("people:youth_import"),
        "team": reverse_lazy("people:team_member_import"),
    }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        add_url = reverse(self.resource.url_name("add"))
        org = self.request.GET.get("org", "")
        ctx["add_url"] = f"{add_url}?org={org}" if org.isdigit() else add_url
        policy = self.resource.policy
        ctx["can_merge"] = "merge" in policy.verbs and policy.may(self.request.user, "merge")
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
            if self.resource.policy.may(request.user, "reveal"):
                messages.info(request, _("To find someone by ID number, use the ID number form."))
            else:
                messages.info(request, _("The search takes names and pinyin, not ID numbers."))
            return see_other(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.resource.policy.may(self.request.user, "reveal"):
            ctx["find_form"] = FindByIdNumberForm()
            ctx["find_url"] = reverse(url_name(self.model, "find"))
        return ctx

    def get_queryset(self):
        qs = super().get_queryset().current()
        return qs.order_by("organization__path", "name", "pk")

    def export_fields(self):
        return export_fields(self.model, self.request.user)


class TeamListView(PeopleListView):
    def get_queryset(self):
        qs = super().get_queryset().prefetch_related(None).select_related("leader")
        qs = qs.annotate(member_count=Count("members", distinct=True))
        return qs.order_by("organization__path", "name", "pk")


# --- Details --------------------------------------------------------------------------------


class PersonDetailView(ResourceDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        ctx["can_edit"] = self.resource.policy.may(user, "write")
        ctx["can_reveal"] = self.resource.policy.may(user, "reveal") and person.has_id_number
        ctx["reveal_form"] = RevealForm()
        ctx["reveal_url"] = reverse(url_name(self.model, "reveal"), args=[person.pk])
        for page in ("edit", "delete", "list"):  # the buttons of people/_person_header.html
            ctx[f"{page}_url"] = self.resource.url_name(page)
        ctx["phone"] = shown_phone(user, person.phone)
        ctx["mentorships"] = (
            person.mentorships.visible_to(user)
            .select_related("elder", "youth")
            .order_by("-start_date", "-pk")
        )
        merged_into = person.merged_into
        if merged_into is not None and self.resource.policy.allows(user, "read", merged_into):
            ctx["merged_into"] = merged_into
        return ctx


class ElderDetailView(PersonDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["teams"] = self.object.teams.visible_to(user).select_related("kind").order_by("name")
        ctx["led_teams"] = self.object.led_teams.visible_to(user).order_by("name")
        ctx["active_mentees"] = self.object.mentorships.active().count()
        return ctx


class YouthDetailView(PersonDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["guardian_phone"] = shown_phone(self.request.user, self.object.guardian_phone)
        return ctx


class TeamDetailView(ResourceDetailView):
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
        ctx["can_edit"] = self.resource.policy.may(user, "write")
        return ctx
