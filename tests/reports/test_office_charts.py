from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coursesite.people.selectors import cohort_trainees
from coursesite.reports.selectors import office_results
from simulations.models import CallSession, Shift
from simulations.services import shift_start, shift_submit
from tests.factories import make_call_page, make_course, make_simulation

from .conftest import add_trainees


def _call(learner, page, number: int, *, passed: bool, **axes) -> CallSession:
    now = timezone.now()
    return CallSession.objects.create(
        learner=learner,
        page=page,
        call_id=page.call_id,
        number=number,
        started_at=now,
        submitted_at=now,
        result={"axes": axes, "overall": 0},
        score=Decimal("50"),
        passed=passed,
    )


def _shift(learner, page, *, passed: bool) -> Shift:
    shift = shift_submit(shift=shift_start(learner=learner, page=page, seed=f"chart-{learner.pk}"))
    Shift.objects.filter(pk=shift.pk).update(passed=passed)
    return shift


def _office_course():
    course = make_course(lessons=1, slug="office-course")
    booking = make_simulation(course, scenario="s2-follow-up-two-weeks", slug="booking")
    order = make_simulation(course, scenario="c1-transcribe-order", slug="order")
    call = make_call_page(course, call_id="t1-angry-bill", slug="bill-call")
    return course, booking, order, call


def _steps(course) -> list[int]:
    return list(course.get_children().live().values_list("pk", flat=True))


def test_calls_average_each_axis_and_tasks_pass_rates_by_kind(cohort, other_cohort, django_assert_num_queries):
    course, booking, order, call = _office_course()
    ann, bob = add_trainees(cohort, 2)
    (outsider,) = add_trainees(other_cohort, 1, prefix="x")
    _call(ann, call, 1, passed=True, compliance=100, accuracy=50.0, service=None, efficiency=80)
    _call(bob, call, 1, passed=False, compliance=50, accuracy=100, service=70, efficiency=None)
    _call(outsider, call, 1, passed=False, compliance=0, accuracy=0, service=0, efficiency=0)
    _shift(ann, booking, passed=True)
    _shift(bob, booking, passed=False)
    _shift(bob, order, passed=False)
    _shift(outsider, order, passed=True)
    step_ids = _steps(course)
    with django_assert_num_queries(4):
        results = office_results(learners=cohort_trainees(cohort), step_ids=step_ids)
    axes = {figure.axis: (figure.average, figure.calls) for figure in results.axes}
    assert axes == {
        "compliance": (75.0, 2),
        "accuracy": (75.0, 2),
        "service": (70.0, 1),  # Ann's path never touched service
        "efficiency": (80.0, 1),
    }
    kinds = {figure.kind: (figure.passed, figure.attempts, figure.rate) for figure in results.kinds}
    # The other cohort's trainee counts nowhere; kinds without a finished attempt are left out.
    assert kinds == {"S": (1, 2, 50), "C": (0, 1, 0), "T": (1, 2, 50)}


def test_the_office_charts_read_the_same_queries_for_few_or_many_trainees(cohort):
    course, booking, _order, call = _office_course()
    step_ids = _steps(course)
    counts = []
    for size, prefix in ((1, "a"), (6, "b")):
        for n, learner in enumerate(add_trainees(cohort, size, prefix=prefix)):
            _call(learner, call, 1, passed=n % 2 == 0, compliance=100, accuracy=80, service=60, efficiency=40)
            _shift(learner, booking, passed=n % 2 == 1)
        with CaptureQueriesContext(connection) as queries:
            office_results(learners=cohort_trainees(cohort), step_ids=step_ids)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 4


def test_the_dashboard_shows_both_charts_with_table_alternatives(client, supervisor, cohort):
    course, booking, _order, call = _office_course()
    ann, bob = add_trainees(cohort, 2)
    _call(ann, call, 1, passed=True, compliance=100, accuracy=90, service=80, efficiency=70)
    _shift(bob, booking, passed=False)
    client.force_login(supervisor)
    page = client.get(reverse("cohort_matrix", args=[cohort.pk]) + f"?course={course.pk}").content.decode()
    assert 'aria-labelledby="call-axes-title call-axes-desc"' in page
    assert 'aria-labelledby="task-kinds-title task-kinds-desc"' in page
    assert '<th scope="row">Compliance (privacy and safety)</th><td class="num">100%</td><td class="num">1</td>' in page
    assert (
        '<th scope="row">S · Scheduling</th><td class="num">1</td><td class="num">0</td><td class="num">0%</td>' in page
    )
    assert "<summary>Show the task kinds as a table</summary>" in page


def test_a_course_without_office_steps_shows_no_office_section(client, supervisor, cohort, quiz_course):
    add_trainees(cohort, 1)
    client.force_login(supervisor)
    page = client.get(reverse("cohort_matrix", args=[cohort.pk])).content.decode()
    assert 'id="office-heading"' not in page
