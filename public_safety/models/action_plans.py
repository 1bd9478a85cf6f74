"""Strategies' action plans: each action a tracked item (the kit's `TrackedItem`) with its dated status
history."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from field_offices.models import Institution
from mission.accounts.roles import Department
from mission.common import ReferenceList
from mission.sensitivity import declare
from mission.trackers.shapes import NationalQuerySet, TrackedItem, status_entries


class StrategyArea(models.TextChoices):
    COMMUNITY_POLICING = "community_policing", _("Community policing")
    ORGANISED_CRIME = "organised_crime", _("Organised crime")
    VIOLENT_EXTREMISM = "violent_extremism", _("Violent extremism")
    CYBERCRIME = "cybercrime", _("Cybercrime")
    TRAFFICKING = "trafficking", _("Trafficking in human beings")


class Strategy(ReferenceList):
    """A government strategy whose action plan the department follows (`data/strategies.csv`)."""

    area = models.CharField(_("area"), max_length=20, choices=StrategyArea.choices)
    first_year = models.PositiveSmallIntegerField(
        _("from"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    last_year = models.PositiveSmallIntegerField(_("to"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])

    class Meta(ReferenceList.Meta):
        ordering = ["-first_year", "name_en"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def clean(self) -> None:
        super().clean()
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("A strategy cannot end before it begins.")})


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped from the plan")


class ActionQuerySet(NationalQuerySet):
    department = Department.PUBLIC_SAFETY


def _responsible() -> models.Q:
    return models.Q(departments__regex=r"(^|;)public_safety(;|$)")


class ActionItem(TrackedItem):
    """An action of a strategy's action plan, followed until it is completed: who must do it by when,
    and how far it has come."""

    arises_in = "strategy.first_year"  # a status from that year on
    duplicate = ("number", _("This strategy's action with this number is tracked already."))

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+", verbose_name=_("strategy"))
    objective = models.PositiveSmallIntegerField(
        _("objective"), help_text=_("The number of the plan's objective the action serves (2 in 2.5).")
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("The action's number under it (5 in 2.5)."))
    text = models.TextField(_("action"), help_text=_("As the action plan words it."))
    responsible = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=_responsible,
        verbose_name=_("responsible institution"),
    )
    deadline = models.DateField(_("deadline"))
    current_status = models.CharField(_("status now"), max_length=20, choices=ActionStatus.choices, blank=True)
    history = HistoricalRecords()
    # The words are the action plan's: partners find them there, by the strategy and the numbers.
    sensitivity = declare(internal=["created_by", "text"])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["strategy__code", "objective", "number"]
        verbose_name = _("action of an action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "objective", "number"], name="action_once_per_strategy")
        ]

    def __str__(self) -> str:
        return f"{self.strategy.code if self.strategy_id else ''} {self.objective}.{self.number}".strip()


ActionStatusEntry = status_entries(
    ActionItem, ActionStatus, name="ActionStatusEntry", verbose_name=_("status of an action"), item_label=_("action")
)
