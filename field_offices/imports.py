"""Reference data administrators keep by spreadsheet (`mission.imports`): field teams and institutions,
each named by its code."""

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mission.accounts.roles import Department
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
    prepare="field_offices.imports.institution_preparer",
    description=_(
        "The institutions the departments follow, by their code: the kind by its code, the departments "
        "that deal with each by their codes with ; between them."
    ),
)


def institution_preparer(user: Any) -> Callable[[Any], None]:
    """The departments that deal with an institution, as the queries read them: known codes, ";"
    between them and no spaces ("rights; democratization" is "rights;democratization")."""

    def prepare(institution: Any) -> None:
        codes = [code.strip() for code in re.split(r"[;,]", institution.departments or "") if code.strip()]
        unknown = [code for code in codes if code not in Department.values]
        if unknown:
            raise ValidationError(
                {
                    "departments": gettext("Not a department's code: %(codes)s. The codes are: %(known)s.")
                    % {"codes": ", ".join(unknown), "known": ", ".join(Department.values)}
                }
            )
        institution.departments = ";".join(dict.fromkeys(codes))

    return prepare
