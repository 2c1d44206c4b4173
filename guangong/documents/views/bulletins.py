"""Bulletin pages (工作简报): the list with the organisation tree, the detail, the editor.

Everything starts from ``visible_to(user)`` (404 outside the subtree); every change goes
through ``services``. The editor is a plain form: structural edits (a section more, a
paragraph less, the statistics inserted) post the whole page and show it again unsaved.
"""

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from guangong.activities.models import Activity
from guangong.core.forms import PeriodForm
from guangong.core.ids import parse_id
from guangong.core.resource_views import ResourceDetailView, ResourceFormView, ResourceListView
from guangong.core.resources import policy_for
from guangong.core.views import ChoicesView, ScopedMixin
from guangong.orgs.models import Organization
from guangong.stats.figures import Figures
from guangong.stats.phrasing import bulletin_paragraphs

from .. import editor, services
from ..models import Bulletin, DocumentStatus, DocumentTemplate

STATS_PREFIX = "stats"


class DocumentsNavMixin:
    """The tabs of the documents pages."""

    nav = "bulletins"
    #: A list's "new" page, opened for the organisation chosen in the tree (``?org=``).
    add_url_name = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["documents_nav"] = self.nav
        ctx["can_manage_templates"] = policy_for(DocumentTemplate).may(self.request.user, "read")
        if self.add_url_name:
            org = self.request.GET.get("org", "")
            add_url = reverse(self.add_url_name)
            ctx["add_url"] = f"{add_url}?org={org}" if org.isdigit() else add_url
        return ctx


class BulletinListView(DocumentsNavMixin, ResourceListView):
    template_name = "documents/list.html"
    actions_template = "documents/bulletin_list_actions.html"
    add_url_name = "documents:bulletin_add"


class BulletinDetailView(DocumentsNavMixin, ResourceDetailView):
    template_name = "documents/bulletin_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        bulletin = self.object
        ids = [int(i) for s in bulletin.sections for i in s.get("activities", [])]
        found = Activity.objects.visible_to(self.request.user).in_bulk(ids)
        ctx["sections"] = editor.for_display(bulletin.sections, found)
        ctx["can_edit"] = bulletin.status == DocumentStatus.DRAFT and self.resource.policy.allows(
            self.request.user, "write", bulletin
        )
        ctx["files"] = bulletin.files.visible_to(self.request.user)
        ctx["kind"] = "bulletin"
        return ctx


class SectionEditorMixin:
    """What the bulletin and summary editors share: reading the posted sections, the
    structural edits, and the page's context."""

    with_activities = False
    template_name = None

    def sections_context(self, sections: list[dict]) -> dict:
        activities = None
        if self.with_activities:
            ids = [int(i) for s in sections for i in s.get("activities", [])]
            activities = Activity.objects.visible_to(self.request.user).in_bulk(ids)
        return {
            "sections": editor.for_display(sections, activities),
            "section_count": len(sections),
            "suggested_headings": editor.SUGGESTED_HEADINGS,
            "with_activities": self.with_activities,
        }

    def posted(self):
        data = self.request.POST
        return editor.parse_op(data.get("op", "save")), editor.posted_sections(
            data, with_activities=self.with_activities
        )


def quiet(form: django_forms.BaseForm) -> django_forms.BaseForm:
    """A bound form re-shown after a structural edit: its errors wait until it is saved."""
    form._errors = django_forms.utils.ErrorDict()
    form.cleaned_data = {}
    return form


class BulletinEditView(DocumentsNavMixin, SectionEditorMixin, ResourceFormView):
    """A new bulletin, or a draft's particulars and sections (an issued one is not changed)."""

    template_name = "documents/bulletin_form.html"
    with_activities = True

    def get_initial(self) -> dict:
        org = self.requested_org()
        today = timezone.localdate()
        initial = {"date": today}
        if org is not None:
            initial["organization"] = org.pk
            initial["issue_no"], initial["cumulative_no"] = services.next_numbers(org, today.year)
        return initial

    def issued_redirect(self, bulletin):
        messages.error(self.request, _("An issued bulletin cannot be changed."))
        return HttpResponseRedirect(bulletin.get_absolute_url())

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if self.object.status == DocumentStatus.ISSUED:
            return self.issued_redirect(self.object)
        if self.object.pk:
            self.sections = self.object.sections
        else:
            self.sections = [
                {"heading": h, "paragraphs": [""], "activities": []}
                for h in editor.SUGGESTED_HEADINGS[:3]
            ]
        self.period_form = PeriodForm(prefix=STATS_PREFIX)
        return self.render_form(form)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if self.object.status == DocumentStatus.ISSUED:
            return self.issued_redirect(self.object)
        op, self.sections = self.posted()
        self.period_form = PeriodForm(request.POST, prefix=STATS_PREFIX)
        if op.name == "save":
            self.period_form = PeriodForm(prefix=STATS_PREFIX)
            return self.submit(form)
        if op.name == "stats":
            note = self.insert_statistics(op, self.sections, form, self.period_form)
        else:
            self.period_form = PeriodForm(prefix=STATS_PREFIX)
            note = editor.apply(op, self.sections)
        if note:
            messages.error(request, note)
        return self.render_form(quiet(form))

    def perform(self, form):
        form.instance.sections = self.sections
        return super().perform(form)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object if self.object.pk else None
        ctx["period_form"] = self.period_form
        ctx.update(self.sections_context(self.sections))
        return ctx

    def insert_statistics(self, op, sections, form, period_form):
        org = None
        if form.instance.pk:
            org = form.instance.organization
        else:
            org_id = parse_id(self.request.POST.get("organization"))
            if org_id:
                org = Organization.objects.visible_to(self.request.user).filter(pk=org_id).first()
        if org is None:
            return _("Choose the issuing organisation first.")
        if not period_form.is_valid():
            return " ".join(str(e) for errors in period_form.errors.values() for e in errors) or _(
                "Choose a period."
            )
        period = period_form.get_period()
        return editor.apply(
            op,
            sections,
            statistics=lambda: bulletin_paragraphs(Figures(org, period)),
            source={"org": org.pk, "from": period.start.isoformat(), "to": period.end.isoformat()},
        )


class BulletinIssueView(ScopedMixin, View):
    verb = "edit"
    model = Bulletin

    def post(self, request, *args, **kwargs):
        bulletin = policy_for(Bulletin).get(request.user, kwargs["pk"])
        if bulletin.status == DocumentStatus.ISSUED:
            messages.info(request, _("This bulletin is already issued."))
        else:
            services.issue_bulletin(request.user, bulletin)
            messages.success(
                request, _("Issued %(object)s. It can no longer be changed.") % {"object": bulletin}
            )
        return HttpResponseRedirect(bulletin.get_absolute_url())


class ActivityChoicesView(ChoicesView):
    """<option>s for a section's activity picker: title search within scope, newest first; the
    ids sent under ``keep``'s name stay selected."""

    model = Activity
    template_name = "documents/activity_choices.html"
    ordering = ("-date", "-pk")
    keep_limit = 100
