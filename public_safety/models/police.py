"""Women in the police: how many women and men served, per year, region, rank and management level
(figures the police publish, entered by hand or imported from their spreadsheet: the kit's
`mission.figures`), the targets of the police's gender-equality plan they are read against, and the
mentoring of women officers, an activity (the kit's `ActivityRecord`) with its participants."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from mission.common import BaseModel, VersionedModel
from mission.records.shapes import ActivityRecord, ParticipantRow, record_indexes
from mission.review.models import ReviewLabels
from mission.sensitivity import Pseudonym, declare
from public_safety.models.common import POLICE_RANKS, PublicSafetyQuerySet, Rank


class ManagementLevel(models.TextChoices):
    NONE = "none", _("Not in management")
    FIRST_LINE = "first_line", _("First-line supervision")
    MIDDLE = "middle", _("Middle management")
    SENIOR = "senior", _("Senior management")


def _year(label: StrOrPromise) -> "models.PositiveSmallIntegerField[int, int]":
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(2000), MaxValueValidator(2100)])


class PoliceStaffFigure(VersionedModel, BaseModel):
    """How many women and men of one rank and management level served in one region's police at the end
    of a year, as the police reported them."""

    year = _year(_("year"))
    region = models.ForeignKey(
        "field_offices.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    rank = models.CharField(_("rank"), max_length=12, choices=POLICE_RANKS)
    level = models.CharField(_("management level"), max_length=12, choices=ManagementLevel.choices)
    women = models.PositiveIntegerField(_("women"), validators=[MaxValueValidator(100000)])
    men = models.PositiveIntegerField(_("men"), validators=[MaxValueValidator(100000)])
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The police's report or letter the figures come from.")
    )
    history = HistoricalRecords()
    sensitivity = declare(internal=["source"])

    class Meta:
        ordering = ["-year", "region__code", "rank", "level"]
        verbose_name = _("women-in-police figure")
        verbose_name_plural = _("women in police")
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "rank", "level"], name="police_staff_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.region} · {self.get_rank_display()} · {self.get_level_display()}"


class GenderTarget(BaseModel):
    """The share of women the police's gender-equality plan aims at by the end of a year."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    share = models.DecimalField(
        _("women's share aimed at (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    plan = models.CharField(_("plan"), max_length=200, help_text=_("The plan and its version that set the target."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("gender-equality target")
        verbose_name_plural = _("gender-equality targets")

    def __str__(self) -> str:
        return f"{self.year}: {self.share}%"


class MentoringLabels(ReviewLabels):
    author = _("Organiser")
    created = _("logged the mentoring programme")


class Mentoring(ActivityRecord):
    """A mentoring programme for women officers: who mentored whom, in which region."""

    review_labels = MentoringLabels()
    history_children = ("participants",)
    conflict_related = ("participants",)

    objects = PublicSafetyQuerySet.as_manager()

    class Meta(ActivityRecord.Meta):
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")
        indexes = record_indexes("mentoring")


class MentoringRole(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")


class Mentee(ParticipantRow):
    """A participant of a mentoring programme: the name restricted; sex, community, rank and role counted."""

    programme = models.ForeignKey(Mentoring, on_delete=models.CASCADE, related_name="participants")
    rank = models.CharField(_("rank"), max_length=12, choices=Rank.choices, default=Rank.OFFICER)
    role = models.CharField(_("role"), max_length=10, choices=MentoringRole.choices, default=MentoringRole.MENTEE)
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Participant")))

    class Meta(ParticipantRow.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
