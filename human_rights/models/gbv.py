"""Gender-based and domestic violence: how the institutions handle a case (the kit's `FollowedCase`),
from the report to the police through the protection orders, the referrals to a shelter and to
services, to the court, where trial monitoring may take it over. The victim is at the highest
sensitivity: the name is restricted, and no count under the disclosure threshold is shown anywhere
(`RecordType.sensitive_counts`). The protection orders are measured against their legal
deadlines (`RecordType.deadlines` in `human_rights.apps`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from human_rights.models.common import HumanRightsQuerySet
from mission.encryption import EncryptedCharField
from mission.records.shapes import AgeBand, FollowedCase, Sex, community_field, record_indexes, response_steps
from mission.review.models import ReviewLabels
from mission.sensitivity import declare


class ViolenceKind(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic violence")
    SEXUAL = "sexual", _("Sexual violence")
    STALKING = "stalking", _("Stalking or harassment")
    OTHER = "other", _("Other gender-based violence")


class Relation(models.TextChoices):
    PARTNER = "partner", _("Partner or spouse")
    FORMER_PARTNER = "former_partner", _("Former partner or spouse")
    FAMILY = "family", _("Other family member")
    KNOWN = "known", _("Someone else the victim knows")
    STRANGER = "stranger", _("A stranger")
    NOT_KNOWN = "not_known", _("Not known")


class GbvLabels(ReviewLabels):
    author = _("Monitor")
    created = _("opened the case")


class GbvCase(FollowedCase):
    """A case of gender-based or domestic violence whose handling the mission monitors: the police,
    the protection orders and their deadlines, the referrals, the court."""

    review_labels = GbvLabels()
    history_children = ("response_steps",)
    conflict_related = ("response_steps",)

    date = models.DateField(_("date reported"), help_text=_("The day the violence was reported to the police."))
    kind = models.CharField(_("kind of violence"), max_length=20, choices=ViolenceKind.choices)
    victim = EncryptedCharField(
        _("victim"),
        max_length=200,
        blank=True,
        help_text=_("Restricted: the department only. Leave empty when the name is not needed to follow the case."),
    )
    victim_sex = models.CharField(_("victim's sex"), max_length=10, choices=Sex.choices, default=Sex.FEMALE)
    victim_age = models.CharField(_("victim's age"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    victim_community = community_field(verbose_name=_("victim's community"))
    relation = models.CharField(
        _("perpetrator's relation to the victim"), max_length=20, choices=Relation.choices, default=Relation.NOT_KNOWN
    )
    court_case = models.CharField(
        _("court case number"),
        max_length=60,
        blank=True,
        help_text=_("Once the case reaches court: its number there, as trial monitoring records it. Internal."),
    )

    sensitivity = declare(restricted=["victim"], internal=["description", "monitor", "submitted_at", "court_case"])
    objects = HumanRightsQuerySet.as_manager()

    class Meta(FollowedCase.Meta):
        verbose_name = _("gender-based violence file")
        verbose_name_plural = _("gender-based violence files")
        indexes = record_indexes("gbv", kind="kind", relation="relation")

    def __str__(self) -> str:
        kind = self.get_kind_display() if self.kind else self._meta.verbose_name
        return f"{kind}, {self.date:%Y-%m-%d}" if self.date else str(kind)


class GbvStep(models.TextChoices):
    EMERGENCY_REQUESTED = "emergency_requested", _("Emergency protection order requested")
    EMERGENCY_DECIDED = "emergency_decided", _("Emergency protection order decided")
    ORDER_REQUESTED = "order_requested", _("Protection order requested")
    ORDER_ISSUED = "order_issued", _("Protection order issued")
    ORDER_REFUSED = "order_refused", _("Protection order refused")
    SHELTER = "shelter", _("Referred to a shelter")
    SERVICES = "services", _("Referred to other services")
    INDICTMENT = "indictment", _("Indictment filed")
    JUDGMENT = "judgment", _("Judgment")
    MISSION_FOLLOW_UP = "mission_follow_up", _("Mission: follow-up with the institution")


GbvCaseStep = response_steps(
    GbvCase,
    GbvStep,
    name="GbvCaseStep",
    institutional=(
        "emergency_requested",
        "emergency_decided",
        "order_requested",
        "order_issued",
        "order_refused",
        "shelter",
        "services",
        "indictment",
        "judgment",
    ),
    verbose_name_plural=_("handling of the case"),
    doc="A step of the handling of a case of gender-based violence: an order, a referral, the court.",
    link="case",
)
