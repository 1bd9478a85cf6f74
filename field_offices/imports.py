"""Reference data administrators keep by spreadsheet (`mission.imports`): field teams and institutions,
each named by its code."""

from django.utils.translation import gettext_lazy as _

from mission.imports.flows import ImportTarget
from mission.imports.spec import ImportSpec

NAMES = ("name_en", "name_sq", "name_sr")

FIELD_TEAMS = ImportTarget(
    name="field-teams",
    spec=ImportSpec("field_offices.FieldTeam", key=("code",), columns=("code", *NAMES, "region", "municipalities")),
    may_import="mission.imports.flows.administers",
    description=_(
        "The field teams, by their code: the region by its code, the municipalities covered by their codes "
        "with ; between them."
    ),
)

INSTITUTIONS = ImportTarget(
    name="institutions",
    spec=ImportSpec("field_offices.Institution", key=("code",), columns=("code", *NAMES, "kind", "departments")),
    may_import="mission.imports.flows.administers",
    description=_(
        "The institutions the departments follow, by their code: the kind by its code, the departments "
        "that deal with each by their codes with ; between them."
    ),
)
