from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mission.accounts.permissions import Capability, has_capability, may_record, reads_department, require_record
from mission.accounts.roles import Department
from mission.concurrency import lock_version
from mission.history import model_field
from rights.models import Case, Hearing, Observation, Party
from rights.services.counters import trial_counts_after, trial_counts_before
from rights.services.observations import correction_reason, published_change_review
from rights.services.planning import plans_of_new_case
from rights.services.summaries import trial_summaries_mark, trial_summary_parts

CASE_FIELDS = (
    "court",
    "case_number",
    "municipality",
    "court_department",
    "category",
    "charges",
    "fundamental_rights_appeal_grounds",
)
PARTY_FIELDS = (
    "role",
    "name",
    "sex",
    "age_band",
    "community",
    "detention",
    "counsel",
    "counsel_appointed_on",
    "vulnerable",
    "protective_measures",
)


def _require_recordable_place(actor, case: Case, *, municipality_given: bool) -> None:
    """The case is heard in the actor's region. Someone who may record cases but chose a court (or a
    municipality) of another region made a choice the form can correct: say so on that field."""
    if not has_capability(actor, Capability.RECORD) or not reads_department(actor, Department.RIGHTS):
        raise PermissionDenied
    if may_record(actor, case):
        return
    field = "municipality" if municipality_given else "court"
    place = case.municipality if municipality_given else case.court
    raise ValidationError(
        {
            field: _(
                "%(place)s is in the %(region)s region; you record cases heard in your own region only. "
                "If the case is heard elsewhere, choose the municipality where it is heard."
            )
            % {"place": place, "region": case.municipality.region}
        }
    )


def _apply_case_fields(case: Case, fields: dict) -> None:
    for name in CASE_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    if case.municipality_id is None:
        if case.court_id is None or case.court.seat_id is None:
            raise ValidationError({"municipality": _("This court sits outside Kosovo: choose the municipality.")})
        case.municipality = case.court.seat
    case.case_number = " ".join(case.case_number.split())


def _save_parties(case: Case, parties: list[dict], actor, reason: str = "") -> None:
    """Create, update or delete parties; a new party gets the next letter of its role ('Accused C')."""
    existing = {p.pk: p for p in case.parties.all()}
    for data in parties:
        party = existing.get(data["id"]) if data.get("id") else None
        if data.get("delete"):
            if party is not None:
                party._history_user = actor
                party._change_reason = reason or None
                party.delete()
            continue
        if party is None:
            party = Party(case=case)
        for name in PARTY_FIELDS:
            if name in data:
                setattr(party, name, data[name])
        if party.pk is None:
            last = case.parties.filter(role=party.role).aggregate(last=Max("ordinal"))["last"] or 0
            party.ordinal = last + 1
        try:
            party.full_clean()
        except ValidationError as error:
            raise _about_party(party, error) from None
        party._history_user = actor
        party._change_reason = reason or None
        party.save()


def _about_party(party: Party, error: ValidationError) -> ValidationError:
    """The case form shows party errors above the form: say which party and which field they are about."""
    about = {}
    for field, messages in error.message_dict.items():
        label = party.pseudonym
        if field != NON_FIELD_ERRORS:
            label = f"{label}, {model_field(Party, field).verbose_name}"
        about[field] = [f"{label}: {message}" for message in messages]
    return ValidationError(about)


@transaction.atomic
def case_create(*, actor, parties: list[dict] | None = None, **fields) -> Case:
    case = Case(created_by=actor)
    _apply_case_fields(case, fields)
    _require_recordable_place(actor, case, municipality_given=fields.get("municipality") is not None)
    case.full_clean()
    case._history_user = actor
    case.save()
    _save_parties(case, parties or [], actor)
    plans_of_new_case(case)  # hearings planned before the case was entered
    return case


@transaction.atomic
def case_update(
    *, actor, case: Case, expected_version: int | None, parties: list[dict] | None = None, reason: str = "", **fields
) -> Case:
    """Change a case and its parties. A published one (partners see it) changes only through the
    correction path, as a published hearing does (`rights.services.hearings.hearing_update`)."""
    # The region as stored, not as on `case`: a ModelForm writes the edit onto its instance when it
    # validates, and an emptied municipality (which means "the court's seat") is None there until now.
    require_record(actor, Case.objects.select_related("municipality").get(pk=case.pk))
    lock_version(case, expected_version=expected_version)
    counts = trial_counts_before([case.pk])  # what it counts in its region now (the case is locked)
    published = case_is_published(case)  # read under the lock: an approval may have just landed
    counted_in = trial_summary_parts([case.pk])  # its months with the court as stored
    if published:
        reason = correction_reason(reason)
    _apply_case_fields(case, fields)
    # and it stays in their region
    _require_recordable_place(actor, case, municipality_given=fields.get("municipality") is not None)
    case.full_clean()
    case._history_user = actor
    case._change_reason = reason.strip() or None
    case.published = published  # the flag follows the approvals, never a stale copy of the row
    case.save()
    # Its hearings keep its court (Hearing.court), in this transaction.
    Hearing.objects.filter(case=case).exclude(court_id=case.court_id).update(court_id=case.court_id)
    _save_parties(case, parties or [], actor, reason.strip())
    if published:
        published_change_review(actor=actor, observations=Observation.objects.filter(hearing__case=case), reason=reason)
        case.published = case_is_published(case)
    trial_summaries_mark([case.pk], before=counted_in)
    trial_counts_after([case.pk], counts)
    return case


def case_is_published(case: Case) -> bool:
    """Whether partners see this case now (then a change needs a reason: `case_update`)."""
    return Case.objects.filter(pk=case.pk, published=True).exists() if case.pk else False
