"""The Jinja2 fragments of pages (mission/jinja.py) write what the Django templates wrote: the same
dates in every language and time zone, the same links, the same escaping and translations."""

import datetime

import pytest
from django.template import Context, Template, engines
from django.urls import reverse
from django.utils import timezone, translation

from mission import jinja

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "sq", "sr-latn")


def django_date(value) -> str:
    return Template('{{ value|date:"SHORT_DATE_FORMAT" }}').render(Context({"value": value}))


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_written_as_the_django_date_filter_writes_them(language, settings):
    settings.TIME_ZONE = "Europe/Belgrade"
    late_evening_utc = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)  # 1 April in Pristina
    with translation.override(language), timezone.override("Europe/Belgrade"):
        for value in (datetime.date(2026, 1, 5), datetime.date(2026, 12, 31), late_evening_utc):
            assert jinja.date(value) == django_date(value)
            assert jinja.date(value) == jinja.date(value)  # remembered, unchanged
    assert jinja.date(None) == ""


def test_a_remembered_date_follows_the_language():
    day = datetime.date(2026, 2, 3)
    with translation.override("en"):
        english = jinja.date(day, "DATE_FORMAT")
    with translation.override("sq"):
        albanian = jinja.date(day, "DATE_FORMAT")
    assert english != albanian


def test_links_are_django_reverse():
    assert jinja.url("rights:case_detail", 42) == reverse("rights:case_detail", args=[42])
    assert jinja.url("rights:case_detail", 43) == reverse("rights:case_detail", args=[43])
    assert jinja.url("home") == reverse("home")


def test_values_are_escaped_and_words_translated():
    fragment = engines["jinja2"].from_string('<td>{{ value }}</td><td>{{ _("Review") }}</td>')
    html = fragment.render({"value": '<script>alert("x")</script>'})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    with translation.override("sq"):
        albanian = fragment.render({"value": ""})
    assert "Review" not in albanian


def test_a_fragment_included_by_a_page_says_its_words_in_each_render_s_language(settings):
    """`{% jinja %}` binds `_` and `url` once per render (`jinja.render_values`): each render in its own
    language and under its own address prefix, the words remembered per language."""
    from django.urls import set_script_prefix

    from mission.templatetags.fragments import jinja as include

    with translation.override("en"):
        english = str(include("rights/observation_rows.html", rows=[], review=False))
        assert str(jinja.render_values({})["_"]("Review")) == "Review"
    with translation.override("sq"):
        albanian = jinja.render_values({})["_"]("Review")
        assert albanian == translation.gettext("Review") != "Review"
    with translation.override("en"):
        assert jinja.render_values({})["_"]("Review") == "Review"  # not the Albanian remembered
    assert english.strip() == ""
    set_script_prefix("/portal/")
    try:
        assert jinja.render_values({})["url"]("rights:case_detail", 7) == "/portal/trial-monitoring/cases/7/"
    finally:
        set_script_prefix("/")


def test_a_message_with_values_escapes_the_values_not_the_words():
    say = jinja.render_values({})["_"]
    with translation.override("en"):
        assert str(say("Case %(number)s", number="<b>1</b>")) == "Case &lt;b&gt;1&lt;/b&gt;"


# --- The kept top bar and side menu (mission/templatetags/fragments.py) ------------------------------
def _shell(user, path: str, token: str, language: str = "en") -> tuple[str, str]:
    from django.test import RequestFactory

    from mission.navigation import sections_for
    from mission.templatetags.fragments import page_header, page_nav

    request = RequestFactory().get(path)
    request.user = user
    with translation.override(language):  # as the request's language is active for its context processors
        context = Context({"request": request, "user": user, "csrf_token": token})
        context["nav_sections"] = sections_for(user, request.path)
        return str(page_header(context)), str(page_nav(context))


def _fresh(user, path: str, token: str, language: str = "en") -> tuple[str, str]:
    """The bar and the menu rendered from their templates, as before they were kept."""
    from django.test import RequestFactory

    from mission.navigation import sections_for
    from mission.templatetags import fragments

    request = RequestFactory().get(path)
    with translation.override(language):
        header = fragments.jinja(
            "shell/header.html",
            signed_in=True,
            who=fragments._signed_in_name(user),
            role=user.get_role_display(),
            csrf=token,
            languages=fragments._languages(),
            language=language,
            here=request.get_full_path(),
            always_sign_out=not sections_for(user, request.path),
        )
        nav = fragments.jinja(
            "shell/nav.html",
            sections=sections_for(user, request.path),
            staff=user.is_staff,
            csrf=token,
            sign_out=translation.gettext("Sign out (%(name)s)") % {"name": fragments._signed_in_name(user)},
        )
    return str(header), str(nav)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_kept_bar_and_menu_are_what_the_templates_write(supervisor, language):
    pages = [
        ("/trial-monitoring/hearings/?q=\"<b>'&x=1", "token" + "a" * 59),
        ("/trial-monitoring/cases/", "token" + "b" * 59),  # another page, another token: nothing of the first
        ("/trial-monitoring/hearings/?q=\"<b>'&x=1", "token" + "c" * 59),
    ]
    for path, token in pages:
        assert _shell(supervisor, path, token, language) == _fresh(supervisor, path, token, language)


def test_each_page_marks_its_own_menu_item(supervisor):
    _header, hearings = _shell(supervisor, "/trial-monitoring/hearings/", "t" * 64)
    _header, cases = _shell(supervisor, "/trial-monitoring/cases/", "t" * 64)
    assert 'href="/trial-monitoring/hearings/" aria-current="page"' in hearings
    assert 'href="/trial-monitoring/cases/" aria-current="page"' in cases
    assert 'href="/trial-monitoring/hearings/" aria-current="page"' not in cases
