"""Legislative review: draft laws and policy documents the department reviewed against human-rights
standards, with the mission's comments and how many were taken up, followed through their stages (the
kit's `DraftReview`). The register is shared: every department's staff read it, as the department's
staff read theirs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mission.accounts.roles import Department
from mission.sensitivity import declare
from mission.trackers.shapes import DraftReview, DraftStage, NationalQuerySet, status_entries


class ReviewQuerySet(NationalQuerySet):
    department = Department.RIGHTS
    shared = True


class LegislativeReview(DraftReview):
    """A draft the department reviewed: a law on the use of languages, on protection from domestic
    violence, a strategy for communities."""

    duplicate = ("title", _("This draft is in the register already: open it to add a stage."))

    history = HistoricalRecords()
    # The comments are the mission's, sent to the drafting institution: partners read the counts.
    sensitivity = declare(internal=["created_by", "standards"])

    objects = ReviewQuerySet.as_manager()

    class Meta(DraftReview.Meta):
        verbose_name = _("draft reviewed")
        verbose_name_plural = _("legislative review")
        constraints = [models.UniqueConstraint(fields=["title", "institution"], name="legislative_review_once")]


LegislativeReviewStage = status_entries(
    LegislativeReview,
    DraftStage,
    name="LegislativeReviewStage",
    verbose_name=_("stage of a draft"),
    item_label=_("draft"),
)
