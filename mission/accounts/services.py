"""Writes for accounts: creating users and sending them mail."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from field_offices.models import FieldTeam, Region
from mission.accounts.models import User
from mission.accounts.roles import Role


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    department: str = "",
    region: Region | None = None,
    field_team: FieldTeam | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation: str = "",
    password: str | None = None,
    actor: User | None = None,
) -> User:
    """Create a user; Django's staff flags follow the role (only administrators hold them)."""
    if field_team is not None and region is None:
        region = field_team.region
    user = User(
        username=username,
        role=role,
        department=department,
        region=region,
        field_team=field_team,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user._history_user = actor
    user.save()
    return user


def email_send(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an e-mail from a Celery task once the current transaction has committed."""
    from mission.accounts.tasks import send_email

    transaction.on_commit(
        lambda: send_email.delay(
            subject=subject, body=body, to=to, html_body=html_body, from_email=settings.DEFAULT_FROM_EMAIL
        )
    )


RESET_MAIL_SUBJECT = "accounts/email/password_reset_subject.txt"
RESET_MAIL_BODY = "accounts/email/password_reset.txt"


def password_reset_request(*, user: User, domain: str, use_https: bool) -> None:
    """Mail `user` a link to choose a new password, from a Celery task once the transaction commits.

    Only the user's id, the host and the language go to the broker: the link is a credential, so the
    task makes it (`password_reset_mail`) and nothing on the way stores or logs it.
    """
    from mission.accounts.tasks import send_password_reset

    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: send_password_reset.delay(user_id=user.pk, domain=domain, use_https=use_https, language=language)
    )


def password_reset_mail(*, user_id: int, domain: str, use_https: bool, language: str) -> None:
    """Make the reset link for one user and send it (called by the task). A user who has since been
    deactivated or lost their password gets nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return
    context = {
        "user": user,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(language):
        subject = "".join(loader.render_to_string(RESET_MAIL_SUBJECT, context).splitlines())
        body = loader.render_to_string(RESET_MAIL_BODY, context)
    EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]).send()
