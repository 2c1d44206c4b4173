from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from .ids import is_integer_key, parse_id


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def style_fields(fields) -> None:
    """Give every visible widget its Bootstrap class (select, checkbox or text-like)."""
    for field in fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
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


__all__ = [
    "apply_validation_error",
    "DateInput",
    "ModelChoiceField",
    "ModelMultipleChoiceField",
    "NON_FIELD_ERRORS",
    "style_fields",
]
