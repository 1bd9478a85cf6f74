import datetime
import hmac
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from mission.accounts.models import User
from mission.api.models import ApiToken
from mission.api.services import PREFIX_PATTERN, TOKEN_PREFIX, hash_key
from mission.api.token_lookup import token_with_user

if TYPE_CHECKING:  # DRF imports this module from its settings while rest_framework.views is loading
    from drf_spectacular.openapi import AutoSchema

LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer mp_<prefix>_<secret>`. Only the hash is stored; the prefix finds the row."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, key = header.partition(" ")
        if keyword != self.keyword or not key.strip():
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        key = key.strip()
        parts = key.removeprefix(TOKEN_PREFIX).split("_", 1)
        # Only a prefix we could have issued reaches the database (one with NUL made PostgreSQL fail).
        if not key.startswith(TOKEN_PREFIX) or len(parts) != 2 or not PREFIX_PATTERN.fullmatch(parts[0]):
            raise exceptions.AuthenticationFailed(_("This is not a Mission Portal token."))
        token = token_with_user(parts[0])
        if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)):
            raise exceptions.AuthenticationFailed(_("Unknown token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked. Ask the mission for a new one."))
        if token.expires_at is not None and token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token expired. Ask the mission for a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this token is inactive."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            # A write per request would cost more than the read it serves; a minute is precise enough.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


# drf-spectacular registers extensions in an unannotated `__init_subclass__`.
class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Documents the token scheme in the OpenAPI schema."""

    target_class = "mission.api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: "AutoSchema") -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued by the mission's administrators: `Authorization: Bearer mp_…`.",
        }
