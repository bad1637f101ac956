"""What supervisors write about trainees: comments on a training record, and reminder emails sent."""

from django.conf import settings
from django.db import models


class SupervisorComment(models.Model):
    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "learner"])]

    def __str__(self) -> str:
        return f"Comment on {self.learner_id} by {self.author_id}"


class Nudge(models.Model):
    """A reminder email sent to a trainee; kept to rate-limit reminders (one per trainee per hour)."""

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["learner", "sent_at"])]

    def __str__(self) -> str:
        return f"Nudge to {self.learner_id} at {self.sent_at:%Y-%m-%d %H:%M}"


class SpreadsheetExport(models.Model):
    """A cohort matrix exported to Excel by a background task; the supervisor watches its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    cohort = models.ForeignKey("people.Cohort", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Excel export {self.pk} of cohort {self.cohort_id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class LearnerCourseSummary(models.Model):
    """One row per (learner, course): a summary of the learner's Completion rows and certificate, kept
    up to date on write (see receivers.py) so that organisation-wide reports read one small row per
    trainee instead of every completion (QUALITY.md P7). `rebuild_learner_summaries` recomputes it all.

    A derived table, never the record itself: Completion and Certificate stay the truth. Whether a
    trainee is overdue depends on today's date and their due date, so it is worked out when read.
    """

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    # Counted over the course's live steps when the row was refreshed; readers compare steps_passed with
    # the course's live step count at read time (one query), so a newly published step is not missed.
    steps_started = models.PositiveIntegerField(default=0)
    steps_passed = models.PositiveIntegerField(default=0)
    average_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    certified_at = models.DateTimeField(null=True, blank=True, help_text="Issue date of the current certificate.")
    certificate_expires_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="one_summary_per_learner_course"),
            models.CheckConstraint(
                condition=models.Q(steps_passed__lte=models.F("steps_started")),
                name="summary_passed_steps_were_started",
            ),
        ]
        indexes = [models.Index(fields=["course", "learner"])]

    def __str__(self) -> str:
        return f"Summary of {self.learner_id} in {self.course_id}: {self.steps_passed} passed"
