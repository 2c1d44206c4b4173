"""Forms of the document pages: a bulletin's particulars, summaries, templates (a period is
chosen with ``core.forms.PeriodForm``, as on the statistics pages)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core import dates
from guangong.core.forms import DateInput, PeriodForm, style_fields
from guangong.orgs.forms import OrgChoiceField

from .models import Bulletin, DocumentKind


class SummaryStartForm(PeriodForm):
    """起草总结: whose work, and over which period."""

    field_order = ["organization", "period", "start", "end"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        self.order_fields(self.field_order)


class BulletinForm(forms.ModelForm):
    """A bulletin's particulars; its sections are edited beside them (see ``editor``)."""

    class Meta:
        model = Bulletin
        fields = [
            "organization",
            "name",
            "issue_no",
            "cumulative_no",
            "date",
            "title",
            "report_to",
            "send_to",
            "issue_to",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Issued by"))
        self.fields["date"].validators.append(dates.PLAN.validator)
        if self.instance.pk:
            # The issuing organisation and the numbers of a saved bulletin stay as they are.
            for name in ("organization", "issue_no", "cumulative_no"):
                self.fields[name].disabled = True
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Left empty: “<organisation>关心下一代工作简报”.")
        self.fields["issue_no"].help_text = _("Proposed from the last issue of the year.")
        for name in ("issue_no", "cumulative_no"):
            self.fields[name].min_value = 1
            self.fields[name].widget.attrs["min"] = 1
        if not self.instance.pk:
            self.fields["issue_no"].required = False
            self.fields["cumulative_no"].required = False
        style_fields(self.fields)

    def clean_name(self):
        # Left empty: a new bulletin is named after its organisation; a saved one keeps its name.
        return self.cleaned_data["name"].strip() or self.instance.name

    def clean(self):
        data = super().clean()
        if not self.instance.pk and bool(data.get("issue_no")) != bool(data.get("cumulative_no")):
            raise forms.ValidationError(
                _(
                    "Give both the issue number and the cumulative number, or leave both empty "
                    "to number the bulletin automatically."
                )
            )
        return data


class TemplateUploadForm(forms.Form):
    """A replacement template for the documents of one organisation of the subtree."""

    kind = forms.ChoiceField(label=_("For"), choices=DocumentKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    file = forms.FileField(
        label=_("Word template (.docx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            }
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = OrgChoiceField(
            user,
            label=_("For the documents of"),
            required=False,  # left empty: the administrator's own organisation
            initial=user.organization_id,
            help_text=_(
                "The template serves this organisation and those below it, except those that "
                "have a template of their own."
            ),
        )
        self.order_fields(["kind", "owner", "name", "file"])
        style_fields(self.fields)


def default_bulletin_date() -> datetime.date:
    return timezone.localdate()
