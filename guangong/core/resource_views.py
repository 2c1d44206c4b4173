"""The pages a resource gets from its declaration, and their URL patterns.

``urls(app_label)`` routes every registered resource of the app: ``<prefix>/`` (list),
``<prefix>/new/`` (add), ``<prefix>/<pk>/`` (detail), ``<prefix>/<pk>/edit/`` and
``<prefix>/<pk>/delete/``, named ``<model>_<page>`` (a resource's ``routes`` may place a page
elsewhere; with a ``parent`` the add page lies below the parent's: ``<parent_pk>/<prefix>/new/``).
A page is generated from the generic views below unless the resource names its own class in
``views``; an app's ``views`` module holds only what is particular to it. ``row_urls(resource,
views)`` routes the app's own pages and actions on one row (``<prefix>/<pk>/<word>/``, named
``<model>_<word>``); a model keyed by UUID takes ``<uuid:pk>``.
"""

from __future__ import annotations

from django.apps import apps
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .resources import Resource, policy_for, registry, resource_for
from .scope import requested_org
from .views import ObjectDetailView, ObjectListView, ServiceDeleteView, ServiceFormView

ROUTES = {
    "list": "",
    "add": "new/",
    "detail": "<int:pk>/",
    "edit": "<int:pk>/edit/",
    "delete": "<int:pk>/delete/",
}


class ResourceMixin:
    """A view bound to one resource (set by ``as_view(resource=…)``)."""

    resource: Resource = None
    #: The policy operation the page needs (``read`` to see, ``write`` to change).
    op = "read"

    def permitted(self, user) -> bool:
        return self.resource.policy.may(user, self.op)

    @property
    def model(self):
        return self.resource.model

    def get_queryset(self):
        return self.resource.policy.instances(self.request.user, "read", self.resource.queryset())


class ResourceListView(ResourceMixin, ObjectListView):
    def get_filterset_class(self):
        return self.resource.filterset

    def get_table_class(self):
        return self.resource.table


class ResourceDetailView(ResourceMixin, ObjectDetailView):
    def get_template_names(self):
        if self.resource.detail_template:
            return [self.resource.detail_template]
        return super().get_template_names()

    def get_object(self, queryset=None):
        return self.resource.policy.get(
            self.request.user, self.kwargs["pk"], "read", self.resource.queryset()
        )


class ResourceFormView(ResourceMixin, ServiceFormView):
    """Create (no ``pk``) or edit (``pk``: 404 unless the user may change it) one row; the
    valid form goes to the resource's ``save`` action. A resource with a ``parent`` creates
    the row under the parent named in the URL (404 unless the user sees it), and returns to
    the parent's page."""

    op = "write"
    success_message = gettext_lazy("Saved %(object)s.")

    def get_object(self):
        if "pk" in self.kwargs:
            return self.resource.policy.get(
                self.request.user, self.kwargs["pk"], "write", self.resource.queryset()
            )
        if self.resource.parent:
            return self.model(**{self.resource.parent: self.get_parent()})
        return self.model()

    def get_parent(self):
        """The row the new one goes under, from the URL, if the user sees it."""
        parent_policy = policy_for(self.resource.parent_model)
        return parent_policy.get(self.request.user, self.kwargs[self.resource.parent_kwarg])

    def get_initial(self) -> dict:
        if self.resource.parent:  # the parent is the URL's, not a choice
            return {}
        org = self.requested_org()
        return {"organization": org.pk} if org is not None else {}

    def requested_org(self):
        organizations = apps.get_model("orgs", "Organization")._default_manager
        return requested_org(self.request, organizations)

    def get_form(self, data=None):
        self.object = self.get_object()
        initial = {} if self.object.pk else self.get_initial()
        return self.resource.form(
            data, instance=self.object, user=self.request.user, initial=initial
        )

    def perform(self, form):
        related = {name: form.cleaned_data[name] for name in self.resource.related}
        return self.resource.save(self.request.user, form.instance, **related)

    def get_success_url(self, obj) -> str:
        return parent_url(self.resource, obj) or obj.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.resource.parent:
            parent = getattr(self.object, self.resource.parent)
            ctx["title"] = f"{capfirst(self.model._meta.verbose_name)} · {parent}"
            ctx["cancel_url"] = parent.get_absolute_url()
        elif self.object.pk:
            ctx["title"] = _("Edit %(object)s") % {"object": self.object}
            ctx["cancel_url"] = self.object.get_absolute_url()
        else:
            ctx["title"] = _("New %(kind)s") % {"kind": self.model._meta.verbose_name}
            ctx["cancel_url"] = reverse(self.resource.url_name("list"))
        return ctx


