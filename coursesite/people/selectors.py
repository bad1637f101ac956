"""Reads for people and cohorts, scoped to what the asking user may see."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Cohort, Invitation, Membership, User

INVITATION_SESSION_KEY = "invitation_token"


def cohorts_for_supervisor(user: User) -> QuerySet[Cohort]:
    """The cohorts a supervisor manages, with member counts, in one query."""
    return (
        Cohort.objects.filter(memberships__user=user, memberships__role=Membership.Role.SUPERVISOR)
        .annotate(
            trainee_count=Count("memberships", filter=Q(memberships__role=Membership.Role.TRAINEE), distinct=True)
        )
        .order_by("name")
    )


def cohort_for_supervisor(user: User, cohort_id: int) -> Cohort:
    """One of the supervisor's own cohorts, or 404 (not 403: no hint that it exists)."""
    if user.is_superuser:
        return get_object_or_404(Cohort, pk=cohort_id)
    return get_object_or_404(cohorts_for_supervisor(user), pk=cohort_id)


def cohort_members(cohort: Cohort) -> QuerySet[Membership]:
    return cohort.memberships.select_related("user").order_by("role", "user__display_name")


def cohort_pending_invitations(cohort: Cohort) -> QuerySet[Invitation]:
    return cohort.invitations.filter(accepted_at__isnull=True).order_by("-created_at")


def cohorts_for_trainee(user: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(memberships__user=user, memberships__role=Membership.Role.TRAINEE)


def invitation_usable(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("cohort").filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        raise Http404("This invitation link is not valid or has expired.")
    return invitation


def invitation_from_session(request: HttpRequest | None) -> Invitation | None:
    token = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
    if not token:
        return None
    try:
        return invitation_usable(token)
    except Http404:
        return None
