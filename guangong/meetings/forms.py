"""The forms of member units, meetings, decisions and action items, and of their actions."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core.forms import DateInput, ModelChoiceField, ModelMultipleChoiceField, style_fields
from guangong.core.masking import hide_stored_phones, keep_stored_phones
from guangong.core.scope import subtree_q
from guangong.dicts.fields import DictChoiceField
from guangong.dicts.models import DictKind
from guangong.orgs.forms import OrgChoiceField
from guangong.orgs.models import Organization
from guangong.people.models import Elder

from .models import ActionItem, Decision, Meeting, MemberUnit

TEXTAREA = {"rows": 4}


class MemberUnitForm(forms.ModelForm):
    kind = DictChoiceField(DictKind.MEMBER_UNIT, label=_("Kind of member unit"))

    class Meta:
        model = MemberUnit
        fields = [
            "organization",
            "kind",
            "name",
            "contact_person",
            "phone",
            "joined_on",
            "left_on",
            "notes",
        ]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        self.fields["name"].required = False
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.kept_phones = hide_stored_phones(self, user, ("phone",))
        style_fields(self.fields)

    def clean(self):
        return keep_stored_phones(super().clean(), self.kept_phones)


class MeetingForm(forms.ModelForm):
    kind = DictChoiceField(DictKind.MEETING_KIND, label=_("Kind of meeting"))

    class Meta:
        model = Meeting
        fields = [
            "organization",
            "kind",
            "title",
            "date",
            "place",
            "chair",
            "head_count",
            "units",
            "committees",
            "users",
            "elders",
            "agenda",
            "speeches",
            "minutes",
        ]
        widgets = {
            "date": DateInput(),
            "agenda": forms.Textarea(attrs=TEXTAREA),
            "speeches": forms.Textarea(attrs=TEXTAREA),
            "minutes": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organiser"))
        org = self.instance.organization if self.instance.organization_id else user.organization
        # Attendees offered: the organiser's member units and users, the committees directly
        # below it, the elders it registered (and whoever already attends).
        keep = self.instance.pk
        units = MemberUnit.objects.visible_to(user).filter(organization=org)
        committees = Organization.objects.visible_to(user)
        if org is not None:
            committees = committees.filter(subtree_q("path", org.path), depth=org.depth + 1)
        users = get_user_model().objects.filter(organization=org, is_active=True)
        elders = Elder.objects.visible_to(user).filter(organization=org)
        if keep:
            units = units | self.instance.units.all()
            committees = committees | self.instance.committees.all()
            users = users | self.instance.users.all()
            elders = elders | self.instance.elders.all()
        for name, qs, label in (
            ("units", units, _("Attending member units")),
            ("committees", committees, _("Attending committees")),
            ("users", users, _("Attending users")),
            ("elders", elders, _("Attending elders")),
        ):
            self.fields[name] = ModelMultipleChoiceField(
                queryset=qs.distinct(), label=label, required=False
            )
        self.fields["head_count"].widget.attrs["inputmode"] = "numeric"
        style_fields(self.fields)


class ScheduleForm(forms.Form):
    EVERY = [
        ("month", pgettext_lazy("schedule", "Monthly")),
        ("quarter", pgettext_lazy("schedule", "Quarterly")),
    ]

    organization = forms.Field(label=_("Organiser"))
    kind = DictChoiceField(DictKind.MEETING_KIND, label=_("Kind of meeting"))
    title = forms.CharField(label=_("Name of the regular meeting"), max_length=80)
    first = forms.DateField(label=_("First meeting"), widget=DateInput())
    every = forms.ChoiceField(label=_("Every"), choices=EVERY)
    count = forms.IntegerField(label=_("Number of meetings"), min_value=1, max_value=24)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organiser"))
        style_fields(self.fields)


class HoldForm(forms.Form):
    head_count = forms.IntegerField(
        label=_("Number of people attending"), min_value=0, max_value=100_000, required=False
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=pgettext_lazy("meeting", "Minutes"), widget=forms.Textarea(attrs=TEXTAREA)
    )
    speeches = forms.CharField(
        label=_("Speeches"), widget=forms.Textarea(attrs=TEXTAREA), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["task", "owner_unit", "owner_org", "responsible", "due_date"]
        widgets = {"due_date": DateInput(), "task": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance.decision.meeting
        org = meeting.organization
        self.fields["owner_unit"] = ModelChoiceField(
            queryset=MemberUnit.objects.visible_to(user).filter(organization=org),
            label=_("Owner member unit"),
            required=False,
        )
        below = Organization.objects.visible_to(user).filter(
            subtree_q("path", org.path), depth__lte=org.depth + 1
        )
        self.fields["owner_org"] = ModelChoiceField(
            queryset=below, label=_("Owner organisation"), required=False
        )
        self.fields["owner_org"].help_text = _(
            "Choose a member unit, or the organiser or a committee directly below it."
        )
        style_fields(self.fields)


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    file = forms.FileField(label=_("Evidence (photo or document)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class LinkActivityForm(forms.Form):
    activity = forms.IntegerField(label=_("Activity"), widget=forms.Select)
