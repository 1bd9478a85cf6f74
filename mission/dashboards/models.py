from django.db import models
from django.utils.translation import gettext_lazy as _


class RefreshKind(models.TextChoices):
    FULL = "full", _("full rebuild")
    INCREMENTAL = "incremental", _("changed months")


class SummaryRefresh(models.Model):
    """When a department's summary tables were last brought up to date, so that every dashboard can
    say how fresh its figures are: `refreshed_at` by either kind of refresh (every change marked
    before it is in the figures), `rebuilt_at` by the last full rebuild, `changed_at` by the last
    refresh that changed anything; the rest describes the last run."""

    name = models.CharField(_("summary"), max_length=50, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    rebuilt_at = models.DateTimeField(_("rebuilt at"), null=True, blank=True)
    # The last refresh that wrote figures (a refresh with no marks leaves them as they were): the
    # version that rendered dashboard fragments are kept under (`mission.dashboards.fragments`).
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    kind = models.CharField(_("last refresh"), max_length=12, choices=RefreshKind.choices, default=RefreshKind.FULL)
    parts = models.PositiveIntegerField(_("parts rebuilt"), default=0)  # months or groups of a month; 0 when full
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("summary refresh")
        verbose_name_plural = _("summary refreshes")

    def __str__(self) -> str:
        return f"{self.name} @ {self.refreshed_at:%Y-%m-%d %H:%M}"


class SummaryMark(models.Model):
    """A part of a summary changed by a service, written in the same transaction as the change, and
    removed by the refresh that rebuilds it (`mission.dashboards.services`). Rows are only ever
    inserted and deleted (no unique key), so a writer never waits for a refresh."""

    summary = models.CharField(max_length=50)
    month = models.DateField()  # its first day
    group = models.BigIntegerField(null=True)  # None: the whole month
    topic = models.CharField(max_length=30, blank=True, default="")  # "": every table (summaries.Marked)

    class Meta:
        verbose_name = _("changed summary part")
        indexes = [models.Index(fields=["summary"], name="summary_mark_summary_idx")]

    def __str__(self) -> str:
        return f"{self.summary} {self.month:%Y-%m} {self.group or ''}"


class LiveCount(models.Model):
    """A share of a live count (open flags, records waiting for review) that the overview reads by
    summing a handful of rows instead of counting the records (`mission.dashboards.counters`): what
    one department has in one region, for one owner or, with `owner_id` None, for everyone.

    Services insert the difference their change makes, in the change's transaction; rows are only
    ever inserted and deleted, so writers never wait on each other here. The refresh every minute
    merges the rows of each key into one, and the nightly rebuild counts them again from the records."""

    name = models.CharField(max_length=50)
    department = models.CharField(max_length=20, blank=True)
    region_id = models.BigIntegerField(null=True)  # no foreign key: a writer locks no region row
    owner_id = models.BigIntegerField(null=True)  # a user's own share, or None: everyone's
    count = models.BigIntegerField()

    class Meta:
        verbose_name = _("live count")
        indexes = [models.Index(fields=["name", "owner_id", "region_id"], name="live_count_key_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.department} {self.region_id} {self.owner_id or ''}: {self.count}"


class RecordCount(models.Model):
    """The summary of a department's declared records (`mission.records.summary`): how many records of
    one type were dated in a month in a municipality, by one `dimension` and its `value` (its status,
    a coded field of the approved ones, a part's rows by one of their fields, the days to a step of
    the response). Rebuilt by the summaries framework; dashboards sum its rows instead of counting
    records."""

    summary = models.CharField(max_length=50)  # the department's summary: "records.<label>"
    record_type = models.CharField(max_length=100)  # "<app_label>.<model>", lower case
    month = models.DateField()  # its first day
    # No foreign keys: a rebuild locks no reference row. The region is the municipality's when the
    # records were counted (an administrator's move reaches the figures with the nightly rebuild).
    region_id = models.BigIntegerField(default=0)
    municipality_id = models.BigIntegerField(null=True)  # kept for the totals only (`summary._mapped`)
    dimension = models.CharField(max_length=100)
    value = models.CharField(max_length=100, null=True)  # noqa: DJ001  # None: not known, or a step not reached
    count = models.BigIntegerField()

    class Meta:
        verbose_name = _("record count")
        # Covering what the readers group and sum (PostgreSQL: an index-only scan), so that a read costs
        # the rows of the months asked, not the table's pages that rebuilds left behind.
        indexes = [
            models.Index(
                fields=["summary", "month", "dimension", "record_type", "value", "region_id", "municipality_id"],
                include=["count"],
                name="record_count_idx",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.record_type} {self.month:%Y-%m} {self.municipality_id} {self.dimension}={self.value}: {self.count}"
        )
