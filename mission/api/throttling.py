from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:  # DRF imports this module from its settings while rest_framework.views is loading
    from rest_framework.views import APIView


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (or per staff session); the rate is API_THROTTLE_RATE."""

    scope = "token"

    def get_cache_key(self, request: Request, view: "APIView") -> str:
        token = request.auth
        if token is not None and hasattr(token, "pk"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class UnauthenticatedRateThrottle(SimpleRateThrottle):
    """Requests with a bad or missing token, per client address (API_UNAUTHENTICATED_THROTTLE_RATE).

    DRF checks throttles only after authentication and permissions pass, so such requests would never
    be throttled: `PortalAPIView` counts them here when authentication fails. The address is the
    client's behind TRUSTED_PROXY_COUNT proxies (DRF's NUM_PROXIES); without trusted proxies it is the
    connection's, so a forged X-Forwarded-For cannot buy a fresh allowance."""

    scope = "unauthenticated"

    def get_cache_key(self, request: Request, view: "APIView") -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
