from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from field_offices.models import Municipality
from mission.accounts.roles import Department
from mission.api.disclosure import record_key_field
from mission.encryption import EncryptedCharField
from mission.review.models import ReviewedQuerySet, ReviewedRecord
from mission.sensitivity import declare


class IncidentQuerySet(ReviewedQuerySet):
    department = Department.PUBLIC_SAFETY
    region_lookup = "municipality__region"


class Category(models.TextChoices):
    THREAT = "threat", _("Threat")
    ASSAULT = "assault", _("Assault")
    DAMAGE = "damage", _("Damage to property")


class Incident(ReviewedRecord):
    author_field = "reporter"

    date = models.DateField(_("date"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("municipality"))
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    victim_name = EncryptedCharField(_("victim's name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("reporter"))
    record_key = record_key_field()
    history = HistoricalRecords(excluded_fields=["record_key"])
    sensitivity = declare(internal=["description", "reporter", "submitted_at"], restricted=["victim_name"])

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.get_category_display()}, {self.date:%Y-%m-%d}"
