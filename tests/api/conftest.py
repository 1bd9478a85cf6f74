"""The API's tokens and clients, for every department: partner tokens scoped to every dataset partners
may have, staff tokens to every dataset (tests/rights/api/conftest.py adds trial monitoring's records)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mission.api.datasets import all_datasets
from mission.api.services import token_issue, token_revoke

PARTNER_SCOPES = [d.code for d in all_datasets() if d.partners]
STAFF_ONLY_SCOPES = [d.code for d in all_datasets() if not d.partners]


def admin_token_add(client: Client, user, scopes: list[str]):
    """Issue a token through the administration's add form, as an administrator does."""
    from django.urls import reverse

    return client.post(
        reverse("admin:api_apitoken_add"),
        {"user": user.pk, "name": "Script", "scopes": scopes, "expires_at_0": "", "expires_at_1": ""},
        follow=True,
    )


def bearer(key: str | None) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}") if key else Client()


@pytest.fixture
def partner_key(partner, administrator):
    _token, key = token_issue(actor=administrator, user=partner, name="NGO system", scopes=PARTNER_SCOPES)
    return key


@pytest.fixture
def unscoped_partner_key(partner, administrator):
    _token, key = token_issue(actor=administrator, user=partner, name="Reference only", scopes=["reference"])
    return key


@pytest.fixture
def revoked_key(partner, administrator):
    token, key = token_issue(actor=administrator, user=partner, name="Old", scopes=PARTNER_SCOPES)
    token_revoke(actor=administrator, token=token)
    return key


@pytest.fixture
def expired_key(partner, administrator):
    _token, key = token_issue(
        actor=administrator,
        user=partner,
        name="Expired",
        scopes=PARTNER_SCOPES,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    return key


def staff_key(user, administrator, scopes=None):
    """A token for a staff member's script: every dataset unless `scopes` says otherwise."""
    scopes = [d.code for d in all_datasets()] if scopes is None else list(scopes)
    _token, key = token_issue(actor=administrator, user=user, name=f"{user.username} script", scopes=scopes)
    return key


CANARY = "CANARY"


def plant_canaries() -> None:
    """Every text field of every record (anything scoped to a region) and of every user holds the canary,
    each value unique: whatever a monitor could have typed."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import models

    from mission.accounts.permissions import ScopedQuerySet

    for model in apps.get_models():
        scoped = isinstance(model._default_manager.get_queryset(), ScopedQuerySet)
        if not scoped and model is not get_user_model():
            continue
        texts = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.name != "password"
        ]
        for pk in model._default_manager.values_list("pk", flat=True):
            values = {f.attname: f"{CANARY}{model._meta.model_name}{pk}{f.name}"[: f.max_length] for f in texts}
            model._default_manager.filter(pk=pk).update(**values)
