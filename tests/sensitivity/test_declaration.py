"""The sensitivity declaration (mission/sensitivity.py): what the API, exports and access log read."""

import pytest
from django.core import checks

from mission.sensitivity import (
    Pseudonym,
    Sensitivity,
    check_declarations,
    declaration,
    letters,
    pseudonym_sql,
    sensitivity_of,
    staff_only,
)


def test_letters_name_people_as_spreadsheet_columns():
    assert [letters(n) for n in (1, 2, 26, 27, 52, 53, 702, 703, 18278)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "ZZZ",
    ]


@pytest.mark.django_db
def test_the_database_writes_the_same_pseudonym_as_python():
    """One definition, two forms: `Pseudonym.of` and `Pseudonym.sql` agree for every role and ordinal."""
    from django.db.models import IntegerField, Value

    from rights.models import Party, PartyRole

    pseudonym = declaration(Party).pseudonym
    assert isinstance(pseudonym, Pseudonym)
    # Any table with rows will do as the source of the expression's columns: the role and ordinal are
    # given as constants through annotations of the same names the declaration uses.
    from django.contrib.contenttypes.models import ContentType

    for role in PartyRole:
        for ordinal in (1, 2, 26, 27, 52, 53, 702, 703, 18278):
            row = (
                ContentType.objects.annotate(
                    role=Value(role.value), ordinal=Value(ordinal, output_field=IntegerField())
                )
                .annotate(text=pseudonym.sql(Party))
                .values_list("text", flat=True)
                .first()
            )
            assert row == Party(role=role, ordinal=ordinal).pseudonym == f"{role.label} {letters(ordinal)}"


@pytest.mark.django_db
def test_reports_read_the_pseudonym_sql_of_the_declaration():
    from rights.models import Party

    assert str(pseudonym_sql(Party)) == str(declaration(Party).pseudonym.sql(Party))


def test_a_path_is_as_sensitive_as_the_most_sensitive_field_on_the_way():
    from rights.models import Flag, Hearing, Observation, Party

    assert sensitivity_of(Party, "name") is Sensitivity.RESTRICTED
    assert sensitivity_of(Party, "sex") is Sensitivity.PUBLIC
    assert sensitivity_of(Hearing, "case__case_number") is Sensitivity.INTERNAL
    assert sensitivity_of(Hearing, "case_id") is Sensitivity.PUBLIC
    assert sensitivity_of(Observation, "monitor__username") is Sensitivity.INTERNAL
    assert sensitivity_of(Flag, "case__court__code") is Sensitivity.PUBLIC
    assert sensitivity_of(Observation, "pk") is Sensitivity.PUBLIC


def test_the_api_lists_keep_the_staff_only_fields_they_had():
    """Before the declaration each list named these itself; the declaration gives the same."""
    from rights.api import views

    expected = {
        views.CourtList: set(),
        views.StandardList: set(),
        views.CaseList: {"case_number", "charges"},
        views.HearingList: {"case_number", "outcome", "closure_basis"},
        views.ObservationList: {"summary", "monitor", "submitted_at"},
        views.FlagList: {"closing_note"},
        views.InterventionList: {"addressee", "outcome"},
    }
    for view, fields in expected.items():
        assert set(view.staff_only_fields) == fields, view.__name__
        assert set(staff_only(view.model, view.fields)) == fields


def test_restricted_values_become_pseudonyms_for_those_who_may_not_read_them():
    from rights.models import Party, PartyRole

    party = Party(role=PartyRole.WITNESS, ordinal=3, name="Drita Krasniqi", sex="female")
    assert declaration(Party).shown(party, "name", restricted=True) == "Drita Krasniqi"
    assert declaration(Party).shown(party, "name", restricted=False) == "Witness C"
    assert declaration(Party).shown(party, "sex", restricted=False) == "female"


def test_the_declarations_of_the_portal_pass_their_check():
    assert check_declarations() == []


def test_a_declaration_naming_no_field_fails_the_check(monkeypatch):
    from mission.sensitivity import declare
    from rights.models import Hearing

    monkeypatch.setattr(Hearing, "sensitivity", declare(internal=["case", "verdict"], restricted=["case"]))
    ids = {message.id for message in check_declarations()}
    assert ids == {"mission.E010", "mission.E011"}
    assert all(isinstance(message, checks.Error) for message in check_declarations())


def test_forms_mark_the_declared_restricted_fields_for_offline_drafts():
    """Offline drafts keep restricted fields sealed (mission/drafts.py); the form reads which they are."""
    from mission.drafts import RESTRICTED_ATTR
    from rights.forms import PartyForm

    form = PartyForm()
    marked = {name for name, field in form.fields.items() if field.widget.attrs.get(RESTRICTED_ATTR)}
    assert marked == {"name"}
