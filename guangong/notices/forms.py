"""Forms of the notices and information pages (the services repeat every check)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.activities.forms import CoOrganizersField
from guangong.core.forms import DateInput, ModelChoiceField, style_fields
from guangong.dicts.fields import DictChoiceField
from guangong.dicts.models import DictKind
from guangong.orgs.forms import OrgChoiceField
from guangong.orgs.models import Kind, Organization

from .models import InfoItem, Notice
from .models.items import REASON_MAX
from .services import notices as notice_services


class EditableOrgField(OrgChoiceField):
    def __init__(self, user, **kwargs):
        super().__init__(user, **kwargs)
        self.queryset = Organization.objects.editable_by(user)


class NoticeForm(forms.ModelForm):
    co_issuers = None  # set per user
    audience_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        choices=Kind.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Only when sending to organisations of chosen kinds."),
    )
    attachment = forms.FileField(label=_("Attach a file"), required=False)

    class Meta:
        model = Notice
        fields = [
            "organization",
            "prefix",
            "year",
            "number",
            "title",
            "body",
            "co_issuers",
            "joint_names",
            "audience",
            "audience_kinds",
            "chosen",
            "feedback_required",
            "feedback_due",
        ]
        widgets = {
            "feedback_due": DateInput(),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = EditableOrgField(user, label=_("Issued by"))
        self.fields["co_issuers"] = CoOrganizersField(
            user, label=_("Joint issuers"), required=False
        )
        self.fields["chosen"] = CoOrganizersField(
            user,
            label=_("Chosen organisations"),
            required=False,
            help_text=_("Only when sending to chosen organisations."),
        )
        self.fields["year"].initial = self.fields["year"].initial or timezone.localdate().year
        self.fields["number"].min_value = 1
        org = self.instance.organization if self.instance.organization_id else user.organization
        if org is not None and self.instance.prefix:
            offered = notice_services.next_number(org, self.instance.prefix, self.instance.year)
            self.fields["number"].help_text = _(
                "Left empty, the next free number (now %(n)d) is given when the notice is issued."
            ) % {"n": offered}
        if self.instance.pk:
            self.fields["organization"].disabled = True
        if self.instance.audience_kinds:
            self.initial["audience_kinds"] = self.instance.audience_kinds
        style_fields(self.fields)


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    figures = forms.CharField(
        label=_("Figures"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "开展活动场次：12"}),
        required=False,
        help_text=_("One figure a line: name, a colon, the number."),
    )
    attachment = forms.FileField(label=_("Attach a file"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class RemindForm(forms.Form):
    which = forms.ChoiceField(
        label=_("Remind"),
        choices=[
            ("", _("Everyone who has not read or not answered")),
            ("unread", _("Those who have not read it")),
            ("unanswered", _("Those who have not answered")),
        ],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class ItemForm(forms.ModelForm):
    photo = forms.FileField(label=_("Photo"), required=False)

    class Meta:
        model = InfoItem
        fields = ["organization", "kind", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = EditableOrgField(user, label=_("Sent by"))
        self.fields["kind"] = DictChoiceField(DictKind.INFO_KIND, label=_("Kind of information"))
        if self.instance.pk:
            self.fields["organization"].disabled = True
        style_fields(self.fields)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=REASON_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class BulletinChoiceForm(forms.Form):
    def __init__(self, *args, bulletins, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bulletin"] = ModelChoiceField(
            queryset=bulletins, label=_("Draft bulletin"), empty_label=None
        )
        self.fields["bulletin"].error_messages["invalid_choice"] = _(
            "Choose a draft bulletin within your scope."
        )
        style_fields(self.fields)
