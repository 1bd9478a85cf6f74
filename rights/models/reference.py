"""Reference data of trial monitoring: the courts, and the versioned fair-trial questionnaire."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from field_offices.models import Municipality
from mission.common import BaseModel, LocalizedNameModel, language_suffix


class CourtLevel(models.TextChoices):
    CONSTITUTIONAL = "constitutional", _("Constitutional Court")
    SUPREME = "supreme", _("Supreme Court")
    APPEALS = "appeals", _("Court of Appeals")
    COMMERCIAL = "commercial", _("Commercial Court")
    BASIC = "basic", _("Basic Court")
    SPECIALIST = "specialist", _("Specialist Chambers")
    CHAMBER = "chamber", _("chamber")
    DEPARTMENT = "department", _("department")
    DIVISION = "division", _("division")
    BRANCH = "branch", _("branch")
    PREMISES = "premises", _("premises")


class Court(LocalizedNameModel, BaseModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=CourtLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    seat = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courts",
        verbose_name=_("seat"),
        help_text=_("Empty for the bodies seated outside Kosovo."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")


class Questionnaire(BaseModel):
    """One version of the fair-trial checklist. Observations keep the version they were made with."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    valid_from = models.DateField(_("in use from"))
    is_current = models.BooleanField(_("current"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("fair-trial questionnaire")
        verbose_name_plural = _("fair-trial questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="questionnaire_one_current"
            )
        ]

    def __str__(self) -> str:
        return self.version


class FairTrialStandard(LocalizedNameModel, BaseModel):
    """A standard of the checklist. The same `code` across versions keeps trends comparable."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="standards", verbose_name=_("questionnaire")
    )
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    guidance_en = models.TextField(_("guidance (English)"))
    guidance_sq = models.TextField(_("guidance (Albanian)"))
    guidance_sr = models.TextField(_("guidance (Serbian Latin)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("fair-trial standard")
        verbose_name_plural = _("fair-trial standards")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="standard_code_unique_per_version"),
            models.UniqueConstraint(fields=["questionnaire", "order"], name="standard_order_unique_per_version"),
        ]

    @property
    def guidance(self) -> str:
        return getattr(self, f"guidance_{language_suffix()}") or self.guidance_en
