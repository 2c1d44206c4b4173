"""Model fields every app may use."""

from django.db import models

from .dates import DateRange


class BoundedDateField(models.DateField):
    """A date limited to one of ``core.dates``' ranges: ``BoundedDateField(..., within=WORK)``.

    The range is a validator of the model field, so ``full_clean`` (every service), model
    forms, DRF model serializers and the spreadsheet imports (``core.importer``) refuse a date
    outside it with the same message. It is not part of the schema: the field deconstructs as
    a plain ``DateField``, so a range changes without a migration.
    """

    def __init__(self, *args, within: DateRange | None = None, **kwargs):
        self.within = within
        super().__init__(*args, **kwargs)
        # An instance attribute: Field.validators adds it, deconstruct() leaves it out.
        self.default_validators = [within.validator] if within is not None else []

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs

    def formfield(self, **kwargs):
        if self.within is not None:
            kwargs.setdefault("validators", [self.within.validator])
        return super().formfield(**kwargs)
