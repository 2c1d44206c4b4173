"""The resource registry: one declaration per model.

Each app declares its models in ``resources.py``::

    register(Resource(
        Team,
        policy=Policy(owner="organization__path"),
        prefix="teams",
        filterset=TeamFilterSet, table=TeamTable, form=TeamForm, serializer=TeamSerializer,
        save=services.save_team, delete=services.delete_team, related=("members",),
    ))

From the declaration ``core`` builds the pages (``core.resource_views``: list with the
organisation tree, filters, table and export; detail; create and edit; delete), their URL
patterns named ``<app>:<model>_<page>`` (``urls(app_label)``), the API viewset with its
schema (``core.resource_api``), and the scope test's map of every URL
(``core.tests.scope_walk``). The queryset methods ``visible_to`` / ``editable_by`` /
``countable_by`` of every scoped model ask the resource's policy (``policy_for``).

Registration happens when the app's ``resources`` module is imported; ``autodiscover``
(called from ``CoreConfig.ready``) imports every installed app's ``resources`` module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import import_module

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule

from .policy import Policy

#: The standard pages of a resource, generated unless ``views`` names a class of its own. A
#: resource may route more pages (``pages`` names them, ``views`` gives each its class): one on
#: a row (``move``: ``<prefix>/<pk>/move/``, named ``<model>_move``), or where ``routes`` says.
PAGES = ("list", "detail", "add", "edit", "delete")


@dataclass
class Resource:
    model: type[models.Model]
    policy: Policy = field(default_factory=Policy)
    #: The URL segment of the resource's pages (``teams`` → ``/people/teams/``).
    prefix: str = ""
    #: The word of its URL names when not the model's name (``summary`` for ``WorkSummary``:
    #: ``documents:summary_list``).
    noun: str = ""
    filterset: type | None = None
    table: type | None = None
    form: type | None = None
    serializer: type | None = None
    #: ``save(actor, instance, **related) -> instance``: the action that creates and edits.
    save: Callable | None = None
    #: ``delete(actor, instance)``: the action that deletes.
    delete: Callable | None = None
    #: Form/serializer fields handed to ``save`` as keywords (many-to-many and the like)
    #: rather than set on the instance.
    related: tuple[str, ...] = ()
    #: The routed pages: standard ones (``PAGES``) and the resource's own (in ``views``).
    pages: tuple[str, ...] = ()
    #: Per-page view classes that replace the generic ones (still routed by the registry).
    views: dict[str, type] = field(default_factory=dict)
    #: Per-page routes, from the app's root, that replace the standard ones (the bulletin
    #: list at the app's root: ``{"list": ""}``).
    routes: dict[str, str] = field(default_factory=dict)
    #: The foreign key a new row is added under (``organization`` for a roster entry): the add
    #: page is routed below the parent's page (``<parent_pk>/<prefix>/new/``) and finds the
    #: parent through its policy; after a change, and on cancelling, the parent's page opens.
    parent: str = ""
    detail_template: str | None = None
    #: The API's URL segment (``/api/<api>/``); empty: no API. ``api_viewset`` replaces the
    #: generated viewset; ``api_noun`` names a row in the schema's summaries (English).
    api: str = ""
    api_viewset: type | None = None
    api_noun: str = ""
    #: The schema's summary of an operation (``list``, ``create``…) where the standard one
    #: (``core.resource_api.schema_summaries``) says too little (English).
    api_summaries: dict[str, str] = field(default_factory=dict)
    #: Select/prefetch for lists, details and the API.
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def name(self) -> str:
        return self.noun or self.model._meta.model_name

    def url_name(self, page: str) -> str:
        return f"{self.app_label}:{self.name}_{page}"

    @property
    def parent_model(self) -> type[models.Model] | None:
        return self.model._meta.get_field(self.parent).related_model if self.parent else None

    @property
    def parent_kwarg(self) -> str:
        """The URL argument naming the parent row (``organization_pk``)."""
        return f"{self.parent}_pk"

    def queryset(self):
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs


_registry: dict[type[models.Model], Resource] = {}


def register(resource: Resource) -> Resource:
    model = resource.model
    if model in _registry:
        raise ValueError(f"{model._meta.label} is registered twice")
    if resource.policy.model is None:  # ``policy.get`` looks in the model's rows by default
        resource.policy = replace(resource.policy, model=model)
    _registry[model] = resource
    return resource


def registry() -> dict[type[models.Model], Resource]:
    return dict(_registry)


def resource_for(model: type[models.Model]) -> Resource | None:
    return _registry.get(_concrete(model))


DEFAULT_POLICY = Policy()


def policy_for(model: type[models.Model]) -> Policy:
    """The model's policy; a model that declares none is owned through its ``organization``
    with the default verbs."""
    resource = _registry.get(_concrete(model))
    if resource is None:
        return replace(DEFAULT_POLICY, model=_concrete(model))
    return resource.policy


def _concrete(model):
    return model._meta.concrete_model


def autodiscover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("guangong.") and module_has_submodule(config.module, "resources"):
            import_module(f"{config.name}.resources")
