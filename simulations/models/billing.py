"""Billing rows of a shift's office: the patient ledger, claims (CMS-1500) and remittances.

The rules live in the pure domain (simulations/billing/); these rows persist what it produced. Every row
carries `shift` and is read through `for_shift(shift)`; every write goes through a service in
simulations/billing_services.py that appends to the action log in the same transaction.
"""

from django.db import models
from django.db.models import Q

from .sandbox import Appointment, Patient, SandboxQuerySet, Shift


class Claim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not sent)"
        SUBMITTED = "submitted", "Submitted"
        ADJUDICATED = "adjudicated", "Adjudicated (paid or partly paid)"
        DENIED = "denied", "Denied"

    class Frequency(models.TextChoices):
        ORIGINAL = "1", "1 original"
        REPLACEMENT = "7", "7 replacement"
        VOID = "8", "8 void"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="claims")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="claims")
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="claims")
    number = models.CharField(max_length=20, help_text="Box 26: the practice's claim reference.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    payer_key = models.CharField(max_length=32)
    member_id = models.CharField(max_length=40, blank=True)
    group_number = models.CharField(max_length=40, blank=True)
    relationship = models.CharField(max_length=12, blank=True)
    diagnoses = models.JSONField(default=list, help_text="Box 21, A-L: ICD-10-CM codes.")
    prior_authorization = models.CharField(max_length=40, blank=True)
    frequency = models.CharField(max_length=1, choices=Frequency.choices, default=Frequency.ORIGINAL)
    original_ref = models.CharField(max_length=30, blank=True, help_text="Box 22: the payer's claim number.")
    service_date = models.DateField()
    scrub_at_submission = models.JSONField(null=True, blank=True, help_text="Scrubber findings when it was sent.")
    created_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "number"], name="claim_number_unique_per_shift"),
            models.CheckConstraint(
                condition=Q(frequency="1") | ~Q(original_ref=""), name="claim_replacement_quotes_original"
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.number}"


class ClaimLine(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="claim_lines")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    line_id = models.CharField(max_length=30, help_text="The line reference (REF*6R), also the charge's entry id.")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    units = models.PositiveSmallIntegerField()
    modifiers = models.JSONField(default=list, blank=True)
    pointers = models.JSONField(default=list, help_text="Box 24E: letters into box 21.")
    charge = models.DecimalField(max_digits=10, decimal_places=2)
    place_of_service = models.CharField(max_length=2, default="11")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "line_id"], name="claim_line_id_unique_per_shift"),
            models.CheckConstraint(condition=Q(units__gt=0), name="claim_line_units_positive"),
            models.CheckConstraint(condition=Q(charge__gt=0), name="claim_line_charge_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.code} x{self.units}"


class Remittance(models.Model):
    """The payer's answer to one claim: the adjudication result (an 835's content) as JSON."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="remittances")
    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="remittance")
    trace_number = models.CharField(max_length=30)
    paid_on = models.DateField()
    data = models.JSONField()
    posted = models.BooleanField(default=False)

    objects = SandboxQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Remittance {self.trace_number}"


class LedgerEntry(models.Model):
    """One entry on a patient's account (billing.ledger); amounts are positive, the kind gives the sign."""

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge"
        PAYMENT = "payment", "Payment"
        ADJUSTMENT = "adjustment", "Adjustment (write-off)"
        TRANSFER = "transfer", "Transfer to patient"
        REFUND = "refund", "Refund"

    class Party(models.TextChoices):
        INSURANCE = "insurance", "Insurance"
        PATIENT = "patient", "Patient"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="ledger_entries")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="ledger_entries")
    entry_id = models.CharField(max_length=80)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    posted_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    # charge: code, units, service date, who owes it; payment: payer, method; refund: to, method
    code = models.CharField(max_length=20, blank=True)
    units = models.PositiveSmallIntegerField(default=1)
    service_date = models.DateField(null=True, blank=True)
    party = models.CharField(max_length=10, choices=Party.choices, blank=True)
    method = models.CharField(max_length=8, blank=True)
    # adjustment / transfer: the CAS group and reason
    group = models.CharField(max_length=2, blank=True)
    carc = models.CharField(max_length=8, blank=True)
    charge_id = models.CharField(max_length=80, blank=True, help_text="The charge's entry id this entry applies to.")
    claim_number = models.CharField(max_length=20, blank=True)
    reference = models.CharField(max_length=80, blank=True)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["shift", "patient"])]
        constraints = [
            models.UniqueConstraint(fields=["shift", "entry_id"], name="ledger_entry_id_unique_per_shift"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind__in=["adjustment", "transfer"]) | (~Q(group="") & ~Q(carc="")),
                name="ledger_adjustment_has_group_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="transfer") | Q(group="PR"), name="ledger_only_pr_moves_to_patient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
