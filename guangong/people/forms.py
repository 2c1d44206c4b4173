"""Forms of the people pages. What a form edits is what the service saves and the audit logs.

ID numbers: a form takes a clear ``id_number`` (not a model field) for
``services.save_person``; it is never sent back to the browser. When a form must be shown again
(an error elsewhere, or the same-name confirmation), the typed number rides along encrypted in
``id_number_token``, so the user need not type it twice.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core import crypto, dates, idnumber
from guangong.core.forms import DateInput, RevealReasonForm, style_fields
from guangong.core.masking import hide_stored_phones, keep_stored_phones
from guangong.core.resources import policy_for
from guangong.dicts.fields import DictChoiceField, DictMultipleChoiceField
from guangong.dicts.models import DictKind
from guangong.orgs.forms import OrgChoiceField

from .models import Elder, Mentorship, MentorshipVisit, Team, Youth
from .pickers import PersonChoiceField, PersonMultipleChoiceField


class Checkboxes(forms.CheckboxSelectMultiple):
    """Dictionary items as a row of Bootstrap checkboxes (a handful per list)."""

    option_template_name = "people/widgets/checkbox_option.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "gg-checkboxes", **(attrs or {})})


CHECKBOXES = Checkboxes()


# --- Elders and young people ----------------------------------------------------------------


class IdNumberInput(forms.TextInput):
    """A text box that never sends a typed ID number back to the browser."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


def _from_token(token: str | None) -> str:
    if not token:
        return ""
    try:
        return idnumber.normalize(crypto.decrypt(token))
    except crypto.DecryptionError:
        return ""


#: The fields every person's form starts with.
PERSON_FIELDS = ("organization", "name", "id_number", "sex", "birth_date", "phone")


class PersonForm(forms.ModelForm):
    """What elders and young people share: organisation, ID number, duplicate confirmation."""

    id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=40,
        widget=IdNumberInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    id_number_token = forms.CharField(required=False, widget=forms.HiddenInput)

    #: Model fields whose values the service sets as many-to-many.
    m2m_fields: tuple[str, ...] = ()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        id_field = self.fields["id_number"]
        if self.instance.pk and self.instance.id_number_masked:
            id_field.help_text = _(
                "Stored: %(masked)s. Leave empty to keep the stored number; enter a new one to "
                "replace it."
            ) % {"masked": self.instance.id_number_masked}
        else:
            id_field.help_text = _(
                "Birth date and sex are taken from the ID number when left empty; without an ID "
                "number, they are required."
            )
        if self.is_bound and _from_token(self.data.get(self.add_prefix("id_number_token"))):
            id_field.help_text = _(
                "The ID number you typed is kept (it is not shown again). Type another one to "
                "replace it."
            )
        if self.is_bound and self.data.get(self.add_prefix("allow_same_name")):
            self.offer_same_name()
        for name in ("birth_date", "joined_on"):
            if name in self.fields:
                self.fields[name].widget = DateInput()
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        self.kept_phones = hide_stored_phones(self, self.user, ("phone", "guardian_phone"))
        style_fields(self.fields)

    def offer_same_name(self) -> None:
        """Add the “different person” confirmation, right after the name."""
        if "allow_same_name" in self.fields:
            return
        field = forms.BooleanField(
            label=_("This is a different person — save anyway"), required=False
        )
        field.widget.attrs["class"] = "form-check-input"
        fields = {}
        for name, existing in self.fields.items():
            fields[name] = existing
            if name == "name":
                fields["allow_same_name"] = field
        self.fields = fields

    def clean_id_number(self):
        value = idnumber.normalize(self.cleaned_data.get("id_number"))
        if not value:
            value = _from_token(self.data.get(self.add_prefix("id_number_token")))
        if value:
            idnumber.validate_id_number(value)
        return value

    def clean(self):
        cleaned = keep_stored_phones(super().clean(), self.kept_phones)
        value = cleaned.get("id_number")
        if value:
            # Shown again (errors, confirmation), the form carries the number encrypted.
            self.data = self.data.copy()
            self.data[self.add_prefix("id_number_token")] = crypto.encrypt(value)
        return cleaned

    def service_kwargs(self) -> dict:
        """Keyword arguments of ``services.save_person`` besides the actor and the record."""
        value = self.cleaned_data.get("id_number") or None  # empty: keep the stored number
        return {
            "id_number": value,
            "m2m": {name: list(self.cleaned_data[name]) for name in self.m2m_fields},
            "allow_same_name": bool(self.cleaned_data.get("allow_same_name")),
        }


