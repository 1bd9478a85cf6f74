from django.template.loader import render_to_string

from mission.review.forms import ReviewForm


def test_the_panel_shows_the_status_and_the_form_only_to_who_may_decide(supervisor, submitted, rf):
    form = ReviewForm(initial={"version": submitted.version}, record=submitted)
    context = {"record": submitted, "review_form": form, "review_url": "/decide/", "may_decide": True}
    html = render_to_string("review/_panel.html", context, request=rf.get("/"))
    assert "Submitted for review" in html
    assert 'action="/decide/"' in html
    assert 'value="approve"' in html
    assert str(submitted.review_labels.return_button) in html  # the department's words
    html = render_to_string("review/_panel.html", {**context, "may_decide": False}, request=rf.get("/"))
    assert 'value="approve"' not in html


def test_the_history_fragment_shows_who_what_and_why(submitted):
    history = [
        {"at": submitted.created_at, "who": "Ana", "reason": "Typo", "what": "", "changes": [("summary", "a", "b")]}
    ]
    html = render_to_string("review/_history.html", {"history": history, "record": submitted})
    assert "Ana" in html
    assert "Typo" in html
    assert "Summary: a → b" in html
