"""The reviewed record: its statuses, its review fields and the labels a department gives them."""

from typing import TYPE_CHECKING, ClassVar, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mission.accounts.permissions import ScopedQuerySet
from mission.common import BaseModel, VersionedModel

if TYPE_CHECKING:
    from mission.accounts.models import User


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


# What the author may still change directly; an approved record changes only by correction.
EDITABLE_BY_AUTHOR = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)

# The fields the workflow itself writes: a step reads them from the locked row, never from the
# caller's copy, which may be older than the version it names.
REVIEW_STATE_FIELDS = (
    "status",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
    "revision",
    "correction_reason",
)


class ReviewLabels:
    """The words a department's pages and refusals use for its records; every one has a neutral default.
    A department subclasses it and sets the words that differ. `not_editable` takes `%(status)s`; the
    others are shown as they are."""

    author: ClassVar[StrOrPromise] = _("Author")
    created: ClassVar[StrOrPromise] = _("created the record")
    not_editable: ClassVar[StrOrPromise] = _("This record is %(status)s and cannot be edited.")
    only_submitted: ClassVar[StrOrPromise] = _("Only a submitted record can be reviewed.")
    only_approved: ClassVar[StrOrPromise] = _("Only an approved record is corrected; edit a draft directly.")
    return_needs_comment: ClassVar[StrOrPromise] = _("Tell the author what to change.")
    return_button: ClassVar[StrOrPromise] = _("Return to the author")
    comment_label: ClassVar[StrOrPromise] = _("Comments for the author")
    comment_help: ClassVar[StrOrPromise] = _("Required when you return the record.")
    approved: ClassVar[StrOrPromise] = _("Record approved.")
    returned: ClassVar[StrOrPromise] = _("Record returned to the author.")
    no_decision: ClassVar[StrOrPromise] = _("Choose to approve or to return the record.")


_R = TypeVar("_R", bound="ReviewedRecord", covariant=True)


class ReviewedQuerySet(ScopedQuerySet[_R]):
    """A scoped queryset of reviewed records. Subclasses name the department and region path as for
    every `ScopedQuerySet`."""

    def published(self) -> Self:
        return self.filter(status=ReviewStatus.APPROVED)

    def to_review_by(self, user: "User") -> Self:
        """Submitted records in the user's scope, never their own."""
        author = self.model.author_field
        return self.visible_to(user).filter(status=ReviewStatus.SUBMITTED).exclude(**{author: user})

    def to_fix_by(self, user: "User") -> Self:
        """The user's own drafts and records returned to them: what waits for them."""
        author = self.model.author_field
        return (
            self.visible_to(user)
            .filter(**{author: user})
            .filter(Q(status=ReviewStatus.DRAFT) | Q(status=ReviewStatus.RETURNED))
        )


class ReviewedRecord(VersionedModel, BaseModel):
    """A record its author submits and a reviewer returns or approves; approved, it is locked, and a
    correction is a new revision with a reason (kept in the history).

    A subclass adds its author, a foreign key to the user named by `author_field`, and may give its
    own `review_labels`; its `history_children` names the child rows (its manager names) whose changes
    its history lists as its own (each child may name the fields people fill in, `child_fields`, and
    say what it is, `conflict_label()`)."""

    author_field: ClassVar[str] = "author"
    review_labels: ClassVar[ReviewLabels] = ReviewLabels()
    history_children: ClassVar[tuple[str, ...]] = ()

    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comments"), blank=True)
    revision = models.PositiveSmallIntegerField(
        _("revision"), default=1, help_text=_("Raised by each correction after approval.")
    )
    correction_reason = models.TextField(_("reason for the latest correction"), blank=True)

    class Meta:
        abstract = True

    @property
    def author_pk(self) -> int | None:
        pk: int | None = getattr(self, f"{self.author_field}_id")
        return pk

    @property
    def review_author(self) -> "User":
        """The author, whatever the department calls the field."""
        author: User = getattr(self, self.author_field)
        return author
