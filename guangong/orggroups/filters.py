"""Filters of the group set, group and assignment lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from guangong.core.filters import StyledFilterSet
from guangong.orgs.models import Kind

from .models import Assignment, GroupSet, OrgGroup


class GroupSetFilterSet(StyledFilterSet):
    class Meta:
        model = GroupSet
        fields = []


class GroupFilterSet(StyledFilterSet):
    group_set = django_filters.ModelChoiceFilter(
        label=_("Group set"), queryset=GroupSet.objects.all()
    )

    class Meta:
        model = OrgGroup
        fields = ["group_set"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.form.fields["group_set"].queryset = GroupSet.objects.visible_to(user)


class AssignmentFilterSet(StyledFilterSet):
    group_set = django_filters.ModelChoiceFilter(
        label=_("Group set"), queryset=GroupSet.objects.all()
    )
    group = django_filters.ModelChoiceFilter(label=_("Group"), queryset=OrgGroup.objects.all())
    kind = django_filters.ChoiceFilter(
        field_name="organization__kind", label=_("Kind"), choices=Kind.choices
    )

    class Meta:
        model = Assignment
        fields = ["group_set", "group", "kind"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.form.fields["group_set"].queryset = GroupSet.objects.visible_to(user)
        self.form.fields["group"].queryset = OrgGroup.objects.visible_to(user)
