"""What a workflow step needs, on the case's page: the case's fields a step requires (the
situation before 提交评估, the assessment and the plan before 评估完成) shown inside the step's
form, and who holds the next step (“由…审批”) for whoever cannot act on it."""

from django import forms
from django.utils.translation import gettext as _

from guangong.core.forms import style_fields
from guangong.orgs.models import Organization

from ..models import Case, Status

#: The case's fields each action requires (``services.transitions._requirements``).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "submit": ("situation",),
    "assess": ("assessment", "plan"),
}


class StepFieldsForm(forms.ModelForm):
    """The case's fields a step requires, filled in where the step is taken."""

    class Meta:
        model = Case
        fields = ("situation", "assessment", "plan")
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, prefix=f"{action}-case", **kwargs)
        for name in list(self.fields):
            if name not in STEP_FIELDS[action]:
                del self.fields[name]
            else:
                self.fields[name].required = True
        style_fields(self.fields)


def step_form(action: str, case: Case, data=None) -> StepFieldsForm | None:
    if action not in STEP_FIELDS:
        return None
    return StepFieldsForm(data, instance=case, action=action)


def next_holder(case: Case) -> str:
    """Who acts on the case next, in words (empty once it is closed)."""
    org = case.organization
    if case.status == Status.CLOSED:
        return ""
    if case.status == Status.APPROVAL:
        above = org.path[: -Organization.steplen]
        parent = Organization.objects.filter(path=above).first() if above else None
        if parent is not None:
            return _("Approved by an approver of %(org)s or of %(parent)s.") % {
                "org": org.name,
                "parent": parent.name,
            }
        return _("Approved by an approver of %(org)s.") % {"org": org.name}
    if case.care_worker_id:
        return _("Handled by the care worker %(name)s (%(org)s).") % {
            "name": case.care_worker,
            "org": org.name,
        }
    return _("Handled by a care worker of %(org)s.") % {"org": org.name}
