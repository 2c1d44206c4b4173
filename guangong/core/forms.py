import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import dates
from .ids import is_integer_key, parse_id
from .periods import PRESET_LABELS, Period


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


#: The number fields' units, by field name (shown after the box: core/form_fields.html).
UNITS = {
    "participants": _("person-times"),
    "hours": _("hours"),
    "service_hours": _("hours"),
    "sessions": _("sessions"),
    "count": _("people"),
    "member_count": _("people"),
    "amount_requested": _("yuan"),
    "amount_approved": _("yuan"),
    "amount_disbursed": _("yuan"),
    "due_days": _("days"),
}

DASHES = "---------"


def _blank_reads_choose(field) -> None:
    """A choice's empty option reads 请选择, not Django's “---------”."""
    if getattr(field, "empty_label", None) == DASHES:
        field.empty_label = _("Please choose")
    choices = getattr(field, "choices", None)
    if isinstance(choices, list) and choices and choices[0] == ("", DASHES):
        field.choices = [("", _("Please choose")), *choices[1:]]


def style_fields(fields) -> None:
    """Give every visible widget its Bootstrap class (select, checkbox or text-like), the
    choices' empty option its words (请选择) and a number field its unit (``UNITS``)."""
    for name, field in fields.items():
        widget = field.widget
        if widget.is_hidden:
            continue
        _blank_reads_choose(field)
        if name in UNITS and isinstance(field, forms.DecimalField | forms.IntegerField):
            field.unit = UNITS[name]
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _IdChoiceMixin:
    """Refuse what cannot be an id of the queryset's model as an invalid choice, before any
    query: a number past 64 bits would make SQLite raise OverflowError (a 500)."""

    def _refuse_non_ids(self, values) -> None:
        if self.to_field_name or not is_integer_key(self.queryset):
            return
        for value in values:
            if value in self.empty_values or isinstance(value, models.Model):
                continue
            if parse_id(value) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )


class ModelChoiceField(_IdChoiceMixin, forms.ModelChoiceField):
    """Django's ModelChoiceField, refusing non-ids without a query."""

    def to_python(self, value):
        self._refuse_non_ids([value])
        return super().to_python(value)


class ModelMultipleChoiceField(_IdChoiceMixin, forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, refusing non-ids without a query."""

    def _check_values(self, value):
        if isinstance(value, list | tuple | set | frozenset):
            self._refuse_non_ids(value)
        return super()._check_values(value)


# --- Choosing a period -------------------------------------------------------------------------

MAX_YEARS = 10
MAX_DAYS = 365 * MAX_YEARS + 3  # ten years, leap days included

DATE_ERRORS = {
    "invalid": _("Enter a date as YYYY-MM-DD."),
    "required": _("Enter a date."),
}

#: A range of dates rather than a preset.
RANGE = "range"


def check_range(start: datetime.date | None, end: datetime.date | None) -> None:
    """Raise a ValidationError (keyed by field: ``from``, ``to``) unless the range is usable:
    both dates or neither, each within ``dates.PLAN`` (from 2000 to five years ahead, as every
    date staff plan with), the end not before the start, at most ``MAX_YEARS`` years."""
    if (start is None) != (end is None):
        missing = "to" if end is None else "from"
        raise ValidationError({missing: _("Give both the start and the end date, or neither.")})
    if start is None:
        return
    errors = {}
    for key, day in (("from", start), ("to", end)):
        try:
            dates.PLAN.validate(day)
        except ValidationError as exc:
            errors[key] = exc
    if errors:
        raise ValidationError(errors)
    if end < start:
        raise ValidationError({"to": _("The end date cannot be before the start date.")})
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(
            {"to": _("A period can be at most %(n)s years long.") % {"n": MAX_YEARS}}
        )


class PeriodForm(forms.Form):
    """A preset (``period``: 本月, 本季度, 本年, 上年) or a range of dates (``period=range``, or
    no preset and both dates), for the statistics pages and the documents alike.

    ``url_names``: the dates are called ``from`` and ``to`` (as in the API's query string)
    instead of ``start`` and ``end``.
    """

    default = "year"

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[*PRESET_LABELS.items(), (RANGE, _("From – to"))],
        required=False,
        initial=default,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )

    def __init__(self, *args, url_names: bool = False, **kwargs):
        self.url_names = url_names
        super().__init__(*args, **kwargs)
        style_fields(self.fields)

    def add_prefix(self, field_name):
        # Python cannot name a field ``from``: the URL's names are given here.
        if self.url_names:
            field_name = {"start": "from", "end": "to"}.get(field_name, field_name)
        return super().add_prefix(field_name)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("start"), data.get("end")
        if data.get("period") == RANGE:
            for name in ("start", "end"):
                if data.get(name) is None:
                    self.add_error(name, DATE_ERRORS["required"])
            if self.errors:
                return data
        try:
            check_range(start, end)
        except ValidationError as exc:
            for key, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error({"from": "start", "to": "end"}[key], error)
        return data

    @property
    def is_custom(self) -> bool:
        if not (self.is_bound and self.is_valid() and self.cleaned_data.get("start")):
            return False
        return self.cleaned_data.get("period") in ("", RANGE)

    def preset(self) -> str:
        """The preset chosen ("" for a range of dates; the default when unbound or invalid)."""
        if self.is_custom:
            return ""
        chosen = self.is_bound and self.is_valid() and self.cleaned_data.get("period")
        return chosen if chosen in PRESET_LABELS else self.default

    def preset_choices(self) -> list[tuple[str, str, bool]]:
        """(key, label, chosen) of every preset, for the buttons above a page."""
        return [(key, label, key == self.preset()) for key, label in PRESET_LABELS.items()]

    def get_period(self, today: datetime.date | None = None) -> Period:
        """The chosen period; the default preset when the form is unbound or invalid."""
        if self.is_custom:
            return Period.range(self.cleaned_data["start"], self.cleaned_data["end"])
        return Period.preset(self.preset(), today or timezone.localdate())


__all__ = [
    "apply_validation_error",
    "check_range",
    "DateInput",
    "PeriodForm",
    "ModelChoiceField",
    "ModelMultipleChoiceField",
    "NON_FIELD_ERRORS",
    "style_fields",
]


class RevealReasonForm(forms.Form):
    """Why a user asks to see a hidden value once (the reason goes to the audit log);
    ``placeholder``: the hint in the empty box."""

    placeholder = None
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.placeholder:
            self.fields["reason"].widget.attrs.update(
                {"placeholder": self.placeholder, "autocomplete": "off"}
            )
        style_fields(self.fields)


class SearchInput(forms.TextInput):
    """A list's search box (``type="search"``), with an optional ``placeholder``."""

    input_type = "search"

    def __init__(self, placeholder=None, attrs=None):
        attrs = dict(attrs or {})
        if placeholder:
            attrs["placeholder"] = placeholder
        super().__init__(attrs=attrs)


def quoted_name(obj) -> str:
    """A record's name to put inside a message's “…”: its own “…” become ‘…’ (as Chinese
    nests quotation marks), so “已保存““五老”进社区”” reads 已保存“‘五老’进社区”."""
    return str(obj).replace("“", "‘").replace("”", "’")
