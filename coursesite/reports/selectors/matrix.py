"""The cohort matrix (trainees × steps of one course), its CSV rows, and the needs-attention list.

Each read runs a fixed number of queries whatever the cohort's size. Filtering, sorting, counting and
paging the trainees happen in the database; only the trainees on the page shown are turned into rows
of cells (bench/dashboard.py: 500 trainees × 40 steps).
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.models import Page

from coursesite.people.models import Assignment, AssignmentOverride, Cohort, User
from coursesite.people.selectors import cohort_trainees
from coursesite.progress.models import Completion
from lessons.models import CoursePage
from quizzes.models import Attempt, QuizPage

from ..models import Nudge

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
SCORE_BANDS = (("0–19", 0), ("20–39", 20), ("40–59", 40), ("60–79", 60), ("80–100", 80))


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
class StepFigures:
    """Whole-cohort figures for one step, counted in the database."""

    passed: int = 0
    scored: int = 0
    score_sum: Decimal = Decimal(0)
    bands: dict[int, int] = field(default_factory=dict)  # lower edge of a 20-point band → trainees


@dataclass
class CohortMatrix:
    """One page of rows (or all of them when unpaged) and the figures of the whole cohort."""

    cohort: Cohort
    course: CoursePage
    steps: list[Step]
    rows: list[Row]
    assignment: Assignment | None = None
    trainee_count: int = 0
    completed_count: int = 0
    overdue_count: int = 0
    shown_count: int = 0  # trainees matching the filters
    figures: dict[int, StepFigures] = field(default_factory=dict)  # by step page id
    page: PaginatorPage | None = None

    @property
    def completion_rate(self) -> int:
        return round(100 * self.completed_count / self.trainee_count) if self.trainee_count else 0

    @property
    def average_score(self) -> Decimal | None:
        scored = sum(f.scored for f in self.figures.values())
        if not scored:
            return None
        return (sum((f.score_sum for f in self.figures.values()), Decimal(0)) / scored).quantize(Decimal("0.1"))

    def step_completion(self) -> list[tuple[Step, int, int]]:
        """(step, trainees who passed it, percent of the cohort) for each step."""
        total = self.trainee_count
        result = []
        for step in self.steps:
            passed = self.figures.get(step.page.pk, StepFigures()).passed
            result.append((step, passed, round(100 * passed / total) if total else 0))
        return result

    def quiz_bands(self) -> list[tuple[Step, list[tuple[str, int]], int]]:
        """Each quiz step with its trainees' scores counted in 20-point bands, and how many have a score."""
        result = []
        for step in self.steps:
            if step.is_quiz:
                bands = self.figures.get(step.page.pk, StepFigures()).bands
                counts = [(label, bands.get(edge, 0)) for label, edge in SCORE_BANDS]
                result.append((step, counts, sum(n for _label, n in counts)))
        return result


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


@dataclass
class Standing:
    """One trainee's standing in one course, from counts: what the matrix filters, sorts and pages by."""

    pk: int
    display_name: str
    email: str
    passed: int = 0
    started: int = 0
    due_on: datetime.date | None = None
    overridden: bool = False

    def completed(self, total: int) -> bool:
        return bool(total) and self.passed >= total

    def overdue(self, total: int, today: datetime.date) -> bool:
        return bool(total) and self.due_on is not None and self.due_on < today and self.passed < total

    def status(self, total: int) -> str:
        if self.completed(total):
            return "completed"
        return "in_progress" if self.started else "not_started"


def _standings(cohort: Cohort, course: Page, steps: list[Step], assignment: Assignment | None) -> list[Standing]:
    """Every trainee of the cohort with their passed and started step counts and due date, in three
    queries (trainees; completions counted per trainee in one GROUP BY; own due dates).

    Counted in one grouped query and joined here rather than as correlated subqueries per trainee:
    SQLite planned those through the (course, passed) index, scanning the whole course's completions
    for every trainee (minutes for 5,000 trainees; bench/dashboard.py)."""
    trainees = cohort_trainees(cohort)
    counts = {
        row["learner_id"]: row
        for row in Completion.objects.filter(
            learner__in=trainees.values("pk"), course=course, step_id__in=[step.page.pk for step in steps]
        )
        .order_by()
        .values("learner_id")
        .annotate(passed=Count("pk", filter=Q(passed=True)), started=Count("pk"))
    }
    overrides = (
        dict(AssignmentOverride.objects.filter(assignment=assignment).values_list("learner_id", "due_on"))
        if assignment is not None
        else {}
    )
    standings = []
    for pk, display_name, email in trainees.values_list("pk", "display_name", "email"):
        row = counts.get(pk, {})
        standings.append(
            Standing(
                pk=pk,
                display_name=display_name,
                email=email,
                passed=row.get("passed", 0),
                started=row.get("started", 0),
                due_on=overrides.get(pk, assignment.due_on if assignment is not None else None),
                overridden=pk in overrides,
            )
        )
    return standings


