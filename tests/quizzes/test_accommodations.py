"""Extra attempts and time granted by a supervisor, scoped to their own cohorts."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from coursesite.audit.models import AuditEvent
from quizzes.models import QuizAccommodation
from quizzes.selectors import attempt_allowance
from quizzes.services import AttemptLimitReached, accommodation_grant, attempt_start, attempt_submit
from tests.factories import QuestionFactory, make_course, make_quiz

pytestmark = pytest.mark.django_db


def limits(quiz, learner) -> tuple[int, int]:
    allowance = attempt_allowance(quiz=quiz, learner=learner)
    return allowance.attempts_allowed, allowance.minutes


@pytest.fixture
def timed_quiz(db):
    return make_quiz(
        make_course(lessons=0, slug="acc-course"),
        questions=[QuestionFactory(course_slug="acc-course")],
        attempts_allowed=1,
        time_limit_minutes=20,
    )


def grant(learner, quiz, supervisor, attempts=0, minutes=0):
    return accommodation_grant(
        learner=learner,
        quiz=quiz,
        extra_attempts=attempts,
        extra_minutes=minutes,
        reason="Agreed learning plan",
        granted_by=supervisor,
    )


def test_allowance_without_accommodation_is_the_quiz_rule(timed_quiz, trainee):
    assert limits(timed_quiz, trainee) == (1, 20)


def test_quiz_and_all_quizzes_grants_add_up(timed_quiz, trainee, supervisor, other_trainee):
    grant(trainee, timed_quiz, supervisor, attempts=1, minutes=10)
    grant(trainee, None, supervisor, attempts=2, minutes=5)
    grant(other_trainee, timed_quiz, supervisor, attempts=5, minutes=50)
    assert limits(timed_quiz, trainee) == (4, 35)


def test_extras_never_limit_an_unlimited_or_untimed_quiz(trainee, supervisor):
    quiz = make_quiz(make_course(lessons=0, slug="free"), questions=[QuestionFactory()], attempts_allowed=0)
    grant(trainee, quiz, supervisor, attempts=2, minutes=30)
    assert limits(quiz, trainee) == (0, 0)


def test_a_new_grant_replaces_the_old_one_and_is_audited(timed_quiz, trainee, supervisor):
    grant(trainee, timed_quiz, supervisor, attempts=1)
    grant(trainee, timed_quiz, supervisor, attempts=3)
    assert QuizAccommodation.objects.get(learner=trainee, quiz=timed_quiz).extra_attempts == 3
    assert AuditEvent.objects.filter(action="quiz_accommodation_granted", actor=supervisor).count() == 2


def test_the_database_refuses_two_all_quizzes_grants_for_one_learner(trainee, supervisor):
    grant(trainee, None, supervisor, attempts=1)
    with pytest.raises(IntegrityError):
        QuizAccommodation.objects.create(learner=trainee, quiz=None, reason="x", granted_at=timezone.now())


def test_extra_attempts_let_a_learner_start_again_and_extra_minutes_move_the_deadline(timed_quiz, trainee, supervisor):
    first = attempt_start(quiz=timed_quiz, learner=trainee)
    assert first.deadline - first.started_at == timedelta(minutes=20)
    attempt_submit(attempt=first, answers={1: "o0"})
    with pytest.raises(AttemptLimitReached):
        attempt_start(quiz=timed_quiz, learner=trainee)
    grant(trainee, timed_quiz, supervisor, attempts=1, minutes=15)
    second = attempt_start(quiz=timed_quiz, learner=trainee)
    assert second.number == 2 and second.deadline - second.started_at == timedelta(minutes=35)


def test_supervisor_grants_from_the_cohort_page(client, timed_quiz, trainee, supervisor):
    client.force_login(supervisor)
    url = reverse("quiz_accommodations", kwargs={"cohort_id": trainee.memberships.get().cohort_id})
    response = client.post(
        url,
        {"learner": trainee.pk, "quiz": timed_quiz.pk, "extra_attempts": 2, "extra_minutes": 10, "reason": "Plan"},
    )
    assert response.status_code == 302
    assert limits(timed_quiz, trainee) == (3, 30)
    page = client.get(url)
    assert b"Plan" in page.content and trainee.display_name.encode() in page.content


def test_supervisor_cannot_grant_to_a_trainee_outside_the_cohort(
    client, timed_quiz, trainee, other_trainee, supervisor
):
    client.force_login(supervisor)
    url = reverse("quiz_accommodations", kwargs={"cohort_id": trainee.memberships.get().cohort_id})
    response = client.post(
        url, {"learner": other_trainee.pk, "quiz": "", "extra_attempts": 1, "extra_minutes": 0, "reason": "x"}
    )
    assert response.status_code == 400 and not QuizAccommodation.objects.exists()


def test_another_cohorts_supervisor_gets_404(client, cohort, other_supervisor):
    client.force_login(other_supervisor)
    assert client.get(reverse("quiz_accommodations", kwargs={"cohort_id": cohort.pk})).status_code == 404


def test_accommodations_page_queries_do_not_grow_with_trainees(client, timed_quiz, cohort, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MembershipFactory

    client.force_login(supervisor)
    url = reverse("quiz_accommodations", kwargs={"cohort_id": cohort.pk})
    counts = []
    for _ in range(2):
        for _ in range(5):
            member = MembershipFactory(cohort=cohort)
            grant(member.user, None, supervisor, attempts=1)
            grant(member.user, timed_quiz, supervisor, minutes=5)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12, counts
    assert response.content.count(b"Agreed learning plan") == 20
