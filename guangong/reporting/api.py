"""The REST API of report forms and reports: the pages' scope and actions.

``/api/report-forms/`` lists the forms that reach the caller (with sections, items and
rules); approvers create and change forms owned in their subtree. ``/api/reports/`` lists the
reports in the caller's subtree with their values; PATCH enters values (all or nothing, as
``services.filing.save_values``), and the actions submit, approve, return, unlock and
not-reported change the status. The serializers are in ``serializers``.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from guangong.core.api import ScopedModelViewSet, drf_validation_error, post_action, validated_input
from guangong.core.ids import ID_PATTERN
from guangong.core.resources import policy_for
from guangong.orgs.models import Organization

from .aggregate import aggregate
from .filters import ReportFilterSet
from .models import Report, ReportForm
from .periods import period_starting
from .serializers import (
    CommentSerializer,
    NotReportedSerializer,
    OpenSerializer,
    ReportFormSerializer,
    ReportSerializer,
    TotalsQuerySerializer,
    TotalsSerializer,
    ValuesInputSerializer,
)
from .services import approval, editing, filing


class ReportFormViewSet(ScopedModelViewSet):
    model = ReportForm
    serializer_class = ReportFormSerializer
    write_verb = "approve"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().select_related("owner")
        return qs.prefetch_related("sections__items", "rules__left", "rules__right").order_by("pk")

    def create_object(self, serializer):
        owner = self.request.user.organization
        if owner is None:
            raise PermissionDenied(_("Only a user of an organisation defines report forms."))
        return editing.save_form(
            self.request.user, ReportForm(owner=owner, **serializer.validated_data)
        )

    @extend_schema(
        summary="The totals over the approved reports an organisation collects for a period",
        parameters=[TotalsQuerySerializer],
        responses=TotalsSerializer,
    )
    @action(detail=True, methods=["get"])
    def totals(self, request, pk=None):
        form = self.get_object()
        query = TotalsQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        org = Organization.objects.visible_to(request.user).filter(
            pk=query.validated_data["organization"]
        )
        if not org.exists():
            raise NotFound()
        try:
            period = period_starting(form.period_type, query.validated_data["period_start"])
        except ValueError as exc:
            raise ValidationError(
                {"period_start": [_("No reporting period starts on that day.")]}
            ) from exc
        data = query.validated_data
        result = aggregate(form, org.get(), period, data["group"], data["by_set"])
        numeric = [i for i in result.items() if i.numeric]

        def items(totals):
            return [
                {"code": i.code, "label": i.label, "unit": i.unit, "total": totals.get(i.pk)}
                for i in numeric
            ]

        return Response(
            {
                "organization": result.organization.pk,
                "period_start": period.start,
                "due": result.due,
                "expected": result.expected,
                "received": result.received,
                "approved": result.approved,
                "completeness": result.completeness,
                "timeliness": result.timeliness,
                "missing": [c.organization.name for c in result.missing()],
                "late": [
                    c.organization.name
                    for c in result.children
                    if c.report and c.report.submitted_at and not c.on_time
                ],
                "items": items(result.totals),
                "group": result.group.pk if result.group else None,
                "by_group": [
                    {
                        "group": line.slot.key,
                        "label": line.slot.label,
                        "expected": line.expected,
                        "approved": line.approved,
                        "items": items(line.totals),
                    }
                    for line in result.by_group
                ],
            }
        )

    def update_object(self, instance, serializer):
        if not policy_for(ReportForm).allows(self.request.user, "write", instance):
            raise PermissionDenied(_("Only approvers above the form's owner change it."))
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        return editing.save_form(self.request.user, instance)


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        qs = Report.objects.visible_to(self.request.user).select_related("form", "organization")
        return qs.prefetch_related("values__item__section").order_by("-period_start", "pk")

    def _done(self, call):
        try:
            report = call()
        except DjangoValidationError as exc:
            raise drf_validation_error(exc) from exc
        report = self.get_queryset().get(pk=report.pk)
        return Response(ReportSerializer(report, context={"request": self.request}).data)

    @extend_schema(
        summary="Enter values by item code (all or nothing)",
        request=ValuesInputSerializer,
        responses=ReportSerializer,
    )
    def partial_update(self, request, pk=None):
        report = self.get_object()
        data = validated_input(ValuesInputSerializer, request)
        values = data.get("values", {})
        overrides = data.get("overrides", {})
        return self._done(lambda: filing.save_values(request.user, report, values, overrides))

    @post_action(request=None, responses=ReportSerializer)
    def submit(self, request, pk=None):
        report = self.get_object()
        return self._done(lambda: filing.submit(request.user, report))

    @post_action(request=CommentSerializer, responses=ReportSerializer)
    def approve(self, request, pk=None):
        report = self._approvable()
        comment = self._comment(request)
        return self._done(lambda: approval.approve(request.user, report, comment))

    @post_action(
        request=CommentSerializer,
        responses=ReportSerializer,
        url_path="return",
        url_name="return",
    )
    def return_report(self, request, pk=None):
        report = self._approvable()
        comment = self._comment(request)
        return self._done(lambda: approval.return_report(request.user, report, comment))

    @post_action(request=CommentSerializer, responses=ReportSerializer)
    def unlock(self, request, pk=None):
        report = self._approvable()
        comment = self._comment(request)
        return self._done(lambda: approval.unlock(request.user, report, comment))

    def _approvable(self) -> Report:
        """The report, once the caller is known to approve it (before the body is read)."""
        report = self.get_object()
        approval.ensure_approver(self.request.user, report)
        return report

    def _comment(self, request) -> str:
        return validated_input(CommentSerializer, request).get("comment", "")

    def _target(self, request, serializer_class):
        values = validated_input(serializer_class, request)
        user = request.user
        form = ReportForm.objects.visible_to(user).filter(pk=values["form"]).first()
        org = Organization.objects.visible_to(user).filter(pk=values["organization"]).first()
        if form is None or org is None:
            raise NotFound()
        return form, org, values

    @post_action(request=OpenSerializer, responses=ReportSerializer, detail=False, url_path="open")
    def open(self, request):
        form, org, values = self._target(request, OpenSerializer)
        start = values["period_start"]
        return self._done(lambda: filing.open_report(request.user, form, org, start))

    @post_action(
        request=NotReportedSerializer,
        responses=ReportSerializer,
        detail=False,
        url_path="not-reported",
        url_name="not-reported",
    )
    def not_reported(self, request):
        form, org, values = self._target(request, NotReportedSerializer)

        def call():
            try:
                return approval.mark_not_reported(
                    request.user, form, org, values["period_start"], values["comment"]
                )
            except ValueError as exc:
                raise DjangoValidationError(_("No reporting period starts on that day.")) from exc

        return self._done(call)
