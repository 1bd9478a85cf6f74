"""The request a view behind the login receives (`LoginRequiredMiddleware` is on): its user is a
`User`, never anonymous. Views annotate `request: AuthenticatedHttpRequest`; the few views marked
`login_not_required` take a plain `HttpRequest`."""

from django.http import HttpRequest

from mission.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
