from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from mission.accounts import security_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("people/", views.people, name="people"),
    path("two-factor/", security_views.verify, name="two_factor_verify"),
    path("two-factor/set-up/", security_views.setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", security_views.recovery_codes, name="recovery_codes"),
    path("two-factor/recovery-codes/renew/", security_views.renew_recovery_codes, name="recovery_codes_renew"),
    path("two-factor/turn-off/", security_views.disable, name="two_factor_disable"),
    path("security/", security_views.security, name="security"),
    path("security/sessions/end/", security_views.end_sessions, name="sessions_end"),
]
