"""Background work for certificates. Arguments are IDs only; every task is safe to run twice."""

import logging

from django.contrib.auth import get_user_model
from django.tasks import task
from wagtail.models import Page

from .models import Certificate

logger = logging.getLogger(__name__)


@task()
def certificate_issue_task(*, learner_id: int, course_id: int) -> int | None:
    """Issue the certificate if the rule is now met; returns its id (None when not issuable yet)."""
    from .services import CertificateNotIssued, certificate_issue

    learner = get_user_model().objects.filter(pk=learner_id).first()
    course = Page.objects.filter(pk=course_id).first()
    if learner is None or course is None:
        return None
    try:
        return certificate_issue(learner=learner, course=course.specific).pk
    except CertificateNotIssued:
        return None


@task()
def certificate_render_task(*, certificate_id: int) -> bool:
    """Render and store the PDF unless it is already stored; True when this run stored it.

    A failed render (time limit, page cap, worker crash) is recorded on the certificate and logged, and
    the task ends without raising: the trainee's page then says so and offers a retry.
    """
    from .rendering import RenderError, certificate_pdf_bytes
    from .services import certificate_pdf_failed, certificate_pdf_store

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.pdf:
        return False
    try:
        content = certificate_pdf_bytes(certificate)
    except RenderError as error:
        logger.error("Certificate %s: PDF not rendered: %s", certificate.pk, error)
        certificate_pdf_failed(certificate=certificate, error=str(error))
        return False
    certificate_pdf_store(certificate=certificate, content=content)
    return True


@task()
def certificate_expiry_reminders_task() -> int:
    """Send the expiry reminders that are due (queued daily by `manage.py certificate_reminders`)."""
    from .services import expiry_reminders_send

    return expiry_reminders_send()
