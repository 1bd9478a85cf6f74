from types import SimpleNamespace

from mission.history import EMPTY, child_fields, row_changes


def test_row_changes_labels_what_differs_and_treats_a_new_row_as_blank(draft):
    model = draft.ratings.model
    before = SimpleNamespace(rating="complied", evidence="")
    after = SimpleNamespace(rating="violation", evidence="Seen.")
    assert row_changes(model, [(after, before), (before, before), (after, None)], fields=["rating", "evidence"]) == [
        [("rating", "Complied", "Violation"), ("evidence", EMPTY, "Seen.")],
        [],
        [("rating", EMPTY, "Violation"), ("evidence", EMPTY, "Seen.")],
    ]


def test_child_fields_are_those_declared_or_all_but_the_key_parent_and_timestamps(draft):
    assert child_fields(draft.ratings.model, parent="observation") == ["rating", "evidence"]
    assert "hearing" not in child_fields(type(draft), parent="hearing")
    assert "created_at" not in child_fields(type(draft), parent="hearing")
