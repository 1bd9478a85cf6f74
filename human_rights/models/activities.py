"""The department's activities beyond monitoring (the kit's `ActivityRecord`): interfaith dialogue,
the prevention of violent extremism, the reintegration of repatriated persons, trainings for youth,
and trainings of the services that protect victims of gender-based violence, each with its
participants, counted by sex, age band and community, their names restricted."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from human_rights.models.common import HumanRightsQuerySet
from mission.records.shapes import ActivityRecord, ParticipantRow, record_indexes
from mission.review.models import ReviewLabels
from mission.sensitivity import Pseudonym, declare


class ActivityLine(models.TextChoices):
    INTERFAITH = "interfaith", _("Interfaith dialogue")
    PREVENTION = "prevention", _("Prevention of violent extremism")
    REINTEGRATION = "reintegration", _("Reintegration of repatriated persons")
    YOUTH = "youth", _("Training for youth")
    GBV_SERVICES = "gbv_services", _("Training of services for victims of gender-based violence")


class ActivityLabels(ReviewLabels):
    author = _("Organiser")
    created = _("logged the activity")


class RightsActivity(ActivityRecord):
    """An activity of one of the department's lines of work, with its participants."""

    review_labels = ActivityLabels()
    history_children = ("participants",)
    conflict_related = ("participants",)

    line = models.CharField(_("line of work"), max_length=20, choices=ActivityLine.choices)

    objects = HumanRightsQuerySet.as_manager()

    class Meta(ActivityRecord.Meta):
        verbose_name = _("human rights activity")
        verbose_name_plural = _("human rights activities")
        indexes = record_indexes("hra", line="line")


class ActivityParticipant(ParticipantRow):
    """A participant of an activity: the name restricted; sex, age band and community counted."""

    activity = models.ForeignKey(RightsActivity, on_delete=models.CASCADE, related_name="participants")
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(label=_("Participant")))

    class Meta(ParticipantRow.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
