"""Every change to certificates and to the decisions they rest on: atomic, validated, audited."""

import calendar
import math
import tempfile
import zipfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from coursesite.audit.services import audit_record

from .models import Certificate, ExpiryReminder, RuleException, SignOff
from .rules import rule_evaluate
from .selectors import certificate_template_for


class CertificateNotIssued(Exception):
    """The rule is not met (or the last certificate was revoked): `reasons` says why."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _enqueue_render(certificate: Certificate) -> None:
    from .tasks import certificate_render_task

    certificate_id = certificate.pk
    transaction.on_commit(lambda: certificate_render_task.enqueue(certificate_id=certificate_id))


def _create(
    *, learner, course, evidence: dict, previous: Certificate | None = None, keep_expiry_of: Certificate | None = None
) -> Certificate:
    now = timezone.now()
    months = course.certificate_valid_months
    if keep_expiry_of is not None:
        expires_at = keep_expiry_of.expires_at  # a correction does not extend the validity
    else:
        expires_at = add_months(now, months) if months else None
    template = certificate_template_for(course.pk)
    certificate = Certificate(
        learner=learner,
        course_id=course.pk,
        issued_at=now,
        expires_at=expires_at,
        previous=previous,
        learner_name=learner.display_name or learner.email,
        course_title=course.title,
        hours=course.estimated_hours,
        # Copied from the template now: later edits to it never change what this certificate says.
        issuer=template.issuer,
        signatory_name=template.signatory_name,
        signatory_title=template.signatory_title,
        evidence=evidence,
    )
    # The one-current-certificate constraint is checked by the database (see certificate_issue).
    certificate.full_clean(validate_constraints=False)
    certificate.save()
    return certificate


def _specific_course(course):
    # Callers may hold the generic Page (progress stores courses as wagtailcore.Page).
    return course if hasattr(course, "certificate_valid_months") else course.specific


def certificate_issue(*, learner, course, request: HttpRequest | None = None) -> Certificate:
    """Issue the learner's certificate for `course` if the rule is met: idempotent and safe to race.

    Returns the current certificate when there is one. In the renewal window (expired, or within
    CERTIFICATE_RENEWAL_WINDOW_DAYS of expiry) the certificate is renewed, the old one superseded,
    once every step has been completed again after it was issued; until then an unexpired one is
    returned as it is. A revoked certificate is never replaced automatically: a supervisor reissues
    it. Raises `CertificateNotIssued`.
    """
    course = _specific_course(course)
    with transaction.atomic():
        mine = Certificate.objects.select_for_update().filter(learner=learner, course_id=course.pk)
        current = mine.current().first()
        if current is not None and not current.in_renewal_window():
            return current
        latest = mine.order_by("-issued_at", "-pk").first()
        if current is None and latest is not None and latest.status == Certificate.Status.REVOKED:
            raise CertificateNotIssued(["The last certificate was revoked; only a supervisor can reissue it."])
        result = rule_evaluate(
            learner=learner, course=course, completed_after=current.issued_at if current is not None else None
        )
        if not result.met:
            if current is not None and not current.is_expired():
                return current  # early in the renewal window: the current one stands until renewed
            raise CertificateNotIssued(result.reasons)
        if current is not None:  # renewal
            current.status = Certificate.Status.SUPERSEDED
            current.save(update_fields=["status"])
        try:
            with transaction.atomic():
                certificate = _create(learner=learner, course=course, evidence=result.evidence, previous=current)
        except IntegrityError:
            # Another worker issued it between our read and our insert: theirs is the one.
            return Certificate.objects.current().get(learner=learner, course_id=course.pk)
        audit_record(
            action="certificate_issued",
            actor=learner,
            target=certificate,
            request=request,
            course=course.pk,
            renewal_of=current.pk if current is not None else None,
        )
        _enqueue_render(certificate)
    return certificate


def certificate_revoke(
    *, certificate: Certificate, actor, reason: str, request: HttpRequest | None = None
) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the certificate is revoked: the verification page shows it."})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != Certificate.Status.VALID:
            raise ValidationError(f"This certificate is already {certificate.get_status_display().lower()}.")
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_reason = reason
        certificate.revoked_by = actor
        certificate.revoked_at = timezone.now()
        certificate.full_clean()
        certificate.save(update_fields=["status", "revoked_reason", "revoked_by", "revoked_at"])
        audit_record(action="certificate_revoked", actor=actor, target=certificate, request=request, reason=reason)
    return certificate


def certificate_reissue(
    *, certificate: Certificate, actor, reason: str = "", request: HttpRequest | None = None
) -> Certificate:
    """A corrected certificate (current name and course details) linked to `certificate`, which is superseded.

    The rule must still be met, and the new certificate expires when the old one did: a reissue corrects,
    it does not renew (an expired certificate is renewed by completing the course again). A revoked
    certificate stays revoked; a valid one becomes superseded.
    """
    if certificate.course_id is None:
        raise CertificateNotIssued(["The course of this certificate no longer exists."])
    course = _specific_course(certificate.course)
    learner = certificate.learner
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status == Certificate.Status.SUPERSEDED:
            raise CertificateNotIssued(["This certificate has already been replaced."])
        if old.is_expired():
            raise CertificateNotIssued(
                ["This certificate has expired: it is renewed when the course is completed again."]
            )
        result = rule_evaluate(learner=learner, course=course)
        if not result.met:
            raise CertificateNotIssued(result.reasons)
        current = Certificate.objects.select_for_update().current().filter(learner=learner, course_id=course.pk)
        for other in current:
            other.status = Certificate.Status.SUPERSEDED
            other.save(update_fields=["status"])
        new = _create(learner=learner, course=course, evidence=result.evidence, previous=old, keep_expiry_of=old)
        audit_record(
            action="certificate_reissued", actor=actor, target=new, request=request, previous=old.pk, reason=reason
        )
        _enqueue_render(new)
    return new


def certificate_pdf_store(*, certificate: Certificate, content: bytes) -> Certificate:
    """Keep the rendered PDF. The first render to finish wins; a later duplicate file is deleted."""
    name = default_storage.save(f"certificates/{certificate.code}.pdf", ContentFile(content))
    now = timezone.now()
    updated = Certificate.objects.filter(pk=certificate.pk, pdf="").update(
        pdf=name, pdf_rendered_at=now, pdf_error="", pdf_failed_at=None
    )
    if not updated:
        default_storage.delete(name)
    certificate.refresh_from_db(fields=["pdf", "pdf_rendered_at", "pdf_error", "pdf_failed_at"])
    return certificate


def certificate_pdf_failed(*, certificate: Certificate, error: str) -> Certificate:
    """Record that rendering the PDF failed, so the trainee sees it and may retry (audited)."""
    message = (error or "Unknown rendering error.")[:500]
    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf_error=message, pdf_failed_at=timezone.now())
        audit_record(action="certificate_pdf_failed", target=certificate, error=message)
    certificate.refresh_from_db(fields=["pdf", "pdf_error", "pdf_failed_at"])
    return certificate


def certificates_zip(
    *, certificates: list[Certificate], actor, cohort, request: HttpRequest | None = None
) -> tempfile.SpooledTemporaryFile:
    """A ZIP of stored certificate PDFs (a temporary file, rewound), with the export audited."""
    # Returned open: the FileResponse that streams it closes it.
    archive = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for certificate in certificates:
            name = f"{slugify(certificate.learner_name)[:60] or 'learner'}-{slugify(certificate.course_title)[:60]}"
            with certificate.pdf.open("rb") as pdf:
                bundle.writestr(f"{name}-{certificate.code}.pdf", pdf.read())
    archive.seek(0)
    audit_record(
        action="certificates_exported",
        actor=actor,
        target=cohort,
        request=request,
        certificates=[c.pk for c in certificates],
    )
    return archive


def expiry_reminders_send(*, now: datetime | None = None) -> int:
    """E-mail holders whose current certificate expires soon or has expired, with their cohorts'
    supervisors in copy: the most urgent rung of the ladder that is due, once per rung (an
    ExpiryReminder row per rung). Returns how many e-mails were sent.

    Rungs are days before expiry (30, 7, 0) or after it (-7). A rung missed while the job was not
    running is skipped, never sent late alongside a newer one; the last overdue rung is sent up to a
    week late, then never.
    """
    now = now or timezone.now()
    ladder = sorted(set(settings.CERTIFICATE_REMINDER_DAYS))
    if not ladder:
        return 0
    due = list(
        Certificate.objects.current()
        .filter(
            expires_at__gt=now + timedelta(days=min(ladder[0], 0) - 7), expires_at__lte=now + timedelta(days=ladder[-1])
        )
        .select_related("learner")
        .prefetch_related("reminders")
    )
    supervisors = _supervisor_emails({certificate.learner_id for certificate in due})
    sent = 0
    for certificate in due:
        days_left = (certificate.expires_at - now) / timedelta(days=1)
        rung = next((days for days in ladder if days_left <= days), None)
        if rung is None or any(reminder.days_before <= rung for reminder in certificate.reminders.all()):
            continue  # not due yet, or this rung (or a more urgent one) has already gone out
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(certificate=certificate, days_before=rung, sent_at=now)
                audit_record(action="certificate_expiry_reminder", target=certificate, days_before=rung)
        except IntegrityError:
            continue  # another run sent it
        _send_expiry_reminder(
            certificate, days_left=math.ceil(days_left), cc=supervisors.get(certificate.learner_id, [])
        )
        sent += 1
    return sent


def _supervisor_emails(learner_ids: set[int]) -> dict[int, list[str]]:
    """Each learner's supervisors (of every cohort they are a trainee in), in one query."""
    from coursesite.people.models import Membership

    trainee_cohorts = Membership.objects.filter(user_id__in=learner_ids, role=Membership.Role.TRAINEE)
    rows = Membership.objects.filter(
        cohort_id__in=trainee_cohorts.values("cohort_id"), role=Membership.Role.SUPERVISOR
    ).values_list("cohort_id", "user__email")
    by_cohort: dict[int, set[str]] = {}
    for cohort_id, email in rows:
        by_cohort.setdefault(cohort_id, set()).add(email)
    emails: dict[int, list[str]] = {}
    for learner_id, cohort_id in trainee_cohorts.values_list("user_id", "cohort_id"):
        emails.setdefault(learner_id, [])
        emails[learner_id] = sorted(set(emails[learner_id]) | by_cohort.get(cohort_id, set()))
    return emails


