"""A trainee's training record, and the audit trail a supervisor may review."""

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from wagtail.models import Page

from coursesite.audit.models import AuditEvent
from coursesite.people.models import Assignment, AssignmentOverride, Cohort, Membership, User
from coursesite.people.selectors import cohorts_for_supervisor
from coursesite.progress.models import Completion
from lessons.models import CoursePage
from quizzes.models import Attempt, QuizAccommodation
from simulations.models import CallSession, Shift

from ..models import Nudge, SupervisorComment
from ..retention import learner_retained_until, retention_years
from .matrix import NUDGE_INTERVAL, Cell, Step, _cells, cohort_courses


@dataclass
class CourseRecord:
    course: CoursePage
    cells: list[Cell]
    due_on: datetime.date | None = None

    @property
    def percent(self) -> int:
        done = sum(1 for cell in self.cells if cell.status == "passed")
        return round(100 * done / len(self.cells)) if self.cells else 0


@dataclass
class TraineeRecord:
    cohort: Cohort
    learner: User
    courses: list[CourseRecord]
    attempts: list[Attempt]
    shifts: list[Shift]
    calls: list[CallSession]
    comments: list[SupervisorComment]
    accommodations: list[QuizAccommodation]
    assignments: list[Assignment]
    last_nudge: Nudge | None
    # The earliest the record may be purged (retention.py); None: kept while a certificate is in effect.
    retained_until: datetime.datetime | None = None
    retention_years: int = 6

    @property
    def quizzes(self) -> list[Page]:
        return [cell.step.page for record in self.courses for cell in record.cells if cell.step.is_quiz]

    @property
    def can_nudge(self) -> bool:
        return self.last_nudge is None or self.last_nudge.sent_at <= timezone.now() - NUDGE_INTERVAL


def trainee_record(*, cohort: Cohort, learner: User, today: datetime.date | None = None) -> TraineeRecord:
    """Everything a supervisor sees about one trainee, in a fixed number of queries."""
    today = today or timezone.localdate()
    courses = cohort_courses(cohort)
    steps_by_course: dict[str, list[Step]] = {}
    if courses:
        paths = Q()
        for course in courses:
            paths |= Q(path__startswith=course.path)
        children = Page.objects.live().filter(paths, depth=courses[0].depth + 1).order_by("path")
        for page in children:
            steps = steps_by_course.setdefault(page.path[: -Page.steplen], [])
            steps.append(Step(page=page, number=len(steps) + 1))
    completions = {c.step_id: c for c in Completion.objects.filter(learner=learner, course__in=courses)}
    assignments = list(Assignment.objects.filter(cohort=cohort).select_related("course").order_by("due_on"))
    overrides = dict(
        AssignmentOverride.objects.filter(assignment__in=assignments, learner=learner).values_list(
            "assignment__course_id", "due_on"
        )
    )
    due = {a.course_id: overrides.get(a.course_id, a.due_on) for a in assignments}
    records = [
        CourseRecord(
            course=course,
            cells=_cells(steps_by_course.get(course.path, []), completions, due.get(course.pk), today),
            due_on=due.get(course.pk),
        )
        for course in courses
    ]
    quiz_ids = [cell.step.page.pk for record in records for cell in record.cells if cell.step.is_quiz]
    step_ids = [cell.step.page.pk for record in records for cell in record.cells]
    return TraineeRecord(
        cohort=cohort,
        learner=learner,
        courses=records,
        attempts=list(
            Attempt.objects.filter(learner=learner, quiz_id__in=quiz_ids)
            .select_related("quiz")
            .only("number", "score", "passed", "started_at", "submitted_at", "quiz__title")
            .order_by("quiz__path", "number")
        ),
        shifts=list(
            Shift.objects.filter(learner=learner, page_id__in=step_ids)
            .select_related("page")
            .only("number", "status", "score", "passed", "started_at", "submitted_at", "page__title")
            .order_by("page__path", "number")
        ),
        calls=list(
            CallSession.objects.filter(learner=learner, page_id__in=step_ids)
            .select_related("page")
            .only("number", "score", "passed", "started_at", "submitted_at", "page__title")
            .order_by("page__path", "number")
        ),
        comments=list(SupervisorComment.objects.filter(cohort=cohort, learner=learner).select_related("author")),
        accommodations=list(
            QuizAccommodation.objects.filter(
                Q(quiz_id__in=quiz_ids) | Q(quiz__isnull=True), learner=learner
            ).select_related("quiz")
        ),
        assignments=assignments,
        last_nudge=Nudge.objects.filter(learner=learner).order_by("-sent_at").first(),
        retained_until=learner_retained_until(learner),
        retention_years=retention_years(),
    )


def audit_events_for(user: User) -> QuerySet[AuditEvent]:
    """The audit trail a user may review: everything for an administrator; for a supervisor, the
    events of their cohorts (about the cohort, done by or to its trainees, or tagged with it)."""
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-pk")
    if user.is_superuser or user.role == User.Role.ADMIN:
        return events
    cohort_ids = list(cohorts_for_supervisor(user).values_list("pk", flat=True))
    trainee_ids = Membership.objects.filter(cohort_id__in=cohort_ids, role=Membership.Role.TRAINEE).values("user_id")
    trainee_targets = trainee_ids.annotate(label=Concat(Value("people.user:"), Cast("user_id", CharField()))).values(
        "label"
    )
    return events.filter(
        Q(target__in=[f"people.cohort:{pk}" for pk in cohort_ids])
        | Q(detail__cohort__in=cohort_ids)
        | Q(actor_id__in=trainee_ids)
        | Q(target__in=trainee_targets)
    )
