import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from coursesite.people.models import Membership, User
from coursesite.progress.models import Completion
from tests.factories import QuestionFactory, make_course, make_quiz


@pytest.fixture
def quiz_course(db):
    """Two lessons then a quiz (attempts: 2, time limit: 10 minutes)."""
    course = make_course(lessons=2, slug="quiz-course")
    make_quiz(course, questions=[QuestionFactory()], attempts_allowed=2, time_limit_minutes=10)
    return course


def steps_of(course) -> list:
    return list(course.get_children().live().order_by("path"))


def add_trainees(cohort, count: int, *, prefix: str = "t") -> list[User]:
    users = User.objects.bulk_create(
        User(email=f"{prefix}{n}@example.test", display_name=f"Trainee {prefix}{n:03d}", password="!")
        for n in range(count)
    )
    users = list(User.objects.filter(email__in=[u.email for u in users]))
    Membership.objects.bulk_create(Membership(cohort=cohort, user=u, role=Membership.Role.TRAINEE) for u in users)
    return users


def complete(learner, step, course, *, passed: bool = True, score: str | None = None) -> Completion:
    now = timezone.now()
    return Completion.objects.create(
        learner=learner,
        step=step,
        course=course,
        passed=passed,
        score=Decimal(score) if score is not None else None,
        first_completed_at=now,
        completed_at=now,
    )


@pytest.fixture
def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def next_month() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)
