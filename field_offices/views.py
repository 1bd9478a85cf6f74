from django.http import Http404
from django.shortcuts import render

from field_offices.models import Region
from field_offices.selectors import region_detail as select_region
from field_offices.selectors import region_list as select_regions
from mission.accounts.permissions import Capability, require_capability


def region_list(request):
    require_capability(request.user, Capability.DIRECTORY)
    return render(request, "field_offices/region_list.html", {"regions": select_regions()})


def region_detail(request, code: str):
    require_capability(request.user, Capability.DIRECTORY)
    try:
        region = select_region(code=code)
    except Region.DoesNotExist:
        raise Http404 from None
    return render(request, "field_offices/region_detail.html", {"region": region})
