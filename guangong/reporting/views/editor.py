"""The form editor: report forms, their sections, items and rules, and a read-only preview.

Anyone with ``view`` sees the forms that reach their organisation; only users with ``approve``
edit, and only forms owned in their subtree (the ``write`` of its policy). Every change
goes through ``services.editing``; once reports beyond a draft exist the services refuse changes to
the layout, and the pages say so.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from guangong.core.ids import parse_id
from guangong.core.resource_views import ResourceDetailView, ResourceFormView, ResourceListView
from guangong.core.resources import policy_for
from guangong.core.views import ServiceFormView, VerbRequiredMixin

from ..forms import ItemForm, ReportFormForm, RuleForm, SectionForm, param_choices_for
from ..layout import layout
from ..models import FormItem, FormRule, FormSection, ReportForm
from ..services import chain, editing


def editable_form(user, pk) -> ReportForm:
    return policy_for(ReportForm).get(user, pk, "write", ReportForm.objects.select_related("owner"))


class FormListView(ResourceListView):
    show_tree = False
    actions_template = "reporting/form_list_actions.html"
    export_name = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        may_define = self.resource.policy.may(user, "write")
        ctx["can_create"] = may_define and user.organization is not None
        return ctx


class FormDetailView(ResourceDetailView):
    """The form as its editor sees it: facts, sections and items, rules."""

    template_name = "reporting/form_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = self.object
        ctx["can_edit"] = self.resource.policy.allows(self.request.user, "write", form)
        ctx["locked"] = chain.form_locked(form)
        ctx["editing"] = ctx["can_edit"] and not ctx["locked"]
        ctx["sections"] = layout(form)
        ctx["rules"] = form.rules.select_related("left", "right").order_by("pk")
        ctx["kinds"] = form_kinds(form)
        return ctx


def form_kinds(form: ReportForm) -> str:
    from guangong.orgs.models import Kind

    return "、".join(str(Kind(k).label) for k in form.reporting_kinds if k in Kind.values)


class FormPreviewView(FormDetailView):
    """What a reporter will see, with nothing filled in."""

    template_name = "reporting/form_preview.html"


class FormEditView(ResourceFormView):
    """A new form is defined by the user's organisation; an edit needs the form's ``write``."""

    verb = "approve"
    success_message = None

    def get_object(self) -> ReportForm:
        if "pk" in self.kwargs:
            return super().get_object()
        if self.request.user.organization is None:
            raise Http404
        return ReportForm(owner=self.request.user.organization)

    def get_form(self, data=None):
        self.object = self.get_object()
        return ReportFormForm(data, instance=self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.object.pk:
            ctx["title"] = _("New report form")
            ctx["subtitle"] = _("Defined by %(org)s for its subtree.") % {
                "org": self.object.owner.name
            }
        else:
            ctx["title"] = _("Edit %(name)s") % {"name": self.object.name}
        return ctx


class _PartView(ServiceFormView):
    """Add or edit one part of a form (a section, an item, a rule)."""

    verb = "approve"
    model = None
    form_class = None

    def get_report_form(self) -> ReportForm:
        return editable_form(self.request.user, self.kwargs["form"])

    def get_instance(self):
        report_form = self.get_report_form()
        if "pk" in self.kwargs:
            return get_object_or_404(self.model, pk=self.kwargs["pk"], **self.part_of(report_form))
        return self.new(report_form)

    def part_of(self, report_form) -> dict:
        return {"form": report_form}

    def new(self, report_form):
        return self.model(form=report_form)

    def form_kwargs(self, instance) -> dict:
        return {}

    def get_form(self, data=None):
        instance = self.get_instance()
        self._instance = instance
        return self.form_class(data, instance=instance, **self.form_kwargs(instance))

    def get_success_url(self, obj) -> str:
        return reverse("reporting:form_detail", args=[self.kwargs["form"]])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = self.model._meta
        if self._instance.pk:
            ctx["title"] = _("Edit %(what)s") % {"what": meta.verbose_name}
        else:
            ctx["title"] = _("Add %(what)s") % {"what": meta.verbose_name}
        ctx["subtitle"] = self.get_report_form().name
        ctx["cancel_url"] = self.get_success_url(None)
        return ctx


class SectionEditView(_PartView):
    model = FormSection
    form_class = SectionForm

    def new(self, report_form):
        last = report_form.sections.order_by("-order").first()
        return FormSection(form=report_form, order=(last.order + 10) if last else 10)

    def perform(self, form):
        return editing.save_section(self.request.user, form.instance)


class ItemEditView(_PartView):
    model = FormItem
    form_class = ItemForm

    def part_of(self, report_form) -> dict:
        return {"section__form": report_form}

    def new(self, report_form):
        wanted = parse_id(self.request.GET.get("section"))
        sections = report_form.sections.order_by("order", "pk")
        section = (sections.filter(pk=wanted) if wanted else sections).first()
        if section is None:
            raise Http404
        last = section.items.order_by("-order").first()
        return FormItem(section=section, order=(last.order + 10) if last else 10)

    def form_kwargs(self, instance) -> dict:
        return {"param_url": reverse("reporting:param_choices")}

    def perform(self, form):
        return editing.save_item(self.request.user, form.instance)


class RuleEditView(_PartView):
    model = FormRule
    form_class = RuleForm

    def form_kwargs(self, instance) -> dict:
        return {"form": instance.form}

    def perform(self, form):
        return editing.save_rule(self.request.user, form.instance)


class _PartActionView(VerbRequiredMixin, View):
    """POST-only changes to one part of a form: delete, move up or down."""

    verb = "approve"
    model = None

    def post(self, request, form, pk, **kwargs):
        report_form = editable_form(request.user, form)
        lookup = {"section__form": report_form} if self.model is FormItem else {"form": report_form}
        obj = get_object_or_404(self.model, pk=pk, **lookup)
        try:
            self.act(obj)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("reporting:form_detail", args=[report_form.pk]))

    def act(self, obj):
        raise NotImplementedError


class SectionDeleteView(_PartActionView):
    model = FormSection

    def act(self, obj):
        editing.delete_section(self.request.user, obj)


class ItemDeleteView(_PartActionView):
    model = FormItem

    def act(self, obj):
        editing.delete_item(self.request.user, obj)


class RuleDeleteView(_PartActionView):
    model = FormRule

    def act(self, obj):
        editing.delete_rule(self.request.user, obj)


class SectionMoveView(_PartActionView):
    model = FormSection

    def act(self, obj):
        editing.move_section(self.request.user, obj, -1 if self.kwargs["way"] == "up" else 1)


class ItemMoveView(_PartActionView):
    model = FormItem

    def act(self, obj):
        editing.move_item(self.request.user, obj, -1 if self.kwargs["way"] == "up" else 1)


class ParamChoicesView(VerbRequiredMixin, View):
    """The <option>s of the parameter list for the metric chosen (htmx)."""

    verb = "approve"

    def get(self, request):
        choices = param_choices_for(request.GET.get("metric", ""))
        return render(request, "reporting/param_options.html", {"choices": choices})
