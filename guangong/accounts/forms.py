from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from guangong.core.forms import style_fields
from guangong.orgs.forms import OrgChoiceField

from .models import User
from .roles import Role, Verb
from .services import grantable


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "current-password"}
        )


class UserForm(forms.ModelForm):
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = [
            "username",
            "full_name",
            "organization",
            "role",
            "can_reveal",
            "can_handle_cases",
            "phone",
            "is_active",
        ]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["organization"] = OrgChoiceField(actor, label=_("Organisation"))
        self.fields["role"].choices = [
            (value, label) for value, label in Role.choices if grantable(actor, value, False)
        ]
        if not actor.has_verb(Verb.REVEAL):
            del self.fields["can_reveal"]
        if not actor.has_verb(Verb.CARE):
            del self.fields["can_handle_cases"]
        if self.instance.pk:
            del self.fields["password1"]
            del self.fields["password2"]
        style_fields(self.fields)

    def clean(self):
        data = super().clean()
        if "password1" in self.fields and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data

    def service_fields(self) -> dict:
        names = [n for n in self.Meta.fields if n in self.fields]
        return {n: self.cleaned_data[n] for n in names}


class PasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"class": "form-control"})
    )
    password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput(attrs={"class": "form-control"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
