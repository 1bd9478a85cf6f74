"""Trainings: an activity (the kit's `ActivityRecord`) for a law-enforcement agency on a topic, with its
trainees' test scores before and after and their evaluation of the course."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from field_offices.models import Institution
from mission.common import ReferenceList
from mission.records.shapes import ACTIVITY_INTERNAL, ActivityRecord, ParticipantRow, record_indexes
from mission.review.models import ReviewLabels
from mission.sensitivity import Pseudonym, declare
from public_safety.models.common import PublicSafetyQuerySet, Rank, _agencies


class TrainingTopic(ReferenceList):
    """A topic of the department's capacity building (`data/training_topics.csv`)."""

    class Meta(ReferenceList.Meta):
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")


class TrainingLabels(ReviewLabels):
    author = _("Organiser")
    created = _("logged the training")


class Training(ActivityRecord):
    """A course for a law-enforcement agency on one topic: who was trained, how much they learned (the
    test before and after) and what they thought of it."""

    review_labels = TrainingLabels()
    history_children = ("trainees",)
    conflict_related = ("trainees",)

    topic = models.ForeignKey(TrainingTopic, on_delete=models.PROTECT, related_name="+", verbose_name=_("topic"))
    agency = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=_agencies,
        verbose_name=_("agency"),
        help_text=_("The agency the course is for."),
    )
    unit = models.CharField(_("unit"), max_length=200, blank=True, help_text=_("The unit or directorate, if one."))
    trainers = models.CharField(
        _("trainers"), max_length=300, blank=True, help_text=_("Who taught it. Internal: never published.")
    )
    sensitivity = declare(internal=[*ACTIVITY_INTERNAL, "trainers", "unit"])

    objects = PublicSafetyQuerySet.as_manager()

    class Meta(ActivityRecord.Meta):
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = record_indexes("training", topic="topic", agency="agency")


def _score(label: Any, help_text: Any) -> "models.PositiveSmallIntegerField[Any, Any]":
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(100)], help_text=help_text
    )


class Trainee(ParticipantRow):
    """A trainee of a course: the name restricted; sex, age band, community, rank and agency counted;
    the scores of the test before and after the course (0 to 100) and the trainee's evaluation of it
    (1 to 5), whose means the dashboard shows by topic and agency."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="trainees")
    rank = models.CharField(_("rank"), max_length=12, choices=Rank.choices, default=Rank.OFFICER)
    agency = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_agencies,
        verbose_name=_("agency"),
        help_text=_("Leave empty for the course's agency."),
    )
    pre_score = _score(_("test before (0–100)"), _("The score of the test before the course."))
    post_score = _score(_("test after (0–100)"), _("The score of the same test after the course."))
    gain = models.SmallIntegerField(_("knowledge gain (points)"), null=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("evaluation (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The trainee's evaluation of the course: 1 very poor, 5 excellent."),
    )
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Trainee")))

    class Meta(ParticipantRow.Meta):
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")

    def clean(self) -> None:
        super().clean()
        if self.post_score is not None and self.pre_score is None:
            raise ValidationError({"pre_score": _("Give the score before the course too, or neither.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.agency_id is None and self.training_id is not None:
            self.agency_id = self.training.agency_id  # counted with the course's agency
        both = self.pre_score is not None and self.post_score is not None
        self.gain = self.post_score - self.pre_score if both else None
        super().save(*args, **kwargs)
