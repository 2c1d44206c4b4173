"""API authentication by ``Authorization: Token <key>`` against ``ApiToken`` (hashed keys,
expiry)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import services
from .models import ApiToken


class ApiTokenAuthentication(TokenAuthentication):
    """A token that is unknown, expired (it is then deleted) or whose account is disabled
    answers 401 with a message in Chinese."""

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user__organization")
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        if token.expired:
            services.expire_token(token)
            raise exceptions.AuthenticationFailed(
                _("The API token has expired; obtain a new one from /api/auth/token/.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        touch_token(token)
        return token.user, token


#: The last use of a token is written at most this often (not on every request).
TOUCH_EVERY = timedelta(minutes=1)


def touch_token(token: ApiToken) -> None:
    """Note that the token was used now (bookkeeping, not audited; at most once a minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
