from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, subject: str, body: str, to: list[str], from_email: str, html_body: str | None = None) -> None:
    """Deliver one e-mail; a mail server that is briefly away is retried with backoff."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_reset(*, user_id: int, domain: str, use_https: bool, language: str) -> None:
    """Mail a password-reset link. It takes the user's id, never the link: the link is made here so
    that it is neither in the broker's message nor in the worker's log."""
    from mission.accounts.services import password_reset_mail

    password_reset_mail(user_id=user_id, domain=domain, use_https=use_https, language=language)
