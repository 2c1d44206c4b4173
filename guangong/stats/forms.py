"""The completeness view's window (this month or this quarter); the statistics page's period
is ``core.forms.PeriodForm``, as the documents' is."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.forms import style_fields
from guangong.core.periods import Period
from guangong.orgs.forms import OrgChoiceField

from .models import Population

#: The windows of the completeness view.
WINDOW_CHOICES = [("month", _("This month")), ("quarter", _("This quarter"))]


class WindowForm(forms.Form):
    """The completeness view's window: this month or this quarter."""

    window = forms.ChoiceField(label=_("Window"), choices=WINDOW_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)

    def chosen(self) -> str:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("window"):
            return self.cleaned_data["window"]
        return "month"

    def get_period(self, today: datetime.date | None = None) -> Period:
        return Period.preset(self.chosen(), today or timezone.localdate())


class PopulationForm(forms.ModelForm):
    """A population: the organisation (those the user sees), year, kind, number and source."""

    class Meta:
        model = Population
        fields = ["organization", "year", "kind", "count", "source"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        if not self.instance.pk and not self.initial.get("year"):
            self.initial["year"] = timezone.localdate().year
        self.fields["count"].widget.attrs["inputmode"] = "numeric"
        style_fields(self.fields)
