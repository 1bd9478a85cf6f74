import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from tests.conftest import client_for, require_service

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["sq", "sr_Latn"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(language):
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(folder / "django.po"))}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(folder / "django.mo"))}
    assert {k: v for k, v in compiled.items() if k[1]} == source, "run: manage.py compilemessages"


def test_no_string_in_the_code_is_missing_from_the_catalogues(tmp_path):
    """makemessages on a copy of the project finds no message that the committed catalogues lack."""
    require_service(shutil.which("xgettext") is not None, "gettext", "GNU gettext (xgettext)")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "media", "var", "*.sqlite3", "tests")
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sq", "-l", "sr_Latn", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mission.settings", "DEBUG": "true"},  # as `make messages`
        check=True,
        capture_output=True,
        timeout=120,
    )
    for language in LANGUAGES:
        fresh = {e.msgid for e in polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))}
        committed = {e.msgid for e in polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))}
        assert fresh - committed == set(), f"run makemessages and translate for {language}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "regions"),
    [
        ("sq", "Qendrat rajonale", ["Gjilan", "Mitrovicë", "Pejë", "Prishtinë", "Prizren"]),
        ("sr-latn", "Regionalni centri", ["Gnjilane", "Mitrovica", "Peć", "Priština", "Prizren"]),
    ],
)
def test_home_page_speaks_the_users_language(monitor, language, heading, regions):
    client = client_for(monitor)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    content = client.get(reverse("home")).content.decode()
    assert f'lang="{language}"' in content
    assert heading in content
    positions = [content.index(f">{name}</a>") for name in regions]
    assert positions == sorted(positions)
