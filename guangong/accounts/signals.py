"""Logins, logouts and failed logins go to the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record

#: Passed to ``authenticate`` (as ``purpose``) when a signed-in user's current password is
#: checked before it is changed: a failure is then audited as such.
PASSWORD_CHECK = "password_change"


def _org_path(user) -> str:
    org = getattr(user, "organization", None)
    return org.path if org is not None else ""


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(user, Action.LOGIN, user, org_path=_org_path(user))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(user, Action.LOGOUT, user, org_path=_org_path(user))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    known = get_user_model().objects.filter(username=username).select_related("organization")
    user = known.first()
    if credentials.get("purpose") == PASSWORD_CHECK:
        # A signed-in user gave a wrong current password: they are the one who acted.
        actor = getattr(request, "user", None)
        message = _("Wrong current password when changing the password.")
    else:
        actor, message = None, ""  # nobody acted: someone tried
    record(
        actor if actor is not None and actor.is_authenticated else None,
        Action.LOGIN_FAILED,
        user,
        org_path=_org_path(user) if user else "",
        username=username,
        message=message,
    )
