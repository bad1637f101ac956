"""Serving a practice step (an office shift or a phone call) as a page of its course.

Both kinds behave alike: a signed-in learner who may open the step sees its brief and their attempts;
a POST starts (or resumes) an attempt and goes to it.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse


def practice_step_serve(page, request, *, template: str, start: Callable[..., str]) -> HttpResponse:
    """`start(learner=, page=)` begins or resumes the learner's attempt and returns its URL."""
    from lessons.selectors import lesson_step_state

    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    step = lesson_step_state(lesson=page, learner=request.user)
    if step.locked and not request.user.is_editor:
        raise PermissionDenied(step.lock_reason)
    if request.method == "POST":
        return redirect(start(learner=request.user, page=page))
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    context = page.get_context(request)
    context["step"] = step
    return TemplateResponse(request, template, context)
