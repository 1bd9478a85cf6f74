"""The geography every record hangs on: regions, districts, municipalities, field teams, communities."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mission.common import BaseModel, LocalizedNameModel


class Region(LocalizedNameModel, BaseModel):
    """One of the mission's five regional centres and the municipalities it covers."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class District(LocalizedNameModel, BaseModel):
    """An administrative district (rajon/okrug); shown beside the mission's own regions."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class MembershipBasis(models.TextChoices):
    SOURCED = "sourced", _("sourced")
    WEAK = "weak", _("weakly sourced")
    INFERRED = "inferred", _("inferred")


class Municipality(LocalizedNameModel, BaseModel):
    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("KAS census index, 01-38."))
    name_sr_cyrl = models.CharField(_("name (Serbian Cyrillic)"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    region_basis = models.CharField(
        _("region membership"), max_length=10, choices=MembershipBasis.choices, default=MembershipBasis.INFERRED
    )
    region_evidence = models.CharField(_("evidence for the region"), max_length=200, blank=True)
    region_set_by_administrator = models.BooleanField(
        _("region set by an administrator"),
        default=False,
        help_text=_("The reference-data loader keeps a region that an administrator chose."),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("district")
    )
    population = models.PositiveIntegerField(_("population (2024 census)"), null=True, blank=True)
    population_2011 = models.PositiveIntegerField(_("population (2011 census)"), null=True, blank=True)
    population_partial = models.BooleanField(
        _("census incomplete"),
        default=False,
        help_text=_("The 2024 census was largely boycotted here; the figure is not the real population."),
    )
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=7, decimal_places=1, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class FieldTeam(LocalizedNameModel, BaseModel):
    code = models.CharField(_("code"), max_length=12, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="field_teams", verbose_name=_("region"))
    municipalities = models.ManyToManyField(
        Municipality, related_name="field_teams", verbose_name=_("municipalities covered")
    )
    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        ordering = ["code"]
        verbose_name = _("field team")
        verbose_name_plural = _("field teams")


class Community(LocalizedNameModel, BaseModel):
    """A community recognised in Kosovo law (Law No. 03/L-047), for disaggregating data."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")


class InstitutionKind(models.TextChoices):
    ASSEMBLY = "assembly", _("assembly")
    GOVERNMENT = "government", _("government")
    INDEPENDENT = "independent_institution", _("independent institution")
    JUDICIARY = "judiciary", _("judiciary")
    PROSECUTION = "prosecution", _("prosecution")
    POLICE_SECURITY = "police_security", _("police and security")
    MEDIA_REGULATOR = "media_regulator", _("media regulator")
    ELECTION_BODY = "election_body", _("election body")
    MUNICIPAL_BODY = "municipal_body", _("municipal body")
    OTHER = "other", _("other")


class InstitutionQuerySet(models.QuerySet["Institution"]):
    def concerning(self, department: str) -> "InstitutionQuerySet":
        """The institutions a department deals with (`departments` lists department codes, `;` between)."""
        return self.filter(departments__regex=rf"(^|;){department}(;|$)")


class Institution(LocalizedNameModel, BaseModel):
    """A Kosovo institution the departments follow: the Assembly, ministries, election bodies, media
    regulators, the police, the judicial councils. Shared, so every department names them alike."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstitutionKind.choices)
    departments = models.CharField(
        _("departments"),
        max_length=100,
        blank=True,
        help_text=_("Codes of the departments that deal with it, ';' between."),
    )
    history = HistoricalRecords()

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
