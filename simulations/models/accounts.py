"""Patient-account rows of a shift's office: desk receipts (copays and payments), payment plans,
statement runs and the daily deposit count.

Money posted to an account is a LedgerEntry (billing.py); these rows hold what the front desk records
around it. Every row carries `shift` and is read through `for_shift(shift)`; every write goes through a
service in simulations/accounts_services.py that appends to the action log in the same transaction.
"""

from django.db import models
from django.db.models import Q

from .billing import LedgerEntry
from .sandbox import Appointment, Patient, SandboxQuerySet, Shift


class Receipt(models.Model):
    """A payment taken from a patient at the desk (a copay at check-in, or a payment on the account)."""

    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        CHECK = "check", "Check"
        CARD = "card", "Card"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="receipts")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="receipts")
    entry = models.OneToOneField(LedgerEntry, on_delete=models.CASCADE, related_name="receipt")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts",
        help_text="Set for a copay taken at check-in.",
    )  # fmt: skip
    number = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    method = models.CharField(max_length=8, choices=Method.choices)
    detail = models.CharField(max_length=10, blank=True, help_text="Check number, or the card's last four digits.")
    taken_on = models.DateField()
    taken_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "number"], name="receipt_number_unique_per_shift"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
            models.CheckConstraint(
                condition=Q(method="cash", detail="")
                | Q(method="check", detail__regex=r"^[0-9]{1,10}$")
                | Q(method="card", detail__regex=r"^[0-9]{4}$"),
                name="receipt_method_detail_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Receipt {self.number}"


class PaymentPlan(models.Model):
    """A monthly instalment plan for a patient balance (billing.payplans); the schedule sums to it."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="payment_plans")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="payment_plans")
    balance = models.DecimalField(max_digits=10, decimal_places=2)
    count = models.PositiveSmallIntegerField()
    first_due = models.DateField()
    schedule = models.JSONField(help_text='[{"number", "due_on", "amount"}] as strings.')
    created_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gt=0), name="payment_plan_balance_positive"),
            models.CheckConstraint(condition=Q(count__gte=1) & Q(count__lte=24), name="payment_plan_count_1_to_24"),
        ]

    def __str__(self) -> str:
        return f"Plan of {self.balance} in {self.count}"


class StatementRun(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="statement_runs")
    as_of = models.DateField()
    created_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Statement run of {self.as_of}"


class Statement(models.Model):
    """One patient's statement in a run: a snapshot of what it said (billing.statements)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="statements")
    run = models.ForeignKey(StatementRun, on_delete=models.CASCADE, related_name="statements")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="statements")
    amount_due = models.DecimalField(max_digits=10, decimal_places=2)
    aging = models.JSONField(help_text='{"0-30", "31-60", "61-90", "90+"} as strings.')
    data = models.JSONField(help_text="Items and notes as printed.")
    pdf = models.FileField(upload_to="statements/", blank=True, help_text="Rendered in the background after the run.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "patient"], name="statement_once_per_patient_per_run"),
            models.CheckConstraint(condition=Q(amount_due__gt=0), name="statement_only_for_a_balance"),
        ]

    def __str__(self) -> str:
        return f"Statement {self.pk}"


class DepositCount(models.Model):
    """The trainee's count of the day's deposit by method, and the reconciliation against the day sheet."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="deposit_counts")
    day = models.DateField()
    counted = models.JSONField(help_text="{method: amount} as strings.")
    expected = models.JSONField(help_text="{method: amount} from the day sheet, as strings.")
    balanced = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Deposit count of {self.day}"
