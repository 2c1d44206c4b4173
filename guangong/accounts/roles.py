"""Roles grant verbs. Scope (which organisations) is separate: the user's subtree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb:
    VIEW = "view"  # read records in scope
    EDIT = "edit"  # create, edit, move and delete records in scope
    APPROVE = "approve"  # approve submissions from below
    MANAGE_USERS = "manage_users"  # create and edit user accounts in scope
    AUDIT = "audit"  # read the audit log in scope
    MANAGE_SYSTEM = "manage_system"  # dictionaries and system settings
    REVEAL = "reveal"  # reveal sensitive fields (always audited)
    CARE = "care"  # open care cases and work on them (关爱专干); everyone else sees counts


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    CLERK = "clerk", _("Data clerk")
    VIEWER = "viewer", _("Viewer")
    CARE_WORKER = "care_worker", _("Care worker")


ROLE_VERBS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {
            Verb.VIEW,
            Verb.EDIT,
            Verb.APPROVE,
            Verb.MANAGE_USERS,
            Verb.AUDIT,
            Verb.MANAGE_SYSTEM,
        }
    ),
    Role.UNIT_ADMIN: frozenset({Verb.VIEW, Verb.EDIT, Verb.APPROVE, Verb.MANAGE_USERS, Verb.AUDIT}),
    Role.CLERK: frozenset({Verb.VIEW, Verb.EDIT}),
    Role.VIEWER: frozenset({Verb.VIEW}),
    Role.CARE_WORKER: frozenset({Verb.VIEW, Verb.EDIT, Verb.REVEAL, Verb.CARE}),
}


def verbs_for(
    role: str, can_reveal: bool = False, can_handle_cases: bool = False
) -> frozenset[str]:
    verbs = ROLE_VERBS.get(role, frozenset())
    if can_reveal:
        verbs = verbs | {Verb.REVEAL}
    if can_handle_cases:
        verbs = verbs | {Verb.CARE}
    return verbs
