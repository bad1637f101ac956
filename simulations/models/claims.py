"""Claim follow-up rows of a shift's office: how claims descend from one another (replacement, void,
secondary), the denial work queue's decisions, and the defects a trainee marks in a claim batch.

Every row carries `shift` and is read through `for_shift(shift)`; every write goes through a service in
simulations/claims_services.py that appends to the action log in the same transaction.
"""

from django.db import models
from django.db.models import F, Q

from .billing import Claim
from .sandbox import SandboxQuerySet, Shift


class ClaimLink(models.Model):
    """A claim made from an earlier one: its replacement (frequency 7), its void (8), the secondary claim
    sent after the primary's remittance (task B5, B6), or the same claim sent to the payer that should
    have had it (a CO-22 / CO-109 denial worked in the queue, task P4)."""

    class Kind(models.TextChoices):
        REPLACEMENT = "replacement", "Replacement (7)"
        VOID = "void", "Void (8)"
        SECONDARY = "secondary", "Secondary claim"
        REBILL = "rebill", "Sent to the right payer"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="claim_links")
    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="link")
    source = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="derived")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(claim=F("source")), name="claim_link_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of claim {self.source_id}"


class DenialWork(models.Model):
    """The trainee's decision on one denied adjustment of a posted remittance (task P4)."""

    class Action(models.TextChoices):
        CORRECT_RESUBMIT = "correct_resubmit", "Correct and resubmit"
        APPEAL = "appeal", "Appeal with documentation"
        BILL_SECONDARY = "bill_secondary", "Bill the other payer"
        BILL_PATIENT = "bill_patient", "Bill the patient"
        WRITE_OFF = "write_off", "Write off"
        VERIFY_ELIGIBILITY = "verify_eligibility", "Verify eligibility"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="denial_work")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="denial_work")
    line_id = models.CharField(max_length=30)
    group = models.CharField(max_length=2)
    carc = models.CharField(max_length=8)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    action = models.CharField(max_length=20, choices=Action.choices)
    # appeal: reason, documents, deadline; write-off: reason; others: note, created claim, payer...
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "claim", "line_id", "group", "carc"], name="one_action_per_denial"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="denial_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.group}-{self.carc} on {self.line_id}: {self.action}"


class DefectMark(models.Model):
    """A defect the trainee marked on a claim of a batch (task B4), graded against the seeded list."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="defect_marks")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="defect_marks")
    defect = models.CharField(max_length=40, help_text="A scrubber finding key (billing.claims.Problem.key).")
    created_at = models.DateTimeField(help_text="Simulated office time.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "claim", "defect"], name="defect_marked_once_per_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.defect} on claim {self.claim_id}"
