"""One Completion per (learner, course step): what every dashboard and certificate reads.

This app imports none of the step apps: steps are Wagtail pages, referenced by FK to `wagtailcore.Page`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class CompletionQuerySet(models.QuerySet):
    def for_learner_course(self, learner, course_page) -> "CompletionQuerySet":
        return self.filter(learner=learner, course=course_page)

    def for_cohort_matrix(self, *, learners: models.QuerySet, course) -> "CompletionQuerySet":
        """Every completion of `course` by `learners` (a queryset, sent as a subquery): one query for
        the whole cohort matrix, whatever its number of trainees and steps."""
        return self.filter(learner__in=learners.values("pk"), course=course).only(
            "learner_id", "step_id", "passed", "score", "attempts", "first_completed_at", "completed_at"
        )

    def seconds_spent(self) -> int:
        """Total recorded time on task over these completions (one aggregate query)."""
        return self.aggregate(total=models.Sum("seconds_spent"))["total"] or 0

    def passed(self) -> "CompletionQuerySet":
        return self.filter(passed=True)


class Completion(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="completions")
    step = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="completions")
    course = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    passed = models.BooleanField(default=True)
    # Percent score for graded steps (quizzes, simulations); null for lessons.
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    attempts = models.PositiveIntegerField(default=1)
    first_completed_at = models.DateTimeField()
    completed_at = models.DateTimeField()
    # The page revision the learner completed, so a certificate can name the content version.
    content_revision = models.PositiveBigIntegerField(null=True, blank=True)
    # Time on task, as each step app measures it (coursesite/progress/timing.py): submitted attempts,
    # shifts and calls, each capped; a lesson counts its estimated reading time once.
    seconds_spent = models.PositiveIntegerField(default=0)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "step"], name="one_completion_per_learner_step"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="completion_score_is_a_percentage",
            ),
        ]
        indexes = [models.Index(fields=["learner", "course"]), models.Index(fields=["course", "passed"])]

    def __str__(self) -> str:
        return f"{self.learner} · {self.step_id} · {'passed' if self.passed else 'not passed'}"
