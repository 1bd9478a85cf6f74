from django.shortcuts import render

from field_offices.selectors import region_detail as select_region
from field_offices.selectors import region_list as select_regions
from mission.accounts.permissions import Capability, require_capability
from mission.pages import get_or_404


def region_list(request):
    require_capability(request.user, Capability.DIRECTORY)
    return render(request, "field_offices/region_list.html", {"regions": select_regions()})


def region_detail(request, code: str):
    require_capability(request.user, Capability.DIRECTORY)
    region = get_or_404(select_region, code=code)
    return render(request, "field_offices/region_detail.html", {"region": region})
