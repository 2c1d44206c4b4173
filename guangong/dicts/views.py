"""Dictionary pages: every signed-in user reads the lists, ``manage_system`` changes them."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.resource_views import ResourceDeleteView, ResourceFormView, ResourceListView

from . import services
from .models import DictItem, DictKind


def list_url(kind: str | None = None) -> str:
    url = reverse("dicts:dictitem_list")
    return f"{url}?{urlencode({'kind': kind})}" if kind else url


def requested_kind(request) -> str | None:
    kind = request.GET.get("kind")
    return kind if kind in DictKind.values else None


class DictItemListView(ResourceListView):
    template_name = "dicts/dictitem_list.html"
    actions_template = "dicts/list_actions.html"
    # Dictionaries are global: no organisation tree beside the list.
    show_tree = False

    @property
    def export_name(self):
        kind = requested_kind(self.request)
        return DictKind(kind).label if kind else DictItem._meta.verbose_name_plural

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        exclude = []
        if not self.resource.policy.may(self.request.user, "write"):
            exclude.append("actions")
        if requested_kind(self.request):
            exclude.append("kind")  # the tab says it (exports keep the column)
        kwargs["exclude"] = exclude
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kind = requested_kind(self.request)
        counts = dict(DictItem.objects.values_list("kind").annotate(n=Count("id")).order_by("kind"))
        ctx["kind"] = kind
        ctx["tabs"] = [
            {"kind": value, "label": label, "n": counts.get(value, 0), "url": list_url(value)}
            for value, label in DictKind.choices
        ]
        ctx["all_url"] = list_url()
        ctx["all_count"] = sum(counts.values())
        return ctx


class DictItemCreateView(ResourceFormView):
    success_message = gettext_lazy("Created %(object)s.")

    def get_initial(self) -> dict:
        kind = requested_kind(self.request)
        return {"kind": kind, "order": services.next_order(kind)} if kind else {}

    def perform(self, form):
        return services.create_item(self.request.user, **form.service_fields())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("New dictionary item")
        ctx["cancel_url"] = list_url(requested_kind(self.request))
        return ctx


class DictItemEditView(ResourceFormView):
    def perform(self, form):
        return services.update_item(self.request.user, self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Edit %(object)s") % {"object": self.object}
        ctx["subtitle"] = self.object.get_kind_display()
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx


class DictItemDeleteView(ResourceDeleteView):
    template_name = "dicts/dictitem_confirm_delete.html"

    def get(self, request, *args, **kwargs):
        # Say up front when the item cannot go, and offer the edit page to deactivate it.
        obj = self.get_object()
        ctx = {"object": obj, "model_meta": obj._meta, "refusal": services.deletion_refusal(obj)}
        return render(request, self.template_name, ctx)

    def get_success_url(self, obj):
        return obj.get_absolute_url()
