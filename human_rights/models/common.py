"""What the records of Human Rights & Communities beyond the courtroom share: the scope of its reviewed
records (the department's, by the municipality's region)."""

from mission.accounts.roles import Department
from mission.review.models import ReviewedQuerySet


class HumanRightsQuerySet(ReviewedQuerySet):
    department = Department.RIGHTS
    region_lookup = "municipality__region"
