"""API authentication by ``Authorization: Token <key>`` against ``ApiToken`` (hashed keys,
expiry)."""

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
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
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
        services.touch_token(token)
        return token.user, token
