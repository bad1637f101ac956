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
