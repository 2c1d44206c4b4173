from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.forms import DateInput, ModelChoiceField, style_fields
from guangong.core.ids import parse_ids
from guangong.core.masking import hide_stored_phones, keep_stored_phones

from .models import Organization, Position


class OrgChoiceWidget(forms.Select):
    """A select that renders only the chosen organisation; an htmx search box fills it.

    A province has ~70,000 organisations: rendering them all as <option>s is not an option.
    """

    template_name = "orgs/widgets/org_choice.html"

    def optgroups(self, name, value, attrs=None):
        chosen = parse_ids(value)
        # Only what the field offers: a posted id outside the user's scope must not come back
        # as a named <option>.
        queryset = getattr(self.choices, "queryset", Organization.objects.none())
        groups = []
        if chosen:
            for org in queryset.filter(pk__in=chosen):
                groups.append((None, [self.create_option(name, org.pk, str(org), True, 0)], 0))
        return groups


class OrgChoiceField(ModelChoiceField):
    widget = OrgChoiceWidget

    def __init__(self, user, **kwargs):
        super().__init__(queryset=Organization.objects.visible_to(user), **kwargs)
        self.error_messages["invalid_choice"] = _("Choose an organisation within your scope.")


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        # What a user edits is what the audit log records.
        fields = list(Organization.audit_fields)
        widgets = {
            "status_since": DateInput(),
            "established_on": DateInput(),
            "dissolved_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, parent=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        style_fields(self.fields)
        self.fields["division_code"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel"})
        self.kept_phones = hide_stored_phones(
            self, user, ("contact_phone",), public=self.instance.phone_public
        )

    def clean_division_code(self):
        return self.cleaned_data.get("division_code") or None

    def clean(self):
        return keep_stored_phones(super().clean(), self.kept_phones)

    def _post_clean(self):
        super()._post_clean()
        from django.core.exceptions import ValidationError

        from guangong.core.forms import apply_validation_error

        try:
            self.instance.clean_against_parent(self.parent)
        except ValidationError as exc:
            apply_validation_error(self, exc)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MoveForm(forms.Form):
    parent = forms.Field(label=_("New parent organisation"))

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["parent"] = OrgChoiceField(user, label=_("New parent organisation"))
        self.fields["parent"].widget.attrs.update({"class": "form-select", "data_exclude": org.pk})

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent.path.startswith(self.org.path):
            raise forms.ValidationError(
                _("An organisation cannot be moved under itself or one of its children.")
            )
        return parent


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["name", "role", "source", "phone", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        self.kept_phones = hide_stored_phones(self, user, ("phone",))

    def clean(self):
        return keep_stored_phones(super().clean(), self.kept_phones)
