import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coursesite.audit.models import AuditEvent
from coursesite.people.models import Assignment, AssignmentOverride
from coursesite.reports.models import Nudge, SupervisorComment
from quizzes.models import Attempt, QuizAccommodation, QuizPage
from quizzes.services import AttemptLimitReached, attempt_start, attempt_submit
from tests.factories import QuestionFactory, SupervisorCommentFactory, make_quiz

from .conftest import complete, steps_of


def record_url(cohort, learner, suffix: str = "") -> str:
    return reverse("trainee_record", args=[cohort.pk, learner.pk]) + suffix


def fail_quiz(quiz, learner) -> Attempt:
    attempt = attempt_start(quiz=quiz, learner=learner)
    return attempt_submit(attempt=attempt, answers={1: "o1"})


def test_the_record_shows_each_step_and_every_quiz_attempt(client, supervisor, cohort, trainee, quiz_course):
    lesson1, _lesson2, quiz = steps_of(quiz_course)
    complete(trainee, lesson1, quiz_course)
    fail_quiz(quiz.specific, trainee)
    client.force_login(supervisor)
    page = client.get(record_url(cohort, trainee)).content.decode()
    assert "1. Lesson 1" in page and "3. Quiz quiz" in page
    assert '<td class="num">1</td>' in page and '<td class="num">0%</td>' in page
    assert "Not passed</span>" in page


def test_every_view_of_a_record_is_audited(client, supervisor, cohort, trainee, quiz_course):
    client.force_login(supervisor)
    client.get(record_url(cohort, trainee))
    client.get(record_url(cohort, trainee))
    events = AuditEvent.objects.filter(action="trainee_record_viewed")
    assert events.count() == 2
    event = events.first()
    assert event.actor == supervisor and event.target == f"people.user:{trainee.pk}"
    assert event.detail == {"cohort": cohort.pk} and event.ip_address == "127.0.0.1"


def test_a_trainee_outside_the_cohort_is_a_404_and_nothing_is_audited(
    client, supervisor, other_supervisor, cohort, other_cohort, trainee, other_trainee, quiz_course
):
    client.force_login(supervisor)
    assert client.get(record_url(cohort, other_trainee)).status_code == 404
    assert client.get(record_url(cohort, supervisor)).status_code == 404  # a supervisor is not a trainee
    client.force_login(other_supervisor)
    assert client.get(record_url(cohort, trainee)).status_code == 404
    assert client.get(record_url(other_cohort, trainee)).status_code == 404
    assert client.post(record_url(other_cohort, trainee, "nudge/")).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["trainee_record_viewed", "trainee_nudged"]).exists()
    assert not mail.outbox


