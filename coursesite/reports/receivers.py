"""Listeners connected in ReportsConfig.ready(): keep LearnerCourseSummary up to date on write.

Signals are used only for this cache-like table (STYLE.md rule 15): progress and certificates know
nothing about reports. Both listeners run after the write has committed.
"""

from django.db import transaction

from .summaries import learner_course_summary_refresh_quietly


def summary_after_step_completed(sender, *, learner_id: int, course_id: int, **kwargs) -> None:
    # step_completed is already sent on commit (progress.services._notify_on_commit).
    learner_course_summary_refresh_quietly(learner_id=learner_id, course_id=course_id)


def summary_after_certificate_saved(sender, *, instance, raw: bool = False, **kwargs) -> None:
    """Issued, revoked or superseded: the learner's certificate status in the summary changes."""
    if raw or instance.course_id is None:
        return
    learner_id, course_id = instance.learner_id, instance.course_id
    transaction.on_commit(lambda: learner_course_summary_refresh_quietly(learner_id=learner_id, course_id=course_id))


def summaries_after_step_published(sender, *, instance, **kwargs) -> None:
    """Publishing or unpublishing a step changes which completions count: rebuild that course's
    summaries in the background."""
    from coursesite.progress.steps import StepPage

    from .tasks import learner_summaries_rebuild_task

    if not isinstance(instance, StepPage):
        return
    course_id = instance.get_parent().pk
    transaction.on_commit(lambda: learner_summaries_rebuild_task.enqueue(course_id=course_id))
