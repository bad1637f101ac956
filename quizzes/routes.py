"""The quiz's pages, served by Wagtail under the course: intro, attempt, autosave, submit, results.

Thin views: parse the request, check access, call one service or selector, render.
"""

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.contrib.routable_page.models import path

# The attempt form of a 50-question quiz is a few kilobytes; anything far larger is not from it.
MAX_PAYLOAD_BYTES = 64 * 1024


class BadAnswers(ValueError):
    pass


def answers_from_form(post, layout: list[dict]) -> tuple[dict[int, Any], set[int]]:
    """The attempt form's fields → ({position: raw answer}, flagged positions)."""
    answers: dict[int, Any] = {}
    for position, entry in enumerate(layout, start=1):
        name = f"q{position}"
        if entry["type"] == "multiple":
            answers[position] = post.getlist(name)
        elif entry["type"] in ("ordering", "matching"):
            answers[position] = [post.get(f"{name}-{slot}", "") for slot in range(len(entry["order"]))]
            if not any(answers[position]):
                answers[position] = None
        elif name in post:
            answers[position] = post[name]
    flagged = {position for position in range(1, len(layout) + 1) if f"flag{position}" in post}
    return answers, flagged


def answers_from_json(body: bytes) -> tuple[dict[int, Any], set[int] | None]:
    """An autosave from script: {"answers": {"<position>": answer}, "flagged": [positions]}."""
    try:
        payload = json.loads(body)
        answers = {int(position): value for position, value in payload.get("answers", {}).items()}
        flagged = {int(p) for p in payload["flagged"]} if "flagged" in payload else None
    except (ValueError, TypeError, AttributeError) as exc:
        raise BadAnswers("The answers could not be read.") from exc
    return answers, flagged


def read_answers(request, layout: list[dict]) -> tuple[dict[int, Any], set[int] | None]:
    # The declared length, not request.body: a multipart body has already been streamed into POST
    # (by the CSRF check) and can no longer be read raw.
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if (int(declared) if declared.isdigit() else 0) > MAX_PAYLOAD_BYTES:
        raise BadAnswers("Too much data was sent with these answers.")
    if request.content_type == "application/json":
        if len(request.body) > MAX_PAYLOAD_BYTES:
            raise BadAnswers("Too much data was sent with these answers.")
        return answers_from_json(request.body)
    return answers_from_form(request.POST, layout)


def wants_json(request) -> bool:
    return request.content_type == "application/json" or "application/json" in request.headers.get("Accept", "")


class QuizRoutes:
    """Routes for `QuizPage`; a mixin so that the page model stays a list of fields."""

    def _learner_gate(self, request):
        """A redirect to log in, or None; a locked step (sequential course) is refused."""
        from lessons.selectors import lesson_step_state

        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        step = lesson_step_state(lesson=self, learner=request.user)
        if step.locked and not request.user.is_editor:
            raise PermissionDenied(step.lock_reason)
        request.quiz_step = step
        return None

    def _attempt(self, request, attempt_id: int):
        from .selectors import learner_attempt

        return learner_attempt(quiz=self, learner=request.user, attempt_id=attempt_id)

    @path("")
    def intro(self, request):
        from .selectors import quiz_intro

        if (response := self._learner_gate(request)) is not None:
            return response
        intro = quiz_intro(quiz=self, learner=request.user)
        return self.render(request, context_overrides={"intro": intro, "step": request.quiz_step})

    @path("start/")
    def start(self, request):
        from .services import QuizError, attempt_start

        if (response := self._learner_gate(request)) is not None:
            return response
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            attempt = attempt_start(quiz=self, learner=request.user)
        except QuizError as exc:
            raise PermissionDenied(str(exc)) from exc
        return redirect(self.url + f"attempt/{attempt.pk}/")

    @path("attempt/<int:attempt_id>/")
    def attempt_page(self, request, attempt_id: int):
        from .selectors import attempt_questions
        from .services import attempt_submit, attempt_time_is_up

        if (response := self._learner_gate(request)) is not None:
            return response
        attempt = self._attempt(request, attempt_id)
        if not attempt.is_submitted and attempt_time_is_up(attempt):
            # Coming back after the time ran out: grade what was saved in time and show the result.
            attempt = attempt_submit(attempt=attempt, answers=None)
        if attempt.is_submitted:
            return redirect(self.url + f"attempt/{attempt.pk}/results/")
        context = {"page": self, "attempt": attempt, "questions": attempt_questions(attempt=attempt, reveal=False)}
        return TemplateResponse(request, "quizzes/attempt.html", context)

    @path("attempt/<int:attempt_id>/save/")
    def save_answers(self, request, attempt_id: int):
        from .services import QuizError, attempt_save_answers

        if (response := self._learner_gate(request)) is not None:
            return response
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        attempt = self._attempt(request, attempt_id)
        try:
            answers, flagged = read_answers(request, attempt.layout)
            attempt_save_answers(attempt=attempt, answers=answers, flagged=flagged)
        except (BadAnswers, QuizError) as exc:
            if wants_json(request):
                return JsonResponse({"saved": False, "error": str(exc)}, status=400)
            return HttpResponseBadRequest(str(exc))
        if wants_json(request):
            return JsonResponse({"saved": True})
        return redirect(self.url + f"attempt/{attempt.pk}/")

    @path("attempt/<int:attempt_id>/submit/")
    def submit_attempt(self, request, attempt_id: int):
        from .services import QuizError, attempt_submit

        if (response := self._learner_gate(request)) is not None:
            return response
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        attempt = self._attempt(request, attempt_id)
        try:
            answers, flagged = read_answers(request, attempt.layout)
            attempt_submit(attempt=attempt, answers=answers, flagged=flagged)
        except (BadAnswers, QuizError) as exc:
            return HttpResponseBadRequest(str(exc))
        return redirect(self.url + f"attempt/{attempt.pk}/results/")

    @path("attempt/<int:attempt_id>/results/")
    def attempt_results(self, request, attempt_id: int):
        from .selectors import attempt_questions, review_reveals

        if (response := self._learner_gate(request)) is not None:
            return response
        attempt = self._attempt(request, attempt_id)
        if not attempt.is_submitted:
            return redirect(self.url + f"attempt/{attempt.pk}/")
        reveal = review_reveals(quiz=self, attempt=attempt)
        context = {
            "page": self,
            "attempt": attempt,
            "reveal": reveal,
            "questions": attempt_questions(attempt=attempt, reveal=reveal),
        }
        return TemplateResponse(request, "quizzes/results.html", context)
