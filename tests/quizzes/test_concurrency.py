"""Two tabs at once: concurrent starts and submits are serialised, never doubled.

These run on SQLite (a file test database; writers queue on its IMMEDIATE lock) and on PostgreSQL
(row locks) alike: run the suite with DATABASE_URL pointing at PostgreSQL to exercise the latter.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from coursesite.audit.models import AuditEvent
from coursesite.progress.models import Completion
from quizzes.models import Attempt
from quizzes.services import AttemptLimitReached, QuizError, attempt_start, attempt_submit
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


def in_step(function, times: int = 10) -> list:
    """Run `function` in `times` threads released together; results, or the exception each raised."""
    barrier = threading.Barrier(times)

    def run():
        try:
            barrier.wait(timeout=30)
            return function()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return [future.result() for future in [pool.submit(run) for _ in range(times)]]


def test_ten_parallel_start_and_submit_rounds_never_exceed_the_attempt_limit():
    learner = UserFactory()
    quiz = make_quiz(make_course(lessons=0), questions=[QuestionFactory()], attempts_allowed=3)

    def start_and_submit_until_refused():
        # Each thread keeps going until the rules refuse it, so the limit is pressed from ten sides.
        for _round in range(5):
            try:
                attempt_submit(attempt=attempt_start(quiz=quiz, learner=learner), answers={1: "o1"})
            except AttemptLimitReached:
                return "refused"
        return "never refused"

    outcomes = in_step(start_and_submit_until_refused)
    # Refusals are the quiz rules speaking; anything else (a deadlock, a lock timeout) is a bug.
    assert all(o == "refused" or isinstance(o, QuizError) for o in outcomes), outcomes
    attempts = Attempt.objects.filter(learner=learner, quiz=quiz)
    assert attempts.count() == 3 and sorted(attempts.values_list("number", flat=True)) == [1, 2, 3]
    assert not attempts.filter(submitted_at=None).exists()


def test_ten_parallel_submits_grade_one_attempt_exactly_once():
    learner = UserFactory()
    quiz = make_quiz(make_course(lessons=0), questions=[QuestionFactory(), QuestionFactory()], attempts_allowed=1)
    attempt = attempt_start(quiz=quiz, learner=learner)
    outcomes = in_step(lambda: attempt_submit(attempt=attempt, answers={1: "o0", 2: "o1"}))
    assert all(isinstance(o, Attempt) for o in outcomes), outcomes
    assert {(o.pk, o.score, o.submitted_at) for o in outcomes} == {
        (attempt.pk, Decimal("50.00"), outcomes[0].submitted_at)
    }
    assert Attempt.objects.filter(learner=learner, quiz=quiz).count() == 1
    assert AuditEvent.objects.filter(action="quiz_attempt_submitted").count() == 1
    assert Completion.objects.get(learner=learner, step=quiz).attempts == 1
