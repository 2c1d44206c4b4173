"""Choosing what the statistics pages show: an organisation within scope and a period.

The page and the API validate a range the same way (``check_range``): both dates or neither,
the end not before the start, at most ``MAX_YEARS`` years, and years a calendar can shift by
one (the 同比 comparison looks a year back).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.activities.stats import Period, presets
from guangong.core.forms import DateInput, style_fields
from guangong.core.scope import get_visible_or_404
from guangong.orgs.models import Organization
from guangong.orgs.views import scope_roots

MAX_YEARS = 10
MAX_DAYS = 365 * MAX_YEARS + 3  # ten years, leap days included
FIRST_YEAR, LAST_YEAR = 1900, 2100

#: The presets the page offers, in the order shown.
PRESET_CHOICES = [
    ("month", _("This month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("last_year", _("Last year")),
]
DEFAULT_PRESET = "year"

#: The windows of the completeness view.
WINDOW_CHOICES = [("month", _("This month")), ("quarter", _("This quarter"))]

DATE_ERRORS = {
    "invalid": _("Enter a date as YYYY-MM-DD."),
    "required": _("Enter a date."),
}


def check_range(start: datetime.date | None, end: datetime.date | None) -> None:
    """Raise a ValidationError (keyed by field: ``from``, ``to``) unless the range is usable."""
    if (start is None) != (end is None):
        missing = "to" if end is None else "from"
        raise ValidationError({missing: _("Give both the start and the end date, or neither.")})
    if start is None:
        return
    errors = {}
    for key, day in (("from", start), ("to", end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors[key] = _("Dates must lie between %(first)s and %(last)s.") % {
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
    if errors:
        raise ValidationError(errors)
    if end < start:
        raise ValidationError({"to": _("The end date cannot be before the start date.")})
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(
            {"to": _("A period can be at most %(n)s years long.") % {"n": MAX_YEARS}}
        )


def default_root(user) -> Organization:
    """The user's own organisation (a superuser without one: the first root)."""
    root = scope_roots(user).first()
    if root is None:
        raise Http404
    return root


def resolve_org(user, value) -> Organization:
    """The organisation asked for, if the user may see it (404 otherwise); else their own."""
    if value in (None, ""):
        return default_root(user)
    return get_visible_or_404(Organization.objects, user, pk=value)


class PeriodForm(forms.Form):
    """GET parameters of the statistics page: ``period`` (a preset) or ``from`` and ``to``."""

    period = forms.ChoiceField(label=_("Period"), choices=PRESET_CHOICES, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)

    def add_prefix(self, field_name):
        # The URL says ``from`` and ``to``, as the API does (Python cannot name a field ``from``).
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_range(data.get("start"), data.get("end"))
        except ValidationError as exc:
            for key, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error({"from": "start", "to": "end"}[key], error)
        return data

    @property
    def is_custom(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("start"))

    def preset(self) -> str:
        if self.is_custom:
            return ""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("period"):
            return self.cleaned_data["period"]
        return DEFAULT_PRESET

    def get_period(self, today: datetime.date | None = None) -> Period:
        """The chosen period; the default preset when the form is unbound or invalid."""
        if self.is_custom:
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return presets(today or timezone.localdate())[self.preset()]


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
        return presets(today or timezone.localdate())[self.chosen()]
