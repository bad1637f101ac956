import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coursesite.audit.models import AuditEvent
from coursesite.people.models import Assignment, Membership
from coursesite.progress.models import Completion
from coursesite.reports.selectors import cohort_matrix
from tests.factories import AssignmentFactory, AssignmentOverrideFactory, CohortFactory, MembershipFactory, make_course

from .conftest import add_trainees, complete, steps_of


def test_each_cell_shows_passed_failed_not_started_or_overdue_with_its_score(
    cohort, supervisor, quiz_course, yesterday, next_month
):
    ann, bob, cat = add_trainees(cohort, 3)
    lesson1, lesson2, quiz = steps_of(quiz_course)
    assignment = AssignmentFactory(cohort=cohort, course=quiz_course, due_on=yesterday)
    AssignmentOverrideFactory(assignment=assignment, learner=cat, due_on=next_month)
    for step in (lesson1, lesson2):
        complete(ann, step, quiz_course)
    complete(ann, quiz, quiz_course, score="90.00")
    complete(bob, lesson1, quiz_course)
    complete(bob, quiz, quiz_course, passed=False, score="40.00")
    complete(cat, quiz, quiz_course, passed=False, score="55.50")

    matrix = cohort_matrix(cohort=cohort, course=quiz_course)
    rows = {row.learner.pk: row for row in matrix.rows}
    assert [c.status for c in rows[ann.pk].cells] == ["passed", "passed", "passed"]
    # Bob is past the cohort's due date: whatever he has not passed is overdue, his score still shown.
    assert [c.status for c in rows[bob.pk].cells] == ["passed", "overdue", "overdue"]
    assert rows[bob.pk].cells[2].score == 40
    # Cat has her own, later due date: not overdue.
    assert [c.status for c in rows[cat.pk].cells] == ["not_started", "not_started", "failed"]
    assert rows[cat.pk].due_on == next_month and rows[cat.pk].overridden
    assert matrix.completion_rate == 33
    assert str(matrix.average_score) == "61.8"  # (90 + 40 + 55.5) / 3
    assert matrix.overdue_count == 1


def test_filters_by_status_and_overdue_and_sorts_by_progress(cohort, quiz_course, yesterday):
    ann, bob, cat = add_trainees(cohort, 3)
    lesson1, lesson2, quiz = steps_of(quiz_course)
    for step in (lesson1, lesson2, quiz):
        complete(ann, step, quiz_course, score="100.00" if step == quiz else None)
    complete(bob, lesson1, quiz_course)
    Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=yesterday)

    def names(**filters):
        return [row.learner.pk for row in cohort_matrix(cohort=cohort, course=quiz_course, **filters).rows]

    assert names(status="completed") == [ann.pk]
    assert names(status="in_progress") == [bob.pk]
    assert names(status="not_started") == [cat.pk]
    assert names(overdue_only=True) == [bob.pk, cat.pk]
    assert names(sort="progress", descending=True) == [ann.pk, bob.pk, cat.pk]
    assert names(sort="progress") == [cat.pk, bob.pk, ann.pk]
    # The summary always covers the whole cohort, not the filtered rows.
    assert cohort_matrix(cohort=cohort, course=quiz_course, status="completed").overdue_count == 2


def _seed(cohort, course, count: int, prefix: str):
    trainees = add_trainees(cohort, count, prefix=prefix)
    steps = steps_of(course)
    Completion.objects.bulk_create(
        Completion(
            learner=t,
            step=s,
            course=course,
            passed=(n + i) % 3 != 0,
            score=(n * 7 + i) % 100,
            first_completed_at=t.date_joined,
            completed_at=t.date_joined,
        )
        for n, t in enumerate(trainees)
        for i, s in enumerate(steps[: 1 + n % len(steps)])
    )


def test_the_matrix_page_runs_the_same_few_queries_for_5_or_60_trainees(client, supervisor, cohort, yesterday):
    small_course = make_course(lessons=3, slug="small")
    big_course = make_course(lessons=12, slug="big")
    small_cohort, big_cohort = CohortFactory(), cohort
    MembershipFactory(cohort=small_cohort, user=supervisor, role=Membership.Role.SUPERVISOR)
    _seed(small_cohort, small_course, 5, "s")
    _seed(big_cohort, big_course, 60, "b")
    for cohort, course in ((small_cohort, small_course), (big_cohort, big_course)):
        Assignment.objects.create(cohort=cohort, course=course, due_on=yesterday)
    client.force_login(supervisor)
    counts = {}
    for name, cohort, course in (("small", small_cohort, small_course), ("big", big_cohort, big_course)):
        url = reverse("cohort_matrix", args=[cohort.pk]) + f"?course={course.pk}&sort=-progress"
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[name] = len(queries)
    assert response.content.decode().count('<tr>\n            <th scope="row">') == 50  # the first page
    # Session, user, MFA check, cohort, courses; needs attention: trainee ids, assignments, overrides,
    # passes, steps, failures, names listed, nudges; matrix: steps, assignment, trainees, completions
    # counted per trainee, own due dates, step figures, completions of the page; (no office steps, so no
    # office queries); session save (in a savepoint).
    assert counts["small"] == counts["big"] <= 23, counts


