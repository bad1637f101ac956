"""Reads that feed the quiz pages, each in a fixed number of queries whatever the number of questions."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import markdown
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from .models import Attempt, Question, QuizAccommodation, QuizPage


def render_markdown(text: str) -> SafeString:
    # Question text comes from the editors' question bank (content files or the admin), trusted as
    # Wagtail trusts rich text from editors; learners never write it.
    return mark_safe(markdown.markdown(text or "", extensions=["sane_lists"]))  # noqa: S308


@dataclass
class Choice:
    id: str
    text: str
    correct: bool = False
    feedback: str = ""


@dataclass
class Slot:
    """One place to fill in an ordering (position n) or matching (prompt n) question."""

    number: int
    label: str
    selected: str
    right_text: str = ""
    is_right: bool = False


@dataclass
class ShownQuestion:
    position: int
    type: str
    text: SafeString
    scenario: SafeString
    choices: list[Choice]
    answer: Any
    flagged: bool
    slots: list[Slot] = field(default_factory=list)
    unit: str = ""
    # Only filled in for review after submission: nothing below reaches the attempt page.
    revealed: bool = False
    fraction: Decimal | None = None
    right_answer: str = ""
    feedback: SafeString = SafeString("")

    @property
    def field_name(self) -> str:
        return f"q{self.position}"

    @property
    def chosen(self) -> list[str]:
        if isinstance(self.answer, list):
            return self.answer
        return [self.answer] if self.answer is not None else []

    @property
    def percent(self) -> int:
        return round((self.fraction or 0) * 100)


def _choices(content: dict, order: list[str], reveal: bool) -> list[Choice]:
    kind, data = content["type"], content["data"]
    if kind == "truefalse":
        answer = "true" if data["answer"] else "false"
        return [Choice(id=v, text=v.capitalize(), correct=reveal and v == answer) for v in ("true", "false")]
    if kind in ("single", "multiple"):
        options = {option["id"]: option for option in data["options"]}
        return [
            Choice(
                id=option_id,
                text=options[option_id]["text"],
                correct=reveal and bool(options[option_id].get("correct")),
                feedback=options[option_id].get("feedback", "") if reveal else "",
            )
            for option_id in order
        ]
    # Ordering and matching choices carry per-attempt tokens (c0, c1...), never their stored ids.
    if kind == "ordering":
        return [Choice(id=f"c{k}", text=data["items"][int(item_id[1:])]) for k, item_id in enumerate(order)]
    if kind == "matching":
        return [
            Choice(id=f"c{k}", text=data["pairs"][int(answer_id[1:])]["answer"]) for k, answer_id in enumerate(order)
        ]
    return []


def _slots(content: dict, order: list[str], answer: Any, reveal: bool) -> list[Slot]:
    kind, data = content["type"], content["data"]
    chosen = answer if isinstance(answer, list) else []
    token = {stored: f"c{k}" for k, stored in enumerate(order)}
    if kind == "ordering":
        rights, labels = data["items"], [f"Position {n}" for n in range(1, len(data["items"]) + 1)]
        prefix = "i"
    elif kind == "matching":
        rights, labels = [pair["answer"] for pair in data["pairs"]], [pair["prompt"] for pair in data["pairs"]]
        prefix = "m"
    else:
        return []
    return [
        Slot(
            number=n,
            label=label,
            selected=token.get(chosen[n], "") if n < len(chosen) else "",
            right_text=rights[n] if reveal else "",
            is_right=reveal and n < len(chosen) and chosen[n] == f"{prefix}{n}",
        )
        for n, label in enumerate(labels)
    ]


def _right_answer(content: dict) -> str:
    data = content["data"]
    if content["type"] == "numeric":
        tolerance = Decimal(str(data.get("tolerance") or "0"))
        within = f" (± {tolerance})" if tolerance else ""
        return f"{data.get('unit', '')}{data['answer']}{within}"
    if content["type"] == "shorttext":
        return " or ".join(str(value) for value in data["accepted"])
    return ""


def attempt_questions(*, attempt: Attempt, reveal: bool) -> list[ShownQuestion]:
    """The attempt's questions in its order; correct answers and feedback only when `reveal`."""
    shown = []
    for response in attempt.responses.select_related("question_version").order_by("position"):
        content = response.question_version.content
        entry = attempt.layout[response.position - 1]
        shown.append(
            ShownQuestion(
                position=response.position,
                type=content["type"],
                text=render_markdown(content["text"]),
                scenario=render_markdown(content.get("scenario", "")),
                choices=_choices(content, entry["order"], reveal),
                answer=response.answer,
                flagged=response.flagged,
                slots=_slots(content, entry["order"], response.answer, reveal),
                unit=content["data"].get("unit", ""),
                revealed=reveal,
                fraction=response.fraction if reveal else None,
                right_answer=_right_answer(content) if reveal else "",
                feedback=render_markdown(content["feedback"]) if reveal else SafeString(""),
            )
        )
    return shown


