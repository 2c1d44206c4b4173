from django import forms

from guangong.core.forms import style_fields

from .models import DictItem
from .services import EDITABLE_FIELDS


class DictItemForm(forms.ModelForm):
    """Create (dictionary, label, order, active) or edit (the dictionary is fixed) an item."""

    class Meta:
        model = DictItem
        fields = ["kind", *EDITABLE_FIELDS]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["kind"].disabled = True
        self.fields["order"].widget.attrs.update({"inputmode": "numeric", "min": 0})
        style_fields(self.fields)

    def _post_clean(self):
        # Model validation, the label's uniqueness within its dictionary included, is the
        # service's: its errors come back onto this form's fields (one message, one place).
        pass

    def service_fields(self) -> dict:
        names = EDITABLE_FIELDS if self.instance.pk else self.Meta.fields
        return {name: self.cleaned_data[name] for name in names}