def test_the_record_runs_a_fixed_number_of_queries(client, supervisor, cohort, trainee, quiz_course):
    client.force_login(supervisor)
    counts = []
    for extra in range(2):
        # More quizzes and more attempts must not add queries.
        quiz = make_quiz(quiz_course, questions=[QuestionFactory()], slug=f"more-{extra}")
        for _ in range(extra + 1):
            fail_quiz(quiz, trainee)
            SupervisorCommentFactory(cohort=cohort, learner=trainee, author=supervisor)
        QuizAccommodation.objects.create(
            learner=trainee, quiz=quiz, extra_attempts=1, reason="r", granted_by=supervisor, granted_at=timezone.now()
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(record_url(cohort, trainee)).status_code == 200
        counts.append(len(queries))
    # 22 before, plus the retention date (user, activity of every kind in one UNION, certificates).
    assert counts[0] == counts[1] <= 25, counts


def test_a_supervisor_comments_on_a_record_and_the_comment_is_audited(client, supervisor, cohort, trainee, quiz_course):
    client.force_login(supervisor)
    response = client.post(record_url(cohort, trainee, "comments/"), {"body": "  Needs help with <b>HIPAA</b>  "})
    assert response.status_code == 302
    comment = SupervisorComment.objects.get()
    assert (comment.body, comment.author, comment.learner, comment.cohort) == (
        "Needs help with <b>HIPAA</b>",
        supervisor,
        trainee,
        cohort,
    )
    assert AuditEvent.objects.filter(action="trainee_comment_added", detail__comment=comment.pk).exists()
    page = client.get(record_url(cohort, trainee)).content.decode()
    assert "Needs help with &lt;b&gt;HIPAA&lt;/b&gt;" in page
    empty = client.post(record_url(cohort, trainee, "comments/"), {"body": " "})
    assert empty.status_code == 400 and SupervisorComment.objects.count() == 1


def test_an_extra_attempt_and_extra_time_let_the_trainee_start_again(client, supervisor, cohort, trainee, quiz_course):
    quiz = steps_of(quiz_course)[2].specific
    fail_quiz(quiz, trainee)
    fail_quiz(quiz, trainee)
    with pytest.raises(AttemptLimitReached):
        attempt_start(quiz=quiz, learner=trainee)
    client.force_login(supervisor)
    response = client.post(
        record_url(cohort, trainee, "accommodations/"),
        {"quiz": quiz.pk, "extra_attempts": 1, "extra_minutes": 15, "reason": "Documented accommodation"},
    )
    assert response.status_code == 302
    attempt = attempt_start(quiz=quiz, learner=trainee)
    assert attempt.number == 3
    assert attempt.deadline - attempt.started_at == datetime.timedelta(minutes=25)
    event = AuditEvent.objects.get(action="quiz_accommodation_granted")
    assert event.detail["extra_attempts"] == 1 and event.actor == supervisor
    attempt_submit(attempt=attempt, answers={1: "o1"})
    with pytest.raises(AttemptLimitReached, match="all 3 attempts"):
        attempt_start(quiz=quiz, learner=trainee)
    # The quiz page tells the trainee about the extra attempt.
    client.force_login(trainee)
    assert "including 1 extra granted to you" in client.get(quiz.url).content.decode()


def test_an_accommodation_needs_a_quiz_of_the_cohort_and_something_to_grant(
    client, supervisor, cohort, trainee, quiz_course
):
    from tests.factories import make_course

    elsewhere = make_quiz(make_course(lessons=0, slug="unassigned"), questions=[QuestionFactory()], slug="x")
    Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=timezone.localdate())
    client.force_login(supervisor)
    url = record_url(cohort, trainee, "accommodations/")
    base = {"extra_attempts": 1, "extra_minutes": 0, "reason": "r"}
    assert client.post(url, {**base, "quiz": elsewhere.pk}).status_code == 400
    nothing = {**base, "extra_attempts": 0, "quiz": steps_of(quiz_course)[2].pk}
    assert client.post(url, nothing).status_code == 400
    assert not QuizAccommodation.objects.exists()


def test_unlimited_quizzes_stay_unlimited_with_an_accommodation(trainee, quiz_course):
    from quizzes.selectors import attempt_allowance

    quiz = steps_of(quiz_course)[2].specific
    QuizPage.objects.filter(pk=quiz.pk).update(attempts_allowed=0, time_limit_minutes=0)
    quiz.refresh_from_db()
    QuizAccommodation.objects.create(
        learner=trainee, quiz=quiz, extra_attempts=2, extra_minutes=30, reason="r", granted_at=timezone.now()
    )
    allowance = attempt_allowance(quiz=quiz, learner=trainee)
    assert (allowance.attempts_allowed, allowance.minutes) == (0, 0)


def test_a_nudge_emails_the_trainee_once_an_hour_at_most(client, supervisor, cohort, trainee, quiz_course):
    client.force_login(supervisor)
    url = record_url(cohort, trainee, "nudge/")
    assert client.post(url, {"note": "Quiz 1 is due Friday"}).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [trainee.email] and "Quiz 1 is due Friday" in message.body
    assert "http://testserver/training/" in message.body
    client.post(url)
    assert len(mail.outbox) == 1 and Nudge.objects.count() == 1
    assert AuditEvent.objects.filter(action="trainee_nudged").count() == 1
    assert "A reminder was sent" in client.get(record_url(cohort, trainee)).content.decode()
    Nudge.objects.update(sent_at=timezone.now() - datetime.timedelta(minutes=61))
    client.post(url)
    assert len(mail.outbox) == 2 and Nudge.objects.count() == 2


def test_a_nudge_only_redirects_back_to_this_site(client, supervisor, cohort, trainee, quiz_course):
    client.force_login(supervisor)
    response = client.post(record_url(cohort, trainee, "nudge/"), {"next": "https://evil.example/"})
    assert response["Location"] == record_url(cohort, trainee)
    Nudge.objects.all().delete()
    matrix = reverse("cohort_matrix", args=[cohort.pk])
    response = client.post(record_url(cohort, trainee, "nudge/"), {"next": matrix})
    assert response["Location"] == matrix


