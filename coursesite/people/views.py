from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .access import PUBLIC, SUPERVISOR, access
from .forms import CohortForm, InviteForm


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


@access(SUPERVISOR)
def cohort_detail(request, cohort_id: int):
    cohort = selectors.cohort_for_supervisor(request.user, cohort_id)
    context = {
        "cohort": cohort,
        "members": list(selectors.cohort_members(cohort)),
        "invitations": list(selectors.cohort_pending_invitations(cohort)),
        "invite_form": InviteForm(),
    }
    return render(request, "people/cohort_detail.html", context)


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
    context = {
        "cohort": cohort,
        "members": list(selectors.cohort_members(cohort)),
        "invitations": list(selectors.cohort_pending_invitations(cohort)),
        "invite_form": form,
    }
    return render(request, "people/cohort_detail.html", context, status=400)


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
