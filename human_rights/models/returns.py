"""Returns and property: return movements (who came back, how many households and persons of which
community, from where, with what assistance) and property cases followed through the institutions
that decide and enforce them (the kit's `FollowedCase`), with a focus on women's inheritance and
property rights."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from human_rights.models.common import HumanRightsQuerySet
from mission.api.disclosure import record_key_field
from mission.common import BaseModel
from mission.encryption import EncryptedCharField
from mission.records.shapes import FollowedCase, Sex, community_field, happened, record_indexes, response_steps
from mission.review.models import ReviewedRecord, ReviewLabels
from mission.sensitivity import declare


class ReturnOrigin(models.TextChoices):
    WITHIN_KOSOVO = "kosovo", _("From elsewhere in Kosovo")
    SERBIA = "serbia", _("From Serbia")
    MONTENEGRO = "montenegro", _("From Montenegro")
    NORTH_MACEDONIA = "north_macedonia", _("From North Macedonia")
    ELSEWHERE = "elsewhere", _("From another country")


class ReturnKind(models.TextChoices):
    ORGANISED = "organised", _("Organised return")
    INDIVIDUAL = "individual", _("Individual return")
    GO_AND_SEE = "go_and_see", _("Go-and-see visit")


class Assistance(models.TextChoices):
    NONE = "none", _("None")
    PACKAGE = "package", _("Return package only")
    HOUSING = "housing", _("Housing")
    HOUSING_LIVELIHOOD = "housing_livelihood", _("Housing and livelihood")
    NOT_KNOWN = "not_known", _("Not known")


class ReturnLabels(ReviewLabels):
    author = _("Monitor")
    created = _("logged the return")


class ReturnMovement(ReviewedRecord):
    """Households that returned, or came to see, on one day to one municipality, from one place: how
    many households and persons of each community (counted, never named), and the assistance they
    received. A contact of the returnees, if any, is restricted."""

    author_field = "monitor"
    review_labels = ReturnLabels()
    history_children = ("groups",)
    conflict_related = ("groups",)

    date = models.DateField(_("date of the return"))
    municipality = models.ForeignKey(
        "field_offices.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality returned to"),
    )
    settlement = models.CharField(_("village or settlement"), max_length=120, blank=True)
    origin = models.CharField(_("returned from"), max_length=20, choices=ReturnOrigin.choices)
    origin_place = models.CharField(
        _("place returned from"), max_length=120, blank=True, help_text=_("The town or collective centre, if known.")
    )
    kind = models.CharField(_("kind of return"), max_length=20, choices=ReturnKind.choices)
    assistance = models.CharField(
        _("assistance received"), max_length=20, choices=Assistance.choices, default=Assistance.NOT_KNOWN
    )
    contact = EncryptedCharField(
        _("contact among the returnees"),
        max_length=200,
        blank=True,
        help_text=_("A name and a telephone number, for the follow-up visit. Restricted: the department only."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the monitor found: housing, security, access to services.")
    )
    monitor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("monitor"))
    record_key = record_key_field()
    history = HistoricalRecords(excluded_fields=["record_key"])
    sensitivity = declare(
        restricted=["contact"], internal=["description", "monitor", "submitted_at", "settlement", "origin_place"]
    )

    objects = HumanRightsQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("return movement")
        verbose_name_plural = _("return movements")
        indexes = record_indexes("ret", origin="origin", kind="kind")

    def __str__(self) -> str:
        kind = self.get_kind_display() if self.kind else self._meta.verbose_name
        return f"{kind}, {self.date:%Y-%m-%d}" if self.date else str(kind)

    def clean(self) -> None:
        super().clean()
        happened(date=self.date)


class ReturnGroup(BaseModel):
    """How many households and persons of one community returned: counted, never named."""

    movement = models.ForeignKey(ReturnMovement, on_delete=models.CASCADE, related_name="groups")
    community = community_field(help_text=_("Leave empty for those whose community is not known."))
    households = models.PositiveSmallIntegerField(_("households"), default=0, validators=[MaxValueValidator(2000)])
    persons = models.PositiveSmallIntegerField(_("persons"), default=0, validators=[MaxValueValidator(10000)])
    women = models.PositiveSmallIntegerField(
        _("of whom women and girls"), default=0, validators=[MaxValueValidator(10000)]
    )
    history = HistoricalRecords()
    sensitivity = declare()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("returnees")
        verbose_name_plural = _("returnees")

    def __str__(self) -> str:
        community = str(self.community) if self.community_id else str(_("community not known"))
        return f"{community}: {self.households} / {self.persons}"

    def conflict_label(self) -> str:
        return str(self)

    def clean(self) -> None:
        super().clean()
        if not self.persons:
            raise ValidationError({"persons": _("Give how many persons returned, or leave the row empty.")})
        if self.households > self.persons:
            raise ValidationError({"households": _("There cannot be more households than persons.")})
        if self.women > self.persons:
            raise ValidationError({"women": _("The women and girls are among the persons: not more than them.")})


class PropertyKind(models.TextChoices):
    HOUSE = "house", _("House or apartment")
    AGRICULTURAL = "agricultural", _("Agricultural land")
    COMMERCIAL = "commercial", _("Commercial property")
    OTHER = "other", _("Other")


class PropertyClaim(models.TextChoices):
    REPOSSESSION = "repossession", _("Repossession of an occupied property")
    INHERITANCE = "inheritance", _("Inheritance")
    DAMAGE = "damage", _("Damage or destruction")
    EXPROPRIATION = "expropriation", _("Expropriation")
    OTHER = "other", _("Other")


class PropertyFocus(models.TextChoices):
    NONE = "none", _("No particular focus")
    WOMEN = "women", _("Women's inheritance or property rights")


class PropertyLabels(ReviewLabels):
    author = _("Monitor")
    created = _("opened the case")


class PropertyCase(FollowedCase):
    """A property claim the mission follows through the institutions: the verification agency or the
    court that decides it, and its enforcement (repossession, or the eviction of an illegal occupant).
    The claimant's name is restricted; its focus marks the cases about women's inheritance and
    property rights."""

    review_labels = PropertyLabels()
    history_children = ("response_steps",)
    conflict_related = ("response_steps",)

    date = models.DateField(_("date of the claim"), help_text=_("The day the claim was filed."))
    claim = models.CharField(_("claim"), max_length=20, choices=PropertyClaim.choices)
    property_kind = models.CharField(_("property"), max_length=20, choices=PropertyKind.choices)
    claimant = EncryptedCharField(
        _("claimant"), max_length=200, blank=True, help_text=_("Restricted: shown to the department only.")
    )
    claimant_sex = models.CharField(_("claimant's sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    community = community_field(help_text=_("The claimant's community."))
    focus = models.CharField(
        _("focus"),
        max_length=10,
        choices=PropertyFocus.choices,
        default=PropertyFocus.NONE,
        help_text=_("Mark the cases about a woman's inheritance or property rights, a focus of the mission."),
    )
    case_number = models.CharField(
        _("case number"), max_length=60, blank=True, help_text=_("The agency's or the court's. Internal.")
    )

    objects = HumanRightsQuerySet.as_manager()
    sensitivity = declare(restricted=["claimant"], internal=["description", "monitor", "submitted_at", "case_number"])

    class Meta(FollowedCase.Meta):
        verbose_name = _("property claim")
        verbose_name_plural = _("property claims")
        indexes = record_indexes("prc", claim="claim", focus="focus")

    def __str__(self) -> str:
        claim = self.get_claim_display() if self.claim else self._meta.verbose_name
        return f"{claim}, {self.date:%Y-%m-%d}" if self.date else str(claim)


class PropertyStep(models.TextChoices):
    VERIFICATION = "verification", _("Verification agency's decision")
    COURT = "court", _("Court decision")
    APPEAL = "appeal", _("Appeal decided")
    ENFORCEMENT = "enforcement", _("Enforcement ordered")
    REPOSSESSION = "repossession", _("Property repossessed")
    EVICTION = "eviction", _("Illegal occupant evicted")
    REOCCUPIED = "reoccupied", _("Property occupied again")
    MISSION_INTERVENTION = "mission_intervention", _("Mission: intervention with the institution")


PropertyCaseStep = response_steps(
    PropertyCase,
    PropertyStep,
    name="PropertyCaseStep",
    institutional=("verification", "court", "appeal", "enforcement", "repossession", "eviction", "reoccupied"),
    verbose_name_plural=_("institutions' steps"),
    doc="A step of a property case: a decision, its enforcement, or what the mission did.",
    link="case",
)
