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
from guangong.core.scope import get_visible_or_404
from guangong.core.views import ObjectListView, VerbRequiredMixin

from . import services
from .docx_layout import TEMPLATE_DIR
from .filters import GeneratedFilterSet
from .forms import TemplateUploadForm
from .jobs import MODELS, start_generation
from .models import DocumentKind, DocumentTemplate, GeneratedDocument
from .tables import GeneratedTable
from .views import DocumentsNavMixin

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}

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
        obj = get_visible_or_404(MODELS[kind].objects, request.user, pk=kwargs["pk"])
        job = start_generation(request.user, kind, obj, fmt)
        return HttpResponseRedirect(job.get_absolute_url())


class GeneratedListView(DocumentsNavMixin, ObjectListView):
    nav = "files"
    model = GeneratedDocument
    table_class = GeneratedTable
    filterset_class = GeneratedFilterSet
    template_name = "documents/list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "bulletin", "summary")


class GeneratedDownloadView(VerbRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        doc = get_visible_or_404(GeneratedDocument.objects, request.user, pk=kwargs["pk"])
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
    """The template in use for each kind, its download, an upload and the way back."""

    nav = "templates"
    verb = "manage_system"
    template_name = "documents/templates.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kinds = []
        for kind, label in DocumentKind.choices:
            kinds.append(
                {
                    "kind": kind,
                    "label": label,
                    "active": DocumentTemplate.objects.filter(kind=kind, active=True).first(),
                    "history": DocumentTemplate.objects.filter(kind=kind)[:5],
                    "variables": TEMPLATE_VARIABLES[kind],
                }
            )
        ctx["kinds"] = kinds
        ctx["loop_example"] = "{%p for s in sections %} … {{ s.heading }} … {%p endfor %}"
        ctx.setdefault("form", TemplateUploadForm())
        return ctx

    def post(self, request, *args, **kwargs):
        form = TemplateUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                template = services.upload_template(
                    request.user, data["kind"], data["name"], data["file"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is now the template of %(kind)s.")
                    % {"name": template.name, "kind": template.get_kind_display()},
                )
                return HttpResponseRedirect(reverse("documents:templates"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TemplateDownloadView(VerbRequiredMixin, View):
    """The template in use, to edit in Word and upload again."""

    verb = "manage_system"

    def get(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in DocumentKind.values:
            raise Http404
        uploaded = DocumentTemplate.objects.filter(kind=kind, active=True).first()
        if uploaded is not None:
            try:
                handle = uploaded.file.open("rb")
            except FileNotFoundError as exc:
                raise Http404 from exc
            name = uploaded.file.name.rsplit("/", 1)[-1]
        else:
            handle = (TEMPLATE_DIR / f"{kind}.docx").open("rb")
            name = f"{kind}.docx"
        return file_response(handle, name, "docx")


class TemplateRestoreView(VerbRequiredMixin, View):
    verb = "manage_system"

    def post(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in DocumentKind.values:
            raise Http404
        if services.restore_default_template(request.user, kind):
            messages.success(request, _("The template shipped with Guangong is used again."))
        return HttpResponseRedirect(reverse("documents:templates"))
