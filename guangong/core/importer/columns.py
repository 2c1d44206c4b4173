"""Columns of an import sheet and how their cells convert to Python values."""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from guangong.core import idnumber
from guangong.core.validators import mask_phone, normalize_phone, validate_phone

KINDS = ("text", "int", "decimal", "date", "choice", "id_number", "phone")
#: Kinds whose cells are formatted as text in the template, so Excel keeps them as typed.
TEXT_KINDS = frozenset({"text", "id_number", "phone"})
#: Kinds that are sensitive unless a column says otherwise (``Column.sensitive``).
SENSITIVE_KINDS = frozenset({"id_number", "phone"})


class CellInvalid(Exception):
    """A cell's value cannot be converted; the message is shown to the user."""


@dataclass(frozen=True)
class Column:
    """One column of the sheet: its header, the field it fills and how its cells read."""

    header: str  # a (lazy) translatable string; matched in every language of the site
    field: str
    required: bool = False
    kind: str = "text"
    #: For kind "choice": a callable returning {label: value} (called once per parse).
    choices: Callable[[], Mapping[str, Any]] | None = None
    width: int | None = None
    help: str = ""
    #: Longest text accepted; by default the model field's max_length.
    max_length: int | None = None
    example: str = ""
    #: Shown masked to users without the ``reveal`` verb (an import's preview), and what makes
    #: a download of the uploaded file a reveal. By default: ID numbers and phone numbers.
    sensitive: bool | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.kind == "choice" and self.choices is None:
            raise ValueError(f"column {self.field!r} of kind 'choice' needs choices")
        if self.sensitive is None:
            object.__setattr__(self, "sensitive", self.kind in SENSITIVE_KINDS)

    @property
    def empty(self):
        return "" if self.kind in TEXT_KINDS else None

    def mask(self, text: str) -> str:
        """A sensitive cell as it reads for users who may not reveal it."""
        return mask_text(self.kind, text)


def mask_text(kind: str, text: str) -> str:
    """110101********123X, 138****5678; any other text keeps its first character only."""
    text = str(text or "")
    if not text:
        return ""
    if kind == "id_number":
        return idnumber.mask(text)
    if kind == "phone":
        return mask_phone(text)
    if len(text) == 1:
        return "*"
    return text[0] + "*" * min(len(text) - 1, 8)


_SPACES = re.compile(r"[\s\u3000]+")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def normalize_header(value) -> str:
    """Headers match whatever the spaces, case, width of brackets and required-marks (*)."""
    text = _SPACES.sub("", str(value or ""))
    text = text.replace("（", "(").replace("）", ")").replace("*", "").replace("＊", "")
    return text.lower()


def _number_text(value) -> str:
    if isinstance(value, bool):
        raise CellInvalid(_("Enter text, not TRUE or FALSE."))
    if isinstance(value, float):
        if not value.is_integer():
            return repr(value)
        if abs(value) >= 1e15:
            raise CellInvalid(
                _(
                    "Excel has rounded this long number. Format the column as text "
                    "and type it again."
                )
            )
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_text(value) -> str:
    return value.strip() if isinstance(value, str) else _number_text(value).strip()


def to_int(value) -> int:
    if isinstance(value, bool):
        raise CellInvalid(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip().replace(",", "")
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    raise CellInvalid(_("Enter a whole number."))


def to_decimal(value) -> decimal.Decimal:
    if isinstance(value, bool):
        raise CellInvalid(_("Enter a number."))
    text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", "")
    try:
        number = decimal.Decimal(text)
    except decimal.InvalidOperation as exc:
        raise CellInvalid(_("Enter a number.")) from exc
    if not number.is_finite():
        raise CellInvalid(_("Enter a number."))
    return number


def to_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip() if isinstance(value, str | int) else ""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise CellInvalid(_("Enter a date such as 2024-05-01, 2024/5/1 or 2024年5月1日."))


def to_id_number(value) -> str:
    """A resident ID number, refused with the reason if the spreadsheet spoilt it."""
    damage = idnumber.spreadsheet_damage(value)
    if damage:
        raise CellInvalid(damage)
    try:
        idnumber.validate_id_number(str(value))
    except ValidationError as exc:
        raise CellInvalid(" ".join(exc.messages)) from exc
    return idnumber.normalize(str(value))


def to_phone(value) -> str:
    text = normalize_phone(to_text(value))
    try:
        validate_phone(text)
    except ValidationError as exc:
        raise CellInvalid(" ".join(exc.messages)) from exc
    return text


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "text": to_text,
    "int": to_int,
    "decimal": to_decimal,
    "date": to_date,
    "id_number": to_id_number,
    "phone": to_phone,
}


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def in_every_language(text) -> set[str]:
    """A header as it reads in each language of the site, normalised."""
    names = set()
    for code in _languages():
        with translation.override(code):
            names.add(normalize_header(str(text)))
    return names


def choice_lookup(column: Column) -> tuple[dict[str, Any], list[str]]:
    """{normalised label or value: value} in every language, and the labels to show."""
    lookup: dict[str, Any] = {}
    for code in _languages():
        with translation.override(code):
            for label, value in column.choices().items():
                lookup.setdefault(normalize_header(str(label)), value)
                lookup.setdefault(normalize_header(str(value)), value)
    labels = [str(label) for label in column.choices()]
    return lookup, labels


def choice_converter(column: Column) -> Callable[[Any], Any]:
    lookup, labels = choice_lookup(column)
    listed = "、".join(labels) if len(labels) <= 20 else _("the drop-down list of the template")

    def convert(value):
        key = normalize_header(to_text(value))
        try:
            return lookup[key]
        except KeyError:
            raise CellInvalid(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": to_text(value), "choices": listed}
            ) from None

    return convert


def validated(convert, validators):
    """``convert``, then the model field's validators (a date's plausible range)."""

    def checked(value):
        converted = convert(value)
        try:
            for validator in validators:
                validator(converted)
        except ValidationError as exc:
            raise CellInvalid(" ".join(exc.messages)) from exc
        return converted

    return checked


def length_check(convert, limit: int):
    def checked(value):
        text = convert(value)
        if len(text) > limit:
            raise CellInvalid(
                _("At most %(limit)d characters (this one has %(n)d).")
                % {"limit": limit, "n": len(text)}
            )
        return text

    return checked
