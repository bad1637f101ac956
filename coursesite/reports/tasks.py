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
        courses = [cohort_matrix(cohort=cohort, course=course) for course in cohort_courses(cohort)]
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
