"""Two tabs at once: concurrent starts and submits are serialised, never doubled."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from coursesite.progress.models import Completion
from quizzes.models import Attempt
from quizzes.services import attempt_start, attempt_submit
from tests.factories import QuestionFactory, UserFactory, make_course, make_quiz

pytestmark = pytest.mark.django_db(transaction=True)


def in_threads(function, times: int = 4) -> list:
    def run():
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return [future.result() for future in [pool.submit(run) for _ in range(times)]]


def test_concurrent_starts_make_one_attempt_and_concurrent_submits_grade_it_once():
    learner = UserFactory()
    quiz = make_quiz(make_course(lessons=0), questions=[QuestionFactory()], attempts_allowed=1)
    attempts = in_threads(lambda: attempt_start(quiz=quiz, learner=learner))
    assert len({a.pk for a in attempts}) == 1
    assert Attempt.objects.filter(learner=learner, quiz=quiz).count() == 1
    attempt = attempts[0]
    graded = in_threads(lambda: attempt_submit(attempt=attempt, answers={1: "o0"}))
    assert len({(a.score, a.submitted_at) for a in graded}) == 1
    assert Completion.objects.get(learner=learner, step=quiz).attempts == 1