class ResourceDeleteView(ResourceMixin, ServiceDeleteView):
    op = "write"

    def get_object(self):
        return self.resource.policy.get(
            self.request.user, self.kwargs["pk"], "write", self.resource.queryset()
        )

    def delete(self, obj):
        self.resource.delete(self.request.user, obj)

    def get_success_url(self, obj) -> str:
        return parent_url(self.resource, obj) or reverse(self.resource.url_name("list"))


def parent_url(resource: Resource, obj) -> str:
    """The page of the row ``obj`` was added under, for a resource with a ``parent``."""
    return getattr(obj, resource.parent).get_absolute_url() if resource.parent else ""


GENERIC = {
    "list": ResourceListView,
    "detail": ResourceDetailView,
    "add": ResourceFormView,
    "edit": ResourceFormView,
    "delete": ResourceDeleteView,
}


def base_route(resource: Resource) -> str:
    # A resource without a prefix is the app's own root (``/care/``, ``/care/<pk>/``).
    return f"{resource.prefix}/" if resource.prefix else ""


def route(resource: Resource, page: str) -> str:
    """Where ``page`` of ``resource`` lies, from the app's root (a page of the resource's own
    not in ``routes`` is on one row: ``<prefix>/<pk>/<page>/``); a model keyed by UUID takes
    ``<uuid:pk>`` where the others take ``<int:pk>``."""
    if page in resource.routes:
        found = resource.routes[page]
    elif page == "add" and resource.parent:
        parent = resource_for(resource.parent_model)
        below = f"{base_route(parent) if parent else ''}<int:{resource.parent_kwarg}>/"
        found = f"{below}{base_route(resource)}{ROUTES[page]}"
    else:
        found = f"{base_route(resource)}{ROUTES.get(page, f'<int:pk>/{page}/')}"
    if resource.model._meta.pk.get_internal_type() == "UUIDField":  # a job
        found = found.replace("<int:pk>", "<uuid:pk>")
    return found


def page_view(resource: Resource, page: str):
    """The view of ``page``: the resource's own class or the generic one, bound to the resource
    when it is a resource view."""
    view = resource.views.get(page) or GENERIC[page]
    return view.as_view(resource=resource) if hasattr(view, "resource") else view.as_view()


def urls(app_label: str) -> list:
    """The URL patterns of every resource the app registered, for its ``urls.py``."""
    patterns = []
    for resource in registry().values():
        if resource.app_label != app_label:
            continue
        for page in resource.pages:
            view = page_view(resource, page)
            patterns.append(path(route(resource, page), view, name=f"{resource.name}_{page}"))
    return patterns


def row_urls(resource: Resource, views: dict[str, type]) -> list:
    """Patterns of the pages and actions on one row beyond the generated ones:
    ``<prefix>/<pk>/<word>/`` named ``<noun>_<word>`` (``request_reply``), each view bound to
    the resource (a ``ResourceMixin``)."""
    return [
        path(
            f"{route(resource, 'detail')}{word}/",
            view.as_view(resource=resource),
            name=f"{resource.name}_{word}",
        )
        for word, view in views.items()
    ]
