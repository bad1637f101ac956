"""The organisation summary: every cohort a user may see × its assigned courses, read from the
learner × course summary table (one small row per trainee and course, kept up to date on write),
so that it stays fast for 5,000 trainees (QUALITY.md P7: ≤ 100 ms from a summary table).

Nine queries whatever the number of trainees: cohorts, assignments, live steps, the grouped
summary per cohort and course, overrides (and the summaries of trainees who have one), the
organisation-wide figures per course, trainees assigned each course, and distinct trainees.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from coursesite.people.models import Assignment, AssignmentOverride, Cohort, Membership, User
from coursesite.people.selectors import cohorts_for_supervisor

from ..models import LearnerCourseSummary
from .matrix import _live_step_counts


@dataclass
class SummaryLine:
    """One course assigned to one cohort (or, with `cohort=None`, one course across every cohort)."""

    course_title: str
    course_id: int
    steps: int
    trainees: int
    cohort: Cohort | None = None
    due_on: datetime.date | None = None
    started: int = 0
    completed: int = 0
    certified: int = 0
    overdue: int = 0
    steps_passed: int = 0

    @property
    def not_started(self) -> int:
        return max(self.trainees - self.started, 0)

    @property
    def in_progress(self) -> int:
        return max(self.started - self.completed, 0)

    @property
    def completion_rate(self) -> int:
        return round(100 * self.completed / self.trainees) if self.trainees else 0

    @property
    def average_progress(self) -> int:
        """Passed steps as a share of every trainee's steps (trainees who never started count as 0 %)."""
        possible = self.trainees * self.steps
        return round(100 * self.steps_passed / possible) if possible else 0


@dataclass
class OrganisationSummary:
    cohorts: list[Cohort]
    lines: list[SummaryLine]  # per cohort and assigned course
    courses: list[SummaryLine]  # per course, each trainee counted once however many cohorts they are in
    trainee_count: int
    unassigned: list[Cohort] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(line.overdue for line in self.lines)


def summary_cohorts(user: User) -> QuerySet[Cohort]:
    """Every cohort for an administrator; a supervisor's own cohorts otherwise (with trainee counts)."""
    if user.is_superuser or user.role == User.Role.ADMIN:
        return Cohort.objects.annotate(
            trainee_count=Count("memberships", filter=Q(memberships__role=Membership.Role.TRAINEE))
        ).order_by("name")
    return cohorts_for_supervisor(user)


def _certified(now: datetime.datetime) -> Q:
    return Q(certified_at__isnull=False) & (Q(certificate_expires_at__isnull=True) | Q(certificate_expires_at__gt=now))


