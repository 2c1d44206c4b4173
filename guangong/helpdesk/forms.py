"""Forms of the public help desk and of the care workers' pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core import dates
from guangong.core.forms import RevealReasonForm, style_fields
from guangong.core.validators import normalize_phone, validate_mobile
from guangong.dicts.fields import DictChoiceField
from guangong.dicts.models import DictKind
from guangong.orgs.models import Organization
from guangong.people.choices import Sex
from guangong.people.models import Youth

from . import protection, services
from .consent import CONSENT_TEXT
from .models import CODE_LENGTH, Relation

MAX_DESCRIPTION = 2000


class PlaceChoiceField(forms.ModelChoiceField):
    """An established committee, by id (the public list of places)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=services.public_places(), **kwargs)
        self.error_messages["invalid_choice"] = _("Choose a committee from the list.")

    def label_from_instance(self, obj) -> str:
        return obj.name


class HelpRequestForm(forms.Form):
    """The public form: what help, where, what happened, how to answer, consent, challenge."""

    kind = DictChoiceField(DictKind.CASE_KIND, label=_("What kind of help"))
    organization = PlaceChoiceField(
        label=_("Committee"),
        help_text=_("Type the name (or its pinyin initials) of your county, township or school."),
    )
    description = forms.CharField(
        label=_("What happened, and what help you need"),
        max_length=MAX_DESCRIPTION,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION}),
    )
    relation = forms.ChoiceField(
        label=_("You are"), choices=Relation.choices, initial=Relation.SELF
    )
    youth_age = forms.IntegerField(
        label=_("Age of the young person (optional)"), required=False, min_value=3, max_value=40
    )
    requester_name = forms.CharField(
        label=_("How to address you (optional)"), max_length=50, required=False
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("We answer you through the status page; the phone is your key to it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(label=_("I agree to the text above"))
    sms_consent = forms.BooleanField(
        label=_("Send me an SMS when there is a reply (optional)"), required=False
    )
    answer = forms.CharField(label="", max_length=10)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    # The honeypot: hidden from people by the stylesheet, filled in by form-filling robots.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    consent_text = CONSENT_TEXT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)
        self.fields["consent"].error_messages["required"] = _(
            "Agree to the use of your data, or we cannot answer you."
        )
        self.fields["answer"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.challenge_failed = None

    def set_places(self, places) -> None:
        """Offer only these organisations (the search result) in the select."""
        self.fields["organization"].widget.choices = [("", _("Choose a committee"))] + [
            (org.pk, org.name) for org in places
        ]

    def new_challenge(self) -> str:
        """A fresh token and question for the form as shown (each token serves once)."""
        token = protection.issue()
        if self.is_bound:
            self.data = self.data.copy()
            self.data["token"] = token
            self.data["answer"] = ""
        else:
            self.initial["token"] = token
        self.question = protection.question(token)
        return token

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone

    def clean(self):
        data = super().clean()
        if self.errors:
            # The token is spent all the same: the form comes back with a new question.
            protection.burn(self.data.get("token", ""))
            return data
        try:
            protection.verify(data.get("token", ""), data.get("answer", ""), data.get("website"))
        except protection.ChallengeError as exc:
            self.challenge_failed = exc.reason
            if exc.reason == "too_fast":
                message = _("That was quick: please read the form once more and send it again.")
            elif exc.reason == "wrong_answer":
                message = _("The answer to the question is not right; try the new question.")
            else:
                message = _("The form has expired or is not valid; please send it again.")
            raise forms.ValidationError(message, code=exc.reason) from exc
        return data


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)
        self.fields["code"].widget.attrs["maxlength"] = CODE_LENGTH + 4


# --- Staff ----------------------------------------------------------------------------------


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    public = forms.TypedChoiceField(
        label=_("Who sees it"),
        choices=[("1", _("The requester (public reply)")), ("0", _("Care workers only (note)"))],
        coerce=lambda v: v == "1",
        initial="1",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class ReferForm(forms.Form):
    to_org = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Refer to"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["to_org"].queryset = targets.order_by("path")
        self.fields["to_org"].error_messages["invalid_choice"] = _(
            "Refer it to an organisation under the same parent, or within your scope."
        )
        style_fields(self.fields)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Why (internal note)"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class RevealPhoneForm(RevealReasonForm):
    reason = forms.CharField(label=_("Reason"), max_length=200, min_length=2)


class ConvertForm(forms.Form):
    """Link an existing young person, or enter a new one (made through the people services)."""

    youth = forms.ModelChoiceField(
        queryset=Youth.objects.none(), required=False, label=_("Existing young person")
    )
    name = forms.CharField(label=_("Name of a new young person"), max_length=50, required=False)
    category = DictChoiceField(DictKind.YOUTH_CATEGORY, label=_("Category"), required=False)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "---------"), *Sex.choices], required=False
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[dates.BIRTH.validator],
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        required=False,
        help_text=_("Without an ID number, sex and birth date are required."),
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), required=False, label=_("Registered at")
    )
    guardian_name = forms.CharField(label=_("Guardian"), max_length=50, required=False)
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=20, required=False)
    allow_same_name = forms.BooleanField(
        required=False, label=_("A different person with the same name and birth date")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = (
            Youth.objects.visible_to(user).current().select_related("organization")
        )
        self.fields["youth"].label_from_instance = lambda y: f"{y.name}（{y.organization.name}）"
        self.fields["organization"].queryset = Organization.objects.visible_to(user)
        style_fields(self.fields)

    def clean(self):
        data = super().clean()
        if data.get("youth") is None:
            missing = {
                "name": _("Enter the name, or choose an existing young person."),
                "category": _("Choose a category."),
                "organization": _("Choose where the young person is registered."),
            }
            for name, message in missing.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def new_youth(self) -> Youth | None:
        data = self.cleaned_data
        if data.get("youth") is not None:
            return None
        return Youth(
            organization=data["organization"],
            name=data["name"].strip(),
            category=data["category"],
            sex=data.get("sex", ""),
            birth_date=data.get("birth_date"),
            guardian_name=data.get("guardian_name", ""),
            guardian_phone=normalize_phone(data.get("guardian_phone", "")),
        )


class AnswerForm(forms.Form):
    """The requester's answer on the status page."""

    text = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_DESCRIPTION}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)
