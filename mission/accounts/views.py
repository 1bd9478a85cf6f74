from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from mission.accounts import two_factor
from mission.accounts.forms import PeopleFilterForm, PortalAuthenticationForm, PortalPasswordResetForm
from mission.accounts.http import AuthenticatedHttpRequest
from mission.accounts.permissions import Capability, require_capability
from mission.accounts.selectors import user_list
from mission.pages import list_query, page_of

PAGE_SIZE = 25


class LoginView(auth_views.LoginView):
    """The password. Someone who must give a code too (`mission.accounts.two_factor`) is not signed in
    here: they go on to the code, or to setting up an app if they must and have none."""

    authentication_form = PortalAuthenticationForm
    template_name = "accounts/login.html"

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        enabled = two_factor.two_factor_enabled(user)
        if not enabled and not two_factor.two_factor_required(user):
            return super().form_valid(form)
        two_factor.pending_begin(self.request, user, self.get_success_url())
        return redirect("accounts:two_factor_verify" if enabled else "accounts:two_factor_setup")


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    partner_allowed = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # Offline drafts (static/js/drafts.js) do not outlive a sign-out; drafts.js forgets them too
        # when the sign-out button is pressed, this covers a browser that runs no script.
        response["Clear-Site-Data"] = '"storage"'
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    # The mail's templates are named in `mission.accounts.services.password_reset_mail`, run by a task.
    success_url = reverse_lazy("accounts:password_reset_done")


def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The colleagues the user may see, with search, filters, sorting and pagination."""
    require_capability(request.user, Capability.DIRECTORY)
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = page_of(request, user_list(user=request.user, filters=filters), PAGE_SIZE)
    return render(request, "accounts/user_list.html", {"form": form, "page": page, "query": list_query(request)})
