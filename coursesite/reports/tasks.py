"""Background tasks for reports. Arguments are ids only (QUALITY.md R8): the task reads fresh rows."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from coursesite.audit.services import audit_record
from coursesite.people.models import User
from coursesite.people.selectors import cohorts_for_supervisor

from .selectors import cohort_courses, cohort_matrix, cohort_needs_attention


@task()
def weekly_summary_send(supervisor_id: int) -> int:
    """Email one supervisor a summary of each of their cohorts; returns the number of cohorts in it."""
    supervisor = User.objects.filter(pk=supervisor_id, is_active=True).first()
    if supervisor is None or not supervisor.is_supervisor:
        return 0
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    cohorts = []
    for cohort in cohorts_for_supervisor(supervisor):
        # Only the cohort's figures are mailed: one row is enough (they are counted in the database).
        courses = [cohort_matrix(cohort=cohort, course=course, per_page=1) for course in cohort_courses(cohort)]
        cohorts.append(
            {
                "cohort": cohort,
                "courses": courses,
                "attention": cohort_needs_attention(cohort=cohort),
                "link": base + reverse("cohort_matrix", args=[cohort.pk]),
            }
        )
    if not cohorts:
        return 0
    with transaction.atomic():
        audit_record(action="weekly_summary_sent", actor=None, target=supervisor, cohorts=len(cohorts))
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your cohorts this week",
            message=render_to_string(
                "reports/email/weekly_summary.txt", {"supervisor": supervisor, "cohorts": cohorts}
            ),
            from_email=None,
            recipient_list=[supervisor.email],
        )
    return len(cohorts)


PROGRESS_EVERY = 200  # rows between progress updates: often enough for the bar, rare enough to be cheap


@task()
def spreadsheet_export_build(*, export_id: int) -> bool:
    """Write the cohort matrix to an .xlsx file, row by row (openpyxl's write-only mode keeps memory
    flat), updating the export's progress; True when this run produced the file."""
    import tempfile

    from django.core.files import File
    from django.utils import timezone
    from openpyxl import Workbook

    from coursesite.people.selectors import cohort_trainees

    from .models import SpreadsheetExport
    from .selectors import cohort_matrix_csv_rows

    export = SpreadsheetExport.objects.select_related("cohort", "course").filter(pk=export_id).first()
    if export is None or export.status == SpreadsheetExport.Status.DONE:
        return False
    course = export.course.specific
    SpreadsheetExport.objects.filter(pk=export.pk).update(
        status=SpreadsheetExport.Status.RUNNING, rows_total=cohort_trainees(export.cohort).count(), rows_done=0
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Progress"[:31])
    try:
        for number, row in enumerate(cohort_matrix_csv_rows(cohort=export.cohort, course=course)):
            # Text cells that start like a formula are stored as text, never evaluated (CSV/XLSX injection).
            sheet.append([f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
            if number and number % PROGRESS_EVERY == 0:
                SpreadsheetExport.objects.filter(pk=export.pk).update(rows_done=number)
        with tempfile.TemporaryFile() as handle:
            workbook.save(handle)
            handle.seek(0)
            export.file.save(f"cohort-{export.cohort_id}-{course.slug}.xlsx", File(handle), save=False)
    except Exception as exc:
        SpreadsheetExport.objects.filter(pk=export.pk).update(
            status=SpreadsheetExport.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    SpreadsheetExport.objects.filter(pk=export.pk).update(
        status=SpreadsheetExport.Status.DONE, file=export.file.name, rows_done=export.rows_total or 0,
        finished_at=timezone.now(),
    )  # fmt: skip
    return True


@task()
def training_records_purge_task() -> int:
    """Purge the training records past their retention period (run nightly or weekly); returns how many.
    Each learner is purged in their own transaction, so a failure leaves the others done."""
    from .retention import training_record_purge, training_records_due

    return sum(
        1
        for candidate in list(training_records_due())
        if training_record_purge(learner_id=candidate.learner_id) is not None
    )


@task()
def learner_summaries_rebuild_task(*, course_id: int) -> int:
    """Recompute one course's learner summaries (after a step is published or unpublished)."""
    from .summaries import learner_course_summaries_rebuild

    return learner_course_summaries_rebuild(course_ids=[course_id])
