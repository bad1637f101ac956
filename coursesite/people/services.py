"""Writes for people and cohorts. Each is atomic and writes its audit row in the same transaction."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coursesite.audit.services import audit_record

from .models import Cohort, Invitation, Membership, User, new_enrolment_key


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
