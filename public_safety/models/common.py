"""What Security & Public Safety's records share: the scope of its reviewed records, the law-enforcement
agencies among the shared institutions, and the ranks of the Kosovo Police."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mission.accounts.roles import Department
from mission.review.models import ReviewedQuerySet


class PublicSafetyQuerySet(ReviewedQuerySet):
    department = Department.PUBLIC_SAFETY
    region_lookup = "municipality__region"


def _agencies() -> models.Q:
    """The law-enforcement agencies of the shared list of institutions."""
    return models.Q(departments__regex=r"(^|;)public_safety(;|$)", kind="police_security")


class Rank(models.TextChoices):
    """The ranks of the Kosovo Police, and who else a course may train."""

    OFFICER = "officer", _("Police officer")
    SERGEANT = "sergeant", _("Sergeant")
    LIEUTENANT = "lieutenant", _("Lieutenant")
    CAPTAIN = "captain", _("Captain")
    MAJOR = "major", _("Major")
    LT_COLONEL = "lt_colonel", _("Lieutenant colonel")
    COLONEL = "colonel", _("Colonel")
    GENERAL = "general", _("General")
    CIVILIAN = "civilian", _("Civilian staff")
    OTHER = "other", _("Other (not police)")


# The ranks of the police's own staff figures (not the civilians or others a course may train).
POLICE_RANKS = [(value, label) for value, label in Rank.choices if value not in (Rank.CIVILIAN, Rank.OTHER)]
