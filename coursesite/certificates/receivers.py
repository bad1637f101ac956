"""Listeners connected in CertificatesConfig.ready()."""

from .tasks import certificate_issue_task


def issue_after_step_completed(sender, *, learner_id: int, course_id: int, passed: bool, **kwargs) -> None:
    """A passed step may complete the course: check the rule and issue, in the background."""
    if passed:
        certificate_issue_task.enqueue(learner_id=learner_id, course_id=course_id)
