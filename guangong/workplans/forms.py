"""The forms of plans and tasks, and of a task's progress report and a plan's adoption."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core.forms import DateInput, ModelChoiceField, ModelMultipleChoiceField, style_fields
from guangong.meetings.models import MemberUnit
from guangong.orgs.forms import OrgChoiceField
from guangong.orgs.models import Organization
from guangong.reporting import metrics

from .models import PlanTask, TaskStatus, WorkPlan
from .services.plans import clean_sections
from .text import numbered_heading


class WorkPlanForm(forms.ModelForm):
    sections = forms.CharField(
        label=_("Sections"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One heading a line, without its number (一、二、… are added)."),
    )

    class Meta:
        model = WorkPlan
        fields = ["organization", "year", "title", "introduction", "sections"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        if self.instance.pk:
            self.fields["organization"].disabled = True
            self.initial["sections"] = "\n".join(self.instance.sections or [])
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
        style_fields(self.fields)

    def clean_sections(self):
        try:
            return clean_sections(self.cleaned_data.get("sections") or "")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["sections"]) from exc


def _param_choices() -> list[tuple[str, str]]:
    seen, out = set(), [("", "—")]
    for kind in dict.fromkeys(m.param for m in metrics.METRICS.values()):
        for value, label in metrics.param_choices(kind):
            if value and value not in seen:
                seen.add(value)
                out.append((value, label))
    return out


class PlanTaskForm(forms.ModelForm):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    metric = forms.ChoiceField(label=_("Measured by"), required=False)
    metric_param = forms.ChoiceField(label=_("Of"), required=False)

    class Meta:
        model = PlanTask
        fields = [
            "section",
            "text",
            "lead_unit",
            "lead_org",
            "cooperating_units",
            "due_date",
            "metric",
            "metric_param",
            "target",
            "target_text",
        ]
        widgets = {"due_date": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        org = plan.organization
        headings = plan.sections or [""]
        self.fields["section"].choices = [
            (i, numbered_heading(i, h) if h else str(i)) for i, h in enumerate(headings, 1)
        ]
        units = MemberUnit.objects.visible_to(user).filter(organization=org)
        self.fields["lead_unit"] = ModelChoiceField(
            queryset=units, label=_("Lead member unit"), required=False
        )
        below = Organization.objects.visible_to(user).filter(
            path__startswith=org.path, depth__lte=org.depth + 1
        )
        self.fields["lead_org"] = ModelChoiceField(
            queryset=below, label=_("Lead organisation"), required=False
        )
        self.fields["lead_org"].help_text = _(
            "A member unit, or the plan's organisation or one directly below it."
        )
        self.fields["cooperating_units"] = ModelMultipleChoiceField(
            queryset=units, label=_("Cooperating member units"), required=False
        )
        self.fields["metric"].choices = [("", _("None (reported only)"))] + [
            (key, m.label) for key, m in metrics.METRICS.items()
        ]
        self.fields["metric_param"].choices = _param_choices()
        self.fields["target"].widget.attrs["inputmode"] = "decimal"
        self.fields["target_text"].help_text = _("As the plan words it, e.g. 组织宣讲不少于60场次.")
        style_fields(self.fields)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    percent = forms.IntegerField(
        label=_("Percent done"), min_value=0, max_value=100, required=False
    )
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    file = forms.FileField(
        label=pgettext_lazy("workplan", "Evidence (photo or document)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["percent"].widget.attrs["inputmode"] = "numeric"
        style_fields(self.fields)


class AdoptForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EmptyForm(forms.Form):
    pass
