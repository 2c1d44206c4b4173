"""Work summary pages (工作总结): draft one for an organisation and period, then edit it."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.periods import Period
from guangong.core.resource_views import ResourceDetailView, ResourceFormView, ResourceListView
from guangong.stats.trace import figure_urls

from .. import editor, services
from ..forms import SummaryStartForm
from ..models import WorkSummary
from .bulletins import DocumentsNavMixin, SectionEditorMixin

#: The figures a draft was made from, in the order shown beside the editor.
FIGURE_LABELS = {
    "sessions": gettext_lazy("Activities (sessions)"),
    "participants": gettext_lazy("Participants (person-times)"),
    "elders_engaged": gettext_lazy("Elders taking part"),
    "service_hours": gettext_lazy("Hours of service"),
    "cases": gettext_lazy("Care cases"),
    "people_helped": gettext_lazy("Young people helped"),
    "amount_disbursed": gettext_lazy("Money disbursed (yuan)"),
    "established": gettext_lazy("Units with a committee"),
    "positions": gettext_lazy("Leadership members"),
    "mentorships": gettext_lazy("Mentorships active"),
    "new_mentorships": gettext_lazy("Mentorships begun"),
}


def figures_of(summary: WorkSummary) -> list[tuple[str, str, str | None]]:
    """(label, value, the list of the records behind it) of each figure drafted from; a
    figure of zero links nowhere."""
    urls = figure_urls(summary.organization_id, Period(summary.period_start, summary.period_end))
    return [
        (str(label), value, urls.get(key) if _counted(value) else None)
        for key, label in FIGURE_LABELS.items()
        if (value := summary.figures.get(key)) is not None
    ]


def _counted(value) -> bool:
    """A figure of zero has no records: no link to an empty list."""
    try:
        return Decimal(str(value)) != 0
    except (InvalidOperation, ValueError):
        return True


class SummaryListView(DocumentsNavMixin, ResourceListView):
    nav = "summaries"
    template_name = "documents/list.html"
    actions_template = "documents/summary_list_actions.html"
    add_url_name = "documents:summary_add"


class SummaryStartView(DocumentsNavMixin, ResourceFormView):
    """起草总结: the draft is written from the statistics, then opened for editing."""

    nav = "summaries"
    template_name = "documents/summary_start.html"
    success_message = gettext_lazy(
        "The draft is written from the data: read it, edit it, then generate it."
    )

    def get_form(self, data=None):
        self.object = self.model()
        return SummaryStartForm(data, user=self.request.user, initial=self.get_initial())

    def perform(self, form):
        return services.create_summary(
            self.request.user, form.cleaned_data["organization"], form.get_period()
        )

    def get_success_url(self, obj) -> str:
        return reverse("documents:summary_edit", args=[obj.pk])


class SummaryDetailView(DocumentsNavMixin, ResourceDetailView):
    nav = "summaries"
    template_name = "documents/summary_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sections"] = editor.for_display(self.object.sections)
        ctx["figures"] = figures_of(self.object)
        ctx["can_edit"] = self.resource.policy.allows(self.request.user, "write", self.object)
        ctx["files"] = self.object.files.visible_to(self.request.user)
        ctx["kind"] = "summary"
        return ctx


class SummaryEditView(DocumentsNavMixin, SectionEditorMixin, ResourceFormView):
    """A summary's title and sections: structural edits show the page again unsaved."""

    nav = "summaries"
    template_name = "documents/summary_form.html"

    def show(self, summary, title, sections, errors=(), status=200):
        ctx = self.get_context_data(
            object=summary,
            title_value=title,
            errors=list(errors),
            figures=figures_of(summary),
            **self.sections_context(sections),
        )
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, *args, **kwargs):
        summary = self.object = self.get_object()
        return self.show(summary, summary.title, summary.sections)

    def post(self, request, *args, **kwargs):
        summary = self.object = self.get_object()
        op, sections = self.posted()
        title = request.POST.get("title", "")
        if op.name != "save":
            note = editor.apply(op, sections)
            if note:
                messages.error(request, note)
            return self.show(summary, title, sections)
        try:
            summary = services.save_summary(request.user, summary, title=title, sections=sections)
        except ValidationError as exc:
            return self.show(summary, title, sections, errors=exc.messages, status=400)
        messages.success(request, _("Saved %(object)s.") % {"object": summary})
        return HttpResponseRedirect(summary.get_absolute_url())
