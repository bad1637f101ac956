"""Writes for quizzes: question versions, starting, autosaving and submitting attempts.

Every function is atomic and keyword-only. Grading happens only here, on the server, from the frozen
question versions the attempt was built from.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from coursesite.audit.services import audit_record
from coursesite.progress.services import completion_record
from coursesite.progress.timing import seconds_on_task

from .gift import GiftProblem, gift_parse
from .grading import AnswerError, answer_clean, answer_grade, item_ids, option_ids
from .models import Attempt, Question, QuestionVersion, QuizAccommodation, QuizPage, Response
from .selectors import attempt_allowance

# A submit that arrives this long after the deadline still counts its answers (network, slow clicks).
SUBMIT_GRACE = timedelta(seconds=30)


class QuizError(Exception):
    """A request the quiz rules refuse; the message is meant for the learner."""


class AttemptLimitReached(QuizError):
    pass


class AttemptClosed(QuizError):
    pass


class InvalidAnswers(QuizError):
    pass


@transaction.atomic
def question_version_current(*, question: Question) -> QuestionVersion:
    """The version matching the question's content now, frozen as a new version if it changed."""
    content_hash = question.content_hash()
    current = question.current_version
    if current is not None and current.content_hash == content_hash:
        return current
    number = (question.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = QuestionVersion.objects.create(
        question=question, number=number, content=question.frozen_content(), content_hash=content_hash
    )
    Question.objects.filter(pk=question.pk).update(current_version=version)
    question.current_version = version
    return version


def _questions_for(*, quiz: QuizPage, learner, rng: random.Random) -> list[Question]:
    """The fixed questions, then each draw from its topics, preferring questions this learner has not seen."""
    fixed = {q.key: q for q in Question.objects.filter(key__in=quiz.fixed_questions).select_related("current_version")}
    chosen = [fixed[key] for key in quiz.fixed_questions if key in fixed]
    if not quiz.draws:
        return chosen
    taken = {q.pk for q in chosen}
    seen = set(
        Response.objects.filter(attempt__learner=learner, attempt__quiz=quiz).values_list(
            "question_version__question_id", flat=True
        )
    )
    topics = {topic for draw in quiz.draws for topic in draw["topics"]}
    bank = list(
        Question.objects.filter(course_slug=quiz.get_parent().slug, topic__in=topics)
        .select_related("current_version")
        .order_by("key")
    )
    for draw in quiz.draws:
        pool = [q for q in bank if q.topic in draw["topics"] and q.pk not in taken]
        ranked = sorted(((q.pk in seen, rng.random(), q) for q in pool), key=lambda entry: entry[:2])
        for _seen, _rank, question in ranked[: int(draw["count"])]:
            chosen.append(question)
            taken.add(question.pk)
    return chosen


def _shown_order(content: dict, rng: random.Random, shuffle_options: bool) -> list[str]:
    """The ids of the choices in the order this attempt shows them."""
    kind = content["type"]
    if kind in ("single", "multiple"):
        order = option_ids(content)
        if shuffle_options:
            rng.shuffle(order)
        return order
    if kind in ("ordering", "matching"):
        order = item_ids(content)
        rng.shuffle(order)  # always: in the given order the answer would be on the page
        return order
    return []


def next_attempt_opens_at(*, quiz: QuizPage, attempts: list[Attempt]):
    """When the quiz's delay between attempts lets the next one start (None: no delay applies)."""
    submitted = [a.submitted_at for a in attempts if a.submitted_at is not None]
    if not quiz.retry_delay_minutes or not submitted:
        return None
    return max(submitted) + timedelta(minutes=quiz.retry_delay_minutes)


def attempt_time_is_up(attempt: Attempt, now=None) -> bool:
    """Past the deadline and its grace: nothing more may be saved."""
    return attempt.deadline is not None and (now or timezone.now()) > attempt.deadline + SUBMIT_GRACE


@transaction.atomic
def attempt_start(*, quiz: QuizPage, learner) -> Attempt:
    """Start the learner's next attempt, or return the one still open."""
    # Serialise one learner's starts (two tabs): a row lock on PostgreSQL; SQLite already serialises
    # writers, and the unique (learner, quiz, number) constraint is the last line either way.
    get_user_model().objects.select_for_update().filter(pk=learner.pk).first()
    now = timezone.now()
    allowance = attempt_allowance(quiz=quiz, learner=learner)
    attempts = list(Attempt.objects.filter(learner=learner, quiz=quiz).order_by("number"))
    open_attempt = next((a for a in attempts if not a.is_submitted), None)
    if open_attempt is not None:
        if not attempt_time_is_up(open_attempt, now):
            return open_attempt
        # Time ran out on the open attempt: grade what was saved. If that was the last attempt
        # allowed, its results are the answer (raising here would roll the grading back).
        graded = attempt_submit(attempt=open_attempt, answers=None)
        if allowance.attempts_allowed and len(attempts) >= allowance.attempts_allowed:
            return graded
    if allowance.attempts_allowed and len(attempts) >= allowance.attempts_allowed:
        raise AttemptLimitReached(f"You have used all {allowance.attempts_allowed} attempts at this quiz.")
    if (next_start := next_attempt_opens_at(quiz=quiz, attempts=attempts)) and next_start > now:
        raise QuizError(f"You can start your next attempt at {timezone.localtime(next_start):%H:%M on %b %d}.")
    number = (attempts[-1].number if attempts else 0) + 1
    seed = f"{quiz.pk}:{learner.pk}:{number}"
    rng = random.Random(seed)  # noqa: S311 - a reproducible shuffle, not a secret
    versions = [question_version_current(question=q) for q in _questions_for(quiz=quiz, learner=learner, rng=rng)]
    if not versions:
        raise QuizError("This quiz has no questions yet.")
    if quiz.shuffle_questions:
        rng.shuffle(versions)
    layout = [
        {"version": v.pk, "type": v.content["type"], "order": _shown_order(v.content, rng, quiz.shuffle_options)}
        for v in versions
    ]
    deadline = now + timedelta(minutes=allowance.minutes) if allowance.minutes else None
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                learner=learner, quiz=quiz, number=number, seed=seed, started_at=now, deadline=deadline, layout=layout
            )
    except IntegrityError as exc:
        raise QuizError("Another attempt was started at the same moment; open the quiz again.") from exc
    Response.objects.bulk_create(
        Response(attempt=attempt, position=position, question_version_id=entry["version"])
        for position, entry in enumerate(layout, start=1)
    )
    audit_record(action="quiz_attempt_started", actor=learner, target=quiz, attempt=attempt.pk, number=number)
    return attempt


