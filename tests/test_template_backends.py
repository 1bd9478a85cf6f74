"""The Django template engine leaves no reference cycle behind a page (mission/template_backends.py):
what a page showed is freed when the page is written, not when the cyclic collector next runs."""

import gc
import weakref

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory


class Row:
    """Something a page shows (a model instance, a page of them)."""

    label = "row"


@pytest.fixture
def no_collector():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def _request():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


def test_what_a_page_showed_is_freed_without_the_collector(no_collector):
    row = Row()
    gone = weakref.ref(row)
    html = (
        engines["django"]
        .from_string("{% for row in rows %}{{ row.label }}{% endfor %}")
        .render({"rows": [row]}, _request())
    )
    del row
    assert html == "row"
    assert gone() is None


def test_a_template_file_with_its_context_processors_too(no_collector):
    page = Row()
    gone = weakref.ref(page)
    html = render_to_string("includes/pagination.html", {"page": page, "query": ""}, request=_request())
    del page
    assert "Previous" not in html  # a page without others: no links
    assert gone() is None


def test_a_test_client_still_reads_the_context_it_recorded(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "form" in response.context
