"""The token lookup written once per process (mission/api/token_lookup.py) gives the token and its user
as the ORM does, field by field."""

import datetime

import pytest
from django.utils import timezone

from mission.api.models import ApiToken
from mission.api.services import token_issue, token_revoke
from mission.api.token_lookup import token_with_user

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_token_and_its_user_are_what_the_orm_reads(partner, administrator):
    token, _key = token_issue(
        actor=administrator,
        user=partner,
        name="NGO system",
        scopes=["trial_monitoring", "reference"],
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    token_revoke(actor=administrator, token=token)
    expected = ApiToken.objects.select_related("user").get(pk=token.pk)

    found = token_with_user(expected.prefix)

    assert fields(found) == fields(expected)
    assert fields(found.user) == fields(expected.user)
    assert found.scopes == expected.scopes == ["reference", "trial_monitoring"]
    assert timezone.is_aware(found.revoked_at)
    assert found.user.pk == partner.pk
    assert found._state.adding is False
    assert found._state.db == "default"


def test_an_unknown_prefix_finds_nothing(partner, administrator):
    token_issue(actor=administrator, user=partner, name="NGO system", scopes=["reference"])
    assert token_with_user("nosuchprefix") is None
    assert token_with_user("") is None
