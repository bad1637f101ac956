"""Reads for people and cohorts, scoped to what the asking user may see."""

import datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Assignment, AssignmentOverride, Cohort, Invitation, Membership, User

INVITATION_SESSION_KEY = "invitation_token"


def cohorts_for_supervisor(user: User) -> QuerySet[Cohort]:
    """The cohorts a supervisor manages, with member counts, in one query."""
    # Filtering on a subquery, not on the memberships join: a join filtered to the supervisor's own row
    # would leave the trainee count at zero.
    supervised = Membership.objects.filter(user=user, role=Membership.Role.SUPERVISOR).values("cohort_id")
    return (
        Cohort.objects.filter(pk__in=supervised)
        .annotate(trainee_count=Count("memberships", filter=Q(memberships__role=Membership.Role.TRAINEE)))
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


def cohort_assignments(cohort: Cohort) -> QuerySet[Assignment]:
    return cohort.assignments.select_related("course").order_by("due_on", "pk")


def cohort_trainees(cohort: Cohort) -> QuerySet[User]:
    return User.objects.filter(memberships__cohort=cohort, memberships__role=Membership.Role.TRAINEE).order_by(
        "display_name", "email"
    )


def cohort_trainee(cohort: Cohort, user_id: int) -> User:
    """A trainee of this cohort, or 404."""
    return get_object_or_404(cohort_trainees(cohort), pk=user_id)


def learner_due_dates(learner: User) -> dict[int, datetime.date]:
    """{course page id: due date} for every course assigned to the learner's cohorts, in one query.

    A personal override wins; where two cohorts assign the same course, the earlier date counts.
    """
    if not learner.is_authenticated:
        return {}
    own = AssignmentOverride.objects.filter(assignment=OuterRef("pk"), learner=learner).values("due_on")[:1]
    assignments = (
        Assignment.objects.filter(cohort__memberships__user=learner, cohort__memberships__role=Membership.Role.TRAINEE)
        .annotate(own_due_on=Subquery(own))
        .values_list("course_id", "due_on", "own_due_on")
    )
    due: dict[int, datetime.date] = {}
    for course_id, due_on, own_due_on in assignments:
        date = own_due_on or due_on
        due[course_id] = min(date, due.get(course_id, date))
    return due
