from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404

from mission.accounts.permissions import reads_department
from mission.accounts.roles import Department
from mission.audit.services import restricted_shown
from mission.pagination import paginate
from rights.services.permissions import sees_names

PAGE_SIZE = 25


def require_reader(user) -> None:
    """Trial data is for Human Rights staff and mission management only."""
    if not reads_department(user, Department.RIGHTS):
        raise PermissionDenied


def get_or_404(selector, **kwargs):
    """A record that does not exist and one outside the user's scope look the same: 404."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


def list_context(request, filterset, queryset) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    export_query = query.urlencode()
    return {
        "filter": filterset,
        "page": paginate(queryset, request.GET.get("page"), PAGE_SIZE),
        "query": export_query,
    }


def draft_saved(request, text: str, key: str) -> None:
    """A success message that also tells the browser to forget its local copy of the form."""
    messages.success(request, text, extra_tags=f"draft:{key}")


def names_shown(request, case, parties: list) -> bool:
    """Whether the page shows these parties' names; if it does, that is a view of a restricted record
    and is logged. Every page that renders a case's parties asks here, so none forgets the log
    (tests/rights/test_authorization.py sweeps every page for names shown without a log row)."""
    return restricted_shown(request, case, parties, readable=sees_names(request.user))
