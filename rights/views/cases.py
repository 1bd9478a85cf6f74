from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mission.accounts.permissions import (
    Capability,
    has_capability,
    may_follow_up,
    may_record,
    reads_restricted,
    require_record,
)
from mission.attachments.selectors import attachment_panel
from mission.audit.services import access_record_many
from mission.exports import csv_response
from mission.forms import (
    submission_token,
)
from mission.jinja import Words
from mission.pages import already_saved, form_saved, get_or_404, list_context
from rights import selectors
from rights.forms import CaseForm, PartyFormSet, party_rows
from rights.models import Case, Party, PartyRole
from rights.services.cases import PARTY_FIELDS, case_create, case_is_published, case_update
from rights.views.common import names_shown, require_reader


def case_list(request):
    require_reader(request.user)
    filterset, rows = selectors.case_list_rows(user=request.user, data=request.GET)
    context = list_context(request, filterset, rows, keep=True)
    context["can_record"] = has_capability(request.user, Capability.RECORD)
    return render(request, "rights/case_list.html", context)


def case_detail(request, pk: int):
    require_reader(request.user)
    case = get_or_404(selectors.case_detail, user=request.user, pk=pk)
    parties = list(case.parties.all())
    names = names_shown(request, case, parties)
    context = {
        "case": case,
        "parties": parties,
        "show_names": names,
        "can_record": may_record(request.user, case),
        "can_follow_up": may_follow_up(request.user, case),
        "attachments": attachment_panel(request, case),
        "recorded_words": _("yes,no,not known"),
        "interventions": Words(_interventions),
    }
    return render(request, "rights/case_detail.html", context)


def _interventions(count: int) -> str:
    """The words for a flag's number of interventions, as the case page shows them."""
    return ngettext("%(counter)s intervention", "%(counter)s interventions", count) % {"counter": count}


def _case_form(request, *, case: Case | None):
    """Create or edit a case with its parties. The page keeps everything typed when saving fails."""
    user = request.user
    existing = list(case.parties.all()) if case else []
    initial_parties = [
        {**{f: getattr(p, f) for f in PARTY_FIELDS}, "id": p.pk, "community": p.community_id} for p in existing
    ]
    # A case entered from the monitoring plan starts with what the plan knows of it.
    initial = (
        {k: v for k, v in request.GET.items() if k in ("court", "case_number", "category")} if case is None else {}
    )
    form = CaseForm(
        request.POST or None,
        instance=case or Case(),
        published=case is not None and case_is_published(case),
        initial=initial,
    )
    parties = PartyFormSet(request.POST or None, initial=initial_parties, prefix="parties")
    conflict = None
    if done := already_saved(request, f"case:{case.pk}" if case else "case:new"):
        return done
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "reason")}

        def save() -> tuple[str, str]:
            if case is None:
                saved = case_create(actor=user, parties=party_rows(parties), **fields)
                return reverse("rights:case_detail", args=[saved.pk]), _("Case %(number)s created.") % {
                    "number": saved.case_number
                }
            case_update(
                actor=user,
                case=case,
                expected_version=form.cleaned_data["version"],
                parties=party_rows(parties),
                **fields,
                **form.correction_fields(),
            )
            return reverse("rights:case_detail", args=[case.pk]), _("Case saved.")

        done, conflict = form_saved(
            request,
            form,
            save,
            creating=case is None,
            draft_key=f"case:{case.pk}" if case else "case:new",
            fallback=reverse("rights:case_list"),
        )
        if done:
            return done
    context = {
        "form": form,
        "submission_token": submission_token(request),
        "parties": parties,
        "case": case,
        "conflict": conflict,
        "draft_key": f"case:{case.pk}" if case else "case:new",
        "draft_version": conflict.current_version if conflict else (case.version if case else 0),
        "show_names": names_shown(request, case, existing),
    }
    return render(request, "rights/case_form.html", context)


def case_create_view(request):
    require_reader(request.user)
    if not has_capability(request.user, Capability.RECORD):
        raise PermissionDenied
    return _case_form(request, case=None)


def case_update_view(request, pk: int):
    require_reader(request.user)
    case = get_or_404(selectors.case_detail, user=request.user, pk=pk)
    require_record(request.user, case)
    return _case_form(request, case=case)


def case_export(request):
    """The filtered case list as CSV; names only for those who may read them, pseudonyms otherwise."""
    require_reader(request.user)
    _filterset, queryset = selectors.case_list(user=request.user, data=request.GET)
    names = reads_restricted(request.user, Party)
    header = [
        _("Case number"),
        _("Court"),
        _("Municipality"),
        _("Region"),
        _("Court department"),
        _("Category"),
        _("Charges"),
        _("Accused"),
        _("Injured parties"),
        _("Hearings"),
        _("Last hearing"),
        _("Open flags"),
    ]

    def rows() -> Iterator[list[Any]]:
        chunk: list[selectors.ListedCase] = []
        for case in queryset.prefetch_related("parties").iterator(chunk_size=1000):
            chunk.append(case)
            if len(chunk) == 1000:
                yield from _case_rows(request, chunk, names)
                chunk = []
        yield from _case_rows(request, chunk, names)

    return csv_response("cases.csv", header, rows(), text_columns=(0, 1, 2, 3, 6, 7, 8))


def _case_rows(request, cases: list[selectors.ListedCase], names: bool):
    if names:
        # Logged as the rows leave: each case whose names go out is a view of a restricted record.
        access_record_many(actor=request.user, objs=[c for c in cases if c.parties.all()], path=request.path)
    for case in cases:
        parties: list[Party] = list(case.parties.all())

        def people(role, parties=parties):
            return "; ".join(Party.sensitivity.shown(p, "name", restricted=names) for p in parties if p.role == role)

        yield [
            case.case_number,
            case.court.name,
            case.municipality.name,
            case.municipality.region.name,
            case.get_court_department_display(),
            case.get_category_display(),
            " ".join(case.charges.split()),
            people(PartyRole.ACCUSED),
            people(PartyRole.INJURED),
            case.hearing_count,
            case.last_hearing_date.isoformat() if case.last_hearing_date else "",
            case.open_flags,
        ]
