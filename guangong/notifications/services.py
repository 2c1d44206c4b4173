"""Every change users make to their messages' settings, and the password reset by SMS.

- ``save_preferences``: the channels a user chose per kind of event (audited).
- ``send_reset_code`` / ``reset_password``: “忘记密码” by an SMS code, where SMS is configured
  (``PASSWORD_RESET_BY_SMS``). A code is six digits, stored as a keyed hash, good for
  ``SMS_RESET_MINUTES`` (10) minutes and ``SMS_RESET_TRIES`` (5) tries; asking for one is
  limited per address and per account (``SMS_RESET_LIMIT`` an hour). Both steps are audited, the
  phone masked. Whether an account exists is never told: an unknown name or a name without a
  phone reads exactly like a code sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record
from guangong.core.actions import action, nothing_changed
from guangong.core.validators import mask_phone

from .models import Channel, Event, Preference, ResetCode
from .sending import queue_delivery


@action("write", model=Preference)
def save_preferences(actor, choices: dict[str, dict[str, bool]]) -> None:
    """``choices``: for each event kind, ``{"email": bool, "sms": bool}``. A channel without an
    address in the account (no e-mail, no phone) cannot be chosen."""
    unknown = set(choices) - set(Event.values)
    if unknown:
        raise ValidationError(_("Unknown kind of message."))
    errors = []
    if not actor.email and any(c.get("email") for c in choices.values()):
        errors.append(_("Your account has no e-mail address: e-mail cannot be chosen."))
    if not actor.phone and any(c.get("sms") for c in choices.values()):
        errors.append(_("Your account has no phone number: SMS cannot be chosen."))
    if errors:
        raise ValidationError(errors)
    stored = {p.event: p for p in Preference.objects.select_for_update().filter(user=actor)}
    before = {e: {"email": p.email, "sms": p.sms} for e, p in stored.items()}
    after = dict(before)
    for event, chosen in choices.items():
        pref = stored.get(event) or Preference(user=actor, event=event)
        pref.email, pref.sms = bool(chosen.get("email")), bool(chosen.get("sms"))
        pref.save()
        after[event] = {"email": pref.email, "sms": pref.sms}
    if after == before:
        nothing_changed()
        return
    account = get_user_model()._default_manager.get(pk=actor.pk)  # the row, not a lazy user
    record(actor, Action.UPDATE, account, before=before, after=after, message="message channels")


# --- Password reset by SMS ------------------------------------------------------------------


def code_hash(user_id: int, code: str) -> str:
    key = f"sms-reset:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _reset_user(username: str):
    users = get_user_model().objects.filter(username__iexact=(username or "").strip())
    user = users.filter(is_active=True).first()
    return user if user is not None and user.phone else None


@action("reset_password")
def send_reset_code(actor, username: str) -> ResetCode | None:
    """Send a code to the phone of ``username``'s account (``actor``: None, not signed in).
    Returns the code's row, or None when there is no such account with a phone."""
    user = _reset_user(username)
    if user is None:
        record(None, Action.PASSWORD, None, message="sms reset asked: no such account", username="")
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    ResetCode.objects.filter(user=user, used_at=None).update(used_at=now)  # one live code
    row = ResetCode.objects.create(
        user=user,
        code_hash=code_hash(user.pk, code),
        expires_at=now + timezone.timedelta(minutes=settings.SMS_RESET_MINUTES),
    )
    text = _("Your Guangong password reset code is %(code)s, valid for %(n)d minutes.") % {
        "code": code,
        "n": settings.SMS_RESET_MINUTES,
    }
    queue_delivery(
        key=f"password_reset:{row.pk}:{Channel.SMS}",
        channel=Channel.SMS,
        address=user.phone,
        event="password_reset",
        subject=_("Password reset code"),
        text=_("Password reset code"),  # the code itself is kept encrypted only
        secret_text=text,
        org_path=user.scope_path or "",
        template="code",
        params={"code": code},
    )
    record(
        None,
        Action.PASSWORD,
        user,
        message=f"sms reset code sent to {mask_phone(user.phone)}",
        username=user.get_username(),
    )
    return row


@action("reset_password")
def reset_password(actor, username: str, code: str, password: str) -> bool:
    """Set a new password with a code sent by ``send_reset_code``. Refused (ValidationError)
    for a wrong, used or expired code, after ``SMS_RESET_TRIES`` wrong tries, or a weak
    password; the account then reads like any other."""
    wrong = ValidationError({"code": _("The code is wrong or has expired. Ask for a new one.")})
    user = _reset_user(username)
    row = None
    if user is not None:
        row = (
            ResetCode.objects.select_for_update()
            .filter(user=user, used_at=None, expires_at__gt=timezone.now())
            .order_by("-pk")
            .first()
        )
    if row is None or row.tries >= settings.SMS_RESET_TRIES:
        raise wrong
    if not hmac.compare_digest(row.code_hash, code_hash(user.pk, (code or "").strip())):
        ResetCode.objects.filter(pk=row.pk).update(tries=row.tries + 1)
        record(None, Action.PASSWORD, user, message="sms reset: wrong code", username="")
        # The wrong try is kept: this action's transaction would undo it if it raised.
        return False
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ResetCode.objects.filter(pk=row.pk).update(used_at=timezone.now())
    record(
        None,
        Action.PASSWORD,
        user,
        message="password reset by sms code",
        username=user.get_username(),
    )
    return True