def public_choice_ids(entry: dict) -> list[str]:
    """What the form calls an ordering item or matching answer: its place in this attempt's shuffle.

    The stored ids ("i0" is the first item in the right order, "m0" the first prompt's answer) would
    give the answer away if they reached the page, so the page only ever sees these tokens.
    """
    return [f"c{k}" for k in range(len(entry["order"]))]


def _from_public(entry: dict, raw: Any) -> Any:
    if entry["type"] not in ("ordering", "matching") or not isinstance(raw, list):
        return raw
    stored = dict(zip(public_choice_ids(entry), entry["order"], strict=True))
    # An unknown token becomes a value the grader rejects, never a guessable stored id.
    return [value if value == "" else stored.get(value, f"unknown:{value}") for value in raw]


def _apply_answers(
    *, layout: list[dict], responses: list[Response], answers: dict[int, Any], flagged: set[int] | None, now
) -> None:
    """Check every answer before changing any, so a bad one leaves the attempt untouched."""
    by_position = {r.position: r for r in responses}
    if len(answers) > len(by_position):
        raise InvalidAnswers("More answers were sent than this attempt has questions.")
    if flagged is not None and not flagged <= by_position.keys():
        raise InvalidAnswers("A flagged question is not part of this attempt.")
    cleaned: dict[int, Any] = {}
    for position, raw in answers.items():
        response = by_position.get(position)
        if response is None:
            raise InvalidAnswers(f"Question {position} is not part of this attempt.")
        try:
            raw = _from_public(layout[position - 1], raw)
            cleaned[position] = answer_clean(response.question_version.content, raw)
        except AnswerError as exc:
            raise InvalidAnswers(f"Question {position}: {exc}") from exc
    for position, answer in cleaned.items():
        by_position[position].answer, by_position[position].saved_at = answer, now
    if flagged is not None:
        for response in responses:
            response.flagged = response.position in flagged