def learner_attempt(*, quiz: QuizPage, learner, attempt_id: int) -> Attempt:
    """One of the learner's own attempts at this quiz; anyone else's is a 404."""
    attempt = Attempt.objects.filter(pk=attempt_id, quiz=quiz, learner=learner).first()
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


@dataclass(frozen=True)
class Allowance:
    """What one learner may take of one quiz: its rules plus any accommodation a supervisor granted."""

    attempts_allowed: int  # 0: unlimited
    minutes: int  # 0: no time limit
    extra_attempts: int = 0
    extra_minutes: int = 0


def attempt_allowance(*, quiz: QuizPage, learner) -> Allowance:
    """The quiz's attempt and time limits for this learner, accommodations included (one query).

    An all-quizzes grant and a grant for this quiz both count. Extras never turn an unlimited quiz into
    a limited one, nor give a time limit to an untimed one.
    """
    extras = QuizAccommodation.objects.filter(Q(quiz=quiz) | Q(quiz__isnull=True), learner=learner).aggregate(
        attempts=Sum("extra_attempts"), minutes=Sum("extra_minutes")
    )
    extra_attempts = (extras["attempts"] or 0) if quiz.attempts_allowed else 0
    extra_minutes = (extras["minutes"] or 0) if quiz.time_limit_minutes else 0
    return Allowance(
        attempts_allowed=quiz.attempts_allowed + extra_attempts if quiz.attempts_allowed else 0,
        minutes=quiz.time_limit_minutes + extra_minutes if quiz.time_limit_minutes else 0,
        extra_attempts=extra_attempts,
        extra_minutes=extra_minutes,
    )


@dataclass
class QuizIntro:
    attempts: list[Attempt]
    open_attempt: Attempt | None
    attempts_left: int | None  # None: unlimited
    allowance: Allowance | None = None

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or self.attempts_left is None or self.attempts_left > 0


def quiz_intro(*, quiz: QuizPage, learner) -> QuizIntro:
    attempts = list(Attempt.objects.filter(quiz=quiz, learner=learner).order_by("number"))
    open_attempt = next((a for a in attempts if not a.is_submitted), None)
    allowance = attempt_allowance(quiz=quiz, learner=learner)
    left = max(0, allowance.attempts_allowed - len(attempts)) if allowance.attempts_allowed else None
    return QuizIntro(attempts=attempts, open_attempt=open_attempt, attempts_left=left, allowance=allowance)


def review_reveals(*, quiz: QuizPage, attempt: Attempt) -> bool:
    """Whether this submitted attempt's results show the right answers and feedback."""
    if quiz.review == QuizPage.Review.FULL:
        return True
    if quiz.review == QuizPage.Review.SCORE:
        return False
    allowed = attempt_allowance(quiz=quiz, learner=attempt.learner).attempts_allowed
    used = Attempt.objects.filter(quiz=quiz, learner=attempt.learner).count()
    return bool(attempt.passed) or bool(allowed and used >= allowed)


def bank_questions(*, course_slug: str, topic: str = "") -> list[Question]:
    """A course's bank (or one topic of it), for export."""
    questions = Question.objects.filter(course_slug=course_slug).order_by("topic", "key")
    return list(questions.filter(topic=topic) if topic else questions)


def cohort_trainees(*, cohort) -> QuerySet:
    from coursesite.people.models import Membership, User

    return User.objects.filter(memberships__cohort=cohort, memberships__role=Membership.Role.TRAINEE).order_by(
        "display_name", "email"
    )


def quizzes_with_course() -> list[tuple[QuizPage, str]]:
    """Every live quiz with its course's title, in tree order, in two queries."""
    from lessons.models import CoursePage

    quizzes = list(QuizPage.objects.live().order_by("path").only("title", "path", "depth"))
    courses = dict(
        CoursePage.objects.filter(path__in={q.path[: -QuizPage.steplen] for q in quizzes}).values_list("path", "title")
    )
    return [(quiz, courses.get(quiz.path[: -QuizPage.steplen], "")) for quiz in quizzes]


def cohort_accommodations(*, cohort) -> list[QuizAccommodation]:
    """The accommodations of the cohort's trainees, in one query."""
    return list(
        QuizAccommodation.objects.filter(learner__in=cohort_trainees(cohort=cohort))
        .select_related("learner", "quiz", "granted_by")
        .order_by("learner__display_name", "learner__email", "quiz__path")
    )


def supervised_learners(user) -> QuerySet:
    """The trainees of every cohort this supervisor manages (everyone's, for a superuser)."""
    from coursesite.people.models import Membership, User
    from coursesite.people.selectors import cohorts_for_supervisor

    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(
        memberships__cohort__in=cohorts_for_supervisor(user).values("pk"), memberships__role=Membership.Role.TRAINEE
    )
