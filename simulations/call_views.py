"""Phone-call screens. Thin: find the session (the learner's own, or for a supervisor one of their
cohort's), call one service or selector, render."""

from contextlib import suppress

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from coursesite.people.access import AUTHENTICATED, SUPERVISOR, access

from . import call_selectors, call_services
from .call_services import CallActionError, CallAlreadyAnswered
from .step_pages import practice_step_serve


def call_page_serve(page, request, *args, **kwargs):
    """The course step: what the call is about and the learner's attempts; POST starts (or resumes) one."""

    def start(*, learner, page) -> str:
        return reverse("call_session", args=[call_services.call_session_start(learner=learner, page=page).pk])

    return practice_step_serve(page, request, template="simulations/call_page.html", start=start)


def _view_or_404(session):
    view = call_selectors.call_view(session=session)
    if view is None:
        raise Http404("This call is no longer available.")
    return view


@access(AUTHENTICATED)
def call_session(request, session_id: int):
    """The call in progress: the transcript so far and the current question; POST answers it."""
    session = call_selectors.call_session_for_learner(learner=request.user, session_id=session_id)
    if not session.is_open:
        return redirect("call_result", session_id=session.pk)
    status = 200
    if request.method == "POST":
        try:
            step = int(request.POST.get("step", ""))
        except ValueError:
            step = 0
        try:
            session = call_services.call_session_choose(
                session=session,
                step=step,
                choice_id=request.POST.get("choice", ""),
                note=request.POST.get("note", ""),
            )
        except CallAlreadyAnswered as exc:
            messages.info(request, str(exc))
            return redirect("call_session", session_id=session.pk)
        except CallActionError as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            if _view_or_404(session).transcript.finished:
                with suppress(CallAlreadyAnswered):  # a second tab finished it first
                    call_services.call_session_finish(session=session)
                return redirect("call_result", session_id=session.pk)
            return redirect(f"{reverse('call_session', args=[session.pk])}#current")
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    view = _view_or_404(session)
    return render(
        request,
        "simulations/call_session.html",
        {"session": session, "page": session.page, "view": view},
        status=status,
    )


def _result_context(session) -> dict:
    view = _view_or_404(session)
    result = session.result
    minimums = session.page.axis_minimums or {}
    axes = [
        {"name": axis, "value": value, "minimum": minimums.get(axis)}
        for axis, value in (result or {}).get("axes", {}).items()
    ]
    return {"session": session, "page": session.page, "view": view, "result": result, "axes": axes}


@access(AUTHENTICATED)
def call_result(request, session_id: int):
    session = call_selectors.call_session_for_learner(learner=request.user, session_id=session_id)
    if session.is_open:
        return redirect("call_session", session_id=session.pk)
    return render(request, "simulations/call_result.html", _result_context(session))


@access(SUPERVISOR)
def call_transcript(request, session_id: int):
    """A supervisor of the trainee's cohort reads the call: every line, the note and, once scored, the
    result."""
    session = call_selectors.call_session_for_supervisor(user=request.user, session_id=session_id)
    return render(request, "simulations/call_transcript.html", _result_context(session))
