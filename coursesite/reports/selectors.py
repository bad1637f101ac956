"""Reads for supervisors' reports. Each runs a fixed number of queries whatever the cohort's size.

Dependencies run one way: reports → people, progress, lessons, quizzes; nothing imports reports.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from wagtail.models import Page

from coursesite.audit.models import AuditEvent
from coursesite.people.models import Assignment, AssignmentOverride, Cohort, Membership, User
from coursesite.people.selectors import cohort_trainees, cohorts_for_supervisor
from coursesite.progress.models import Completion
from lessons.models import CoursePage
from quizzes.models import Attempt, QuizAccommodation, QuizPage
from simulations.models import CallSession, Shift
from simulations.records_selectors import disclosures_by_shift

from .models import Nudge, SupervisorComment

STATUS_LABELS = {
    "not_started": "Not started",
    "passed": "Passed",
    "failed": "Not passed",
    "overdue": "Overdue",
}
# What a screen reader and the CSV say; the page shows the same word next to an icon.
STATUS_ICONS = {"not_started": "–", "passed": "✓", "failed": "✗", "overdue": "!"}
ROW_STATUSES = {"not_started": "Not started", "in_progress": "In progress", "completed": "Completed"}
NUDGE_INTERVAL = datetime.timedelta(hours=1)
MATRIX_FIELDS = ("learner_id", "step_id", "passed", "score", "attempts", "first_completed_at", "completed_at")


@dataclass
class Step:
    page: Page
    number: int

    @property
    def kind(self) -> str:
        cls = self.page.specific_class
        return str(cls._meta.verbose_name).removesuffix(" page") if cls else "step"

    @property
    def is_quiz(self) -> bool:
        return self.page.specific_class is QuizPage


@dataclass
class Cell:
    step: Step
    status: str = "not_started"
    score: Decimal | None = None
    attempts: int = 0
    first_completed_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self.status]


@dataclass
class Row:
    learner: User
    cells: list[Cell]
    due_on: datetime.date | None = None
    overridden: bool = False

    @property
    def done_count(self) -> int:
        return sum(1 for cell in self.cells if cell.status == "passed")

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.cells)) if self.cells else 0

    @property
    def status(self) -> str:
        if self.cells and self.done_count == len(self.cells):
            return "completed"
        if any(cell.completed_at for cell in self.cells):
            return "in_progress"
        return "not_started"

    @property
    def status_label(self) -> str:
        return ROW_STATUSES[self.status]

    @property
    def overdue(self) -> bool:
        return any(cell.status == "overdue" for cell in self.cells)

    @property
    def average_score(self) -> Decimal | None:
        scores = [cell.score for cell in self.cells if cell.score is not None]
        return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1")) if scores else None


@dataclass
class CohortMatrix:
    cohort: Cohort
    course: CoursePage
    steps: list[Step]
    rows: list[Row]
    assignment: Assignment | None = None
    all_rows: list[Row] = field(default_factory=list)

    @property
    def completion_rate(self) -> int:
        rows = self.all_rows
        return round(100 * sum(1 for r in rows if r.status == "completed") / len(rows)) if rows else 0

    @property
    def average_score(self) -> Decimal | None:
        scores = [c.score for r in self.all_rows for c in r.cells if c.score is not None]
        return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1")) if scores else None

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.all_rows if r.overdue)

    def step_completion(self) -> list[tuple[Step, int, int]]:
        """(step, trainees who passed it, percent of the cohort) for each step."""
        total = len(self.all_rows)
        result = []
        for index, step in enumerate(self.steps):
            passed = sum(1 for r in self.all_rows if r.cells[index].status == "passed")
            result.append((step, passed, round(100 * passed / total) if total else 0))
        return result

    def quiz_scores(self) -> list[tuple[Step, list[Decimal]]]:
        """Each quiz step with the scores its trainees hold for it (best or last, per the quiz)."""
        return [
            (step, [r.cells[index].score for r in self.all_rows if r.cells[index].score is not None])
            for index, step in enumerate(self.steps)
            if step.is_quiz
        ]


def course_steps(course: Page) -> list[Step]:
    """The live steps of a course in order, as plain pages (their types come from the content-type cache)."""
    pages = course.get_children().live().order_by("path")
    return [Step(page=page, number=number) for number, page in enumerate(pages, start=1)]


def cohort_courses(cohort: Cohort) -> list[CoursePage]:
    """The courses assigned to the cohort, or every live course when none is assigned yet."""
    assigned = list(
        CoursePage.objects.filter(pk__in=Assignment.objects.filter(cohort=cohort).values("course_id")).order_by("path")
    )
    return assigned or list(CoursePage.objects.live().order_by("path"))


def _due_dates(
    cohort: Cohort, course: Page, learner_ids: QuerySet | list[int]
) -> tuple[Assignment | None, dict[int, datetime.date]]:
    assignment = Assignment.objects.filter(cohort=cohort, course=course).first()
    if assignment is None:
        return None, {}
    overrides = dict(
        AssignmentOverride.objects.filter(assignment=assignment, learner_id__in=learner_ids).values_list(
            "learner_id", "due_on"
        )
    )
    return assignment, overrides


def _cells(steps: list[Step], completions: dict[int, Completion], due_on: datetime.date | None, today) -> list[Cell]:
    late = due_on is not None and due_on < today
    cells = []
    for step in steps:
        cell = Cell(step=step)
        completion = completions.get(step.page.pk)
        if completion is not None:
            cell.status = "passed" if completion.passed else "failed"
            cell.score, cell.attempts = completion.score, completion.attempts
            cell.first_completed_at, cell.completed_at = completion.first_completed_at, completion.completed_at
        if late and cell.status != "passed":
            cell.status = "overdue"
        cells.append(cell)
    return cells


SORTS = {
    "name": lambda row: (row.learner.display_name.lower(), row.learner.email),
    "progress": lambda row: (row.percent, row.learner.display_name.lower()),
}


def cohort_matrix(
    *,
    cohort: Cohort,
    course: CoursePage,
    status: str = "",
    overdue_only: bool = False,
    sort: str = "name",
    descending: bool = False,
    today: datetime.date | None = None,
) -> CohortMatrix:
    """Trainees × steps of one course, with each cell's status and score: five queries in all
    (steps, trainees, completions, assignment, overrides), whatever the numbers of trainees and steps."""
    today = today or timezone.localdate()
    steps = course_steps(course)
    trainees_qs = cohort_trainees(cohort)
    trainees = list(trainees_qs.only("pk", "email", "display_name"))
    by_learner: dict[int, dict[int, Completion]] = {}
    # Named rows rather than model instances: a 200 × 20 matrix builds twice as fast (bench/dashboard.py).
    completions = Completion.objects.for_cohort_matrix(learners=trainees_qs, course=course)
    for completion in completions.values_list(*MATRIX_FIELDS, named=True):
        by_learner.setdefault(completion.learner_id, {})[completion.step_id] = completion
    assignment, overrides = _due_dates(cohort, course, trainees_qs.values("pk"))
    rows = []
    for learner in trainees:
        due_on = overrides.get(learner.pk, assignment.due_on if assignment else None)
        rows.append(
            Row(
                learner=learner,
                cells=_cells(steps, by_learner.get(learner.pk, {}), due_on, today),
                due_on=due_on,
                overridden=learner.pk in overrides,
            )
        )
    shown = [r for r in rows if (not status or r.status == status) and (not overdue_only or r.overdue)]
    shown.sort(key=SORTS.get(sort, SORTS["name"]), reverse=descending)
    return CohortMatrix(cohort=cohort, course=course, steps=steps, rows=shown, assignment=assignment, all_rows=rows)


def cohort_matrix_csv_rows(*, cohort: Cohort, course: CoursePage, today: datetime.date | None = None) -> Iterator[list]:
    """The matrix as CSV rows, streamed: trainees and completions are read with `.iterator()`, both
    ordered by learner, and merged, so memory stays flat however large the cohort."""
    today = today or timezone.localdate()
    steps = course_steps(course)
    trainees_qs = cohort_trainees(cohort)
    assignment, overrides = _due_dates(cohort, course, trainees_qs.values("pk"))
    yield [
        "Name",
        "Email",
        "Due",
        "Progress %",
        *(f"{step.number}. {step.page.title} ({part})" for step in steps for part in ("status", "score")),
    ]
    completions = (
        Completion.objects.for_cohort_matrix(learners=trainees_qs, course=course)
        .order_by("learner_id")
        .values_list(*MATRIX_FIELDS, named=True)
        .iterator()
    )
    pending = next(completions, None)
    for learner in trainees_qs.only("pk", "email", "display_name").order_by("pk").iterator():
        mine: dict[int, Completion] = {}
        while pending is not None and pending.learner_id <= learner.pk:
            if pending.learner_id == learner.pk:
                mine[pending.step_id] = pending
            pending = next(completions, None)
        due_on = overrides.get(learner.pk, assignment.due_on if assignment else None)
        row = Row(learner=learner, cells=_cells(steps, mine, due_on, today), due_on=due_on)
        yield [
            learner.display_name,
            learner.email,
            due_on.isoformat() if due_on else "",
            row.percent,
            *(value for cell in row.cells for value in (cell.label, "" if cell.score is None else cell.score)),
        ]


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
    # The records desk's accounting-of-disclosures log of each shift that has one: [(shift, rows)].
    shift_disclosures: list = field(default_factory=list)

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
    shifts = list(
        Shift.objects.filter(learner=learner, page_id__in=step_ids)
        .select_related("page")
        .only("number", "status", "score", "passed", "started_at", "submitted_at", "page__title")
        .order_by("page__path", "number")
    )
    disclosures = disclosures_by_shift(shift_ids=[s.pk for s in shifts])
    return TraineeRecord(
        cohort=cohort,
        learner=learner,
        courses=records,
        shift_disclosures=[(s, disclosures[s.pk]) for s in shifts if s.pk in disclosures],
        attempts=list(
            Attempt.objects.filter(learner=learner, quiz_id__in=quiz_ids)
            .select_related("quiz")
            .only("number", "score", "passed", "started_at", "submitted_at", "quiz__title")
            .order_by("quiz__path", "number")
        ),
        shifts=shifts,
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
    )


@dataclass
class AttentionItem:
    learner: User
    reasons: list[str]
    can_nudge: bool


def cohort_needs_attention(*, cohort: Cohort, today: datetime.date | None = None) -> list[AttentionItem]:
    """Trainees who are overdue on an assigned course, or failed one quiz twice or more (five queries)."""
    today = today or timezone.localdate()
    trainees_qs = cohort_trainees(cohort)
    trainees = {t.pk: t for t in trainees_qs}
    reasons: dict[int, list[str]] = {}
    assignments = list(Assignment.objects.filter(cohort=cohort).select_related("course"))
    if assignments:
        overrides = {
            (o.assignment_id, o.learner_id): o.due_on
            for o in AssignmentOverride.objects.filter(assignment__in=assignments)
        }
        passed = {
            (row["learner_id"], row["course_id"]): row["n"]
            for row in Completion.objects.filter(
                learner__in=trainees_qs.values("pk"), course__in=[a.course_id for a in assignments], passed=True
            )
            .values("learner_id", "course_id")
            .annotate(n=Count("pk"))
        }
        live_steps = _live_step_counts([a.course for a in assignments])
        for assignment in assignments:
            for learner_id in trainees:
                due_on = overrides.get((assignment.pk, learner_id), assignment.due_on)
                total = live_steps.get(assignment.course_id, 0)
                if due_on < today and passed.get((learner_id, assignment.course_id), 0) < total:
                    reasons.setdefault(learner_id, []).append(
                        f"Overdue: {assignment.course.title} was due {due_on:%b} {due_on.day}, {due_on.year}"
                    )
    failures = (
        Attempt.objects.filter(learner__in=trainees_qs.values("pk"), passed=False, submitted_at__isnull=False)
        .values("learner_id", "quiz__title")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("learner_id", "quiz__title")
    )
    for row in failures:
        reasons.setdefault(row["learner_id"], []).append(f"Failed {row['quiz__title']} {row['n']} times")
    recent = set(
        Nudge.objects.filter(learner_id__in=reasons, sent_at__gt=timezone.now() - NUDGE_INTERVAL).values_list(
            "learner_id", flat=True
        )
    )
    return [
        AttentionItem(learner=trainees[pk], reasons=reasons[pk], can_nudge=pk not in recent)
        for pk in sorted(reasons, key=lambda pk: (trainees[pk].display_name.lower(), pk))
        if pk in trainees
    ]


def _live_step_counts(courses: list[Page]) -> dict[int, int]:
    if not courses:
        return {}
    paths = Q()
    for course in courses:
        paths |= Q(path__startswith=course.path)
    by_path = {course.path: course.pk for course in courses}
    counts: dict[int, int] = {}
    for path in Page.objects.live().filter(paths, depth=courses[0].depth + 1).values_list("path", flat=True):
        course_id = by_path[path[: -Page.steplen]]
        counts[course_id] = counts.get(course_id, 0) + 1
    return counts


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
