"""Forms of the form editor and of the collectors' actions.

The report page itself is not a Django form: its fields are the form's items, posted by code
(``v_<code>``, ``o_<code>``) and handed whole to ``services.save_values``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.forms import DateInput, style_fields
from guangong.orgs.models import Kind
from guangong.people.forms import Checkboxes

from . import metrics
from .models import FormItem, FormRule, FormSection, ItemKind, ReportForm


class ReportFormForm(forms.ModelForm):
    reporting_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds that report"),
        choices=Kind.choices,
        widget=Checkboxes(),
        help_text=_("Organisations of these kinds in the subtree must file the report."),
    )

    class Meta:
        model = ReportForm
        fields = [
            "name",
            "period_type",
            "reporting_kinds",
            "due_days",
            "starts_on",
            "description",
            "active",
        ]
        widgets = {"starts_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class SectionForm(forms.ModelForm):
    class Meta:
        model = FormSection
        fields = ["title", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


def metric_choices() -> list[tuple[str, str]]:
    return [("", "---------")] + [(m.key, str(m.label)) for m in metrics.METRICS.values()]


class ItemForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("Computed from"), required=False)
    metric_param = forms.ChoiceField(label=_("Which"), required=False)

    class Meta:
        model = FormItem
        fields = list(FormItem.DEFINITION)

    def __init__(self, *args, param_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()
        metric_key = self.data.get("metric") if self.is_bound else self.instance.metric
        self.fields["metric_param"].choices = param_choices_for(metric_key or "")
        style_fields(self.fields)
        # The parameter list follows the chosen metric (htmx swaps the <select>'s options).
        self.fields["metric"].widget.attrs.update(
            {
                "hx-get": param_url,
                "hx-trigger": "change",
                "hx-target": "#id_metric_param",
                "hx-swap": "innerHTML",
                "data-testid": "metric",
            }
        )
        self.fields["metric_param"].widget.attrs["data-testid"] = "metric-param"

    def clean(self):
        data = super().clean()
        if data.get("kind") != ItemKind.COMPUTED:
            data["metric"] = data["metric_param"] = ""
        return data


def param_choices_for(metric_key: str) -> list[tuple[str, str]]:
    metric = metrics.METRICS.get(metric_key)
    if metric is None:
        return [("", "")]
    return metrics.param_choices(metric.param)


class RuleForm(forms.ModelForm):
    class Meta:
        model = FormRule
        fields = ["left", "operator", "right", "message"]

    def __init__(self, *args, form: ReportForm, **kwargs):
        super().__init__(*args, **kwargs)
        numeric = form.items().exclude(kind=ItemKind.TEXT)
        for name in ("left", "right"):
            self.fields[name].queryset = numeric
            self.fields[name].label_from_instance = lambda item: f"{item.code} {item.label}"
        self.fields["left"].label = _("Item")
        self.fields["right"].label = _("Compared with")
        style_fields(self.fields)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        style_fields(self.fields)
