"""A trainee's shift and the office rows that belong to it.

Every row carries `shift`; reads go through `for_shift(shift)` (see simulations/selectors.py), so one
trainee's sandbox can never be read or changed through another's.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from coursesite.audit.models import AppendOnlyError

from .scenario import Scenario, SimulationPage

# Simulated minutes that pass with each logged action: the clock is a function of the log, so a replay
# or a re-grade sees exactly the times the trainee saw.
MINUTES_PER_ACTION = 2


class SandboxQuerySet(models.QuerySet):
    def for_shift(self, shift: "Shift") -> "SandboxQuerySet":
        return self.filter(shift=shift)


class ShiftQuerySet(models.QuerySet):
    def for_learner(self, learner) -> "ShiftQuerySet":
        return self.filter(learner=learner)


class Shift(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        SUBMITTED = "submitted", "Submitted"
        RESET = "reset", "Reset (replaced by a new shift)"

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts")
    page = models.ForeignKey(SimulationPage, on_delete=models.CASCADE, related_name="shifts")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="shifts")
    number = models.PositiveSmallIntegerField()
    seed = models.CharField(max_length=32)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    # The simulated office clock at the start of the shift (office wall-clock time, stored as UTC).
    clock_start = models.DateTimeField()
    actions = models.PositiveIntegerField(default=0, help_text="Number of log rows: the next seq.")
    # Snapshots taken at the start: the office rules and the scenario as parsed with this shift's variant.
    office = models.JSONField()
    variant = models.JSONField()
    result = models.JSONField(null=True, blank=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "page"], condition=Q(status="open"), name="one_open_shift_per_learner_step"
            ),
            models.UniqueConstraint(fields=["learner", "page", "number"], name="shift_number_unique_per_step"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="shift_score_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"Shift {self.number} of {self.learner} on {self.scenario.key}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def now(self) -> datetime:
        """The simulated 'now': the shift's start plus the time its logged actions took."""
        return self.clock_start + timedelta(minutes=MINUTES_PER_ACTION * self.actions)


class Patient(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="patients")
    key = models.SlugField(max_length=64)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    dob = models.DateField()
    sex = models.CharField(max_length=1, choices=[("F", "Female"), ("M", "Male"), ("X", "Other / not stated")])
    phone = models.CharField(max_length=32, blank=True)
    address = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=40, blank=True)
    preferred_contact = models.CharField(max_length=12, blank=True)
    voicemail_ok = models.BooleanField(default=False)
    sms_ok = models.BooleanField(default=False)
    # Insurance lives in Coverage rows (simulations/models/coverage.py): none = self-pay.
    guarantor_key = models.CharField(max_length=64, blank=True)
    problems = models.JSONField(default=list, blank=True)
    registered_in_shift = models.BooleanField(default=False)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shift", "key"], name="patient_key_unique_per_shift")]
        indexes = [models.Index(fields=["shift", "last_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Appointment(models.Model):
    class Status(models.TextChoices):
        # FHIR Appointment statuses (the subset a front desk sets), plus OpenEMR's late cancellation.
        BOOKED = "booked", "Booked"
        ARRIVED = "arrived", "Arrived"
        CANCELLED = "cancelled", "Cancelled"
        CANCELLED_LATE = "cancelled_late", "Cancelled < 24 h"
        NOSHOW = "noshow", "No-show"

    ACTIVE = (Status.BOOKED, Status.ARRIVED)

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="appointments")
    key = models.CharField(max_length=40, blank=True, help_text="Set on rows the scenario seeded.")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    provider_key = models.CharField(max_length=32)
    type_key = models.CharField(max_length=32)
    date = models.DateField()
    start = models.TimeField()
    minutes = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    auth_number = models.CharField(max_length=40, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["shift", "date", "provider_key"])]
        constraints = [models.CheckConstraint(condition=Q(minutes__gt=0), name="appointment_has_a_duration")]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M} {self.provider_key} {self.type_key}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def end(self):
        return (datetime.combine(self.date, self.start) + timedelta(minutes=self.minutes)).time()


class ChartEntry(models.Model):
    class Kind(models.TextChoices):
        ORDER = "order", "Physician order"
        NOTE = "note", "Note"
        CORRECTION = "correction", "Correction"
        QUERY = "query", "Query to the physician"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="chart_entries")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="chart_entries")
    key = models.CharField(max_length=40, blank=True, help_text="Set on rows the scenario seeded.")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    author = models.CharField(max_length=120)
    entered_at = models.DateTimeField(help_text="Simulated office time.")
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    reason = models.CharField(max_length=300, blank=True)
    by_trainee = models.BooleanField(
        default=False, help_text="Entered by the trainee (in this shift or earlier today)."
    )

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["entered_at", "pk"]
        indexes = [models.Index(fields=["shift", "patient"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | (Q(corrects__isnull=False) & ~Q(reason="")),
                name="correction_names_entry_and_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient_id}"


class ActionLogQuerySet(SandboxQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The action log cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The action log cannot be deleted.")


class ActionLog(models.Model):
    """Append-only: every service writes one row in the same transaction as its change."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="log")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    target = models.CharField(max_length=80, blank=True, help_text='"appointment:12", "chart_entry:4", ...')
    patient_key = models.CharField(max_length=64, blank=True)
    at_sim = models.DateTimeField()
    at_real = models.DateTimeField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = ActionLogQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["shift", "seq"], name="action_seq_unique_per_shift")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.kind} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The action log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The action log cannot be deleted.")
