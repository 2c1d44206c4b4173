"""Forms of the care pages. What a form edits is what ``services`` saves and audits.

The three sensitive fields (address, family situation, health) are plain inputs whose values
the service stores encrypted; an edit form never sends a stored value back to the browser: the
inputs start empty and an empty input keeps what is stored.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core import dates
from guangong.core.forms import DateInput, ModelChoiceField, RevealReasonForm, style_fields
from guangong.core.scope import subtree_q
from guangong.dicts.fields import DictChoiceField
from guangong.dicts.models import DictKind
from guangong.orgs.forms import OrgChoiceField
from guangong.people.models import Youth
from guangong.people.pickers import PersonChoiceField

from . import attachments
from .models import Case, FollowUp
from .services.access import SENSITIVE_LABELS

SENSITIVE_INPUTS = {
    "address": _("Home address"),
    "family_situation": _("Family situation"),
    "health": _("Health"),
}


def care_workers(user):
    """Users who may work on cases, within ``user``'s scope (the service checks that the chosen
    one covers the case's organisation)."""
    User = get_user_model()
    path = user.scope_path or ""
    qs = User.objects.filter(is_active=True, organization__isnull=False).filter(
        subtree_q("organization__path", path)
    )
    return qs.filter(Q(role="care_worker") | Q(can_handle_cases=True)).order_by(
        "organization__path", "username"
    )


class CareWorkerField(ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.organization.name}）"


class CaseForm(forms.ModelForm):
    kind = DictChoiceField(DictKind.CASE_KIND, label=_("Kind of help"))
    funding_source = DictChoiceField(
        DictKind.FUNDING_SOURCE, label=_("Funding source"), required=False
    )

    class Meta:
        model = Case
        fields = [
            "organization",
            "youth",
            "kind",
            "care_worker",
            "opened_on",
            "situation",
            "assessment",
            "plan",
            "amount_requested",
            "funding_source",
        ]
        widgets = {
            "opened_on": DateInput(),
            "situation": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        self.fields["youth"] = PersonChoiceField(
            Youth, user, choices_url_name="people:youth_choices", label=_("Person helped")
        )
        self.fields["youth"].help_text = _("Search by name or pinyin initials.")
        self.fields["care_worker"] = CareWorkerField(
            queryset=care_workers(user).select_related("organization"),
            label=_("Responsible care worker"),
            required=False,
        )
        self.fields["opened_on"].required = False
        self.fields["amount_requested"].widget.attrs.update({"inputmode": "decimal", "min": 0})
        editing = bool(self.instance.pk)
        for name, label in SENSITIVE_INPUTS.items():
            field = forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
            )
            if editing and self.instance.has_sensitive(name):
                field.help_text = _("Stored (hidden). Leave empty to keep it unchanged.")
            elif editing:
                field.help_text = _("Leave empty to keep it unchanged.")
            else:
                field.help_text = _("Stored encrypted; shown only after a reveal with a reason.")
            self.fields[name] = field
        style_fields(self.fields)

    def sensitive_values(self) -> dict:
        """Clear values for ``save_case``: None keeps what is stored."""
        values = {}
        for name in SENSITIVE_INPUTS:
            value = (self.cleaned_data.get(name) or "").strip()
            values[name] = value or (None if self.instance.pk else "")
        return values


class RevealForm(RevealReasonForm):
    """Which hidden field of a case to see, and why."""

    placeholder = _("Why do you need to see this?")
    field = forms.ChoiceField(
        choices=[(k, v) for k, v in SENSITIVE_LABELS.items()], widget=forms.HiddenInput()
    )
    field_order = ["field", "reason"]


class TransitionForm(forms.Form):
    """One workflow action with the fields it carries (amounts, funding source, comment)."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount_approved = forms.DecimalField(
        label=_("Amount approved (yuan)"), required=False, min_value=0, decimal_places=2
    )
    funding_source = DictChoiceField(
        DictKind.FUNDING_SOURCE, label=_("Funding source"), required=False
    )
    amount_disbursed = forms.DecimalField(
        label=_("Amount disbursed (yuan)"), required=False, min_value=0, decimal_places=2
    )
    disbursed_on = forms.DateField(
        label=_("Disbursed on"),
        required=False,
        widget=DateInput(),
        validators=[dates.WORK.validator],
    )

    #: The fields each action shows besides the comment.
    FIELDS = {
        "approve": ("amount_approved", "funding_source"),
        "disburse": ("amount_disbursed", "disbursed_on"),
    }

    def __init__(self, *args, action: str = "", case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        name = action
        self.action = name
        if not self.is_bound:
            if case is not None and name == "approve":
                self.initial["amount_approved"] = case.amount_requested
                self.initial["funding_source"] = case.funding_source_id
            if case is not None and name == "disburse":
                self.initial["amount_disbursed"] = case.amount_approved
                self.initial["disbursed_on"] = timezone.localdate()
        keep = {"comment", *self.FIELDS.get(name, ())}
        for field in list(self.fields):
            if field not in keep:
                del self.fields[field]
        for field in ("amount_approved", "amount_disbursed"):
            if field in self.fields:
                self.fields[field].widget.attrs.update({"inputmode": "decimal", "min": 0})
        style_fields(self.fields)

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "comment"}
        return {k: v for k, v in data.items() if v not in (None, "")}


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "visitor", "content"]
        widgets = {"date": DateInput(), "content": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


class ConsentForm(forms.Form):
    by = forms.CharField(label=_("Consent given by"), max_length=50)
    relation = forms.CharField(label=_("Relation to the child"), max_length=20)
    on = forms.DateField(
        label=_("Consent date"), widget=DateInput(), validators=[dates.WORK.validator]
    )
    note = forms.CharField(label=_("How consent was given"), max_length=200, required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and case is not None:
            youth = case.youth
            self.initial.update(
                by=case.consent_by or (youth.guardian_name if youth else ""),
                relation=case.consent_relation or (youth.guardian_relation if youth else ""),
                on=case.consent_on or timezone.localdate(),
                note=case.consent_note,
            )
        self.fields["note"].widget.attrs["placeholder"] = _("e.g. signed form, in person")
        style_fields(self.fields)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "JPEG, PNG or WebP photos; PDF or Word (.docx) documents; at most %(mb)d MB."
        ) % {"mb": attachments.MAX_BYTES // (1024 * 1024)}
        self.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.webp,.pdf,.docx"
        style_fields(self.fields)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = attachments.check(upload)
        return upload
