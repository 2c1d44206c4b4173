"""The REST API of elders, young people, teams and mentorships (``people.resources`` declares
each; the serializers are in ``people.serializers``). Teams are served by the generated
viewset; what is particular to people and mentorships is here.

The clear ID number comes back from ``POST …/reveal/`` alone (the ``reveal`` verb, a reason, an
audit record). Finding someone by full ID number is ``POST …/find-by-id-number/`` (the
``reveal`` verb, an audit record with the masked number): never a query string, which ends up
in server logs. A list's ``q`` holding a full ID number is refused with 400.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from guangong.core.api import drf_validation_error, post_action, validated_input
from guangong.core.resource_api import ResourceViewSet

from . import dupcheck
from .filters import looks_like_id_number
from .models import MentorshipVisit
from .serializers import (
    FindByIdNumberSerializer,
    RevealedSerializer,
    RevealSerializer,
    VisitSerializer,
)
from .services.mentorships import add_visit
from .services.persons import find_by_id_number, reveal_id_number


def no_store(response: Response) -> Response:
    """A response holding a clear ID number, or who holds one: never cached."""
    response["Cache-Control"] = "no-store"
    return response


class PersonViewSet(ResourceViewSet):
    """Elders and young people: the resource's ``related`` fields are the many-to-many ones,
    handed to ``save_person`` with the ID number and the same-name confirmation."""

    #: The policy operation writes need; the reveal and the look-up need ``reveal`` instead.
    write_op = "write"

    def list(self, request, *args, **kwargs):
        if looks_like_id_number(request.query_params.get("q", "")):
            raise ValidationError(
                {
                    "q": [
                        _(
                            "The search takes names and pinyin. To find someone by ID number, "
                            "POST it to find-by-id-number/."
                        )
                    ]
                }
            )
        return super().list(request, *args, **kwargs)

    def _split(self, serializer) -> tuple[dict, dict]:
        data, m2m = super()._split(serializer)
        extra = {
            "id_number": data.pop("id_number", None),
            "allow_same_name": data.pop("allow_same_name", False),
            "m2m": m2m,
        }
        return data, extra

    # Answers about people outside the scope are audited even when the save is refused.

    def perform_create(self, serializer):
        with dupcheck.recording():
            super().perform_create(serializer)

    def perform_update(self, serializer):
        with dupcheck.recording():
            super().perform_update(serializer)

    @post_action(request=RevealSerializer, responses=RevealedSerializer, write_op="reveal")
    def reveal(self, request, pk=None):
        person = self.get_object()
        data = validated_input(RevealSerializer, request)
        try:
            value = reveal_id_number(request.user, person, data["reason"])
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc
        return no_store(Response({"id_number": value}))

    @post_action(
        request=FindByIdNumberSerializer,
        responses={200: None, 404: None},
        detail=False,
        url_path="find-by-id-number",
        write_op="reveal",
    )
    def find_by_id_number(self, request):
        data = validated_input(FindByIdNumberSerializer, request)
        person = find_by_id_number(request.user, self.model, data["id_number"])
        if person is None:  # not held by anyone, or held outside the scope: all alike
            raise NotFound(_("No one with this ID number was found."))
        person = self.get_queryset().get(pk=person.pk)
        return no_store(Response(self.get_serializer(person).data))


class MentorshipViewSet(ResourceViewSet):
    """Mentorships, newest first, and the visits recorded on them."""

    def get_queryset(self):
        return super().get_queryset().order_by("-start_date", "-pk")

    @post_action(request=VisitSerializer, responses=VisitSerializer, url_path="visits")
    def add_visit(self, request, pk=None):
        mentorship = self.get_object()
        data = validated_input(VisitSerializer, request)
        visit = MentorshipVisit(mentorship=mentorship, **data)
        try:
            add_visit(request.user, visit)
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc
        return Response(VisitSerializer(visit).data, status=201)
