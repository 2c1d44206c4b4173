from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import services


class ObtainTokenSerializer(AuthTokenSerializer):
    """User name and password (checked like a login, lockout included), and an optional name
    telling the new token apart from the account's others."""

    name = serializers.CharField(
        label=_("Token name"), max_length=50, required=False, allow_blank=True, write_only=True
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("The key; it is shown this once only."))
    name = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text=_("After this time the key answers 401."))


class ObtainTokenView(APIView):
    """Exchange a user name and password for a new API token.

    Send the token as ``Authorization: Token <key>`` on every request. Each call issues a new
    token (an account holds at most ten: the oldest then goes); a token lasts
    ``API_TOKEN_DAYS`` days (30 by default) and is revoked when the account's password changes.
    The account's page lists its tokens and revokes them. An expired or revoked token answers
    401: ask for a new one here.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    serializer_class = ObtainTokenSerializer

    @extend_schema(
        request=ObtainTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=_("Wrong user name or password")),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = ObtainTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token, key = services.issue_token(data["user"], data.get("name", ""))
        body = {"token": key, "name": token.name, "expires_at": token.expires_at}
        return Response(TokenSerializer(body).data)