def _locked_attempt(attempt: Attempt) -> tuple[Attempt, list[Response]]:
    attempt = Attempt.objects.select_for_update().select_related("quiz", "learner").get(pk=attempt.pk)
    return attempt, list(attempt.responses.select_related("question_version"))


@transaction.atomic
def attempt_save_answers(*, attempt: Attempt, answers: dict[int, Any], flagged: set[int] | None = None) -> Attempt:
    """Autosave: store answers (and flags) without grading them."""
    attempt, responses = _locked_attempt(attempt)
    now = timezone.now()
    if attempt.is_submitted:
        raise AttemptClosed("This attempt has already been submitted.")
    if attempt_time_is_up(attempt, now):
        raise AttemptClosed("Time is up: answers can no longer be changed. Submit the attempt to see your result.")
    _apply_answers(layout=attempt.layout, responses=responses, answers=answers, flagged=flagged, now=now)
    Response.objects.bulk_update(responses, ["answer", "saved_at", "flagged"])
    return attempt


def _attempt_seconds(attempt: Attempt) -> int:
    """Time on task: started to submitted, capped at the attempt's time limit (or the global cap)."""
    limit = int((attempt.deadline - attempt.started_at).total_seconds()) if attempt.deadline else None
    return seconds_on_task(started_at=attempt.started_at, ended_at=attempt.submitted_at, limit_seconds=limit)


