"""Assignments on the cohort page, the needs-attention list, the SVG chart builder and the audit review."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coursesite.audit.models import AuditEvent
from coursesite.audit.services import audit_record
from coursesite.people.models import Assignment, AssignmentOverride
from coursesite.reports.charts import Bar, horizontal_bar_chart, score_bands
from coursesite.reports.selectors import cohort_needs_attention
from quizzes.services import attempt_start, attempt_submit

from .conftest import add_trainees, complete, steps_of


def test_a_supervisor_assigns_a_course_and_moves_its_due_date(client, supervisor, cohort, quiz_course):
    client.force_login(supervisor)
    url = reverse("cohort_assignment_set", args=[cohort.pk])
    assert client.post(url, {"course": quiz_course.pk, "due_on": "2026-12-01"}).status_code == 302
    assert client.post(url, {"course": quiz_course.pk, "due_on": "2026-12-15"}).status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.cohort, assignment.course_id, assignment.due_on) == (
        cohort,
        quiz_course.pk,
        datetime.date(2026, 12, 15),
    )
    events = list(AuditEvent.objects.filter(action="assignment_set").order_by("pk"))
    assert [e.detail["previous_due_on"] for e in events] == [None, "2026-12-01"]
    page = client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    assert "Dec 15, 2026" in page and "Progress dashboard" in page


def test_only_course_pages_can_be_assigned(client, supervisor, cohort, quiz_course):
    client.force_login(supervisor)
    lesson = steps_of(quiz_course)[0]
    response = client.post(
        reverse("cohort_assignment_set", args=[cohort.pk]), {"course": lesson.pk, "due_on": "2026-12-01"}
    )
    assert response.status_code == 400 and not Assignment.objects.exists()


def test_a_course_is_assigned_once_per_cohort_in_the_database(cohort, quiz_course):
    Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=datetime.date(2026, 1, 1))
    with pytest.raises(IntegrityError):
        Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=datetime.date(2026, 2, 1))


def test_needs_attention_lists_overdue_trainees_and_repeated_quiz_failures(cohort, quiz_course, yesterday, next_month):
    done, late, excused, struggling = add_trainees(cohort, 4)
    for step in steps_of(quiz_course):
        complete(done, step, quiz_course, score="90.00" if step.specific_class.__name__ == "QuizPage" else None)
    assignment = Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=yesterday)
    AssignmentOverride.objects.create(assignment=assignment, learner=excused, due_on=next_month, reason="Ill")
    AssignmentOverride.objects.create(assignment=assignment, learner=struggling, due_on=next_month, reason="Ill")
    quiz = steps_of(quiz_course)[2].specific
    for _ in range(2):
        attempt_submit(attempt=attempt_start(quiz=quiz, learner=struggling), answers={1: "o1"})
    attempt_submit(attempt=attempt_start(quiz=quiz, learner=excused), answers={1: "o1"})  # failed once only

    items = {item.learner.pk: item for item in cohort_needs_attention(cohort=cohort)}
    assert set(items) == {late.pk, struggling.pk}
    assert items[late.pk].reasons == [
        f"Overdue: Course quiz-course was due {yesterday:%b} {yesterday.day}, {yesterday.year}"
    ]
    assert items[struggling.pk].reasons == ["Failed Quiz quiz 2 times"]


def test_one_click_nudge_from_the_attention_list_returns_to_the_dashboard(
    client, supervisor, cohort, quiz_course, yesterday
):
    (late,) = add_trainees(cohort, 1)
    Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=yesterday)
    client.force_login(supervisor)
    dashboard = reverse("cohort_matrix", args=[cohort.pk])
    page = client.get(dashboard).content.decode()
    assert 'Send reminder<span class="visually-hidden"> to Trainee t000' in page
    response = client.post(reverse("trainee_nudge", args=[cohort.pk, late.pk]), {"next": dashboard})
    assert response.status_code == 302 and response["Location"] == dashboard
    assert mail.outbox[0].to == [late.email]
    assert "Reminded within the last hour" in client.get(dashboard).content.decode()


def test_the_attention_list_reads_a_fixed_number_of_queries(cohort, quiz_course, yesterday):
    Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=yesterday)
    counts = []
    for count, prefix in ((2, "a"), (30, "b")):
        add_trainees(cohort, count, prefix=prefix)
        with CaptureQueriesContext(connection) as queries:
            items = cohort_needs_attention(cohort=cohort)
        counts.append(len(queries))
    assert len(items) == 32
    # Trainee ids, assignments, overrides, passes, live steps, failures, names of those listed, nudges.
    assert counts[0] == counts[1] <= 8, counts


def test_the_svg_chart_escapes_titles_and_names_itself_for_screen_readers():
    svg = horizontal_bar_chart(
        chart_id="c1",
        title="Scores <script>",
        description="Desc & more",
        bars=[Bar(label='<img src=x onerror="1">', value=42, note="42% (3)"), Bar(label="Done", value=150)],
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"')
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Scores &lt;script&gt;</title>' in svg
    assert '<desc id="c1-desc">Desc &amp; more</desc>' in svg
    assert "<img" not in svg and "&lt;img src=x" in svg
    assert 'width="138.6"' in svg  # 42% of the 330-pixel bar area
    assert 'width="330.0"' in svg  # a value past the maximum is drawn at the maximum


def test_score_bands_count_each_score_once():
    assert score_bands([0, 19.9, 20, 79, 80, 100]) == [
        ("0–19", 2),
        ("20–39", 1),
        ("40–59", 0),
        ("60–79", 1),
        ("80–100", 2),
    ]


def test_a_supervisor_reviews_only_the_audit_trail_of_their_cohorts(
    client, supervisor, cohort, trainee, other_trainee, other_cohort, admin_user
):
    audit_record(action="quiz_attempt_submitted", actor=trainee)
    audit_record(action="quiz_attempt_submitted", actor=other_trainee)
    audit_record(action="cohort_updated", actor=admin_user, target=cohort)
    audit_record(action="cohort_updated", actor=admin_user, target=other_cohort)
    audit_record(action="trainee_nudged", actor=admin_user, target=trainee, cohort=cohort.pk)
    audit_record(action="trainee_nudged", actor=admin_user, target=other_trainee, cohort=other_cohort.pk)
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("audit_review")).content.decode()
    assert page.count("<tr>\n          <td><time") == 3
    assert other_trainee.email not in page and f"people.cohort:{other_cohort.pk}" not in page
    assert len(queries) <= 12
    client.force_login(admin_user)
    page = client.get(reverse("audit_review") + "?action=cohort_updated").content.decode()
    assert page.count("<tr>\n          <td><time") == 2


def test_the_audit_review_is_paginated(client, admin_user):
    for n in range(55):
        audit_record(action="step_completed", actor=admin_user, n=n)
    client.force_login(admin_user)
    url = reverse("audit_review") + "?action=step_completed"
    first = client.get(url).content.decode()
    second = client.get(url + "&page=2").content.decode()
    assert first.count("<tr>\n          <td><time") == 50 and "Page 1 of 2" in first
    assert second.count("<tr>\n          <td><time") == 5 and "action=step_completed" in second


def test_my_cohorts_counts_the_trainees_of_each_cohort(client, supervisor, cohort, trainee):
    add_trainees(cohort, 2)
    client.force_login(supervisor)
    assert "3 trainees" in client.get(reverse("my_cohorts")).content.decode()
