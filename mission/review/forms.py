from typing import Any

from django import forms

from mission.forms import VersionField
from mission.review.models import ReviewedRecord


class ReviewForm(forms.Form):
    """The reviewer's decision: the version they read and their comments (labelled by the record's
    department, `review_labels`). Approve or return is the button they press."""

    version = VersionField()
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, record: ReviewedRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = record.review_labels.comment_label
        self.fields["comment"].help_text = record.review_labels.comment_help
