"""Forms of the activity pages: the full form, the quick entry, elders with hours, uploads.

Every choice is limited to what the user may use: organisations they edit, active activity
types, elders, young people, teams and co-organisers in their subtree. The service checks all
of it again; the form only offers what it would accept.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core import dates
from guangong.core.forms import DateInput, ModelMultipleChoiceField, style_fields
from guangong.core.ids import parse_ids
from guangong.dicts.fields import DictChoiceField
from guangong.dicts.models import DictKind
from guangong.orgs.forms import OrgChoiceField
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Team, Youth
from guangong.people.pickers import (
    PersonChoiceField,
    PersonMultipleChoiceField,
    PersonMultipleChoiceWidget,
)

from . import plausibility, services
from .models import Activity, ActivityRange

ELDER_CHOICES = "people:elder_choices"
YOUTH_CHOICES = "people:youth_choices"
#: The people an activity may name, with the URL of their choices.
PEOPLE_CHOICES = {Elder: ELDER_CHOICES, Youth: YOUTH_CHOICES}


def people_field(model, user, label, *, many: bool = False):
    """An optional choice of the elders or young people ``user`` sees (one, or ``many``)."""
    field = PersonMultipleChoiceField if many else PersonChoiceField
    return field(model, user, choices_url_name=PEOPLE_CHOICES[model], label=label, required=False)


def hours_field(label, **error_messages) -> forms.DecimalField:
    """An elder's service hours: optional, not negative, to one decimal place."""
    messages = {
        "invalid": _("Service hours must be a number."),
        "min_value": _("Service hours cannot be negative."),
        "max_decimal_places": _("Give hours to one decimal place at most."),
        **error_messages,
    }
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "inputmode": "decimal"}),
        error_messages=messages,
    )


class EditableOrgField(OrgChoiceField):
    """An organisation the user may record activities for (their editable subtree)."""

    def __init__(self, user, **kwargs):
        super().__init__(user, **kwargs)
        self.queryset = Organization.objects.editable_by(user)


class OrgMultipleWidget(PersonMultipleChoiceWidget):
    """Several organisations picked by an htmx search (the chosen ones stay selected)."""

    choices_url_name = "activities:org_choices"

    def optgroups(self, name, value, attrs=None):
        chosen = parse_ids(value)
        queryset = getattr(self.choices, "queryset", None)
        groups = []
        if chosen and queryset is not None:
            for org in queryset.filter(pk__in=chosen).order_by("path"):
                index = len(groups)
                option = self.create_option(name, org.pk, org.name, True, index)
                groups.append((None, [option], index))
        return groups


class CoOrganizersField(ModelMultipleChoiceField):
    def __init__(self, user, **kwargs):
        widget = OrgMultipleWidget()
        queryset = Organization.objects.visible_to(user)
        super().__init__(queryset=queryset, widget=widget, **kwargs)
        self.error_messages["invalid_choice"] = _("Choose an organisation within your scope.")


class TypeField(DictChoiceField):
    def __init__(self, **kwargs):
        super().__init__(DictKind.ACTIVITY_TYPE, label=_("Activity type"), **kwargs)
        self.error_messages["invalid_choice"] = _("Choose an activity type from the list.")


def confirmed_field() -> forms.BooleanField:
    """“确认无误”: hidden until the service doubts a figure (``ask_to_confirm``)."""
    return forms.BooleanField(
        label=_("The figures are right"), required=False, widget=forms.HiddenInput
    )


def ask_to_confirm(form, exc: plausibility.NeedsConfirmation) -> None:
    """Show the doubts above the form and the “确认无误” box to tick (unticked)."""
    form.doubts = exc.doubts
    field = form.fields["confirmed"]
    field.widget = forms.CheckboxInput(
        attrs={"class": "form-check-input", "data-testid": "confirm-figures"}
    )
    form.data = form.data.copy()
    form.data.pop(form.add_prefix("confirmed"), None)
    form.add_error(
        "confirmed", _("Check the figures above; tick “The figures are right” to save them.")
    )


class ActivityFormMixin:
    """Shared checks of the full and the quick form (the service repeats them)."""

    doubts: list = []

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("An activity cannot be recorded before it takes place."))
        return day


class ActivityForm(ActivityFormMixin, forms.ModelForm):
    audience = DictChoiceField(DictKind.YOUTH_CATEGORY, label=_("Audience"), required=False)
    confirmed = confirmed_field()

    class Meta:
        model = Activity
        fields = [
            "organization",
            "type",
            "title",
            "date",
            "end_date",
            "place",
            "audience",
            "participants",
            "teams",
            "youths",
            "co_organizers",
            "summary",
        ]
        widgets = {
            "date": DateInput(),
            "end_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organization"] = EditableOrgField(user, label=_("Organisation"))
        self.fields["type"] = TypeField()
        self.fields["teams"] = ModelMultipleChoiceField(
            queryset=Team.objects.visible_to(user).order_by("name"),
            label=_("Teams"),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )
        self.fields["teams"].error_messages["invalid_choice"] = _(
            "Choose a team within your scope."
        )
        self.fields["youths"] = people_field(Youth, user, _("Named participants"), many=True)
        self.fields["co_organizers"] = CoOrganizersField(
            user, label=_("Co-organisers"), required=False
        )
        self.fields["co_organizers"].help_text = _(
            "Joint activities (联合开展) are seen by each co-organiser and counted once, for "
            "the organiser."
        )
        self.fields["participants"].widget.attrs.update({"inputmode": "numeric", "min": 0})
        style_fields(self.fields)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the date."))
        return cleaned

    def _post_clean(self):
        # The service validates the model (and more) inside its transaction; the form checks
        # only its own fields, so the activity_end_after_start constraint is not hit twice.
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields)


