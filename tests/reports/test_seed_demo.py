import io

from django.core.management import call_command

from coursesite.people.models import Assignment, AssignmentOverride, Cohort
from coursesite.reports.selectors import cohort_matrix, cohort_needs_attention
from tests.factories import QuestionFactory, make_course, make_quiz


def test_seed_demo_assigns_the_courses_with_one_trainee_overdue_and_is_idempotent(db):
    first = make_course(lessons=4, slug="first")
    make_quiz(first, questions=[QuestionFactory()])
    make_course(lessons=1, slug="second")
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    cohort = Cohort.objects.get(enrolment_key="DEMO2026KEY")
    assert Assignment.objects.filter(cohort=cohort).count() == 2
    assert AssignmentOverride.objects.count() == 1
    overdue = cohort_needs_attention(cohort=cohort)
    assert [item.learner.email for item in overdue] == ["trainee.halfway@demo.test"]
    rows = {row.learner.email: row for row in cohort_matrix(cohort=cohort, course=first).rows}
    assert {email: row.status for email, row in rows.items()} == {
        "trainee@demo.test": "not_started",
        "trainee.halfway@demo.test": "in_progress",
        "trainee.finished@demo.test": "completed",
    }
