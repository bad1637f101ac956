"""Reads that feed the course pages, each in a fixed number of queries whatever the course size."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Page

from coursesite.people.selectors import learner_due_dates
from coursesite.progress.models import Completion


@dataclass
class StepState:
    page: Page
    number: int
    status: str = "not_started"  # not_started | passed | failed | locked
    score: Decimal | None = None
    lock_reason: str = ""
    previous: Page | None = None
    next: Page | None = None

    @property
    def locked(self) -> bool:
        return self.status == "locked"

    @property
    def kind(self) -> str:
        return self.page.specific_class._meta.verbose_name if self.page.specific_class else "step"

    @property
    def status_label(self) -> str:
        return {"not_started": "Not started", "passed": "Done", "failed": "Not passed yet", "locked": "Locked"}[
            self.status
        ]


@dataclass
class CourseOutline:
    course: Page
    steps: list[StepState] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.status == "passed")

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.steps)) if self.steps else 0

    @property
    def continue_step(self) -> StepState | None:
        """Where the learner left off: the first step not yet done that they may open."""
        return next((s for s in self.steps if s.status in ("not_started", "failed")), None)


def _completions_by_step(learner, course) -> dict[int, Completion]:
    if not learner.is_authenticated:
        return {}
    return {c.step_id: c for c in Completion.objects.filter(learner=learner, course=course)}


def _states(course, steps: list[Page], learner) -> list[StepState]:
    completions = _completions_by_step(learner, course)
    states: list[StepState] = []
    blocked_by: Page | None = None
    for number, page in enumerate(steps, start=1):
        state = StepState(page=page, number=number)
        completion = completions.get(page.pk)
        if completion is not None:
            state.status = "passed" if completion.passed else "failed"
            state.score = completion.score
        elif blocked_by is not None:
            state.status = "locked"
            state.lock_reason = f"Finish “{blocked_by.title}” first: this course is taken in order."
        if course.sequential and state.status != "passed" and blocked_by is None:
            blocked_by = page
        states.append(state)
    for before, after in zip(states, states[1:], strict=False):
        before.next, after.previous = after.page, before.page
    return states


def course_steps(course) -> list[Page]:
    """The live steps of a course, in editor order, as their specific page types."""
    return list(course.get_children().live().specific().order_by("path"))


def course_outline(*, course, learner) -> CourseOutline:
    return CourseOutline(course=course, steps=_states(course, course_steps(course), learner))


def lesson_step_state(*, lesson, learner) -> StepState:
    course = lesson.get_parent().specific
    steps = list(course.get_children().live().order_by("path"))
    return next(state for state in _states(course, steps, learner) if state.page.pk == lesson.pk)


def next_step_url(*, lesson, learner) -> str | None:
    state = lesson_step_state(lesson=lesson, learner=learner)
    return state.next.url if state.next is not None else None


@dataclass
class CourseCard:
    course: Page
    step_count: int
    done_count: int
    # Set when a supervisor assigned the course to one of the learner's cohorts.
    due_on: datetime.date | None = None

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate() and self.done_count < self.step_count

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.step_count) if self.step_count else 0


def course_cards(*, learner) -> list[CourseCard]:
    """Every live course with the learner's progress and due dates: four queries in all."""
    from .models import CoursePage

    courses = list(CoursePage.objects.live().public().order_by("path"))
    if not courses:
        return []
    depth = courses[0].depth + 1
    step_counts: dict[str, int] = {}
    for path in Page.objects.live().filter(depth=depth).values_list("path", flat=True):
        step_counts[path[: -Page.steplen]] = step_counts.get(path[: -Page.steplen], 0) + 1
    done: dict[int, int] = {}
    if learner.is_authenticated:
        for course_id in Completion.objects.filter(learner=learner, passed=True).values_list("course_id", flat=True):
            done[course_id] = done.get(course_id, 0) + 1
    due = learner_due_dates(learner)
    return [
        CourseCard(course=c, step_count=step_counts.get(c.path, 0), done_count=done.get(c.pk, 0), due_on=due.get(c.pk))
        for c in courses
    ]


def course_glossary(*, course) -> list[dict]:
    """Key terms from every lesson of the course, alphabetised, each linked to its lesson."""
    from .models import LessonPage

    terms = []
    for lesson in LessonPage.objects.live().child_of(course).order_by("path"):
        for block in lesson.body:
            if block.block_type == "key_terms":
                terms.extend({"term": t["term"], "definition": t["definition"], "lesson": lesson} for t in block.value)
    return sorted(terms, key=lambda item: item["term"].lower())
