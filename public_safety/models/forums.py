"""Community safety forums: the registry of forums (local public safety committees and municipal
community safety councils), their meetings (an activity: the kit's `ActivityRecord`) with the
attendance by community and sex, whether the police took part, and the issues raised with the action
agreed on each, its owner and deadline, and how it was followed up. A forum functions when it met at
least `PUBLIC_SAFETY_FORUM_MEETINGS` times in the last six months (`public_safety.panels`)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mission.common import BaseModel, ReferenceList
from mission.records.shapes import ActivityRecord, community_field, record_indexes
from mission.review.models import ReviewLabels
from mission.sensitivity import declare
from public_safety.models.common import PublicSafetyQuerySet


class ForumKind(models.TextChoices):
    LPSC = "lpsc", _("Local public safety committee")
    MCSC = "mcsc", _("Municipal community safety council")


class SafetyForum(ReferenceList):
    """A community safety forum in its municipality, as the registry (the administration) keeps it."""

    kind = models.CharField(_("kind of forum"), max_length=10, choices=ForumKind.choices)
    municipality = models.ForeignKey(
        "field_offices.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    established = models.PositiveSmallIntegerField(
        _("established in"), null=True, blank=True, validators=[MinValueValidator(1999), MaxValueValidator(2100)]
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("A forum that was dissolved is kept, with its meetings, but inactive.")
    )

    class Meta(ReferenceList.Meta):
        verbose_name = _("community safety forum")
        verbose_name_plural = _("community safety forums")

    def __str__(self) -> str:
        return self.name if self.active else str(_("%(name)s (dissolved)") % {"name": self.name})


class PolicePresence(models.TextChoices):
    PRESENT = "present", _("Police took part")
    ABSENT = "absent", _("Police did not take part")


class ForumMeetingLabels(ReviewLabels):
    author = _("Monitor")
    created = _("logged the meeting")


class ForumMeeting(ActivityRecord):
    """A meeting of a community safety forum, as a monitor observed it: who came, whether the police took
    part, and the issues raised with what was agreed. Its municipality is its forum's."""

    review_labels = ForumMeetingLabels()
    history_children = ("attendance", "issues")
    conflict_related = ("attendance", "issues")

    forum = models.ForeignKey(
        SafetyForum,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("forum"),
    )
    title = models.CharField(_("agenda"), max_length=200, help_text=_("What the meeting was called for."))
    police = models.CharField(_("police"), max_length=10, choices=PolicePresence.choices)
    organiser = models.ForeignKey(  # the monitor who observed it
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("monitor")
    )

    objects = PublicSafetyQuerySet.as_manager()

    class Meta(ActivityRecord.Meta):
        verbose_name = _("forum meeting")
        verbose_name_plural = _("forum meetings")
        indexes = [
            *record_indexes("forum_meeting", police="police"),
            models.Index(fields=["forum", "status", "date"], name="forum_meeting_held_idx"),
        ]

    def __str__(self) -> str:
        forum = str(self.forum) if self.forum_id else str(self._meta.verbose_name)
        return f"{forum}, {self.date:%Y-%m-%d}" if self.date else forum

    def clean(self) -> None:
        if self.forum_id is not None:
            self.municipality_id = self.forum.municipality_id  # it meets where it is
            if not self.forum.active and self._forum_chosen():
                raise ValidationError({"forum": _("This forum was dissolved: choose one that meets.")})
        super().clean()

    def _forum_chosen(self) -> bool:
        """Whether the forum is being chosen (a new meeting, or another forum): a meeting of a forum
        dissolved since keeps it, and stays open to corrections."""
        if self.pk is None:
            return True
        saved = type(self)._default_manager.filter(pk=self.pk).values_list("forum_id", flat=True).first()
        return saved != self.forum_id


class Attendance(BaseModel):
    """How many women and men of one community attended a meeting: counted, never named."""

    meeting = models.ForeignKey(ForumMeeting, on_delete=models.CASCADE, related_name="attendance")
    community = community_field(help_text=_("Leave empty for those whose community is not known."))
    women = models.PositiveSmallIntegerField(_("women"), default=0, validators=[MaxValueValidator(5000)])
    men = models.PositiveSmallIntegerField(_("men"), default=0, validators=[MaxValueValidator(5000)])
    history = HistoricalRecords()
    sensitivity = declare()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        community = str(self.community) if self.community_id else str(_("community not known"))
        return f"{community}: {self.women} + {self.men}"

    def conflict_label(self) -> str:
        return str(self)

    def clean(self) -> None:
        super().clean()
        if not (self.women or self.men):
            raise ValidationError(_("Give how many women or men of this community attended, or leave the row empty."))


class IssueCategory(models.TextChoices):
    DRUGS = "drugs", _("Drugs")
    HATE_CRIME = "hate_crime", _("Hate crime")
    TRAFFICKING = "trafficking", _("Trafficking in human beings")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    TRAFFIC = "traffic", _("Traffic safety")
    PROPERTY = "property", _("Property crime")
    INTER_COMMUNITY = "inter_community", _("Inter-community relations")
    YOUTH = "youth", _("Youth")
    OTHER = "other", _("Other")


class FollowUp(models.TextChoices):
    OPEN = "open", _("Not yet followed up")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    NOT_RESOLVED = "not_resolved", _("Not resolved")


PENDING = (FollowUp.OPEN, FollowUp.IN_PROGRESS)  # an action past its deadline in these is overdue


class ForumIssue(BaseModel):
    """An issue raised at a meeting, the action agreed on it, who owns it by when, and how it was
    followed up (a correction of the meeting records a later follow-up)."""

    meeting = models.ForeignKey(ForumMeeting, on_delete=models.CASCADE, related_name="issues")
    category = models.CharField(_("category"), max_length=20, choices=IssueCategory.choices)
    issue = models.CharField(_("issue raised"), max_length=300)
    action = models.CharField(_("action agreed"), max_length=300, blank=True)
    owner = models.CharField(
        _("owner"), max_length=200, blank=True, help_text=_("Who took the action on: an institution or a body.")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=15, choices=FollowUp.choices, default=FollowUp.OPEN)
    resolved = models.PositiveSmallIntegerField(_("resolved"), default=0, editable=False)
    history = HistoricalRecords()
    sensitivity = declare(internal=["issue", "action", "owner"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("issue raised")
        verbose_name_plural = _("issues raised")
        indexes = [models.Index(fields=["follow_up", "deadline"], name="forum_issue_due_idx")]

    def __str__(self) -> str:
        return str(self.get_category_display())

    def conflict_label(self) -> str:
        return str(self)

    def clean(self) -> None:
        super().clean()
        if self.deadline and not self.action:
            raise ValidationError({"action": _("Say what action is due by the deadline.")})
        day = getattr(getattr(self, "meeting", None), "date", None) if self.meeting_id else None
        if self.deadline and day and self.deadline < day:
            raise ValidationError({"deadline": _("A deadline cannot come before the meeting that agreed it.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.resolved = 1 if self.follow_up == FollowUp.RESOLVED else 0  # the dashboard adds these up
        super().save(*args, **kwargs)
