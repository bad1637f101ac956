"""Writes for supervisors' reports. Each is atomic, keyword-only, and writes its audit row."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coursesite.audit.services import audit_record
from coursesite.people.models import Cohort, User

from .models import Nudge, SpreadsheetExport, SupervisorComment
from .selectors import NUDGE_INTERVAL


class NudgeTooSoon(Exception):
    """A reminder was already sent to this trainee within the last hour."""


@transaction.atomic
def comment_add(
    *, cohort: Cohort, learner: User, author: User, body: str, request: HttpRequest | None = None
) -> SupervisorComment:
    comment = SupervisorComment(cohort=cohort, learner=learner, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    audit_record(
        action="trainee_comment_added",
        actor=author,
        target=learner,
        request=request,
        cohort=cohort.pk,
        comment=comment.pk,
    )
    return comment


def trainee_nudge(
    *, cohort: Cohort, learner: User, sender: User, note: str = "", request: HttpRequest | None = None
) -> Nudge:
    """Email the trainee a reminder to continue their training: at most one per trainee per hour."""
    now = timezone.now()
    with transaction.atomic():
        # Lock the trainee's row so that two supervisors clicking at once send one email (PostgreSQL);
        # SQLite serialises writers anyway.
        User.objects.select_for_update().filter(pk=learner.pk).first()
        if Nudge.objects.filter(learner=learner, sent_at__gt=now - NUDGE_INTERVAL).exists():
            raise NudgeTooSoon(f"{learner} was already reminded within the last hour.")
        nudge = Nudge.objects.create(cohort=cohort, learner=learner, sent_by=sender, sent_at=now)
        audit_record(action="trainee_nudged", actor=sender, target=learner, request=request, cohort=cohort.pk)
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("my_training")
        context = {"learner": learner, "sender": sender, "cohort": cohort, "note": note.strip(), "link": link}
        # Sent inside the transaction: if the mail server refuses, no nudge is recorded and the
        # supervisor can try again at once.
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}A reminder about your training",
            message=render_to_string("reports/email/nudge.txt", context),
            from_email=None,
            recipient_list=[learner.email],
        )
    return nudge


def trainee_record_viewed(*, cohort: Cohort, learner: User, viewer: User, request: HttpRequest | None = None) -> None:
    """Every look at a trainee's record by a supervisor is on the audit trail (HIPAA 164.312(b))."""
    audit_record(action="trainee_record_viewed", actor=viewer, target=learner, request=request, cohort=cohort.pk)


def matrix_exported(*, cohort: Cohort, course, viewer: User, request: HttpRequest | None = None) -> None:
    audit_record(
        action="cohort_matrix_exported",
        actor=viewer,
        target=cohort,
        request=request,
        cohort=cohort.pk,
        course=course.pk,
    )


def spreadsheet_export_request(
    *, cohort: Cohort, course, requested_by: User, request: HttpRequest | None = None
) -> SpreadsheetExport:
    """Queue an Excel export of the cohort matrix; the task starts after the commit (ids only)."""
    from .tasks import spreadsheet_export_build

    with transaction.atomic():
        export = SpreadsheetExport.objects.create(cohort=cohort, course=course, requested_by=requested_by)
        audit_record(
            action="cohort_matrix_exported", actor=requested_by, target=cohort, request=request,
            cohort=cohort.pk, course=course.pk, format="xlsx",
        )  # fmt: skip
        transaction.on_commit(lambda: spreadsheet_export_build.enqueue(export_id=export.pk))
    return export
