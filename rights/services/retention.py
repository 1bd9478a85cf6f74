"""How long trial monitoring keeps party names (mission/retention.py runs it)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import translation

from rights.models import Case, Party

CHUNK = 2000


@transaction.atomic
def party_names_anonymise(cutoff: datetime.datetime) -> int:
    """Replace the names of the parties of every case untouched since `cutoff` (no hearing, no change
    to the case or its parties) by their pseudonyms, in the records and in their history. The case,
    its hearings and observations stay: the mission's figures do not change. Returns the parties changed."""
    dormant = Case.objects.filter(updated_at__lt=cutoff).filter(
        Q(last_hearing_date__isnull=True) | Q(last_hearing_date__lt=cutoff.date())
    )
    parties = Party.objects.filter(case__in=dormant, updated_at__lt=cutoff).exclude(
        case__parties__updated_at__gte=cutoff
    )
    changed = 0
    # One language for the stored pseudonym, whoever's request or worker runs this.
    with translation.override("en"):
        batch: list[Party] = []
        for party in parties.only("pk", "role", "ordinal", "name").order_by("pk").iterator(chunk_size=CHUNK):
            if party.name == party.pseudonym:
                continue
            party.name = party.pseudonym
            batch.append(party)
            if len(batch) == CHUNK:
                changed += _write(batch)
                batch = []
        changed += _write(batch)
    return changed


def _write(parties: list[Party]) -> int:
    """The new names, and the same in every history entry of these parties (it held the old name too).
    `updated_at` is left alone: anonymising is not an activity that would keep the case alive."""
    if not parties:
        return 0
    Party.objects.bulk_update(parties, ["name"])
    for party in parties:
        Party.history.filter(id=party.pk).update(name=party.name)
    return len(parties)