def _step_figures(learners: QuerySet, course: Page, steps: list[Step]) -> dict[int, StepFigures]:
    """Per step: trainees who passed, scores held and their sum, and scores per 20-point band (shown for
    quizzes), in one query grouped by step and band."""
    step_ids = [step.page.pk for step in steps]
    band = Case(*(When(score__gte=edge, then=Value(edge)) for _label, edge in reversed(SCORE_BANDS)))
    grouped = (
        Completion.objects.filter(learner__in=learners.values("pk"), course=course, step_id__in=step_ids)
        .order_by()
        .values("step_id", band=band)
        .annotate(passed=Count("pk", filter=Q(passed=True)), scored=Count("score"), score_sum=Sum("score"))
    )
    figures: dict[int, StepFigures] = {}
    for row in grouped:
        figure = figures.setdefault(row["step_id"], StepFigures())
        figure.passed += row["passed"]
        figure.scored += row["scored"]
        figure.score_sum += row["score_sum"] or Decimal(0)
        if row["band"] is not None:
            figure.bands[row["band"]] = row["scored"]
    return figures


def cohort_matrix(
    *,
    cohort: Cohort,
    course: CoursePage,
    status: str = "",
    overdue_only: bool = False,
    sort: str = "name",
    descending: bool = False,
    today: datetime.date | None = None,
    page: int | str | None = None,
    per_page: int | None = None,
) -> CohortMatrix:
    """Trainees × steps of one course, with each cell's status and score, and the figures of the whole
    cohort (which ignore the filters). With `per_page`, only that page of trainees becomes rows of cells.

    Seven queries whatever the numbers of trainees and steps: steps, assignment, trainees, completions
    counted per trainee, own due dates, step figures, and the completions of the trainees shown.
    """
    today = today or timezone.localdate()
    steps = course_steps(course)
    total = len(steps)
    assignment = Assignment.objects.filter(cohort=cohort, course=course).first()
    standings = _standings(cohort, course, steps, assignment)
    shown = [
        s
        for s in standings
        if (not status or s.status(total) == status) and (not overdue_only or s.overdue(total, today))
    ]
    if sort == "progress":
        shown.sort(key=lambda s: (s.passed, s.display_name.lower(), s.email, s.pk), reverse=descending)
    else:
        shown.sort(key=lambda s: (s.display_name.lower(), s.email, s.pk), reverse=descending)
    paged = None
    if per_page:
        paged = Paginator(shown, per_page).get_page(page)
        listed = list(paged.object_list)
    else:
        listed = shown
    by_learner: dict[int, dict[int, Completion]] = {}
    if listed:
        # Named rows rather than model instances: twice as fast to build (bench/dashboard.py).
        page_completions = Completion.objects.filter(learner_id__in=[s.pk for s in listed], course=course).values_list(
            *MATRIX_FIELDS, named=True
        )
        for completion in page_completions:
            by_learner.setdefault(completion.learner_id, {})[completion.step_id] = completion
    rows = [
        Row(
            # A display-only user (pk, name, address): the template links and names the trainee.
            learner=User(pk=s.pk, display_name=s.display_name, email=s.email),
            cells=_cells(steps, by_learner.get(s.pk, {}), s.due_on, today),
            due_on=s.due_on,
            overridden=s.overridden,
        )
        for s in listed
    ]
    if paged is not None:
        paged.object_list = rows  # the page iterates the rows built above
    return CohortMatrix(
        cohort=cohort,
        course=course,
        steps=steps,
        rows=rows,
        assignment=assignment,
        trainee_count=len(standings),
        completed_count=sum(1 for s in standings if s.completed(total)),
        overdue_count=sum(1 for s in standings if s.overdue(total, today)),
        shown_count=len(shown),
        figures=_step_figures(cohort_trainees(cohort), course, steps) if standings and steps else {},
        page=paged,
    )


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
class AttentionItem:
    learner: User
    reasons: list[str]
    can_nudge: bool


def cohort_needs_attention(*, cohort: Cohort, today: datetime.date | None = None) -> list[AttentionItem]:
    """Trainees who are overdue on an assigned course, or failed one quiz twice or more."""
    return cohort_attention(cohort=cohort, today=today)[0]


def cohort_attention(
    *, cohort: Cohort, today: datetime.date | None = None, limit: int | None = None
) -> tuple[list[AttentionItem], int]:
    """The first `limit` trainees needing attention (by name), and how many there are in all.

    Seven queries whatever the cohort's size: only the ids of trainees are read for the whole cohort,
    and names only for those listed.
    """
    today = today or timezone.localdate()
    trainees_qs = cohort_trainees(cohort)
    trainee_ids = list(trainees_qs.values_list("pk", flat=True))
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
                learner__in=trainees_qs.values("pk"),
                course__in=[a.course_id for a in assignments],
                passed=True,
                step__live=True,
            )
            .order_by()
            .values("learner_id", "course_id")
            .annotate(n=Count("pk"))
        }
        live_steps = _live_step_counts([a.course for a in assignments])
        for assignment in assignments:
            total = live_steps.get(assignment.course_id, 0)
            for learner_id in trainee_ids:
                due_on = overrides.get((assignment.pk, learner_id), assignment.due_on)
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
    listed = User.objects.filter(pk__in=list(reasons)).order_by(Lower("display_name"), "pk")
    listed = list(listed[:limit] if limit is not None else listed)
    recent = set(
        Nudge.objects.filter(
            learner_id__in=[u.pk for u in listed], sent_at__gt=timezone.now() - NUDGE_INTERVAL
        ).values_list("learner_id", flat=True)
    )
    items = [AttentionItem(learner=u, reasons=reasons[u.pk], can_nudge=u.pk not in recent) for u in listed]
    return items, len(reasons)


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
