import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mission.accounts.permissions import may_follow_up
from mission.notifications.models import NotificationKind
from mission.notifications.services import follow_up_staff, notify
from rights.flag_rules import RULES
from rights.models import Flag, FlagStatus, Hearing, Intervention, InterventionStatus, InterventionType, Observation
from rights.services.counters import trial_counts_after, trial_counts_before
from rights.services.summaries import trial_summaries_mark_flag


def _raise(rule, *, case, hearing=None, observation=None, subject: str) -> Flag | None:
    flag, created = Flag.objects.get_or_create(
        rule=rule.code, subject=subject, defaults={"case": case, "hearing": hearing, "observation": observation}
    )
    if not created:
        return None
    trial_summaries_mark_flag(flag.pk)
    url = reverse("rights:flag_detail", args=[flag.pk])
    notify(follow_up_staff(case), NotificationKind.FLAG, url=url, record=f"model:{case._meta.label_lower}")
    return flag


def flags_raise_for_hearing(hearing: Hearing) -> list[Flag]:
    """Evaluate the hearing and case rules; each flag is raised once per subject, never duplicated."""
    raised = []
    for rule in RULES:
        if rule.subject == "hearing" and rule.applies(hearing):
            raised.append(_raise(rule, case=hearing.case, hearing=hearing, subject=f"hearing:{hearing.pk}"))
        elif rule.subject == "case" and rule.applies(hearing):
            raised.append(_raise(rule, case=hearing.case, hearing=hearing, subject=f"case:{hearing.case_id}"))
    return [f for f in raised if f is not None]


def flags_raise_for_observation(observation: Observation) -> list[Flag]:
    raised = []
    for rule in RULES:
        if rule.subject == "observation" and rule.applies(observation):
            raised.append(
                _raise(
                    rule,
                    case=observation.hearing.case,
                    hearing=observation.hearing,
                    observation=observation,
                    subject=f"observation:{observation.pk}",
                )
            )
    return [f for f in raised if f is not None]


@transaction.atomic
def flag_close(*, actor, flag: Flag, note: str) -> Flag:
    if not may_follow_up(actor, flag):
        raise PermissionDenied
    counts = trial_counts_before([flag.case_id])  # first: it locks the case
    if flag.status == FlagStatus.CLOSED:
        raise ValidationError(_("This flag is already closed."))
    if not note.strip():
        raise ValidationError({"note": _("Say how the flag was followed up, or why no follow-up is needed.")})
    flag.status = FlagStatus.CLOSED
    flag.closed_by = actor
    flag.closed_at = timezone.now()
    flag.closing_note = note.strip()
    flag._history_user = actor
    flag.save(update_fields=["status", "closed_by", "closed_at", "closing_note", "updated_at"])
    trial_summaries_mark_flag(flag.pk)
    trial_counts_after([flag.case_id], counts)
    return flag


@transaction.atomic
def intervention_record(*, actor, flag: Flag, **fields) -> Intervention:
    if not may_follow_up(actor, flag):
        raise PermissionDenied
    intervention = Intervention(flag=flag, recorded_by=actor, **fields)
    intervention.full_clean()
    intervention._history_user = actor
    intervention.save()
    trial_summaries_mark_flag(flag.pk)
    return intervention


@transaction.atomic
def intervention_update(*, actor, intervention: Intervention, **fields) -> Intervention:
    if not may_follow_up(actor, intervention):
        raise PermissionDenied
    before = list(Intervention.objects.filter(pk=intervention.pk).values_list("date", "flag__case__court_id"))
    for name, value in fields.items():
        setattr(intervention, name, value)
    intervention.full_clean()
    intervention._history_user = actor
    intervention.save()
    trial_summaries_mark_flag(intervention.flag_id, before=before)
    return intervention


def interventions_remind_due(today: datetime.date) -> int:
    """A morning reminder (`reminders` on the department's config): whoever planned an intervention for
    today is told, with its kind (the addressee and the flag stay in the portal)."""
    due = Intervention.objects.filter(date=today, status=InterventionStatus.PLANNED).select_related("recorded_by")
    told = 0
    for intervention in due:
        kind = intervention.intervention_type
        what = {}
        for code, suffix in (("en", "en"), ("sq", "sq"), ("sr-latn", "sr")):
            with translation.override(code):
                what[suffix] = str(InterventionType(kind).label) if kind in InterventionType.values else kind
        url = reverse("rights:flag_detail", args=[intervention.flag_id])
        told += len(notify([intervention.recorded_by], NotificationKind.INTERVENTION_DUE, url=url, what=what))
    return told
