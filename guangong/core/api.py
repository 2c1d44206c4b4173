"""What every API viewset shares: scoping, verbs, and service calls with form-style errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError


def drf_validation_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A model viewset whose queryset is ``visible_to`` the caller and whose writes call services.

    Subclasses implement ``create_object(serializer)``, ``update_object(instance, serializer)``
    and ``delete_object(instance)`` with the app's service functions.
    """

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    # Each write is one transaction: an update that also moves (two service calls) is saved
    # whole or not at all.

    def perform_create(self, serializer):
        try:
            with transaction.atomic():
                serializer.instance = self.create_object(serializer)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc

    def perform_update(self, serializer):
        try:
            with transaction.atomic():
                serializer.instance = self.update_object(serializer.instance, serializer)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                self.delete_object(instance)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key whose choices are what the caller may see (others read as 'not found')."""

    def get_queryset(self):
        request = self.context.get("request")
        return self.queryset.visible_to(request.user if request else None)
