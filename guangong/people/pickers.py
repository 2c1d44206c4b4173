"""Choosing elders and young people in a form: a select that renders only the chosen people,
filled by an htmx search (``people:elder_choices`` / ``people:youth_choices``)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from guangong.core.forms import ModelChoiceField, ModelMultipleChoiceField
from guangong.core.ids import parse_ids
from guangong.core.resources import policy_for

BLANK = _("Please choose")  # the empty option (请选择)


class PersonChoiceWidget(forms.Select):
    """A select that renders only the chosen person; an htmx search box fills it (a county has
    thousands of elders: rendering them all as <option>s is not an option)."""

    template_name = "people/widgets/person_choice.html"
    choices_url_name = "people:elder_choices"

    def __init__(self, *args, choices_url_name: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices_url_name:
            self.choices_url_name = choices_url_name

    def optgroups(self, name, value, attrs=None):
        chosen = parse_ids(value)
        # Only what the field offers: a posted id outside the user's scope must not come back
        # as a named <option>.
        queryset = getattr(self.choices, "queryset", None)
        groups = []
        if self.offers_blank:
            groups.append((None, [self.create_option(name, "", BLANK, not chosen, 0)], 0))
        if chosen and queryset is not None:
            for obj in queryset.filter(pk__in=chosen).order_by("name", "pk"):
                index = len(groups)
                option = self.create_option(name, obj.pk, choice_label(obj), True, index)
                groups.append((None, [option], index))
        return groups

    @property
    def offers_blank(self) -> bool:
        """An optional single choice can be emptied again."""
        return not self.is_required and not self.allow_multiple_selected

    def get_context(self, name, value, attrs):
        ctx = super().get_context(name, value, attrs)
        ctx["choices_url_name"] = self.choices_url_name
        # What the search sends besides ``q``: the chosen ids of a multiple select (kept
        # selected), or that an optional single choice offers the blank option.
        if self.allow_multiple_selected:
            ctx["search_vals"] = json.dumps({"keep": name})
        elif self.offers_blank:
            ctx["search_vals"] = json.dumps({"blank": "1"})
        return ctx


class PersonMultipleChoiceWidget(PersonChoiceWidget, forms.SelectMultiple):
    """The same for several people: a search keeps the chosen ones (sent along) selected."""

    allow_multiple_selected = True


def choice_label(person) -> str:
    """How a person reads in a picker: the name and the organisation (names repeat)."""
    return f"{person.name}（{person.organization.name}）"


class PersonChoices:
    """Current records of ``model`` the user sees (the policy's), picked by an htmx search; one
    out of scope is refused exactly as one that does not exist."""

    widget_class = PersonChoiceWidget

    def __init__(self, model, user, *, choices_url_name: str, **kwargs):
        rows = policy_for(model).instances(user, "read", model.objects.current())
        widget = self.widget_class(choices_url_name=choices_url_name)
        super().__init__(queryset=rows.select_related("organization"), widget=widget, **kwargs)
        self.error_messages["invalid_choice"] = _("Choose someone within your scope.")

    def label_from_instance(self, obj):
        return choice_label(obj)


class PersonChoiceField(PersonChoices, ModelChoiceField):
    """One current elder or young person the user sees."""


class PersonMultipleChoiceField(PersonChoices, ModelMultipleChoiceField):
    """Several current elders or young people the user sees."""

    widget_class = PersonMultipleChoiceWidget