@transaction.atomic
def attempt_submit(*, attempt: Attempt, answers: dict[int, Any] | None, flagged: set[int] | None = None) -> Attempt:
    """Grade the attempt once and record the completion. A second submit returns the graded attempt."""
    attempt, responses = _locked_attempt(attempt)
    if attempt.is_submitted:
        return attempt
    now = timezone.now()
    # After the deadline (and its grace) only what was saved in time is graded.
    if answers is not None and not attempt_time_is_up(attempt, now):
        _apply_answers(layout=attempt.layout, responses=responses, answers=answers, flagged=flagged, now=now)
    for response in responses:
        response.fraction = answer_grade(response.question_version.content, response.answer)
    Response.objects.bulk_update(responses, ["answer", "saved_at", "flagged", "fraction"])
    quiz = attempt.quiz
    earned = sum((r.fraction for r in responses), Decimal(0))
    attempt.score = (earned * 100 / len(responses)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    attempt.passed = attempt.score >= quiz.pass_mark
    attempt.submitted_at = now
    attempt.save(update_fields=["score", "passed", "submitted_at"])
    completion_record(
        learner=attempt.learner,
        step=quiz,
        course=quiz.get_parent(),
        passed=attempt.passed,
        score=attempt.score,
        keep="last" if quiz.attempt_counts == QuizPage.Counts.LAST else "best",
        seconds=_attempt_seconds(attempt),
    )
    audit_record(
        action="quiz_attempt_submitted",
        actor=attempt.learner,
        target=quiz,
        attempt=attempt.pk,
        score=str(attempt.score),
    )
    return attempt


@dataclass
class BankImport:
    """What a GIFT import did (or, on a dry run or with problems, would do): keys by outcome."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[GiftProblem] = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return not self.problems


QUESTION_FIELDS = ("type", "topic", "scenario", "text", "data", "feedback")


@transaction.atomic
def question_bank_import(*, course_slug: str, text: str, actor, request=None, dry_run: bool = False) -> BankImport:
    """Import a GIFT file into a course's bank, all or nothing: any problem and nothing is written."""
    items, problems = gift_parse(text)
    result = BankImport(problems=list(problems))
    existing = {q.key: q for q in Question.objects.filter(key__in=[item["id"] for item in items])}
    planned: list[Question] = []
    for item in items:
        fields = {"type": item["type"], "topic": item["topic"], "scenario": "", "text": item["text"]}
        fields |= {"data": item["data"], "feedback": item["feedback"]}
        question = existing.get(item["id"])
        if question is not None and question.course_slug != course_slug:
            result.problems.append(
                GiftProblem(item["line"], f"the title {item['id']!r} is a question of course {question.course_slug!r}")
            )
            continue
        if question is None:
            question = Question(key=item["id"], course_slug=course_slug, **fields)
            result.created.append(question.key)
        elif all(getattr(question, name) == value for name, value in fields.items()):
            result.unchanged.append(question.key)
            continue
        else:
            for name, value in fields.items():
                setattr(question, name, value)
            result.updated.append(question.key)
        try:
            question.full_clean()
        except ValidationError as exc:
            result.problems.append(GiftProblem(item["line"], "; ".join(exc.messages)))
            continue
        planned.append(question)
    result.problems.sort(key=lambda problem: problem.line)
    if result.problems or dry_run:
        return result
    for question in planned:
        question.save()
        question_version_current(question=question)
    audit_record(
        action="question_bank_imported",
        actor=actor,
        request=request,
        course=course_slug,
        created=len(result.created),
        updated=len(result.updated),
    )
    return result


@transaction.atomic
def accommodation_grant(
    *,
    learner,
    quiz: QuizPage | None,
    extra_attempts: int,
    extra_minutes: int,
    reason: str,
    granted_by,
    request=None,
) -> QuizAccommodation:
    """Set a trainee's extra attempts and minutes at one quiz (or every quiz), replacing any earlier grant."""
    accommodation = QuizAccommodation.objects.filter(learner=learner, quiz=quiz).first() or QuizAccommodation(
        learner=learner, quiz=quiz
    )
    accommodation.extra_attempts, accommodation.extra_minutes = extra_attempts, extra_minutes
    accommodation.reason, accommodation.granted_by, accommodation.granted_at = reason, granted_by, timezone.now()
    accommodation.full_clean(validate_constraints=False)  # the partial unique constraints are the DB's job
    accommodation.save()
    audit_record(
        action="quiz_accommodation_granted",
        actor=granted_by,
        target=learner,
        request=request,
        quiz=quiz.pk if quiz else None,
        extra_attempts=extra_attempts,
        extra_minutes=extra_minutes,
        reason=reason,
    )
    return accommodation


@transaction.atomic
def accommodation_add(
    *,
    learner,
    quiz: QuizPage,
    extra_attempts: int,
    extra_minutes: int,
    reason: str,
    granted_by,
    request=None,
) -> QuizAccommodation:
    """Add extra attempts and minutes at one quiz on top of what the trainee already has there.

    Used from a trainee's record ("one more attempt"); `accommodation_grant` sets the totals instead.
    Raises ValidationError past the bounds (20 attempts, 600 minutes) and changes nothing then.
    """
    current = QuizAccommodation.objects.select_for_update().filter(learner=learner, quiz=quiz).first()
    return accommodation_grant(
        learner=learner,
        quiz=quiz,
        extra_attempts=(current.extra_attempts if current else 0) + extra_attempts,
        extra_minutes=(current.extra_minutes if current else 0) + extra_minutes,
        reason=reason,
        granted_by=granted_by,
        request=request,
    )
