"""A patient's insurance coverages in a shift's office: none (self-pay), a primary, and a secondary.

Each row is one plan as the registration desk records it from the card and the intake form: the payer,
the member and group numbers, who the subscriber (the insured) is, and the patient's relationship to them.
The claim reads the primary row (CMS-1500 boxes 1, 1a, 4, 6, 7, 11, 11a) and names the secondary in box 9.
Which plan is primary is the desk's decision (the coordination-of-benefits rules in simulations/cob.py);
the office stores the trainee's order as entered and the grader judges it.
"""

from django.db import models
from django.db.models import F, Q

from .sandbox import Patient, SandboxQuerySet, Shift


class Coverage(models.Model):
    class Rank(models.IntegerChoices):
        PRIMARY = 1, "Primary"
        SECONDARY = 2, "Secondary"

    class Relationship(models.TextChoices):
        # The patient's relationship to the subscriber, with the X12 individual relationship code (SBR02/PAT01).
        SELF = "self", "Self (18)"
        SPOUSE = "spouse", "Spouse (01)"
        CHILD = "child", "Child (19)"
        OTHER = "other", "Other (G8)"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="coverages")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="coverages")
    rank = models.PositiveSmallIntegerField(choices=Rank.choices)
    payer_key = models.CharField(max_length=32)
    member_id = models.CharField(max_length=40)
    group_number = models.CharField(max_length=40, blank=True)
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    subscriber_first_name = models.CharField(max_length=80)
    subscriber_last_name = models.CharField(max_length=80)
    subscriber_dob = models.DateField(null=True, blank=True, help_text="Box 11a; blank only on migrated rows.")
    subscriber_sex = models.CharField(
        max_length=1, blank=True, choices=[("F", "Female"), ("M", "Male"), ("X", "Other / not stated")]
    )
    effective_from = models.DateField(
        null=True,
        blank=True,
        help_text="The effective date on the card (for the same-birthday rule: since when the plan has covered the subscriber).",
    )
    effective_to = models.DateField(null=True, blank=True)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["patient_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "rank"], name="coverage_one_per_rank"),
            models.CheckConstraint(condition=Q(rank__in=[1, 2]), name="coverage_rank_primary_or_secondary"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="coverage_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["shift", "patient"])]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.payer_key} {self.member_id}"

    @property
    def x12_relationship(self) -> str:
        return {"self": "18", "spouse": "01", "child": "19", "other": "G8"}.get(self.relationship, "")

    @property
    def subscriber_name(self) -> str:
        return f"{self.subscriber_first_name} {self.subscriber_last_name}"
