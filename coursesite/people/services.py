"""Writes for people and cohorts. Each is atomic and writes its audit row in the same transaction."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coursesite.audit.services import audit_record

from .models import (
    Assignment,
    AssignmentOverride,
    Cohort,
    Invitation,
    Membership,
    User,
    new_enrolment_key,
)


@transaction.atomic
def cohort_create(*, supervisor: User, request: HttpRequest | None = None, **fields) -> Cohort:
    cohort = Cohort(**fields)
    cohort.full_clean()
    cohort.save()
    Membership.objects.create(cohort=cohort, user=supervisor, role=Membership.Role.SUPERVISOR)
    audit_record(action="cohort_created", actor=supervisor, target=cohort, request=request)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, actor: User, request: HttpRequest | None = None) -> Cohort:
    cohort.full_clean()
    cohort.save()
    audit_record(action="cohort_updated", actor=actor, target=cohort, request=request)
    return cohort


@transaction.atomic
def cohort_rotate_key(*, cohort: Cohort, actor: User, request: HttpRequest | None = None) -> Cohort:
    """A new key; the old one stops working at once (e.g. after it was posted somewhere public)."""
    cohort.enrolment_key = new_enrolment_key()
    cohort.save(update_fields=["enrolment_key"])
    audit_record(action="cohort_key_rotated", actor=actor, target=cohort, request=request)
    return cohort


def _join(*, user: User, cohort: Cohort, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(cohort=cohort, user=user, defaults={"role": role})
    return membership


@transaction.atomic
def membership_join_by_key(*, user: User, cohort: Cohort, request: HttpRequest | None = None) -> Membership:
    membership = _join(user=user, cohort=cohort, role=Membership.Role.TRAINEE)
    audit_record(action="cohort_joined", actor=user, target=cohort, request=request, via="key")
    return membership


@transaction.atomic
def membership_join_by_invitation(
    *, user: User, invitation: Invitation, request: HttpRequest | None = None
) -> Membership:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    membership = _join(user=user, cohort=locked.cohort, role=Membership.Role.TRAINEE)
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit_record(action="cohort_joined", actor=user, target=locked.cohort, request=request, via="invitation")
    return membership


def invitations_send(
    *, cohort: Cohort, emails: list[str], invited_by: User, request: HttpRequest | None = None
) -> list[Invitation]:
    """Create one invitation per address and email each its personal link (after the commit)."""
    with transaction.atomic():
        invitations = [Invitation.objects.create(cohort=cohort, email=email, invited_by=invited_by) for email in emails]
        audit_record(action="invitations_sent", actor=invited_by, target=cohort, request=request, count=len(emails))
    for invitation in invitations:
        _send_invitation_email(invitation)
    return invitations


def _send_invitation_email(invitation: Invitation) -> None:
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}You are invited to join {invitation.cohort.name}",
        message=render_to_string("people/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def assignment_set(
    *, cohort: Cohort, course, due_on: datetime.date, actor: User, request: HttpRequest | None = None
) -> Assignment:
    """Assign a course to a cohort with a due date, or move the due date of an existing assignment."""
    assignment = Assignment.objects.select_for_update().filter(cohort=cohort, course=course).first()
    previous = assignment.due_on if assignment is not None else None
    if assignment is None:
        assignment = Assignment(cohort=cohort, course=course, assigned_by=actor)
    assignment.due_on = due_on
    assignment.full_clean()
    assignment.save()
    audit_record(
        action="assignment_set",
        actor=actor,
        target=assignment,
        request=request,
        cohort=cohort.pk,
        course=course.pk,
        due_on=due_on.isoformat(),
        previous_due_on=previous.isoformat() if previous else None,
    )
    return assignment


@transaction.atomic
def assignment_override_set(
    *,
    assignment: Assignment,
    learner: User,
    due_on: datetime.date,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> AssignmentOverride:
    """Give one trainee of the cohort their own due date for an assignment (the reason is kept)."""
    if not Membership.objects.filter(
        cohort_id=assignment.cohort_id, user=learner, role=Membership.Role.TRAINEE
    ).exists():
        raise ValueError("Only a trainee of the assignment's cohort can have their due date changed.")
    override, _ = AssignmentOverride.objects.select_for_update().get_or_create(
        assignment=assignment, learner=learner, defaults={"due_on": due_on, "reason": reason, "granted_by": actor}
    )
    override.due_on, override.reason, override.granted_by = due_on, reason, actor
    override.full_clean()
    override.save()
    audit_record(
        action="assignment_override_set",
        actor=actor,
        target=learner,
        request=request,
        cohort=assignment.cohort_id,
        assignment=assignment.pk,
        due_on=due_on.isoformat(),
        reason=reason,
    )
    return override
