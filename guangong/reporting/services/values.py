"""Reading entered values and checking them against the form: numbers, bounds and rules."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import FormItem, ItemKind, Operator, Report

COMPARE = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


def parse(item: FormItem, raw) -> tuple[Decimal | None, str]:
    """The value (numeric items) or text (text items) entered as ``raw``."""
    text = "" if raw is None else str(raw).strip()
    if item.kind == ItemKind.TEXT:
        if len(text) > 2000:
            raise ValidationError(_("At most 2000 characters."))
        return None, text
    if text == "":
        return None, ""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationError(_("Enter a number.")) from exc
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    if item.kind in (ItemKind.INTEGER,) and value != value.to_integral_value():
        raise ValidationError(_("Enter a whole number."))
    if abs(value) >= Decimal("1e15"):
        raise ValidationError(_("The number is too large."))
    if item.min_value is not None and value < item.min_value:
        raise ValidationError(_("At least %(n)s.") % {"n": _plain(item.min_value)})
    if item.max_value is not None and value > item.max_value:
        raise ValidationError(_("At most %(n)s.") % {"n": _plain(item.max_value)})
    return value.quantize(Decimal("0.01")), ""


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_rules(report: Report, values: dict[int, Decimal | None], complete: bool) -> dict:
    """Messages by item code: required items left empty (``complete``) and broken rules."""
    errors: dict[str, str] = {}
    items = {i.pk: i for i in report.form.items()}
    if complete:
        for item in items.values():
            if item.required and item.numeric and values.get(item.pk) is None:
                errors[item.code] = _("Required.")
    for rule in report.form.rules.select_related("left", "right"):
        a, b = values.get(rule.left_id), values.get(rule.right_id)
        if a is None or b is None:
            continue
        if not COMPARE[rule.operator](a, b):
            errors.setdefault(
                rule.left.code,
                rule.message
                or _("%(left)s must be %(op)s %(right)s.")
                % {
                    "left": rule.left.label,
                    "op": Operator(rule.operator).label,
                    "right": rule.right.label,
                },
            )
    return errors


def current_values(report: Report) -> dict[int, Decimal | None]:
    return dict(report.values.values_list("item_id", "value"))
