"""What the dashboard of Human Rights beyond the courtroom shows beside its records' figures
(`DepartmentConfig.dashboard_panels`): its map layers, each municipality coloured by the approved
incidents against communities of the period, by the persons who returned in it, and by the heritage
incidents of the period, beside the protected sites there. (The protection orders against their legal
deadlines are declared on the cases: `RecordType.deadlines`.)"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from field_offices.models import Municipality
from field_offices.selectors import municipality_names
from human_rights.models import CommunityIncident, HeritageIncident, ProtectedSite, ReturnMovement
from mission.choices import reference_values
from mission.dashboards.charts import COUNT, TEXT, Chart, Column, Figure, choropleth
from mission.dashboards.filters import Filters
from mission.records.summary import APPROVED, municipality_counts, summary_name, summed_dimension, type_key


def _layer(
    slug: str,
    title: StrOrPromise,
    columns: list[tuple[StrOrPromise, dict[str, int]]],
    filters: Filters,
    municipalities: dict[str, Any],
    note: StrOrPromise = "",
) -> Chart:
    """A map of the municipalities by the first of `columns` (label, code → number), with every column
    in its table; the municipalities outside the regions shown are grey."""
    listed = sorted(
        {code for _label, values in columns for code, n in values.items() if n and code in municipalities},
        key=lambda code: municipalities[code]["name"],
    )

    def url(code: str) -> str:
        return reverse("dashboards:municipality_detail", args=[code])

    inside = None
    if filters.region_ids is not None:
        inside = {code for code, m in municipalities.items() if m["region_id"] in filters.region_ids}
    metric, values = columns[0]
    return Chart(
        slug,
        title,
        [Column(_("Municipality"), TEXT), *(Column(label, COUNT) for label, _values in columns)],
        [[municipalities[code]["name"], *(values.get(code, 0) for _label, values in columns)] for code in listed],
        note=str(note),
        links=[url(code) for code in listed],
        shape_map=choropleth(
            values={code: float(n) for code, n in values.items()},
            names={code: m["name"] for code, m in municipalities.items()},
            inside=inside,
            url=url,
            metric=metric,
        ),
    )


def map_panel(_user: Any, filters: Filters) -> tuple[list[Figure], list[Chart]]:
    """The three map layers: incidents against communities, the persons who returned, the heritage
    incidents beside the protected sites. The records' figures are read from the department's summary
    in one query (`municipality_counts`), the sites in another, whatever the number of records."""
    from django.apps import apps

    config: Any = apps.get_app_config("human_rights")
    declared = {record_type.get_model(): record_type for record_type in config.records}
    incidents, returns, heritage = (declared[m] for m in (CommunityIncident, ReturnMovement, HeritageIncident))
    (groups,) = returns.parts
    persons_dimension = summed_dimension(groups, "persons", "")
    wanted = [(incidents, APPROVED), (returns, persons_dimension), (heritage, APPROVED)]
    found = municipality_counts(summary_name(config), filters.region_ids, filters.period, wanted)
    codes = reference_values(Municipality, "code")

    def coded(record_type: Any, dimension: str) -> dict[str, int]:
        counted = found[(type_key(record_type), dimension)]
        return {codes[pk]: n for pk, n in counted.items() if pk in codes}

    municipalities = {m["code"]: m for m in municipality_names()}
    sites = ProtectedSite.objects.order_by()
    if filters.region_ids is not None:
        sites = sites.filter(municipality__region_id__in=filters.region_ids)
    listed = {row["municipality__code"]: row["n"] for row in sites.values("municipality__code").annotate(n=Count("pk"))}
    incidents_by, persons, at_sites = (coded(*w) for w in wanted)
    charts = [
        _layer(
            "map-community-incidents",
            _("Community-rights incidents by municipality"),
            [(_("Community-rights incidents"), incidents_by)],
            filters,
            municipalities,
        ),
        _layer(
            "map-returns",
            _("Persons who returned, by municipality"),
            [(_("Persons"), persons)],
            filters,
            municipalities,
        ),
        _layer(
            "map-heritage",
            _("Heritage incidents and protected sites, by municipality"),
            [(_("Heritage incidents"), at_sites), (_("Protected sites"), listed)],
            filters,
            municipalities,
            note=_("The sites as listed today, whatever the period; the incidents of the period."),
        ),
    ]
    return [], charts
