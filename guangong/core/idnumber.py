"""Resident ID numbers of the People's Republic of China (GB 11643-1999, 居民身份证号码).

Eighteen characters: a six-digit division code (its first two digits the province), the birth
date YYYYMMDD, a three-digit sequence whose last digit is odd for men and even for women, and an
ISO 7064 MOD 11-2 check character, a digit or X.

Store and index ``normalize(raw)``: the same number typed with full-width digits, spaces or a
lower-case x must give the same blind index.
"""

import datetime
import operator
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.validators import PROVINCE_PREFIXES

LENGTH = 18
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # index: weighted sum mod 11
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
_TWO_DAYS = datetime.timedelta(days=2)

_FIRST17_RE = re.compile(r"[0-9]{17}")
_SHAPE_RE = re.compile(r"[0-9]{17}[0-9X]")
# Full-width digits and Latin letters (as typed with a Chinese input method) → ASCII.
_HALF_WIDTH = {
    code: code - 0xFEE0
    for first, last in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(first, last + 1)
}
# Invisible characters that come with pasted text; str.split() does not see them as spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# How a spreadsheet writes a number it holds: 1.10101E+17, or 110101199003071000.0 in a CSV.
_NUMBER_TEXT_RE = re.compile(r"[0-9]+(\.[0-9]*)?E\+?[0-9]+|[0-9]{15,}\.[0-9]*", re.IGNORECASE)

STORED_AS_NUMBER = _(
    "The spreadsheet stored this ID number as a number. Excel keeps only the first 15 digits of "
    "a number, so its last digits may be lost. Format the ID number column as Text, type the ID "
    "numbers in again, and import the file again."
)
LAST_DIGITS_ZEROED = _(
    "This ID number ends in 000 and its check character is wrong: Excel probably stored it as a "
    "number and replaced the last digits with zeros. Format the ID number column as Text, type "
    "the ID numbers in again, and import the file again."
)


@dataclass(frozen=True, slots=True)
class IdInfo:
    """What an ID number says about its holder."""

    birth_date: datetime.date
    sex: str  # "M" or "F"


def normalize(raw: str | None) -> str:
    """Without any whitespace, full-width digits and letters made half-width, x made X."""
    if raw is None:
        return ""
    text = str(raw)
    if _SHAPE_RE.fullmatch(text):  # already normal, as nearly every number read from a file
        return text
    text = text.translate(_HALF_WIDTH).translate(_INVISIBLE)
    return "".join(text.split()).replace("x", "X")


def checksum_char(first17: str) -> str:
    """The MOD 11-2 check character ("0"–"9" or "X") that completes 17 digits."""
    if not _FIRST17_RE.fullmatch(first17):
        raise ValueError("checksum_char() takes exactly 17 ASCII digits")
    total = sum(map(operator.mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def validate_id_number(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` (normalised here) is a valid ID number."""
    number = normalize(value)
    if len(number) != LENGTH:
        raise ValidationError(
            _("An ID number has 18 characters, but this one has %(count)d."),
            code="id_number_length",
            params={"count": len(number)},
        )
    if not _SHAPE_RE.fullmatch(number):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."),
            code="id_number_format",
        )
    if number[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("“%(prefix)s” is not the code of a province-level division."),
            code="id_number_province",
            params={"prefix": number[:2]},
        )
    _birth_date(number)  # raises for an impossible, early or future date
    if number[17] != checksum_char(number[:17]):
        # Never say which character would be right: that would help forge numbers.
        raise ValidationError(
            _(
                "The check character (the last one) of this ID number is wrong. Check the "
                "number for a mistyped or missing digit."
            ),
            code="id_number_checksum",
        )


def _birth_date(number: str) -> datetime.date:
    digits = number[6:14]
    try:
        birth_date = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValidationError(
            _("The birth date in this ID number (characters 7–14: %(digits)s) is not a real date."),
            code="id_number_birth_date",
            params={"digits": digits},
        ) from None
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("The birth date in this ID number (%(date)s) is before 1900."),
            code="id_number_birth_date_too_early",
            params={"date": birth_date.isoformat()},
        )
    # The local date of any time zone is within a day of the UTC date, so only a birth date
    # that recent needs Django's local date (the slower call).
    utc_today = datetime.datetime.now(datetime.UTC).date()
    if birth_date > utc_today - _TWO_DAYS and birth_date > timezone.localdate():
        raise ValidationError(
            _("The birth date in this ID number (%(date)s) is in the future."),
            code="id_number_birth_date_future",
            params={"date": birth_date.isoformat()},
        )
    return birth_date


def parse(value: str) -> IdInfo:
    """Birth date and sex of a valid ID number; ``ValidationError`` if it is not valid."""
    validate_id_number(value)
    number = normalize(value)
    return IdInfo(
        birth_date=_birth_date(number),
        sex="M" if int(number[16]) % 2 else "F",
    )


def mask(value: str) -> str:
    """110101********123X: the region and the last four, never the birth date.

    A value that is not 18 characters long keeps only its first and last two.
    """
    number = normalize(value)
    if len(number) == LENGTH:
        return f"{number[:6]}{'*' * 8}{number[-4:]}"
    if len(number) <= 4:
        return "*" * len(number)
    return f"{number[:2]}{'*' * (len(number) - 4)}{number[-2:]}"


def spreadsheet_damage(cell_value: object) -> str | None:
    """Why an ID number read from an .xlsx cell was spoilt by the spreadsheet, or ``None``.

    Excel keeps 15 significant digits of a number: an 18-digit ID number entered into a cell not
    formatted as Text becomes 1.10101E+17 or loses its last three digits. This explains it to
    the person importing, with what to do; a value that is merely invalid is left to
    ``validate_id_number``.
    """
    if cell_value is None or isinstance(cell_value, bool):
        return None
    if isinstance(cell_value, int | float | Decimal):
        return str(STORED_AS_NUMBER)
    if not isinstance(cell_value, str):
        return None
    number = normalize(cell_value)
    if _NUMBER_TEXT_RE.fullmatch(number):
        return str(STORED_AS_NUMBER)
    if (
        len(number) == LENGTH
        and number.endswith("000")
        and _FIRST17_RE.fullmatch(number[:17])
        and number[17] != checksum_char(number[:17])
    ):
        return str(LAST_DIGITS_ZEROED)
    return None
