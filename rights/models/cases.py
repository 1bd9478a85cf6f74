from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat, Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from field_offices.models import Community, Municipality
from mission.accounts.permissions import ScopedQuerySet
from mission.accounts.roles import Department
from mission.api.disclosure import record_key_field
from mission.common import BaseModel, VersionedModel
from mission.encryption import EncryptedCharField
from mission.records.shapes import AgeBand, Sex
from mission.sensitivity import Pseudonym, declare, pseudonym_of
from mission.validation import past_date_error
from rights.models.reference import Court


class RightsQuerySet(ScopedQuerySet):
    """Trial-monitoring rows all belong to Human Rights; subclasses say how to reach the region."""

    department = Department.RIGHTS


class CaseQuerySet(RightsQuerySet):
    region_lookup = "municipality__region"

    def published(self) -> "CaseQuerySet":
        """Cases with at least one approved observation: what partners may know exists."""
        return self.filter(published=True)


class CaseCategory(models.TextChoices):
    WAR_CRIMES = "war_crimes", _("War crimes")
    CORRUPTION = "corruption", _("Corruption and organised crime")
    TRAFFICKING = "trafficking", _("Trafficking in human beings")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic and gender-based violence")
    HATE_CRIME = "hate_crime", _("Hate crime")
    JUVENILE = "juvenile", _("Juvenile justice")
    PROPERTY = "property", _("Property")
    OTHER = "other", _("Other")


class CourtDepartment(models.TextChoices):
    GENERAL_CRIMINAL = "general_criminal", _("General department (criminal)")
    GENERAL_CIVIL = "general_civil", _("General department (civil)")
    SERIOUS_CRIMES = "serious_crimes", _("Serious crimes department")
    SPECIAL = "special", _("Special department")
    JUVENILE = "juvenile", _("Juvenile department")
    ADMINISTRATIVE = "administrative", _("Administrative department")
    COMMERCIAL = "commercial", _("Commercial matters")
    APPEALS = "appeals", _("Appeals")


class Case(VersionedModel, BaseModel):
    # Indexed by case_court_idx below, which covers what the summaries read of a court's cases.
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="cases", db_index=False, verbose_name=_("court")
    )
    case_number = models.CharField(
        _("case number"), max_length=60, help_text=_("As the court writes it, e.g. PKR 123/2025.")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("municipality"),
        help_text=_("Where the case is heard; leave empty to use the court's seat."),
    )
    court_department = models.CharField(_("court department"), max_length=20, choices=CourtDepartment.choices)
    category = models.CharField(_("category"), max_length=20, choices=CaseCategory.choices)
    charges = models.TextField(_("charges"), help_text=_("Criminal code articles, one per line."))
    fundamental_rights_appeal_grounds = models.BooleanField(
        _("fundamental-rights grounds for appeal"),
        default=False,
        help_text=_("The monitoring found grounds for appeal based on fundamental rights."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    # Kept by the hearing services, so that "latest hearing first" is an index scan, not a sort of
    # every case by a subquery.
    last_hearing_date = models.DateField(_("last hearing"), null=True, blank=True, editable=False)
    # Kept by the observation services: whether partners may see the case (see CaseQuerySet.published).
    published = models.BooleanField(_("published"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["last_hearing_date", "published"])
    # Case numbers lead to the court's file and its names; charges are text as typed.
    sensitivity = declare(internal=["case_number", "charges"])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["court", "case_number"], name="case_number_unique_per_court"),
        ]
        # PostgreSQL also has case_latest_idx (last_hearing_date DESC NULLS LAST, id DESC), made by migration
        # 0004: SQLite cannot index NULLS LAST, and the embedded default does not need it.
        indexes = [
            models.Index(fields=["case_number"], name="case_number_idx"),
            # Another app's record finds a case by its number however it was typed (`rights.references`).
            models.Index(Upper("case_number"), name="case_number_upper_idx"),
            # "Newest case first": the list's cursor compares (created_at, id), ties included.
            models.Index(fields=["-created_at", "-id"], name="case_created_idx"),
            models.Index(fields=["id"], condition=models.Q(published=True), name="case_published_idx"),
            # A court's cases with what the summaries' fills join of them (region, department, grounds):
            # an index-only scan instead of a heap page per case (`rights.services.summaries`).
            models.Index(
                fields=["court"],
                include=["id", "municipality", "court_department", "fundamental_rights_appeal_grounds"],
                name="case_court_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} ({self.court.code})"

    @staticmethod
    def label_expression() -> Concat:
        """`str(case)` worked out by the database (for rows written without model instances)."""
        return Concat(F("case_number"), Value(" ("), F("court__code"), Value(")"), output_field=CharField())


class PartyRole(models.TextChoices):
    ACCUSED = "accused", _("Accused")
    INJURED = "injured", _("Injured party")
    WITNESS = "witness", _("Witness")


JUVENILE_AGE_BANDS = (AgeBand.UNDER_14, AgeBand.AGE_14_17)


class DetentionStatus(models.TextChoices):
    NOT_APPLICABLE = "", _("Not applicable")
    DETAINED = "detained", _("In detention on remand")
    HOUSE_ARREST = "house_arrest", _("House arrest")
    AT_LIBERTY = "at_liberty", _("At liberty")


class CounselType(models.TextChoices):
    NOT_APPLICABLE = "", _("Not applicable")
    RETAINED = "retained", _("Retained by the accused")
    EX_OFFICIO = "ex_officio", _("Ex officio (mandatory defence)")
    LEGAL_AID = "legal_aid", _("Legal aid")
    NONE = "none", _("No counsel")


class PartyQuerySet(RightsQuerySet):
    region_lookup = "case__municipality__region"


class Party(BaseModel):
    """A person in a case. `name` is restricted: only Human Rights staff with the case in scope see it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties", verbose_name=_("case"))
    role = models.CharField(_("role in the case"), max_length=10, choices=PartyRole.choices)
    ordinal = models.PositiveSmallIntegerField(_("number within the role"))
    name = EncryptedCharField(_("name"), max_length=200, help_text=_("Restricted: shown only to Human Rights staff."))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("community")
    )
    detention = models.CharField(_("detention"), max_length=15, choices=DetentionStatus.choices, blank=True, default="")
    counsel = models.CharField(_("counsel"), max_length=15, choices=CounselType.choices, blank=True, default="")
    counsel_appointed_on = models.DateField(_("counsel appointed on"), null=True, blank=True)
    vulnerable = models.BooleanField(_("vulnerable"), default=False)
    protective_measures = models.BooleanField(_("protective measures ordered"), default=False)
    record_key = record_key_field()  # feeds the perturbation of partner aggregates (people counted)
    history = HistoricalRecords(excluded_fields=["record_key"])
    sensitivity = declare(restricted=["name"], pseudonym=Pseudonym(role="role", ordinal="ordinal"))

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["case", "role", "ordinal"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["case", "role", "ordinal"], name="party_ordinal_unique_per_role"),
        ]
        indexes = [
            # A case's accused with what the summaries count of them, read from the index alone.
            models.Index(
                fields=["case"],
                include=["id", "sex", "age_band", "community"],
                condition=models.Q(role="accused"),
                name="party_accused_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def clean(self) -> None:
        super().clean()
        problem = past_date_error(self.counsel_appointed_on)
        if problem:
            raise ValidationError({"counsel_appointed_on": problem})

    @property
    def is_juvenile(self) -> bool:
        return self.age_band in JUVENILE_AGE_BANDS

    @property
    def pseudonym(self) -> str:
        """'Accused A', 'Injured party B': what everyone without access to the name reads."""
        return pseudonym_of(self)
