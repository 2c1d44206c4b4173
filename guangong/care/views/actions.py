"""What is done from a case's page: reveals, workflow actions, follow-up visits, consent,
attachments; the encrypted export; the access log.

Every view fetches the case through ``visible_to`` (404 for anyone who may not open it) and
hands the change to ``services``; a refusal is shown in Chinese and changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from guangong.audit.services import Action as AuditAction
from guangong.audit.services import record
from guangong.core.forms import apply_validation_error
from guangong.core.resource_views import ResourceListView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import VerbRequiredMixin
from guangong.jobs.models import Job

from .. import attachments, exports, workflow
from ..forms import AttachmentForm, ConsentForm, FollowUpForm, RevealForm, TransitionForm
from ..models import Attachment, Case, FollowUp
from ..services.access import SENSITIVE_LABELS, open_case, reveal
from ..services.cases import record_consent, save_case
from ..services.entries import add_attachment, add_follow_up, open_attachment
from ..services.transitions import transition
from .cases import detail_context
from .steps import step_form


def get_case(request, pk) -> Case:
    cases = Case.objects.select_related("organization", "kind", "youth", "care_worker")
    return policy_for(Case).get(request.user, pk, "read", cases)


def render_detail(request, case: Case, status: int = 400, **forms):
    """The detail page again, with a form's errors (an opening like any other)."""
    open_case(request.user, case)
    ctx = {"object": case, "case": case, **detail_context(request, case, **forms)}
    return render(request, "care/case_detail.html", ctx, status=status)


def refused(request, exc) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


class CaseActionView(ResourceMixin, VerbRequiredMixin, View):
    """POST an action on a case (``<pk>/<action>/``, ``care.urls``): for whoever may count
    cases; a case the user may not open answers 404 (``get_case``)."""

    op = "count"
    http_method_names = ["post"]