class ElderHoursForm(forms.Form):
    """One elder who took part, with the hours they gave."""

    elder = forms.Field(required=False)
    hours = hours_field(
        _("Service hours"),
        max_digits=_("Service hours must be a number."),
        max_whole_digits=_("Service hours must be a number."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elder"] = people_field(Elder, user, _("Five-elders volunteer"))
        style_fields(self.fields)

    def clean(self):
        cleaned = super().clean()
        hours_alone = cleaned.get("hours") not in (None, "") and not cleaned.get("elder")
        if hours_alone and "elder" not in self.errors:
            self.add_error("elder", _("Choose the elder these hours belong to."))
        return cleaned


class BaseElderHoursFormSet(forms.BaseFormSet):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"user": self.user}

    @property
    def empty_form(self):
        form = ElderHoursForm(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            user=self.user,
        )
        self.add_fields(form, None)
        return form

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            elder = form.cleaned_data.get("elder")
            if elder is None:
                continue
            if elder.pk in seen:
                raise forms.ValidationError(
                    _("%(name)s is listed twice; give their hours once.") % {"name": elder.name}
                )
            seen.add(elder.pk)

    def elder_hours(self) -> dict:
        return {
            form.cleaned_data["elder"]: form.cleaned_data.get("hours") or Decimal(0)
            for form in self.forms
            if form.cleaned_data.get("elder") is not None
        }


ElderHoursFormSet = forms.formset_factory(
    ElderHoursForm, formset=BaseElderHoursFormSet, extra=3, max_num=200, validate_max=True
)


def elder_formset(user, activity: Activity, data=None):
    initial = []
    if activity.pk:
        links = activity.elder_links.select_related("elder").order_by("elder__name", "pk")
        initial = [{"elder": link.elder_id, "hours": link.hours} for link in links]
    return ElderHoursFormSet(data, user=user, initial=initial, prefix="elders")


class QuickActivityForm(ActivityFormMixin, forms.Form):
    """The few fields of an activity a phone can fill in under a minute."""

    organization = forms.Field()
    type = forms.Field()
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput(), validators=[dates.WORK.validator])
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.IntegerField(
        label=_("Participants (person-times)"),
        min_value=0,
        max_value=services.MAX_PARTICIPANTS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    elders = forms.Field(required=False)
    hours = hours_field(_("Service hours of each elder"))
    confirmed = confirmed_field()
    #: A photo of the activity, taken there and then with the phone's camera.
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localdate())
        if user.organization_id:
            kwargs["initial"].setdefault("organization", user.organization_id)
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organization"] = EditableOrgField(user, label=_("Organisation"))
        self.fields["type"] = TypeField()
        self.fields["elders"] = people_field(Elder, user, _("Elders (optional)"), many=True)
        style_fields(self.fields)

    def clean(self):
        cleaned = super().clean()
        hours, elders = cleaned.get("hours"), cleaned.get("elders")
        if hours and not elders and "elders" not in self.errors:
            self.add_error("elders", plausibility.hours_alone_message())
        elif elders and not hours and "hours" not in self.errors:
            self.add_error("hours", _("Give the service hours of the elders chosen."))
        return cleaned

    def activity(self) -> Activity:
        data = self.cleaned_data
        return Activity(
            organization=data["organization"],
            type=data["type"],
            title=data["title"],
            date=data["date"],
            place=data.get("place") or "",
            participants=data["participants"],
        )

    def elder_hours(self) -> dict:
        hours = self.cleaned_data.get("hours") or Decimal(0)
        return dict.fromkeys(self.cleaned_data.get("elders") or [], hours)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or document"),
        help_text=_("Photos: JPEG, PNG or WebP. Documents: PDF, Word .docx or Excel .xlsx."),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
            "invalid": _("No file was uploaded."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,image/*"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class ActivityRangeForm(forms.ModelForm):
    """A plausible range: activity type, organisation kind (or every kind), the two limits."""

    class Meta:
        model = ActivityRange
        fields = ["type", "org_kind", "max_participants", "max_hours"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"] = TypeField()
        self.fields["org_kind"].choices = [("", _("Every kind"))] + list(
            self.fields["org_kind"].choices
        )[1:]
        style_fields(self.fields)
