from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from coursesite.audit.models import AppendOnlyError, AuditEvent
from coursesite.progress.models import Completion
from coursesite.progress.services import completion_record

pytestmark = pytest.mark.django_db


def test_recording_twice_keeps_one_row_and_the_best_score(trainee, course):
    step = course.get_children().first()
    completion_record(learner=trainee, step=step, course=course, passed=True, score=Decimal("90"))
    completion_record(learner=trainee, step=step, course=course, passed=False, score=Decimal("40"))
    completion = Completion.objects.get(learner=trainee, step=step)
    assert completion.passed and completion.score == Decimal("90") and completion.attempts == 2


def test_keep_last_records_the_latest_outcome(trainee, course):
    step = course.get_children().first()
    completion_record(learner=trainee, step=step, course=course, passed=True, score=Decimal("90"))
    completion_record(learner=trainee, step=step, course=course, passed=False, score=Decimal("40"), keep="last")
    completion = Completion.objects.get(learner=trainee, step=step)
    assert not completion.passed and completion.score == Decimal("40")


def test_a_score_outside_0_to_100_is_refused(trainee, course):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    step = course.get_children().first()
    completion_record(learner=trainee, step=step, course=course)
    with pytest.raises((ValidationError, IntegrityError)):
        completion_record(learner=trainee, step=step, course=course, score=Decimal("101"), keep="last")


def test_every_completion_is_audited_and_the_audit_trail_cannot_be_changed(trainee, course):
    completion_record(learner=trainee, step=course.get_children().first(), course=course)
    event = AuditEvent.objects.get(action="step_completed")
    event.action = "something_else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


@pytest.mark.django_db(transaction=True)
def test_two_tabs_completing_at_once_make_one_completion(trainee, course):
    step = course.get_children().first()

    def complete(_):
        try:
            completion_record(learner=trainee, step=step, course=course)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(complete, range(8)))
    completion = Completion.objects.get(learner=trainee, step=step)
    assert completion.attempts == 8
