"""What every API viewset shares: scoping, verbs, and service calls with form-style errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty

from .actions import batch
from .ids import ID_PATTERN, is_integer_key, parse_id


def drf_validation_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


def post_action(*, request=empty, responses=empty, detail=True, **kwargs):
    """A POST action of a viewset (``@action``, with ``kwargs`` such as ``url_path`` or
    ``write_verb``), described in the schema by its input and its response; its summary is in
    the resource's ``api_summaries``, under the method's name."""

    def decorate(method):
        method = action(detail=detail, methods=["post"], **kwargs)(method)
        return extend_schema(request=request, responses=responses)(method)

    return decorate


def validated_input(serializer_class, request, **kwargs) -> dict:
    """The caller's input as ``serializer_class`` checks it (a 400 with every error if it fails);
    ``kwargs`` go to the serializer (``context``)."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A model viewset whose queryset is ``visible_to`` the caller and whose writes call services.

    Subclasses implement ``create_object(serializer)``, ``update_object(instance, serializer)``
    and ``delete_object(instance)`` with the app's service functions.
    """

    model = None
    #: Only an id reaches the view: anything else (a number past 64 bits) is a 404 of the router.
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    # Each write is one unit (``core.actions.batch``): an update that also moves (two actions)
    # is saved whole or not at all.

    def perform_create(self, serializer):
        try:
            with batch(type(self).__name__):
                serializer.instance = self.create_object(serializer)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc

    def perform_update(self, serializer):
        try:
            with batch(type(self).__name__):
                serializer.instance = self.update_object(serializer.instance, serializer)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc

    def perform_destroy(self, instance):
        try:
            with batch(type(self).__name__):
                self.delete_object(instance)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key whose choices are what the caller may see (others read as 'not found')."""

    def get_queryset(self):
        request = self.context.get("request")
        return self.queryset.visible_to(request.user if request else None)

    def to_internal_value(self, data):
        # A number that cannot be an id is "not found" without a query (SQLite would overflow).
        numeric = isinstance(data, int) and not isinstance(data, bool)
        numeric = numeric or (isinstance(data, str) and data.isascii() and data.isdigit())
        if numeric and parse_id(data) is None and is_integer_key(self.queryset):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
