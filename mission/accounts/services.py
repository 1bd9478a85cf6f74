"""Writes for accounts: creating users and sending them mail."""

from django.conf import settings
from django.db import transaction

from mission.accounts.models import User
from mission.accounts.roles import Role


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    department: str = "",
    region=None,
    field_team=None,
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
