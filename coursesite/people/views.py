from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .access import PUBLIC, SUPERVISOR, access
from .forms import AssignmentForm, CohortForm, InviteForm


@access(SUPERVISOR)
def my_cohorts(request):
    cohorts = list(selectors.cohorts_for_supervisor(request.user))
    return render(request, "people/my_cohorts.html", {"cohorts": cohorts})


@access(SUPERVISOR)
def cohort_create(request):
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(supervisor=request.user, request=request, **form.cleaned_data)
        messages.success(request, f"Cohort “{cohort.name}” created. Share its enrolment key or invite people.")
        return redirect("cohort_detail", cohort_id=cohort.pk)
    return render(request, "people/cohort_form.html", {"form": form, "title": "New cohort"})


def _detail_context(cohort, **forms) -> dict:
    return {
        "cohort": cohort,
        "members": list(selectors.cohort_members(cohort)),
        "invitations": list(selectors.cohort_pending_invitations(cohort)),
        "assignments": list(selectors.cohort_assignments(cohort)),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "assignment_form": forms.get("assignment_form") or AssignmentForm(),
    }


@access(SUPERVISOR)
def cohort_detail(request, cohort_id: int):
    cohort = selectors.cohort_for_supervisor(request.user, cohort_id)
    return render(request, "people/cohort_detail.html", _detail_context(cohort))


@access(SUPERVISOR)
def cohort_edit(request, cohort_id: int):
    cohort = selectors.cohort_for_supervisor(request.user, cohort_id)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        services.cohort_update(cohort=form.instance, actor=request.user, request=request)
        messages.success(request, "Cohort saved.")
        return redirect("cohort_detail", cohort_id=cohort.pk)
    return render(request, "people/cohort_form.html", {"form": form, "title": f"Edit {cohort.name}", "cohort": cohort})


@require_POST
@access(SUPERVISOR)
def cohort_rotate_key(request, cohort_id: int):
    cohort = selectors.cohort_for_supervisor(request.user, cohort_id)
    services.cohort_rotate_key(cohort=cohort, actor=request.user, request=request)
    messages.success(request, f"New enrolment key: {cohort.enrolment_key}. The old key no longer works.")
    return redirect("cohort_detail", cohort_id=cohort.pk)


@require_POST
@access(SUPERVISOR)
def cohort_invite(request, cohort_id: int):
    cohort = selectors.cohort_for_supervisor(request.user, cohort_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        sent = services.invitations_send(
            cohort=cohort, emails=form.cleaned_data["emails"], invited_by=request.user, request=request
        )
        messages.success(request, f"{len(sent)} invitation(s) sent.")
        return redirect("cohort_detail", cohort_id=cohort.pk)
    return render(request, "people/cohort_detail.html", _detail_context(cohort, invite_form=form), status=400)


@require_POST
@access(SUPERVISOR)
def cohort_assignment_set(request, cohort_id: int):
    """Assign a course with a due date (or move the due date of one already assigned)."""
    cohort = selectors.cohort_for_supervisor(request.user, cohort_id)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        services.assignment_set(cohort=cohort, actor=request.user, request=request, **form.cleaned_data)
        course, due_on = form.cleaned_data["course"], form.cleaned_data["due_on"]
        messages.success(request, f"“{course.title}” is due on {due_on:%b %d, %Y} for everyone in {cohort.name}.")
        return redirect("cohort_detail", cohort_id=cohort.pk)
    return render(request, "people/cohort_detail.html", _detail_context(cohort, assignment_form=form), status=400)


@access(PUBLIC)
def invitation_accept(request, token: str):
    """Remember the invitation in the session and send the person to sign up (or log in)."""
    invitation = selectors.invitation_usable(token)
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            messages.error(request, "This invitation was sent to another email address.")
            return redirect("home")
        services.membership_join_by_invitation(user=request.user, invitation=invitation, request=request)
        messages.success(request, f"You joined {invitation.cohort.name}.")
        return redirect("home")
    request.session[selectors.INVITATION_SESSION_KEY] = invitation.token
    messages.info(request, f"Create your account to join {invitation.cohort.name}.")
    return redirect("account_signup")
