"""A completion rule may ask for minimum hours of time on task, recorded per learner and step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coursesite.certificates.models import CompletionRule
from coursesite.certificates.rules import rule_evaluate
from coursesite.progress.models import Completion
from coursesite.progress.services import completion_record
from coursesite.progress.timing import seconds_on_task
from lessons.services import lesson_complete
from quizzes.models import Attempt
from quizzes.services import attempt_start, attempt_submit
from tests.factories import QuestionFactory, make_course, make_quiz

pytestmark = pytest.mark.django_db


def _backdate(attempt: Attempt, minutes: int) -> Attempt:
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(minutes=minutes))
    attempt.refresh_from_db()
    return attempt


def _complete_every_step(learner, course, seconds: int) -> None:
    steps = list(course.get_children().live())
    for step in steps:
        completion_record(learner=learner, step=step, course=course, seconds=seconds // len(steps))


def test_time_on_task_is_capped_at_the_time_limit_the_global_cap_and_never_negative(settings):
    settings.PROGRESS_MAX_SECONDS_PER_ATTEMPT = 7200
    start = timezone.now()
    assert seconds_on_task(started_at=start, ended_at=start + timedelta(minutes=25)) == 1500
    assert seconds_on_task(started_at=start, ended_at=start + timedelta(hours=9)) == 7200
    assert seconds_on_task(started_at=start, ended_at=start + timedelta(hours=1), limit_seconds=600) == 600
    assert seconds_on_task(started_at=start, ended_at=start - timedelta(minutes=3)) == 0


def test_quiz_attempts_accumulate_their_time_on_the_step(trainee):
    course = make_course(lessons=0, slug="timed")
    quiz = make_quiz(course, questions=[QuestionFactory(type="truefalse")])
    attempt_submit(attempt=_backdate(attempt_start(quiz=quiz, learner=trainee), 10), answers={})
    attempt_submit(attempt=_backdate(attempt_start(quiz=quiz, learner=trainee), 20), answers={})
    completion = Completion.objects.get(learner=trainee, step=quiz)
    assert completion.attempts == 2
    assert 30 * 60 <= completion.seconds_spent <= 30 * 60 + 5


def test_an_abandoned_attempt_counts_no_more_than_its_time_limit(trainee):
    course = make_course(lessons=0, slug="limited")
    quiz = make_quiz(course, questions=[QuestionFactory(type="truefalse")], time_limit_minutes=15)
    attempt = _backdate(attempt_start(quiz=quiz, learner=trainee), 60 * 24)  # left open for a day
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.started_at + timedelta(minutes=15))
    attempt.refresh_from_db()
    attempt_submit(attempt=attempt, answers={})
    assert Completion.objects.get(learner=trainee, step=quiz).seconds_spent == 15 * 60


def test_an_untimed_attempt_left_open_counts_at_most_the_global_cap(trainee, settings):
    settings.PROGRESS_MAX_SECONDS_PER_ATTEMPT = 2 * 3600
    course = make_course(lessons=0, slug="untimed")
    quiz = make_quiz(course, questions=[QuestionFactory(type="truefalse")])
    attempt_submit(attempt=_backdate(attempt_start(quiz=quiz, learner=trainee), 60 * 9), answers={})
    assert Completion.objects.get(learner=trainee, step=quiz).seconds_spent == 2 * 3600


def test_an_office_shift_records_its_capped_time(trainee, settings):
    from simulations.models import Shift
    from simulations.services import shift_start, shift_submit
    from tests.factories import make_simulation

    settings.PROGRESS_MAX_SECONDS_PER_ATTEMPT = 3600
    course = make_course(lessons=0, slug="office-course")
    page = make_simulation(course)
    shift = shift_start(learner=trainee, page=page, seed="hours")
    Shift.objects.filter(pk=shift.pk).update(started_at=timezone.now() - timedelta(hours=5))
    shift.refresh_from_db()
    shift_submit(shift=shift)
    assert Completion.objects.get(learner=trainee, step=page).seconds_spent == 3600


def test_phone_calls_add_their_capped_time_to_the_step(trainee, settings):
    from simulations.call_services import call_session_start
    from simulations.models import CallSession
    from simulations.solutions import call_work_ideal
    from tests.factories import make_call_page

    settings.PROGRESS_MAX_SECONDS_PER_ATTEMPT = 1800
    course = make_course(lessons=0, slug="calls-course")
    page = make_call_page(course)
    for minutes in (10, 60 * 5):  # a ten-minute call, then one left open for five hours
        session = call_session_start(learner=trainee, page=page)
        CallSession.objects.filter(pk=session.pk).update(started_at=timezone.now() - timedelta(minutes=minutes))
        session.refresh_from_db()
        call_work_ideal(session)
    seconds = Completion.objects.get(learner=trainee, step=page).seconds_spent
    assert 600 + 1800 <= seconds <= 600 + 1800 + 5


def test_a_lesson_counts_its_estimated_minutes_once_however_often_it_is_marked_read(trainee, course):
    lesson = course.get_children().first().specific
    lesson.estimated_minutes = 12
    lesson.save()
    lesson_complete(lesson=lesson, learner=trainee)
    lesson_complete(lesson=lesson, learner=trainee)
    completion = Completion.objects.get(learner=trainee, step=lesson)
    assert completion.attempts == 2 and completion.seconds_spent == 12 * 60


def test_the_rule_is_not_met_below_the_minimum_hours_and_says_how_far_along(trainee, course):
    CompletionRule.objects.create(course=course, min_hours=Decimal("2"))
    _complete_every_step(trainee, course, seconds=90 * 60)
    result = rule_evaluate(learner=trainee, course=course)
    assert not result.met
    assert result.hours_progress == "1.5 of 2 hours"
    assert result.reasons == ["Time on task so far: 1.5 of 2 hours of training."]


def test_the_rule_is_met_once_the_hours_are_reached_and_the_evidence_records_them(trainee, course):
    CompletionRule.objects.create(course=course, min_hours=Decimal("2"))
    _complete_every_step(trainee, course, seconds=2 * 3600)
    result = rule_evaluate(learner=trainee, course=course)
    assert result.met, result.reasons
    assert result.evidence["hours_on_task"] == "2.0" and result.evidence["rule"]["min_hours"] == "2.0"


def test_hours_just_short_of_the_minimum_do_not_round_up_to_it(trainee, course):
    CompletionRule.objects.create(course=course, min_hours=Decimal("1"))
    _complete_every_step(trainee, course, seconds=3600 - 9)
    result = rule_evaluate(learner=trainee, course=course)
    assert not result.met and result.hours_progress == "0.9 of 1 hours"


def test_a_rule_without_minimum_hours_ignores_time(trainee, course):
    CompletionRule.objects.create(course=course, min_score=None)
    _complete_every_step(trainee, course, seconds=0)
    result = rule_evaluate(learner=trainee, course=course)
    assert result.met and result.hours_progress == "" and "hours_on_task" not in result.evidence


def test_an_editor_sets_minimum_hours_on_the_rule(client, editor, course):
    client.force_login(editor)
    url = reverse("wagtailsnippets_certificates_completionrule:add")
    response = client.post(url, {"course": course.pk, "min_hours": "6.5"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CompletionRule.objects.get(course=course).min_hours == Decimal("6.5")
    response = client.post(url, {"course": make_course(slug="other").pk, "min_hours": "-1"})
    assert response.status_code == 200 and CompletionRule.objects.count() == 1


def test_my_certificates_shows_hours_progress_in_bounded_queries(
    client, trainee, course, django_assert_max_num_queries
):
    CompletionRule.objects.create(course=course, min_hours=Decimal("3"))
    other = make_course(lessons=4, slug="second")
    CompletionRule.objects.create(course=other, min_hours=Decimal("1"))
    _complete_every_step(trainee, course, seconds=3600)
    completion_record(learner=trainee, step=other.get_children().first(), course=other, seconds=600)
    client.force_login(trainee)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("my_certificates"))
    body = response.content.decode()
    assert "Working towards" in body
    assert "1 of 3 hours" in body and "0.1 of 1 hours" in body
    assert "“Lesson 2” is not passed yet." in body
