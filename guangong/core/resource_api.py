"""The API a resource gets from its declaration (``core.resources``).

``router()`` registers one viewset per resource that names an ``api`` segment: the generated
``ResourceViewSet`` (list and read through the policy, writes through the resource's ``save``
and ``delete`` actions), or the resource's own ``api_viewset`` for what is particular to it;
either way the schema's summaries come from ``api_noun`` and ``api_summaries``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.routers import DefaultRouter

from .api import ScopedModelViewSet
from .resources import Resource, registry


def schema_summaries(noun: str, plural: str | None = None) -> dict:
    """The schema's summary of each standard operation on ``noun``."""
    plural = plural or f"{noun}s"
    return {
        "list": extend_schema(summary=f"List {plural} in scope"),
        "retrieve": extend_schema(summary=f"One {noun}"),
        "create": extend_schema(summary=f"Create a {noun}"),
        "update": extend_schema(summary=f"Update a {noun}"),
        "partial_update": extend_schema(summary=f"Update some fields of a {noun}"),
        "destroy": extend_schema(summary=f"Delete a {noun}"),
    }


class ResourceViewSet(ScopedModelViewSet):
    resource: Resource = None

    def get_queryset(self):
        queryset = self.resource.queryset().order_by("pk")
        return self.resource.policy.instances(self.request.user, "read", queryset)

    def _split(self, serializer) -> tuple[dict, dict]:
        data = dict(serializer.validated_data)
        related = {name: data.pop(name) for name in self.resource.related if name in data}
        return data, related

    def create_object(self, serializer):
        data, related = self._split(serializer)
        return self.resource.save(self.request.user, self.resource.model(**data), **related)

    def update_object(self, instance, serializer):
        data, related = self._split(serializer)
        for name, value in data.items():
            setattr(instance, name, value)
        return self.resource.save(self.request.user, instance, **related)

    def delete_object(self, instance):
        self.resource.delete(self.request.user, instance)


def summaries_for(resource: Resource, viewset: type) -> dict:
    """The schema's summaries of the operations ``viewset`` has: the resource's own, else the
    standard ones for its ``api_noun`` (a viewset of its own, not a ``ResourceViewSet``, keeps
    the schema of an operation it writes itself)."""
    noun = resource.api_noun or resource.model._meta.model_name
    generated = issubclass(viewset, ResourceViewSet)
    summaries = {
        op: schema
        for op, schema in schema_summaries(noun).items()
        if hasattr(viewset, op)
        and (generated or getattr(viewset, op).__module__.startswith("rest_framework."))
    }
    summaries.update({op: extend_schema(summary=s) for op, s in resource.api_summaries.items()})
    return summaries


def viewset_for(resource: Resource) -> type:
    """The generated viewset; or the resource's own ``api_viewset`` — bound to the resource
    when it extends ``ResourceViewSet``, as it is otherwise (with the resource's summaries when
    it declares any)."""
    base = resource.api_viewset or ResourceViewSet
    if not issubclass(base, ResourceViewSet):
        if not resource.api_summaries:
            return base
        return extend_schema_view(**summaries_for(resource, base))(base)
    attrs = {
        "resource": resource,
        "model": resource.model,
        "serializer_class": resource.serializer,
        "filterset_class": resource.filterset,
        "__module__": base.__module__,
    }
    name = f"{resource.model.__name__}ViewSet"
    viewset = type(name, (base,), attrs)
    return extend_schema_view(**summaries_for(resource, viewset))(viewset)


def router() -> DefaultRouter:
    """A router holding the viewset of every resource with an API."""
    api = DefaultRouter()
    for resource in registry().values():
        if resource.api:
            api.register(resource.api, viewset_for(resource), basename=resource.name)
    return api
