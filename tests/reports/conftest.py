import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Report files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


PARAMS = {"from": "2026-01", "to": "2026-03", "region": "", "language": "en"}  # trial monitoring's test period