def test_cells_carry_a_text_label_not_only_a_colour(client, supervisor, cohort, quiz_course):
    (ann,) = add_trainees(cohort, 1)
    complete(ann, steps_of(quiz_course)[0], quiz_course)
    client.force_login(supervisor)
    page = client.get(reverse("cohort_matrix", args=[cohort.pk])).content.decode()
    assert '<span class="cell__label">Passed</span>' in page
    assert '<span class="cell__label">Not started</span>' in page


def test_the_course_filter_switches_courses_and_ignores_unknown_ids(client, supervisor, cohort, quiz_course):
    other = make_course(lessons=1, slug="other-course")
    add_trainees(cohort, 1)
    client.force_login(supervisor)
    url = reverse("cohort_matrix", args=[cohort.pk])
    page = client.get(url + f"?course={other.pk}").content.decode()
    assert '<h2 id="summary-heading">Course other-course' in page
    page = client.get(url + "?course=999999").content.decode()
    assert '<h2 id="summary-heading">Course quiz-course' in page


def test_the_chart_is_an_accessible_svg_with_a_table_alternative(client, supervisor, cohort, quiz_course):
    (ann,) = add_trainees(cohort, 1)
    complete(ann, steps_of(quiz_course)[0], quiz_course)
    client.force_login(supervisor)
    page = client.get(reverse("cohort_matrix", args=[cohort.pk])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    assert 'aria-labelledby="step-completion-title step-completion-desc"' in page
    assert '<title id="step-completion-title">' in page and '<desc id="step-completion-desc">' in page
    assert "<summary>Show the figures as a table</summary>" in page
    assert '<td class="num">100%</td>' in page  # lesson 1, passed by the one trainee


def test_each_quiz_gets_a_score_distribution_chart_with_a_table(client, supervisor, cohort, quiz_course):
    ann, bob, cat = add_trainees(cohort, 3)
    quiz = steps_of(quiz_course)[2]
    for learner, score in ((ann, "95.00"), (bob, "85.00"), (cat, "40.00")):
        complete(learner, quiz, quiz_course, passed=float(score) >= 80, score=score)
    client.force_login(supervisor)
    page = client.get(reverse("cohort_matrix", args=[cohort.pk])).content.decode()
    assert f'aria-labelledby="scores-{quiz.pk}-title scores-{quiz.pk}-desc"' in page
    assert "3 trainees with a score" in page
    assert '<th scope="row">80–100%</th><td class="num">2</td>' in page
    assert '<th scope="row">40–59%</th><td class="num">1</td>' in page


def test_csv_export_streams_the_matrix_and_is_audited(client, supervisor, cohort, quiz_course, yesterday):
    ann, bob = add_trainees(cohort, 2)
    ann.display_name = "=HYPERLINK(evil)"
    ann.save()
    lesson1, _lesson2, quiz = steps_of(quiz_course)
    complete(ann, lesson1, quiz_course)
    complete(bob, quiz, quiz_course, passed=False, score="40.00")
    Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=yesterday)
    client.force_login(supervisor)
    response = client.get(reverse("cohort_matrix_csv", args=[cohort.pk]) + f"?course={quiz_course.pk}")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="cohort-{cohort.pk}-quiz-course.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Name", "Email", "Due", "Progress %"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email[ann.email][0] == "'=HYPERLINK(evil)"  # no formula reaches a spreadsheet
    assert by_email[ann.email][4:6] == ["Passed", ""]
    assert by_email[bob.email][4:] == ["Overdue", "", "Overdue", "", "Overdue", "40.00"]
    assert by_email[bob.email][2] == yesterday.isoformat()
    event = AuditEvent.objects.get(action="cohort_matrix_exported")
    assert event.actor == supervisor and event.detail["course"] == quiz_course.pk


def test_csv_export_reads_the_same_few_queries_for_any_cohort_size(client, supervisor, cohort, quiz_course):
    client.force_login(supervisor)
    url = reverse("cohort_matrix_csv", args=[cohort.pk]) + f"?course={quiz_course.pk}"
    counts = []
    for count, prefix in ((3, "a"), (40, "b")):
        _seed(cohort, quiz_course, count, prefix)
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(client.get(url).streaming_content).decode()
        counts.append(len(queries))
    assert body.count("\n") == 1 + 43
    assert counts[0] == counts[1], counts


def test_a_supervisor_of_another_cohort_cannot_export_it(client, other_supervisor, cohort, quiz_course):
    client.force_login(other_supervisor)
    assert client.get(reverse("cohort_matrix_csv", args=[cohort.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="cohort_matrix_exported").exists()


def test_the_matrix_pages_large_cohorts_and_keeps_the_filters_in_the_page_links(
    client, supervisor, cohort, quiz_course, yesterday
):
    add_trainees(cohort, 55)
    Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=yesterday)
    client.force_login(supervisor)
    url = reverse("cohort_matrix", args=[cohort.pk]) + f"?course={quiz_course.pk}&sort=-name"
    first = client.get(url).content.decode()
    assert first.count('<th scope="row"><a href') == 50 and "Trainees 1–50 of 55" in first
    assert f"?course={quiz_course.pk}&amp;sort=-name&amp;page=2" in first
    # Everyone is overdue: the attention panel lists 20 and points to the overdue filter.
    assert "20 of 55 shown." in first and first.count('class="attention-item"') == 20
    second = client.get(url + "&page=2").content.decode()
    assert second.count('<th scope="row"><a href') == 5 and "Trainee t000" in second  # Z–A: the first names come last
