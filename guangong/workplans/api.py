"""The API's own actions on plans and tasks: publish, adopt, report progress."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from guangong.core.api import drf_validation_error, post_action, validated_input
from guangong.core.resource_api import ResourceViewSet
from guangong.orgs.models import Organization

from .serializers import (
    AdoptInputSerializer,
    PlanTaskSerializer,
    ProgressInputSerializer,
    ProgressSerializer,
    WorkPlanSerializer,
)
from .services import plans, tasks


def _done(call, serializer_class, request, status=200):
    try:
        result = call()
    except DjangoValidationError as exc:
        raise drf_validation_error(exc) from exc
    return Response(serializer_class(result, context={"request": request}).data, status=status)


class WorkPlanViewSet(ResourceViewSet):
    @post_action(request=None, responses=WorkPlanSerializer)
    def publish(self, request, pk=None):
        plan = self.get_object()
        return _done(lambda: plans.publish(request.user, plan), WorkPlanSerializer, request)

    @post_action(request=AdoptInputSerializer, responses=WorkPlanSerializer)
    def adopt(self, request, pk=None):
        source = self.get_object()
        values = validated_input(AdoptInputSerializer, request)
        org_id = values.get("organization") or getattr(request.user, "organization_id", None)
        org = Organization.objects.visible_to(request.user).filter(pk=org_id).first()
        if org is None:
            raise NotFound()
        return _done(
            lambda: plans.adopt(request.user, source, org), WorkPlanSerializer, request, 201
        )


class PlanTaskViewSet(ResourceViewSet):
    @post_action(request=ProgressInputSerializer, responses=ProgressSerializer)
    def progress(self, request, pk=None):
        task = self.get_object()
        values = validated_input(ProgressInputSerializer, request)
        return _done(
            lambda: tasks.report(
                request.user, task, values["text"], values["status"], values.get("percent")
            ),
            ProgressSerializer,
            request,
            201,
        )


__all__ = ["PlanTaskSerializer", "PlanTaskViewSet", "WorkPlanViewSet"]
