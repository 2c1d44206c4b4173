"""Reading what lists keep hidden: the audited reveal of an ID number or phone, the lookup by
ID number, and the pickers of elders and young people (``visible_to`` only: 404 outside the
user's subtree). The clear number is only ever in a reveal's response, never in a URL or the
session."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from guangong.core.forms import apply_validation_error
from guangong.core.resource_views import ResourceMixin
from guangong.core.views import (
    ChoicesView,
    VerbRequiredMixin,
)

from ..forms import (
    FindByIdNumberForm,
    RevealForm,
)
from ..models import Elder, Youth
from ..services.persons import find_by_id_number, reveal_id_number
from .pages import see_other, url_name

# --- Reveal ---------------------------------------------------------------------------------


class RevealView(ResourceMixin, VerbRequiredMixin, View):
    """POST a reason, get the full ID number once (htmx swaps it in for the masked one).

    Without the ``reveal`` verb: 403, before anything is looked up. Outside the subtree: 404.
    The response is never cached; the number is in its body only.
    """

    op = "reveal"
    http_method_names = ["post"]

    def post(self, request, pk):
        person = self.resource.policy.get(request.user, pk, "read", self.resource.queryset())
        form = RevealForm(request.POST)
        value = None
        if form.is_valid():
            try:
                value = reveal_id_number(request.user, person, form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
        ctx = {
            "object": person,
            "form": form,
            "value": value,
            "reveal_url": reverse(self.resource.url_name("reveal"), args=[person.pk]),
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
            person = find_by_id_number(request.user, self.model, form.cleaned_data["id_number"])
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


class PersonChoicesView(ChoicesView):
    """<option>s for a person picker: search within scope, 20 at a time; the ids sent under
    ``keep``'s name stay selected (a multiple select keeps its choice while searching)."""

    template_name = "people/person_choices.html"
    ordering = ("name", "pk")

    def choices_queryset(self):
        return self.get_queryset().current().select_related("organization")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["multiple"] = bool(self.request.GET.get("keep", ""))
        ctx["blank"] = self.request.GET.get("blank") == "1"
        return ctx


class ElderChoicesView(PersonChoicesView):
    model = Elder


class YouthChoicesView(PersonChoicesView):
    model = Youth