class ElderForm(PersonForm):
    categories = DictMultipleChoiceField(
        DictKind.ELDER_CATEGORY, label=_("Categories"), required=False, widget=CHECKBOXES
    )
    specialities = DictMultipleChoiceField(
        DictKind.SPECIALITY, label=_("Specialities"), required=False, widget=CHECKBOXES
    )
    m2m_fields = ("categories", "specialities")

    class Meta:
        model = Elder
        fields = [*PERSON_FIELDS, "categories", "specialities", *Elder.own_fields, "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class YouthForm(PersonForm):
    category = DictChoiceField(DictKind.YOUTH_CATEGORY, label=_("Category"))

    class Meta:
        model = Youth
        fields = [
            *PERSON_FIELDS,
            "category",
            *Youth.own_fields,
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian_phone"].widget.attrs.update({"inputmode": "tel"})
        self.fields["guardian_name"].help_text = _("Required in practice for minors.")


class RevealForm(RevealReasonForm):
    placeholder = _("Why do you need the full number?")


class FindByIdNumberForm(forms.Form):
    """A full ID number to look up (POSTed, never in a URL; never echoed back)."""

    id_number = forms.CharField(
        label=_("Find by ID number"),
        max_length=40,
        widget=IdNumberInput(
            attrs={
                "placeholder": _("Full 18-character ID number"),
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)

    def clean_id_number(self):
        value = idnumber.normalize(self.cleaned_data["id_number"])
        idnumber.validate_id_number(value)
        return value


class PairForm(forms.Form):
    """Two records in the user's scope (current ones, unless ``current`` is False)."""

    first = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    second = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, model, user, current: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = policy_for(model).instances(user, "read", model.objects.all())
        if current:
            queryset = queryset.current()
        self.fields["first"].queryset = queryset.select_related("organization")
        self.fields["second"].queryset = queryset.select_related("organization")


class MergeForm(PairForm):
    """Two current records in scope, and which of them to keep."""

    keep = forms.ChoiceField(choices=[("first", "first"), ("second", "second")])

    def survivor_and_duplicate(self):
        first, second = self.cleaned_data["first"], self.cleaned_data["second"]
        return (first, second) if self.cleaned_data["keep"] == "first" else (second, first)


class DismissForm(PairForm):
    """Two records in scope that are not the same person, and why (optional); a mark is taken
    back even after one of the records was merged (``current=False``)."""

    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


# --- Teams and mentorships ------------------------------------------------------------------


class TeamForm(forms.ModelForm):
    kind = DictChoiceField(DictKind.TEAM_KIND, label=_("Team kind"))

    class Meta:
        model = Team
        fields = ["organization", "name", "kind", "leader", "members", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        url = "people:elder_choices"
        self.fields["leader"] = PersonChoiceField(
            Elder, user, choices_url_name=url, label=_("Leader"), required=False
        )
        self.fields["members"] = PersonMultipleChoiceField(
            Elder, user, choices_url_name=url, label=_("Members"), required=False
        )
        self.fields["members"].help_text = _(
            "Search by name or pinyin initials; members belong to the team's organisation or "
            "one below it."
        )
        style_fields(self.fields)


class MentorshipForm(forms.ModelForm):
    goals = DictMultipleChoiceField(
        DictKind.MENTORSHIP_GOAL, label=_("Goals"), required=False, widget=CHECKBOXES
    )
    outcomes = DictMultipleChoiceField(
        DictKind.MENTORSHIP_OUTCOME, label=_("Outcomes"), required=False, widget=CHECKBOXES
    )

    class Meta:
        model = Mentorship
        fields = [
            "organization",
            "elder",
            "youth",
            "start_date",
            "end_date",
            "goals",
            "outcomes",
            "notes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        self.fields["elder"] = PersonChoiceField(
            Elder, user, choices_url_name="people:elder_choices", label=_("Five-elders volunteer")
        )
        self.fields["youth"] = PersonChoiceField(
            Youth, user, choices_url_name="people:youth_choices", label=_("Young person")
        )
        self.fields["organization"].help_text = _(
            "Both people belong to this organisation or one below it."
        )
        style_fields(self.fields)


class EndMentorshipForm(forms.Form):
    end_date = forms.DateField(
        label=_("End date"), widget=DateInput(), validators=[dates.PLAN.validator]
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class VisitForm(forms.ModelForm):
    class Meta:
        model = MentorshipVisit
        fields = ["date", "content", "duration_minutes"]
        widgets = {"date": DateInput(), "content": forms.Textarea(attrs={"rows": 2})}
        labels = {"content": _("Visit content")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].widget.attrs.update({"inputmode": "numeric", "min": 1})
        style_fields(self.fields)