def _send_expiry_reminder(certificate: Certificate, *, days_left: int, cc: list[str]) -> None:
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("my_certificates")
    context = {"certificate": certificate, "days_left": days_left, "days_ago": -days_left, "link": link}
    expired = days_left <= 0
    subject = "has expired" if expired else "expires soon"
    EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your {certificate.course_title} certificate {subject}",
        body=render_to_string("certificates/email/expiry_reminder.txt", context),
        to=[certificate.learner.email],
        cc=cc,
    ).send()


def sign_off_grant(*, learner, course, actor, note: str = "", request: HttpRequest | None = None) -> SignOff:
    with transaction.atomic():
        sign_off, created = SignOff.objects.get_or_create(
            learner=learner, course_id=course.pk, defaults={"signed_by": actor, "note": note.strip()}
        )
        if created:
            audit_record(action="certificate_signed_off", actor=actor, target=sign_off, request=request)
    if created:
        _issue_after_commit(learner=learner, course=course)
    return sign_off


def rule_exception_grant(
    *, learner, course, step, actor, reason: str, request: HttpRequest | None = None
) -> RuleException:
    """Waive one step of the rule for one learner, with the reason on record (audited)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "An exception must say why the step is waived."})
    if step.get_parent().pk != course.pk:
        raise ValidationError({"step": "That step is not part of this course."})
    with transaction.atomic():
        exception, created = RuleException.objects.get_or_create(
            learner=learner, step_id=step.pk, defaults={"course_id": course.pk, "reason": reason, "granted_by": actor}
        )
        if created:
            audit_record(
                action="certificate_rule_exception", actor=actor, target=exception, request=request, reason=reason
            )
    if created:
        _issue_after_commit(learner=learner, course=course)
    return exception


def _issue_after_commit(*, learner, course) -> None:
    from .tasks import certificate_issue_task

    learner_id, course_id = learner.pk, course.pk
    transaction.on_commit(lambda: certificate_issue_task.enqueue(learner_id=learner_id, course_id=course_id))
