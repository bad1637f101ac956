"""Calendar rows of a shift's office beyond single appointments: recurring series and provider blocks.

Every row carries `shift` and is read through `for_shift(shift)`; every write goes through a service in
simulations/calendar_services.py that appends to the action log in the same transaction. The rules
(what may be booked where) are plain functions in simulations/booking.py and simulations/series.py.
"""

from django.db import models
from django.db.models import F, Q

from ..series import SERIES_MAX_COUNT, SERIES_MAX_INTERVAL
from .sandbox import Appointment, Patient, SandboxQuerySet, Shift


class AppointmentSeries(models.Model):
    """A recurring booking (e.g. allergy injections weekly × 6): one row, one Appointment per occurrence."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every N weeks"
        WEEKDAYS = "weekdays", "Every weekday (Monday to Friday)"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="appointment_series")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointment_series")
    provider_key = models.CharField(max_length=32)
    type_key = models.CharField(max_length=32)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(default=1, help_text="Weeks between occurrences (weekly series).")
    count = models.PositiveSmallIntegerField()
    first_date = models.DateField()
    start = models.TimeField()
    booked_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=SERIES_MAX_COUNT), name="series_count_between_1_and_52"
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1) & Q(interval__lte=SERIES_MAX_INTERVAL), name="series_interval_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"Series of {self.count} {self.type_key} from {self.first_date}"


class SeriesOccurrence(models.Model):
    """Links one Appointment to its series (its number in the series, 1-based)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="series_occurrences")
    series = models.ForeignKey(AppointmentSeries, on_delete=models.CASCADE, related_name="occurrences")
    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="series_link")
    number = models.PositiveSmallIntegerField()

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="series_occurrence_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="series_occurrence_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} of series {self.series_id}"


class ProviderBlock(models.Model):
    """Time a provider is not available for patients: a meeting, vacation or training. Whole days from
    `first_date` to `last_date`, or the window `start`–`end` on each of those days."""

    class Reason(models.TextChoices):
        MEETING = "meeting", "Meeting"
        VACATION = "vacation", "Vacation"
        TRAINING = "training", "Training"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="provider_blocks")
    key = models.CharField(max_length=40, blank=True, help_text="Set on rows the scenario seeded.")
    provider_key = models.CharField(max_length=32)
    first_date = models.DateField()
    last_date = models.DateField()
    start = models.TimeField(null=True, blank=True, help_text="Empty with `end`: the whole day.")
    end = models.TimeField(null=True, blank=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=200, blank=True)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["first_date", "start", "pk"]
        indexes = [models.Index(fields=["shift", "provider_key", "first_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(last_date__gte=F("first_date")), name="block_ends_after_it_starts"),
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True))
                | (Q(start__isnull=False) & Q(end__isnull=False) & Q(end__gt=F("start"))),
                name="block_is_whole_day_or_a_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_key} {self.get_reason_display()} {self.first_date}"

    @property
    def whole_day(self) -> bool:
        return self.start is None

    def as_rule(self):
        """The block as the booking rules see it (simulations.booking.Block)."""
        from ..booking import Block

        return Block(
            self.provider_key, self.first_date, self.last_date, self.start, self.end, self.get_reason_display()
        )
