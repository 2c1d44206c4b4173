"""Logins, logouts and failed logins go to the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from guangong.audit.services import Action, record


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
    record(
        None,
        Action.LOGIN_FAILED,
        user,
        org_path=_org_path(user) if user else "",
        username=username,
    )
