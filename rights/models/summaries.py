"""Summary tables for the dashboards: trial-monitoring counts by month and by the dimensions the
dashboards filter and group on, rebuilt from the records by `rights.services.summaries` (Celery beat,
or on reading when tasks run in-process). A dashboard then sums a few thousand summary rows instead of
counting a million observations.

Distinct cases over a period are not the sum of monthly counts (a case heard in three
months is one case). So each case-month row also keeps the month of the case's previous hearing
(`previous_month`): the cases heard in months A..B are the case-month rows in A..B whose previous
hearing was before A (or that had none), which is again a sum.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from field_offices.models import Community, Municipality, Region
from rights.models.cases import CourtDepartment, RightsQuerySet
from rights.models.flags import FlagRule
from rights.models.hearings import AdjournmentReason
from rights.models.reference import Court, FairTrialStandard


class SummaryQuerySet(RightsQuerySet):
    region_lookup = "region"


class _RegionSummary(models.Model):
    month = models.DateField(_("month"))
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))

    objects = SummaryQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.month:%Y-%m}"


class _Summary(_RegionSummary):
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+", verbose_name=_("court"))
    court_department = models.CharField(_("court department"), max_length=20, choices=CourtDepartment.choices)

    class Meta:
        abstract = True


class HearingMonth(_Summary):
    """Hearings per month, court and court department: monitored, adjourned, held, recorded."""

    hearings = models.PositiveIntegerField()
    adjourned = models.PositiveIntegerField()
    held = models.PositiveIntegerField()
    recorded = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("hearings by month")
        indexes = [models.Index(fields=["month"], name="hearing_month_idx")]


class AdjournmentMonth(_Summary):
    """Adjourned hearings per month, court, court department and reason."""

    reason = models.CharField(max_length=20, choices=AdjournmentReason.choices)
    hearings = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("adjournments by month")
        indexes = [models.Index(fields=["month"], name="adjournment_month_idx")]


class MunicipalityMonth(models.Model):
    """Hearings per month and municipality (where the case is heard), for the map and the
    municipality page. Kept by court too (readers sum over it), so a change in one court's month
    rebuilds that court's rows only."""

    month = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+", verbose_name=_("court"))
    hearings = models.PositiveIntegerField()
    adjourned = models.PositiveIntegerField()
    held = models.PositiveIntegerField()
    recorded = models.PositiveIntegerField()

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearings by municipality and month")
        indexes = [models.Index(fields=["month"], name="municipality_month_idx")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.month:%Y-%m}"


class CaseMonth(_Summary):
    """Cases with a hearing in the month, by the month of their previous hearing."""

    previous_month = models.DateField(null=True)
    cases = models.PositiveIntegerField()
    appeal_grounds = models.PositiveIntegerField()  # of which with fundamental-rights grounds for appeal

    class Meta:
        verbose_name = _("cases by month")
        indexes = [models.Index(fields=["month"], name="case_month_idx")]


class CaseRegionMonth(_RegionSummary):
    """CaseMonth summed over courts and court departments (see RatingRegionMonth)."""

    previous_month = models.DateField(null=True)
    cases = models.PositiveIntegerField()
    appeal_grounds = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("cases by region and month")
        indexes = [models.Index(fields=["month"], name="case_region_month_idx")]


class AdjournmentRegionMonth(_RegionSummary):
    """AdjournmentMonth summed over courts and court departments (see RatingRegionMonth)."""

    reason = models.CharField(max_length=20, choices=AdjournmentReason.choices)
    hearings = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("adjournments by region and month")
        indexes = [models.Index(fields=["month"], name="adjournment_region_month_idx")]


class HearingAccusedMonth(_Summary):
    """Hearings by a characteristic of their accused (sex, age band, community): a hearing counts
    once for each value its accused have, as the partner API's disaggregation does."""

    dimension = models.CharField(max_length=10)  # "sex", "age_band" or "community"
    value = models.CharField(max_length=20, blank=True)
    community = models.ForeignKey(Community, null=True, on_delete=models.CASCADE, related_name="+")
    hearings = models.PositiveIntegerField()
    adjourned = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("hearings by accused and month")
        indexes = [models.Index(fields=["dimension", "month"], name="hearing_accused_month_idx")]


class AccusedPersonMonth(_Summary):
    """Accused persons of the cases heard in the month, by sex, juvenile or not, and community, by the
    month of their case's previous hearing: as with CaseMonth, the people of months A..B are the rows
    in A..B whose previous month was before A, so each person counts once over a period."""

    previous_month = models.DateField(null=True)
    sex = models.CharField(max_length=10)
    juvenile = models.CharField(max_length=10)  # "juvenile", "adult" or "unknown" (rights.indicators.juvenile)
    community = models.CharField(max_length=20, blank=True)  # its code; "" when not known
    persons = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("accused persons by month")
        indexes = [models.Index(fields=["month"], name="accused_person_month_idx")]


class AccusedPersonRegionMonth(_RegionSummary):
    """AccusedPersonMonth summed over courts and court departments (see RatingRegionMonth)."""

    previous_month = models.DateField(null=True)
    sex = models.CharField(max_length=10)
    juvenile = models.CharField(max_length=10)
    community = models.CharField(max_length=20, blank=True)
    persons = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("accused persons by region and month")
        indexes = [models.Index(fields=["month"], name="accused_person_region_idx")]


class RatingMonth(_Summary):
    """Ratings of approved observations per standard (not applicable and not observable left out)."""

    standard = models.ForeignKey(FairTrialStandard, on_delete=models.CASCADE, related_name="+")
    rated = models.PositiveIntegerField()
    concerns = models.PositiveIntegerField()
    violations = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("ratings by month")
        indexes = [models.Index(fields=["month"], name="rating_month_idx")]


class RatingRegionMonth(_RegionSummary):
    """RatingMonth summed over courts and court departments: what a dashboard reads when it is not
    filtered by court (a few thousand rows instead of tens of thousands)."""

    standard = models.ForeignKey(FairTrialStandard, on_delete=models.CASCADE, related_name="+")
    rated = models.PositiveIntegerField()
    concerns = models.PositiveIntegerField()
    violations = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("ratings by region and month")
        indexes = [models.Index(fields=["month"], name="rating_region_month_idx")]


class AccusedRegionMonth(_RegionSummary):
    """HearingAccusedMonth summed over courts and court departments (see RatingRegionMonth)."""

    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=20, blank=True)
    hearings = models.PositiveIntegerField()
    adjourned = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("hearings by accused, region and month")
        indexes = [models.Index(fields=["month"], name="accused_region_month_idx")]


class RatingTotalMonth(_Summary):
    """RatingMonth summed over the standards: a seventeenth of its rows, for totals and trends."""

    rated = models.PositiveIntegerField()
    concerns = models.PositiveIntegerField()
    violations = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("ratings by month, all standards")
        indexes = [models.Index(fields=["month"], name="rating_total_month_idx")]


class FollowUpMonth(_Summary):
    """Flags (by rule and status) by the month of their hearing (or when raised, for a flag on a
    whole case), and interventions (by status) by their date."""

    kind = models.CharField(max_length=12)  # "flag" or "intervention"
    rule = models.CharField(max_length=30, choices=FlagRule.choices, blank=True)
    status = models.CharField(max_length=15)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("follow-up by month")
        indexes = [models.Index(fields=["month"], name="follow_up_month_idx")]
