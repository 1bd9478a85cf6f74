import pytest

from tests.rights.test_dashboard import trial_data  # noqa: F401 (the records the reports count)
from tests.test_celery_worker import worker_queue  # noqa: F401 (real workers, for test_worker.py)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Report files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


PARAMS = {"from": "2026-01", "to": "2026-03", "region": "", "language": "en"}
FORM = {
    "report_type": "trial_monitoring_data",
    "start": "2026-01",
    "end": "2026-03",
    "format": "xlsx",
    "language": "en",
}
