"""Privacy incidents and emergency access in a trainee's shift.

`IncidentReport`: the report the trainee files for an incident in the inbox (a misdirected fax, a lost
laptop): the facts, the four-factor risk assessment of 45 CFR 164.402(2) as the trainee rated it, and the
conclusion and notice deadlines computed from them (simulations/privacy/breach.py). Filed once; final.

`BreakGlassGrant`: emergency access to a chart outside the trainee's work queue (45 CFR 164.312(a)(2)(ii)):
reason, justification, scope (chart sections) and a limit in simulated time.

Both hang off a `Shift` and are read through `for_shift(shift)` like every sandbox row.
"""

from django.db import models
from django.db.models import Q

from .sandbox import Patient, SandboxQuerySet, Shift


class Risk(models.TextChoices):
    LOW = "low", "Low"
    HIGH = "high", "Not low (significant or cannot tell)"


class IncidentReport(models.Model):
    class Device(models.TextChoices):
        NONE = "none", "No device involved (paper, fax, e-mail, conversation)"
        ENCRYPTED = "encrypted", "Device encrypted (full-disk, key not lost with it)"
        UNENCRYPTED = "unencrypted", "Device not encrypted"

    class Recipient(models.TextChoices):
        COVERED_ENTITY = "covered_entity", "Another covered entity or business associate (bound by HIPAA)"
        PUBLIC = "public", "A person or business not bound by HIPAA"
        UNKNOWN = "unknown", "Unknown (lost or stolen)"

    class Conclusion(models.TextChoices):
        SECURED = "secured", "Not a breach: the PHI was secured (encrypted)"
        EXCEPTION = "exception", "Not a breach: an exception of 164.402(1) applies"
        LOW_PROBABILITY = "low_probability", "Low probability of compromise: no notification (documented)"
        BREACH = "breach", "Breach of unsecured PHI: notification required"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="incident_reports")
    item_key = models.CharField(max_length=40, help_text="The inbox item reported.")
    what_happened = models.TextField()
    occurred_on = models.DateField(null=True, blank=True)
    discovered_on = models.DateField()
    phi_elements = models.JSONField(default=list)
    individuals = models.PositiveIntegerField()
    residents_of_one_state = models.PositiveIntegerField(
        default=0, help_text="The most affected residents of any one State (164.406)."
    )
    device = models.CharField(max_length=12, choices=Device.choices)
    recipient = models.CharField(max_length=16, choices=Recipient.choices)
    returned_or_destroyed = models.BooleanField(default=False, help_text="The recipient attested it.")
    nature_and_extent = models.CharField(max_length=8, choices=Risk.choices)
    recipient_risk = models.CharField(max_length=8, choices=Risk.choices)
    acquired_or_viewed = models.CharField(max_length=8, choices=Risk.choices)
    mitigation = models.CharField(max_length=8, choices=Risk.choices)
    exception = models.CharField(max_length=32, blank=True, help_text="A key of privacy.breach.EXCEPTIONS.")
    individual_notice_by = models.DateField(
        null=True, blank=True, help_text="The trainee's own date for notifying individuals."
    )
    conclusion = models.CharField(max_length=16, choices=Conclusion.choices)
    reason = models.TextField()
    notifications = models.JSONField(default=list, blank=True, help_text="[{to, due, citation}] as computed.")
    filed_at_sim = models.DateTimeField()
    filed_at = models.DateTimeField()

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["filed_at_sim", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "item_key"], name="one_incident_report_per_item"),
            models.CheckConstraint(condition=Q(individuals__gte=1), name="incident_affects_someone"),
            models.CheckConstraint(
                condition=Q(residents_of_one_state__lte=models.F("individuals")),
                name="incident_state_residents_within_individuals",
            ),
            models.CheckConstraint(
                condition=Q(discovered_on__gte=models.F("occurred_on")) | Q(occurred_on__isnull=True),
                name="incident_discovered_after_it_happened",
            ),
        ]

    def __str__(self) -> str:
        return f"Incident {self.item_key} ({self.get_conclusion_display()})"

    @property
    def is_breach(self) -> bool:
        return self.conclusion == self.Conclusion.BREACH


class BreakGlassGrant(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="break_glass_grants")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.CharField(max_length=32)
    justification = models.TextField()
    sections = models.JSONField(default=list)
    granted_at_sim = models.DateTimeField()
    expires_at_sim = models.DateTimeField(null=True, blank=True, help_text="Empty: until the shift ends.")
    granted_at = models.DateTimeField()
    notified = models.JSONField(default=list, blank=True, help_text="The supervisors' addresses the notice went to.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["granted_at_sim", "pk"]
        indexes = [models.Index(fields=["shift", "patient"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at_sim__isnull=True) | Q(expires_at_sim__gt=models.F("granted_at_sim")),
                name="break_glass_expires_after_grant",
            ),
            models.CheckConstraint(condition=~Q(justification=""), name="break_glass_is_justified"),
        ]

    def __str__(self) -> str:
        return f"Break-the-glass on {self.patient_id} ({self.reason})"

    @property
    def reason_label(self) -> str:
        from ..privacy.emergency_access import REASONS

        return REASONS[self.reason].label if self.reason in REASONS else self.reason

    @property
    def reason_justified(self) -> bool:
        from ..privacy.emergency_access import reason_justifies

        return reason_justifies(self.reason)

    def is_active(self, now) -> bool:
        return self.expires_at_sim is None or now < self.expires_at_sim
