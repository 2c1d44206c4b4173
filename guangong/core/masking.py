"""Sensitive values as a reader may see them: phones masked (138****5678) unless the reader
holds the ``reveal`` verb or the number is public, on pages, exports and the API alike."""

from django import forms
from django.utils.translation import gettext as _

from .scope import has_verb
from .validators import mask_phone


def may_reveal(user) -> bool:
    return has_verb(user, "reveal")


def shown_phone(user, value: str, *, public: bool = False) -> str:
    """A phone number as ``user`` may read it: in clear with ``reveal`` (or when ``public``),
    masked otherwise."""
    if not value:
        return ""
    return value if public or may_reveal(user) else mask_phone(value)


def hide_stored_phones(form: forms.ModelForm, user, names, *, public: bool = False) -> dict:
    """For an editor who may not reveal: stored phones are not sent to the browser.

    Each input of ``names`` starts empty with the masked number as help; left empty, the
    stored number is kept (``keep_stored_phones`` in the form's ``clean``); a new number
    replaces it. Returns the kept numbers by field name.
    """
    kept: dict[str, str] = {}
    if not form.instance.pk or public or may_reveal(user):
        return kept
    for name in names:
        stored = getattr(form.instance, name, "")
        if name in form.fields and stored:
            kept[name] = stored
            form.initial[name] = ""
            form.fields[name].help_text = _(
                "Stored: %(masked)s. Leave empty to keep it; enter a new number to replace it."
            ) % {"masked": mask_phone(stored)}
    return kept


def keep_stored_phones(cleaned: dict, kept: dict) -> dict:
    """The stored number for each hidden phone input left empty."""
    for name, stored in kept.items():
        if not cleaned.get(name):
            cleaned[name] = stored
    return cleaned
