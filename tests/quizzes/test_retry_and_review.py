"""A delay between attempts, and right answers withheld until the trainee passes or runs out of attempts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Attempt, QuizPage
from quizzes.services import QuizError, attempt_start, attempt_submit
from tests.factories import make_quiz

pytestmark = pytest.mark.django_db


def test_the_next_attempt_waits_for_the_delay(quiz_course, questions, trainee):
    quiz = make_quiz(quiz_course, questions=questions, retry_delay_minutes=60)
    attempt_submit(attempt=attempt_start(quiz=quiz, learner=trainee), answers={})
    with pytest.raises(QuizError, match="next attempt at"):
        attempt_start(quiz=quiz, learner=trainee)
    assert Attempt.objects.count() == 1
    Attempt.objects.update(submitted_at=timezone.now() - timedelta(minutes=61))
    assert attempt_start(quiz=quiz, learner=trainee).number == 2


def test_the_delay_is_shown_as_a_clear_message_on_the_quiz_page(client, quiz_course, questions, trainee):
    quiz = make_quiz(quiz_course, questions=questions, retry_delay_minutes=30)
    attempt_submit(attempt=attempt_start(quiz=quiz, learner=trainee), answers={})
    client.force_login(trainee)
    response = client.post(quiz.url + "start/", follow=True)
    assert "next attempt at" in response.content.decode()
    assert Attempt.objects.count() == 1


def results(client, quiz, attempt) -> str:
    return client.get(f"{quiz.url}attempt/{attempt.pk}/results/").content.decode()


def test_review_when_done_hides_right_answers_until_the_last_attempt(client, quiz_course, questions, trainee):
    quiz = make_quiz(quiz_course, questions=questions, attempts_allowed=2, review=QuizPage.Review.FULL_WHEN_DONE)
    client.force_login(trainee)
    first = attempt_submit(attempt=attempt_start(quiz=quiz, learner=trainee), answers={})
    page = results(client, quiz, first)
    assert "(right answer)" not in page and "once you pass or have used all your attempts" in page
    second = attempt_submit(attempt=attempt_start(quiz=quiz, learner=trainee), answers={})
    assert "(right answer)" in results(client, quiz, second)
    assert "(right answer)" in results(client, quiz, first), "out of attempts: every attempt may be reviewed"


def test_review_when_done_shows_everything_once_passed(client, quiz_course, questions, trainee, right_form):
    quiz = make_quiz(quiz_course, questions=questions, attempts_allowed=3, review=QuizPage.Review.FULL_WHEN_DONE)
    client.force_login(trainee)
    attempt = attempt_start(quiz=quiz, learner=trainee)
    client.post(f"{quiz.url}attempt/{attempt.pk}/submit/", right_form(attempt))
    attempt.refresh_from_db()
    assert attempt.passed and "(right answer)" in results(client, quiz, attempt)
