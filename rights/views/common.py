from django.core.exceptions import PermissionDenied

from mission.accounts.permissions import reads_department, reads_restricted
from mission.accounts.roles import Department
from mission.audit.services import restricted_shown
from rights.models import Party


def require_reader(user) -> None:
    """Trial data is for Human Rights staff and mission management only."""
    if not reads_department(user, Department.RIGHTS):
        raise PermissionDenied


def names_shown(request, case, parties: list) -> bool:
    """Whether the page shows these parties' names; if it does, that is a view of a restricted record
    and is logged. Every page that renders a case's parties asks here, so none forgets the log
    (tests/rights/test_authorization.py sweeps every page for names shown without a log row)."""
    return restricted_shown(request, case, parties, readable=reads_restricted(request.user, Party))