def test_a_supervisor_gives_one_trainee_their_own_due_date(client, supervisor, cohort, trainee, quiz_course):
    assignment = Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=datetime.date(2026, 1, 10))
    client.force_login(supervisor)
    url = record_url(cohort, trainee, "due-date/")
    data = {"assignment": assignment.pk, "due_on": "2026-02-20", "reason": "Off sick for two weeks"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "due_on": "2026-02-27"}).status_code == 302
    override = AssignmentOverride.objects.get()
    assert (override.learner, override.due_on, override.granted_by) == (trainee, datetime.date(2026, 2, 27), supervisor)
    assert AuditEvent.objects.filter(action="assignment_override_set", target=f"people.user:{trainee.pk}").count() == 2


def test_a_due_date_cannot_be_set_on_another_cohorts_assignment(
    client, supervisor, cohort, other_cohort, trainee, quiz_course
):
    theirs = Assignment.objects.create(cohort=other_cohort, course=quiz_course, due_on=datetime.date(2026, 1, 10))
    client.force_login(supervisor)
    data = {"assignment": theirs.pk, "due_on": "2026-02-20", "reason": "x"}
    assert client.post(record_url(cohort, trainee, "due-date/"), data).status_code == 400
    assert not AssignmentOverride.objects.exists()


def test_the_override_service_refuses_someone_who_is_not_a_trainee_of_the_cohort(
    supervisor, cohort, other_trainee, quiz_course
):
    from coursesite.people.services import assignment_override_set

    assignment = Assignment.objects.create(cohort=cohort, course=quiz_course, due_on=datetime.date(2026, 1, 10))
    with pytest.raises(ValueError, match="Only a trainee"):
        assignment_override_set(
            assignment=assignment, learner=other_trainee, due_on=datetime.date(2026, 3, 1), reason="x", actor=supervisor
        )
    assert not AssignmentOverride.objects.exists()


def test_accommodations_add_up_to_a_bounded_total(client, supervisor, cohort, trainee, quiz_course):
    quiz = steps_of(quiz_course)[2]
    client.force_login(supervisor)
    url = record_url(cohort, trainee, "accommodations/")
    data = {"quiz": quiz.pk, "extra_attempts": 5, "extra_minutes": 0, "reason": "r"}
    for _ in range(4):
        assert client.post(url, data).status_code == 302
    refused = client.post(url, data)
    assert refused.status_code == 400 and "past 20 extra attempts" in refused.content.decode()
    assert QuizAccommodation.objects.get().extra_attempts == 20
    assert AuditEvent.objects.filter(action="quiz_accommodation_granted").count() == 4


def test_the_record_lists_office_shifts_with_a_replay_link(client, supervisor, cohort, trainee, quiz_course):
    from simulations.services import shift_start
    from tests.factories import make_simulation

    step = make_simulation(quiz_course, slug="office-step")
    shift = shift_start(learner=trainee, page=step, seed="record")
    client.force_login(supervisor)
    page = client.get(record_url(cohort, trainee)).content.decode()
    assert reverse("office_replay", args=[shift.pk]) in page and "In progress" in page
    assert client.get(reverse("office_replay", args=[shift.pk])).status_code == 200


def test_the_training_record_pdf_names_the_trainee_steps_and_versions(client, supervisor, cohort, trainee, quiz_course):
    from io import BytesIO

    from pypdf import PdfReader

    quiz = steps_of(quiz_course)[2].specific
    revision = quiz.save_revision()
    revision.publish()
    quiz.refresh_from_db()
    fail_quiz(quiz, trainee)
    client.force_login(supervisor)
    response = client.get(reverse("trainee_record_pdf", args=[cohort.pk, trainee.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert trainee.display_name in text and quiz.title in text and f"revision {revision.pk}" in text
    assert AuditEvent.objects.filter(action="training_record_exported", actor=supervisor).exists()


def test_the_record_lists_phone_calls_with_their_transcripts(client, supervisor, cohort, trainee, quiz_course):
    from simulations.call_services import call_session_start
    from tests.factories import make_call_page

    session = call_session_start(learner=trainee, page=make_call_page(quiz_course))
    client.force_login(supervisor)
    page = client.get(record_url(cohort, trainee)).content.decode()
    assert reverse("call_transcript", args=[session.pk]) in page
    assert client.get(reverse("call_transcript", args=[session.pk])).status_code == 200
