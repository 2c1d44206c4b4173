"""Forms of group sets, groups and assignments; the bulk assignment's choice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.forms import style_fields
from guangong.orgs.forms import OrgChoiceField

from .models import Assignment, GroupSet, OrgGroup


class GroupSetForm(forms.ModelForm):
    class Meta:
        model = GroupSet
        fields = ["organization", "name", "description"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(
            user,
            label=_("Organisation"),
            help_text=_("The set sorts the organisations of this organisation's subtree."),
        )
        style_fields(self.fields)


class GroupForm(forms.ModelForm):
    class Meta:
        model = OrgGroup
        fields = ["group_set", "name", "order"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_set"].queryset = GroupSet.objects.editable_by(user)
        self.fields["group_set"].error_messages["invalid_choice"] = _(
            "Choose a group set you may change."
        )
        style_fields(self.fields)


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["organization", "group"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgChoiceField(user, label=_("Organisation"))
        self.fields["group"].queryset = OrgGroup.objects.visible_to(user).select_related(
            "group_set"
        )
        self.fields["group"].error_messages["invalid_choice"] = _("Choose a group you may see.")
        style_fields(self.fields)


class BulkAssignForm(forms.Form):
    """The group the organisations of a filtered list go into (empty: out of the set)."""

    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=OrgGroup.objects.none(),
        required=False,
        empty_label=_("(none: take them out of the set)"),
    )

    def __init__(self, *args, group_set: GroupSet, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = OrgGroup.objects.visible_to(user).filter(
            group_set=group_set
        )
        self.fields["group"].error_messages["invalid_choice"] = _(
            "Choose one of this set's groups."
        )
        style_fields(self.fields)
