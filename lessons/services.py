from django.db import transaction

from coursesite.progress.models import Completion
from coursesite.progress.services import completion_record


@transaction.atomic
def lesson_complete(*, lesson, learner, request=None) -> Completion:
    """Mark a lesson as read. Idempotent: a second click updates the same Completion.

    Lessons have no timer: reading one counts its estimated minutes towards time on task, once.
    """
    return completion_record(
        learner=learner,
        step=lesson,
        course=lesson.get_parent(),
        passed=True,
        seconds=lesson.estimated_minutes * 60,
        seconds_keep="max",
    )