class RevealView(CaseActionView):
    """POST a field and a reason; the value comes back once, in this response only.

    Without the ``reveal`` verb: 403 with nothing of the case. Outside the user's cases: 404.
    """

    def post(self, request, pk):
        case = get_case(request, pk)
        if not policy_for(Case).may(request.user, "reveal"):
            raise PermissionDenied(_("You may not see hidden fields."))
        form = RevealForm(request.POST)
        value = None
        if form.is_valid():
            try:
                value = reveal(
                    request.user, case, form.cleaned_data["field"], form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
        field = form.data.get("field", "")
        if field not in SENSITIVE_LABELS:
            raise Http404
        ctx = {
            "case": case,
            "form": form,
            "field": field,
            "label": SENSITIVE_LABELS[field],
            "value": value,
            "revealed": value is not None,
            "reveal_url": request.path,
            "can_reveal": True,
            "stored": True,
        }
        if request.htmx:
            template, status = "care/_reveal.html", 200
        else:
            template = "care/reveal_page.html"
            status = 200 if value is not None else 400
        response = render(request, template, ctx, status=status)
        response["Cache-Control"] = "no-store"
        return response


def _keys(request) -> str:
    return " ".join(request.POST)


def _refusal(case: Case, action: str) -> str:
    """Why the step would be refused whatever the fields say (asked before they are saved)."""
    youth = case.youth
    if action == "assess" and youth is not None and youth.is_minor and not case.has_consent:
        return _(
            "The person helped is a minor: record the guardian's consent before the "
            "assessment is passed on."
        )
    return ""


def _put_back(actor, stored: Case, fields) -> None:
    """The step was refused after its fields were saved: the fields go back as they were."""
    if fields is None or not fields.has_changed():
        return
    case = Case.objects.get(pk=stored.pk)
    for name in fields.fields:
        setattr(case, name, getattr(stored, name))
    save_case(actor, case)


class TransitionView(CaseActionView):
    def post(self, request, pk):
        case = get_case(request, pk)
        action = request.POST.get("action", "")
        if action not in workflow.ACTIONS:
            messages.error(request, _("Unknown action."))
            return HttpResponseRedirect(case.get_absolute_url())
        # Each action's form on the page has the action's name as prefix; the pressed button
        # sends the action.
        form = TransitionForm(request.POST, action=action, prefix=action)
        # The case's fields the step requires, when its form on the page carried them.
        carried = f"{action}-case-" in _keys(request)
        # Bound to a copy: the case's page shows what is stored until the step is taken.
        fields = step_form(action, get_case(request, pk), request.POST) if carried else None
        if not form.is_valid() or (fields is not None and not fields.is_valid()):
            return render_detail(request, case, transition_form=form, step_form=fields)
        if fields is not None and (refusal := _refusal(case, action)):
            fields.add_error(None, refusal)
            return render_detail(request, case, transition_form=form, step_form=fields)
        try:
            if fields is not None and fields.has_changed():
                save_case(request.user, fields.instance)  # the form put its values on it
            try:
                transition(
                    request.user,
                    case,
                    action,
                    form.cleaned_data.get("comment", ""),
                    **form.service_kwargs(),
                )
            except (ValidationError, PermissionDenied):
                _put_back(request.user, case, fields)
                raise
        except ValidationError as exc:
            if fields is not None:
                apply_validation_error(fields, exc)
                return render_detail(request, case, transition_form=form, step_form=fields)
            refused(request, exc)
        except PermissionDenied as exc:
            refused(request, exc)
        else:
            messages.success(
                request,
                _("Done: %(action)s.") % {"action": workflow.ACTIONS[action].label},
            )
        return HttpResponseRedirect(case.get_absolute_url())


class CaseFormView(CaseActionView):
    """POST a form of the case's page to a service: done, back to the case with ``done``; the
    form's errors or the service's refusal, the case's page again with the form
    (``form_name`` in ``detail_context``)."""

    form_name = ""
    done = ""

    def get_form(self, request, case):
        raise NotImplementedError

    def perform(self, request, case, form) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        case = get_case(request, pk)
        form = self.get_form(request, case)
        if form.is_valid():
            try:
                self.perform(request, case, form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.done)
                return HttpResponseRedirect(case.get_absolute_url())
        return render_detail(request, case, **{self.form_name: form})


class FollowUpAddView(CaseFormView):
    form_name = "follow_up_form"
    done = gettext_lazy("Follow-up visit recorded.")

    def get_form(self, request, case):
        return FollowUpForm(request.POST, instance=FollowUp(case=case))

    def perform(self, request, case, form) -> None:
        add_follow_up(request.user, case, form.instance)


class ConsentView(CaseFormView):
    form_name = "consent_form"
    done = gettext_lazy("Guardian consent recorded.")

    def get_form(self, request, case):
        return ConsentForm(request.POST)

    def perform(self, request, case, form) -> None:
        data = form.cleaned_data
        record_consent(
            request.user,
            case,
            by=data["by"],
            relation=data["relation"],
            on=data["on"],
            note=data["note"],
        )


class AttachmentUploadView(CaseFormView):
    form_name = "upload_form"
    done = gettext_lazy("File uploaded.")

    def get_form(self, request, case):
        return AttachmentForm(request.POST, request.FILES)

    def perform(self, request, case, form) -> None:
        add_attachment(request.user, case, form.checked)


class AttachmentDownloadView(VerbRequiredMixin, View):
    """A document, or a photo (``reveal`` verb), of a case the user may open; logged."""

    def get(self, request, pk):
        cases = Case.objects.visible_to(request.user)
        attachment = (
            Attachment.objects.select_related("case__organization")
            .filter(case__in=cases, pk=pk)
            .first()
        )
        if attachment is None:
            raise Http404
        try:
            handle = open_attachment(request.user, attachment)
        except FileNotFoundError as exc:
            raise Http404 from exc
        inline = attachment.kind == Attachment.Kind.PHOTO and request.GET.get("inline") == "1"
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=attachment.name,
            content_type=attachments.content_type_of(attachment.file.name),
        )
        response["Cache-Control"] = "no-store"
        return response


# --- Export -----------------------------------------------------------------------------------


class ExportStartView(VerbRequiredMixin, View):
    """Start the encrypted export of the filtered cases; the job page shows its progress."""

    verb = "care"
    http_method_names = ["post"]

    def post(self, request):
        job = exports.start_export(request.user, request.POST.get("filters", ""))
        return HttpResponseRedirect(job.get_absolute_url())


class ExportDownloadView(VerbRequiredMixin, View):
    """The encrypted file, for the user who asked, while it is kept."""

    verb = "care"

    def get(self, request, pk):
        job = Job.objects.filter(pk=pk, kind=exports.KIND).first()
        if job is None or not exports.downloadable(job, request.user):
            raise Http404
        try:
            from django.core.files.storage import default_storage

            handle = default_storage.open(job.summary["file"], "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        record(
            request.user,
            AuditAction.EXPORT,
            job,
            message=_("Downloaded the encrypted export of %(n)d care cases")
            % {"n": job.summary.get("count", 0)},
        )
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=job.summary.get("filename") or "cases.xlsx",
            content_type="application/octet-stream",
        )
        response["Cache-Control"] = "no-store"
        return response


# --- Access log -------------------------------------------------------------------------------


class AccessLogView(ResourceListView):
    """Who opened, revealed, exported or downloaded which case: for auditors in scope."""

    export_name = None

    def get_queryset(self):
        return super().get_queryset().order_by("-at", "-pk")
