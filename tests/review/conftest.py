"""A reviewed record for the generic workflow's tests. The kit's tests need one concrete model; the
observation is the one the portal ships, made through the shared factories, not a department's tests."""

import pytest

from tests.factories import ObservationFactory, UserFactory


@pytest.fixture
def author(monitor):
    return monitor


@pytest.fixture
def make_record(author):
    def make(**fields):
        fields.setdefault("monitor", author)
        fields.setdefault("hearing__case__created_by", author)
        fields.setdefault("hearing__created_by", author)
        return ObservationFactory(**fields)

    return make


@pytest.fixture
def draft(make_record):
    return make_record()


@pytest.fixture
def submitted(make_record):
    return make_record(status="submitted")


@pytest.fixture
def approved(make_record, supervisor):
    return make_record(status="approved", reviewed_by=supervisor)


@pytest.fixture
def second_supervisor(geography):
    return UserFactory(username="supervisor.two", supervisor=True, region=geography["PRZ"])