def organisation_summary(*, user: User, today: datetime.date | None = None) -> OrganisationSummary:
    today = today or timezone.localdate()
    now = timezone.now()
    cohorts = list(summary_cohorts(user))
    cohort_ids = [cohort.pk for cohort in cohorts]
    assignments = list(
        Assignment.objects.filter(cohort_id__in=cohort_ids).select_related("course").order_by("course__path", "pk")
    )
    courses = {a.course_id: a.course for a in assignments}
    steps = _live_step_counts(list(courses.values()))
    # "Completed" means every step live today is passed: compared per course in the database.
    completed = Q(steps_started__lt=0)  # never true: a course without live steps is never completed
    for course_id in courses:
        if steps.get(course_id):
            completed |= Q(course_id=course_id, steps_passed__gte=steps[course_id])
    figures = {
        "started": Count("pk", filter=Q(steps_started__gt=0)),
        "completed": Count("pk", filter=completed),
        "certified": Count("pk", filter=_certified(now)),
        "steps_passed": Sum("steps_passed"),
    }
    trainees = Membership.objects.filter(cohort_id__in=cohort_ids, role=Membership.Role.TRAINEE)
    by_cohort_course = {
        (row["cohort_id"], row["course_id"]): row
        for row in LearnerCourseSummary.objects.filter(
            course_id__in=list(courses),
            learner__memberships__cohort_id__in=cohort_ids,
            learner__memberships__role=Membership.Role.TRAINEE,
        )
        .order_by()
        .values("course_id", cohort_id=F("learner__memberships__cohort_id"))
        .annotate(**figures)
    } if courses else {}  # fmt: skip
    by_id = {cohort.pk: cohort for cohort in cohorts}
    lines = []
    for assignment in assignments:
        row = by_cohort_course.get((assignment.cohort_id, assignment.course_id), {})
        cohort = by_id[assignment.cohort_id]
        line = SummaryLine(
            course_title=assignment.course.title,
            course_id=assignment.course_id,
            steps=steps.get(assignment.course_id, 0),
            trainees=cohort.trainee_count,
            cohort=cohort,
            due_on=assignment.due_on,
            started=row.get("started", 0),
            completed=row.get("completed", 0),
            certified=row.get("certified", 0),
            steps_passed=row.get("steps_passed") or 0,
        )
        # Everyone not finished is overdue once the cohort's date has passed; own due dates adjust that below.
        line.overdue = line.trainees - line.completed if assignment.due_on < today and line.steps else 0
        lines.append(line)
    _apply_own_due_dates(lines, assignments, steps, today)
    course_lines = []
    if courses:
        across = {
            row["course_id"]: row
            for row in LearnerCourseSummary.objects.filter(
                course_id__in=list(courses), learner_id__in=trainees.values("user_id")
            )
            .order_by()
            .values("course_id")
            .annotate(**figures)
        }
        assigned_trainees = {
            row["course_id"]: row["n"]
            for row in Assignment.objects.filter(cohort_id__in=cohort_ids)
            .filter(cohort__memberships__role=Membership.Role.TRAINEE)
            .order_by()
            .values("course_id")
            .annotate(n=Count("cohort__memberships__user_id", distinct=True))
        }
        for course_id, course in courses.items():
            row = across.get(course_id, {})
            course_lines.append(
                SummaryLine(
                    course_title=course.title,
                    course_id=course_id,
                    steps=steps.get(course_id, 0),
                    trainees=assigned_trainees.get(course_id, 0),
                    started=row.get("started", 0),
                    completed=row.get("completed", 0),
                    certified=row.get("certified", 0),
                    steps_passed=row.get("steps_passed") or 0,
                )
            )
    assigned = {a.cohort_id for a in assignments}
    return OrganisationSummary(
        cohorts=cohorts,
        lines=lines,
        courses=course_lines,
        trainee_count=trainees.values("user_id").distinct().count(),
        unassigned=[cohort for cohort in cohorts if cohort.pk not in assigned],
    )


def _apply_own_due_dates(
    lines: list[SummaryLine], assignments: list[Assignment], steps: dict[int, int], today: datetime.date
) -> None:
    """A trainee with their own due date is overdue by that date, not the cohort's: correct the counts
    for those few trainees (two queries, however many trainees have no override)."""
    overrides = list(
        AssignmentOverride.objects.filter(
            assignment__in=assignments, learner__memberships__cohort=F("assignment__cohort")
        ).values_list("assignment_id", "learner_id", "due_on")
    )
    if not overrides:
        return
    line_of = {a.pk: (a, line) for a, line in zip(assignments, lines, strict=True)}
    passed = {
        (learner_id, course_id): steps_passed
        for learner_id, course_id, steps_passed in LearnerCourseSummary.objects.filter(
            learner_id__in={learner_id for _a, learner_id, _d in overrides},
            course_id__in={a.course_id for a in assignments},
        ).values_list("learner_id", "course_id", "steps_passed")
    }
    for assignment_id, learner_id, own_due_on in overrides:
        assignment, line = line_of[assignment_id]
        total = steps.get(assignment.course_id, 0)
        if not total or passed.get((learner_id, assignment.course_id), 0) >= total:
            continue  # finished (or nothing to do): never overdue
        late_by_cohort, late_by_own = assignment.due_on < today, own_due_on < today
        line.overdue += int(late_by_own) - int(late_by_cohort)
