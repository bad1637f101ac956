from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from coursesite.audit.services import audit_record

from .models import Completion
from .signals import step_completed


def _notify_on_commit(completion: Completion) -> None:
    # Listeners (certificates) run only once the completion is really stored: a rolled-back
    # submission notifies nobody.
    transaction.on_commit(
        lambda: step_completed.send(
            sender=Completion,
            learner_id=completion.learner_id,
            step_id=completion.step_id,
            course_id=completion.course_id,
            passed=completion.passed,
        )
    )


def completion_record(
    *,
    learner,
    step,
    course,
    passed: bool = True,
    score: Decimal | None = None,
    keep: str = "best",
    seconds: int | None = None,
    seconds_keep: str = "sum",
) -> Completion:
    """Record that `learner` finished `step` (a page of `course`): the one way progress is written.

    Repeated calls update the same row. `keep="best"` keeps the highest score and never turns a pass
    into a fail; `keep="last"` records the latest outcome (a quiz whose last attempt counts).
    `seconds` is the time on task of this attempt (see `timing.seconds_on_task`): added to the step's
    total with `seconds_keep="sum"` (every attempt counts), or kept as the highest with "max" (a lesson's
    estimated reading time, counted once however often it is marked read).
    """
    seconds = max(0, int(seconds or 0))
    now = timezone.now()
    revision = getattr(step, "latest_revision_id", None)
    with transaction.atomic():
        completion = Completion.objects.select_for_update().filter(learner=learner, step=step).first()
        if completion is None:
            try:
                with transaction.atomic():
                    completion = Completion.objects.create(
                        learner=learner,
                        step=step,
                        course=course,
                        passed=passed,
                        score=score,
                        first_completed_at=now,
                        completed_at=now,
                        content_revision=revision,
                        seconds_spent=seconds,
                    )
            except IntegrityError:
                # Another request recorded it first (two tabs): fall through and update that row.
                completion = Completion.objects.select_for_update().get(learner=learner, step=step)
            else:
                audit_record(
                    action="step_completed",
                    actor=learner,
                    target=step,
                    passed=passed,
                    score=str(score),
                    seconds=seconds,
                )
                _notify_on_commit(completion)
                return completion
        completion.attempts += 1
        completion.completed_at = now
        if keep == "last":
            completion.passed, completion.score = passed, score
        else:
            completion.passed = completion.passed or passed
            if score is not None and (completion.score is None or score > completion.score):
                completion.score = score
        completion.content_revision = revision
        if seconds_keep == "max":
            completion.seconds_spent = max(completion.seconds_spent, seconds)
        else:
            completion.seconds_spent += seconds
        completion.full_clean()
        completion.save()
        audit_record(
            action="step_completed", actor=learner, target=step, passed=passed, score=str(score), seconds=seconds
        )
        _notify_on_commit(completion)
    return completion
