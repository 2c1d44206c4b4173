"""Validators shared by every app, each with a message in the user's language."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Landline: area code 0xx or 0xxx, a dash optional, 7 or 8 digits, an optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")

# First two digits of the GB/T 2260 codes of the 34 provincial-level divisions.
PROVINCE_PREFIXES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "")


def validate_phone(value: str) -> None:
    """A mainland mobile number (11 digits starting 13–19) or a landline with area code."""
    phone = normalize_phone(value)
    if phone.startswith("+86"):
        phone = phone[3:]
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            _("Enter a mainland mobile number (11 digits) or a landline with its area code."),
            code="invalid_phone",
        )


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(
            _("Enter a mainland mobile number: 11 digits starting with 13–19."),
            code="invalid_mobile",
        )


def validate_division_code(value: str) -> None:
    """A GB/T 2260 county-level code (6 digits) or a 12-digit statistical division code."""
    if not value.isdigit() or len(value) not in (6, 12):
        raise ValidationError(_("A division code is 6 or 12 digits."), code="invalid_division_code")
    if value[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("“%(prefix)s” is not the code of a province-level division.") % {"prefix": value[:2]},
            code="invalid_division_code",
        )


def mask_phone(value: str) -> str:
    """138****5678 — enough to recognise, not enough to call."""
    phone = normalize_phone(value)
    if len(phone) >= 7:
        return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
    return "*" * len(phone)


@deconstructible
class DateRangeValidator:
    """A date between ``min_date`` and ``max_date``, both included; either may be a callable
    (``timezone.localdate``) so that "today" moves with the calendar."""

    code = "date_out_of_range"

    def __init__(self, min_date, max_date):
        self.min_date = min_date
        self.max_date = max_date

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        low, high = self.min_date, self.max_date
        return (low() if callable(low) else low), (high() if callable(high) else high)

    def __call__(self, value) -> None:
        if not isinstance(value, datetime.date):
            return  # the field's own conversion reports what is not a date
        if isinstance(value, datetime.datetime):
            value = value.date()
        low, high = self.bounds()
        if not low <= value <= high:
            raise ValidationError(
                _("Enter a date between %(min)s and %(max)s."),
                code=self.code,
                params={"min": date_format(low), "max": date_format(high)},
            )

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, DateRangeValidator)
            and self.min_date == other.min_date
            and self.max_date == other.max_date
        )


def date_range_validator(min_date, max_date) -> DateRangeValidator:
    return DateRangeValidator(min_date, max_date)
