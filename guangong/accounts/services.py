"""Account changes: a unit admin manages accounts only inside their subtree and never grants
more than they hold."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.services import require, require_in_scope

from .models import User
from .roles import verbs_for

USER_FIELDS = (
    "username",
    "full_name",
    "organization",
    "role",
    "can_reveal",
    "can_handle_cases",
    "phone",
    "is_active",
)


def grantable(actor, role: str, can_reveal: bool, can_handle_cases: bool = False) -> bool:
    return verbs_for(role, can_reveal, can_handle_cases) <= actor.verbs


def _check_grant(
    actor, organization, role: str, can_reveal: bool, can_handle_cases: bool = False
) -> None:
    if organization is None:
        raise ValidationError({"organization": _("Choose the user's organisation.")})
    require_in_scope(actor, organization.path)
    if not grantable(actor, role, can_reveal, can_handle_cases):
        raise ValidationError({"role": _("You cannot grant more rights than you hold.")})


@transaction.atomic
def create_user(actor, *, password: str, **fields) -> User:
    require(actor, "manage_users")
    _check_grant(
        actor,
        fields.get("organization"),
        fields.get("role"),
        fields.get("can_reveal"),
        fields.get("can_handle_cases", False),
    )
    user = User(**fields)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(actor, Action.CREATE, user, after=snapshot(user, USER_FIELDS), parent=user.organization)
    return user


def _require_manageable(actor, user: User) -> None:
    require(actor, "manage_users")
    if user.organization is None:
        raise PermissionDenied(_("Only a superuser can change this account."))
    require_in_scope(actor, user.organization.path)
    if not user.verbs <= actor.verbs:
        raise PermissionDenied(_("This account holds rights you do not; you cannot change it."))


@transaction.atomic
def update_user(actor, user: User, **fields) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_manageable(actor, user)
    before = snapshot(user, USER_FIELDS)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise ValueError(f"{name} is not an editable field")
        setattr(user, name, value)
    _check_grant(actor, user.organization, user.role, user.can_reveal, user.can_handle_cases)
    if user.pk == actor.pk and not user.is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    user.full_clean(exclude=["password"])
    user.save()
    after = snapshot(user, USER_FIELDS)
    if after != before:
        record(actor, Action.UPDATE, user, before=before, after=after, parent=user.organization)
    return user


@transaction.atomic
def set_password(actor, user: User, password: str) -> None:
    if actor.pk != user.pk:
        _require_manageable(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        actor, Action.PASSWORD, user, org_path=user.organization.path if user.organization else ""
    )
