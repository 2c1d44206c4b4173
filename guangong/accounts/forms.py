from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from guangong.core.forms import style_fields
from guangong.orgs.forms import OrgChoiceField

from .models import User
from .roles import Role, Verb
from .services import USER_FIELDS, grantable
from .signals import PASSWORD_CHECK


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
        fields = list(USER_FIELDS)

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
    """A new password, twice; for one's own account also the current one, checked like a login
    (a wrong one is audited as a failed login and counts towards the lockout)."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-control", "autocomplete": "current-password"}
        ),
    )
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )

    def __init__(self, *args, request=None, user=None, ask_current: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.user = request, user
        if not ask_current:
            del self.fields["old_password"]

    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        checked = authenticate(
            self.request,
            username=self.user.get_username(),
            password=password,
            purpose=PASSWORD_CHECK,
        )
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                _("The current password is not right."), code="password_incorrect"
            )
        return password

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
