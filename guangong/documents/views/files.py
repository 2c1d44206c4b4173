"""Generated files and templates: start a generation job, list and download what was generated
(always through a scoped, audited view, never a public media address), and the templates page
for administrators."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from guangong.audit.services import Action, record
from guangong.core.forms import apply_validation_error
from guangong.core.resource_views import ResourceListView
from guangong.core.resources import policy_for
from guangong.core.views import VerbRequiredMixin

from .. import services
from ..docx_layout import TEMPLATE_DIR
from ..forms import TemplateUploadForm
from ..jobs import MODELS, start_generation
from ..models import DocumentKind, DocumentTemplate, GeneratedDocument
from .bulletins import DocumentsNavMixin

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}
TEMPLATES_LISTED = 50

#: The names a template may use, shown on the templates page.
TEMPLATE_VARIABLES = {
    DocumentKind.BULLETIN: [
        "name",
        "issue_no",
        "cumulative_no",
        "issued_by",
        "date",
        "title",
        "sections[].heading",
        "sections[].paragraphs",
        "sections[].activities[].title",
        "sections[].activities[].date",
        "sections[].activities[].summary",
        "sections[].activities[].photo",
        "report_to",
        "send_to",
        "issue_to",
    ],
    DocumentKind.SUMMARY: [
        "title",
        "issued_by",
        "date",
        "sections[].heading",
        "sections[].paragraphs",
    ],
}


def file_response(handle, filename: str, fmt: str) -> FileResponse:
    response = FileResponse(
        handle, as_attachment=True, content_type=CONTENT_TYPES.get(fmt, "application/octet-stream")
    )
    response["Content-Disposition"] = (
        f"attachment; filename=document.{fmt}; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


class GenerateView(VerbRequiredMixin, View):
    """POST: generate the bulletin or summary as Word or PDF, in the background."""

    def post(self, request, *args, **kwargs):
        kind, fmt = kwargs["kind"], kwargs["fmt"]
        if kind not in MODELS or fmt not in GeneratedDocument.Format.values:
            raise Http404
        obj = policy_for(MODELS[kind]).get(request.user, kwargs["pk"])
        job = start_generation(request.user, kind, obj, fmt)
        return HttpResponseRedirect(job.get_absolute_url())


class GeneratedListView(DocumentsNavMixin, ResourceListView):
    nav = "files"
    template_name = "documents/list.html"


class GeneratedDownloadView(VerbRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        doc = policy_for(GeneratedDocument).get(request.user, kwargs["pk"])
        try:
            handle = doc.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        owner = doc.bulletin or doc.summary
        record(
            request.user,
            Action.EXPORT,
            owner,
            parent=doc.organization,
            org_path=doc.organization.path,
            message=_("Downloaded %(name)s (%(fmt)s)") % {"name": doc.label, "fmt": doc.format},
        )
        return file_response(handle, f"{doc.label}.{doc.format}", doc.format)


class TemplatesView(DocumentsNavMixin, VerbRequiredMixin, TemplateView):
    """For each kind, the template the administrator's organisation uses (its own, one
    inherited from above, or the shipped one); the templates of their subtree; an upload."""

    nav = "templates"
    verb = "manage_system"
    template_name = "documents/templates.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.request.user.organization
        ctx["kinds"] = [
            {
                "kind": kind,
                "label": label,
                "active": DocumentTemplate.objects.in_effect(kind, org),
                "variables": TEMPLATE_VARIABLES[kind],
            }
            for kind, label in DocumentKind.choices
        ]
        ctx["org"] = org
        ctx["templates"] = (
            DocumentTemplate.objects.visible_to(self.request.user)
            .select_related("owner", "uploaded_by")
            .order_by("-created_at", "-pk")[:TEMPLATES_LISTED]
        )
        ctx["loop_example"] = "{%p for s in sections %} … {{ s.heading }} … {%p endfor %}"
        ctx.setdefault("form", TemplateUploadForm(user=self.request.user))
        return ctx

    def post(self, request, *args, **kwargs):
        form = TemplateUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                template = services.upload_template(
                    request.user, data["kind"], data["name"], data["file"], owner=data["owner"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is now the template of %(kind)s for %(org)s.")
                    % {
                        "name": template.name,
                        "kind": template.get_kind_display(),
                        "org": template.owner.name,
                    },
                )
                return HttpResponseRedirect(reverse("documents:templates"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TemplateDownloadView(VerbRequiredMixin, View):
    """The template the administrator's organisation uses, to edit in Word and upload again."""

    verb = "manage_system"

    def get(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in DocumentKind.values:
            raise Http404
        uploaded = DocumentTemplate.objects.in_effect(kind, request.user.organization)
        if uploaded is None:
            return file_response((TEMPLATE_DIR / f"{kind}.docx").open("rb"), f"{kind}.docx", "docx")
        return _template_file(uploaded)


class TemplateFileView(VerbRequiredMixin, View):
    """One uploaded template of the administrator's subtree (404 outside it)."""

    verb = "manage_system"

    def get(self, request, *args, **kwargs):
        template = policy_for(DocumentTemplate).get(request.user, kwargs["pk"])
        return _template_file(template)


def _template_file(template: DocumentTemplate) -> FileResponse:
    try:
        handle = template.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return file_response(handle, template.file.name.rsplit("/", 1)[-1], "docx")


class TemplateRestoreView(VerbRequiredMixin, View):
    """Stop using an uploaded template of the subtree: its organisation goes back to the
    template above it or the shipped one (404 outside the subtree)."""

    verb = "manage_system"

    def post(self, request, *args, **kwargs):
        template = policy_for(DocumentTemplate).get(request.user, kwargs["pk"])
        if services.restore_default_template(request.user, template):
            messages.success(
                request,
                _("%(org)s no longer uses %(name)s.")
                % {"org": template.owner.name, "name": template.name},
            )
        return HttpResponseRedirect(reverse("documents:templates"))
