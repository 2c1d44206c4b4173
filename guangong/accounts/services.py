"""Account changes: a unit admin manages accounts only inside their subtree and never grants
more than they hold."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action, nothing_changed
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope

from .models import ApiToken, User
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
    if not policy_for(User).allows_path(actor, "write", organization.path):
        raise OutOfScope()
    if not grantable(actor, role, can_reveal, can_handle_cases):
        raise ValidationError({"role": _("You cannot grant more rights than you hold.")})


@action(model=User)
def create_user(actor, *, password: str, **fields) -> User:
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
    """An account an administrator may change: in their subtree (404 otherwise), holding no
    right they lack."""
    if not policy_for(User).may(actor, "write"):
        raise PermissionDenied(_("You do not have permission to do this."))
    if user.organization is None:
        raise PermissionDenied(_("Only a superuser can change this account."))
    if not policy_for(User).allows(actor, "write", user):
        raise OutOfScope()
    if not user.verbs <= actor.verbs:
        raise PermissionDenied(_("This account holds rights you do not; you cannot change it."))


@action(model=User)
def update_user(actor, user: User, **fields) -> User:
    user = User.objects.get(pk=user.pk)  # as locked by the action
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
    else:
        nothing_changed()
    return user


@action()
def set_password(actor, user: User, password: str) -> None:
    """Set a password (one's own, or, as an administrator, an account's in scope); every API
    token of the account is revoked with it."""
    if actor.pk != user.pk:
        _require_manageable(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, Action.PASSWORD, user, org_path=_org_path(user))
    tokens = list(user.api_tokens.select_related("user__organization"))
    _delete_tokens(actor, tokens, _("Revoked with the password change."))


# --- API tokens -----------------------------------------------------------------------------

#: Tokens one account may hold at once; issuing one more retires the oldest.
MAX_TOKENS_PER_USER = 10


def _org_path(user: User) -> str:
    return user.organization.path if user.organization_id else ""


def _delete_tokens(actor, tokens: list[ApiToken], message: str) -> int:
    for token in tokens:
        record(
            actor,
            Action.DELETE,
            token,
            before=snapshot(token),
            parent=token.user,
            org_path=_org_path(token.user),
            message=message,
        )
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    return len(tokens)


@action()
def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user`` (who has just given their password) and its key, which is
    never stored: only its hash is. Expired tokens of the account go, and beyond
    ``MAX_TOKENS_PER_USER`` the oldest."""
    now = timezone.now()
    held = list(
        ApiToken.objects.select_for_update(of=("self",))
        .filter(user=user)
        .select_related("user__organization")
        .order_by("-created_at", "-pk")
    )
    _delete_tokens(None, [t for t in held if t.expires_at <= now], _("Expired."))
    live = [t for t in held if t.expires_at > now]
    _delete_tokens(
        user, live[MAX_TOKENS_PER_USER - 1 :], _("Retired: too many tokens for one account.")
    )
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "").strip()[:50] or _("API token"),
        key_hash=ApiToken.hash_key(key),
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
    )
    record(user, Action.TOKEN, token, after=snapshot(token), parent=user, org_path=_org_path(user))
    return token, key


@action()
def revoke_token(actor, token: ApiToken) -> None:
    """Revoke one of one's own tokens, or, as an administrator, one of an account in scope."""
    token = ApiToken.objects.select_related("user__organization").get(pk=token.pk)
    if token.user_id != actor.pk:
        _require_manageable(actor, token.user)
    _delete_tokens(actor, [token], _("Revoked."))


@action()
def expire_token(token: ApiToken) -> None:
    """Delete a token found expired when it was presented."""
    token = ApiToken.objects.select_related("user__organization").filter(pk=token.pk).first()
    if token is not None:
        _delete_tokens(None, [token], _("Expired."))
