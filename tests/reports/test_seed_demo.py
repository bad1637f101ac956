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


def test_seed_demo_gives_the_office_charts_a_spread_of_results(db):
    from coursesite.people.selectors import cohort_trainees
    from coursesite.reports.selectors import office_results
    from tests.factories import make_call_page, make_simulation

    course = make_course(lessons=3, slug="customer-service")
    make_simulation(course, scenario="s2-follow-up-two-weeks", slug="booking")
    make_call_page(course, call_id="t1-angry-bill", slug="bill-call")
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent: no second attempt
    cohort = Cohort.objects.get(enrolment_key="DEMO2026KEY")
    step_ids = list(course.get_children().live().values_list("pk", flat=True))
    results = office_results(learners=cohort_trainees(cohort), step_ids=step_ids)
    kinds = {figure.kind: (figure.passed, figure.attempts) for figure in results.kinds}
    # Finley worked both properly; Harper had a hasty go at each.
    assert kinds == {"S": (1, 2), "T": (1, 2)}
    assert results.has_calls and all(figure.calls == 2 for figure in results.axes if figure.average is not None)
    rows = {row.learner.email: row.status for row in cohort_matrix(cohort=cohort, course=course).rows}
    assert rows == {
        "trainee@demo.test": "not_started",
        "trainee.halfway@demo.test": "in_progress",
        "trainee.finished@demo.test": "completed",
    }
