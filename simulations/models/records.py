"""The records (release-of-information) desk of a shift's office: documents on file, record sections,
requests and the accounting-of-disclosures log.

The disclosure rules live in the pure domain (simulations/privacy/); these rows persist a shift's desk.
Every row carries `shift` and is read through `for_shift(shift)`; every write goes through a service in
simulations/records_services.py that appends to the action log (and, for PHI, the audit trail).
"""

from django.db import models
from django.db.models import Q

from .sandbox import Patient, SandboxQuerySet, Shift


class RecordsRequest(models.Model):
    """One request at the desk, on the phone, by fax or by mail, about one patient."""

    class Requester(models.TextChoices):
        # The values of simulations.privacy.facts.Requester.
        PATIENT = "patient", "Patient"
        PARENT = "parent", "Parent of a minor"
        REPRESENTATIVE = "representative", "Guardian or health-care agent"
        EXECUTOR = "executor", "Executor of the estate"
        FAMILY = "family", "Family member or friend"
        PROVIDER = "provider", "Another provider's office"
        PAYER = "payer", "Insurer / health plan"
        EMPLOYER = "employer", "Employer"
        ATTORNEY = "attorney", "Attorney"
        POLICE = "police", "Police"
        SCHOOL = "school", "School"
        WORKERS_COMP = "workers_comp", "Workers' compensation carrier"
        MARKETER = "marketer", "Marketer"
        COWORKER = "coworker", "Co-worker"
        STAFF = "staff", "The office"

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone"
        DESK = "desk", "At the desk"
        FAX = "fax", "Fax"
        MAIL = "mail", "Mail"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"

    class Decision(models.TextChoices):
        # The values of simulations.privacy.facts.Outcome.
        RELEASE_FULL = "release_full", "Release in full"
        RELEASE_MINIMUM_NECESSARY = "release_minimum_necessary", "Release the minimum necessary"
        DECLINE = "decline", "Decline"
        ROUTE_TO_PRIVACY_OFFICER = "route_to_privacy_officer", "Route to the privacy officer"
        ACCEPT_ACCESS_REQUEST = "accept_access_request", "Accept the access request"
        ACCEPT_AMENDMENT_REQUEST = "accept_amendment_request", "Accept the amendment request"
        ACCEPT_ACCOUNTING_REQUEST = "accept_accounting_request", "Accept the accounting request"
        ACCOMMODATE = "accommodate", "Accommodate the request"

    class Delivery(models.TextChoices):
        MAIL = "mail", "Mail to the address on file"
        PORTAL = "portal", "Secure patient portal"
        FAX = "fax", "Fax to a verified number"
        PICKUP = "pickup", "Pick-up at the desk (photo ID)"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="records_requests")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="records_requests")
    key = models.SlugField(max_length=40)
    case = models.CharField(max_length=120, help_text="The bank case it was built from (content/privacy).")
    requester = models.CharField(max_length=16, choices=Requester.choices)
    requester_name = models.CharField(max_length=120, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    ask = models.CharField(max_length=32)
    ask_text = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20)
    prompt = models.TextField()
    received_on = models.DateField()
    dates_requested = models.JSONField(default=list, blank=True)
    # What the requester states about the patient (name, dob, address, ...): blank = could not say.
    stated = models.JSONField(default=dict, blank=True)
    # What the chart says that bears on the request (authorized contacts, alerts, flags), shown when checked.
    chart_facts = models.JSONField(default=dict, blank=True)
    callback_confirms = models.BooleanField(default=False, help_text="A call back to the number on file confirms it.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    decision = models.CharField(max_length=32, choices=Decision.choices, blank=True)
    released = models.JSONField(default=list, blank=True, help_text="Keys of the record sections released.")
    delivery = models.CharField(max_length=8, choices=Delivery.choices, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text="The deadline the trainee computed.")
    fee = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "key"], name="records_request_key_unique_per_shift"),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(decision=""), name="records_request_decided_has_decision"
            ),
            models.CheckConstraint(condition=Q(fee__isnull=True) | Q(fee__gte=0), name="records_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Request {self.key} ({self.get_requester_display()})"


class RecordDocument(models.Model):
    """A document on file in the patient's chart, or presented with a request; `fields` is what it says."""

    class Kind(models.TextChoices):
        AUTHORIZATION = "authorization", "Authorization to release information (45 CFR 164.508)"
        HEALTH_CARE_POA = "health_care_poa", "Health-care power of attorney"
        GUARDIANSHIP = "guardianship", "Letters of guardianship"
        CUSTODY = "custody", "Custody order / birth certificate"
        LETTERS_TESTAMENTARY = "letters_testamentary", "Letters testamentary (executor)"
        REPRESENTATIVE = "representative", "Personal-representative designation"
        COURT_ORDER = "court_order", "Court order"
        SUBPOENA = "subpoena", "Subpoena"
        WARRANT = "warrant", "Warrant"
        PART2_CONSENT = "part2_consent", "42 CFR Part 2 consent"
        DIRECTIVE = "directive", "Patient's written directive"
        IDENTIFICATION = "identification", "Identification"
        LETTER = "letter", "Request letter / fax cover"
        AGREEMENT = "agreement", "Parent's agreement"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="record_documents")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="record_documents")
    request = models.ForeignKey(
        RecordsRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="documents",
        help_text="Set when the document came with the request rather than being on file.",
    )  # fmt: skip
    key = models.SlugField(max_length=60)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    fields = models.JSONField(default=list, help_text="[[label, value], ...] as the document shows them.")
    fact = models.CharField(max_length=40, blank=True, help_text="The verification document it stands for.")

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["shift", "key"], name="record_document_key_unique_per_shift")]

    def __str__(self) -> str:
        return self.title


class RecordSection(models.Model):
    """A part of the patient's designated record set that can be released (checkboxes on the release form)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="record_sections")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="record_sections")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    content = models.CharField(max_length=32, help_text="The content kind (simulations.privacy.facts.Content).")
    on_date = models.DateField(null=True, blank=True)
    pages = models.PositiveSmallIntegerField(default=1)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["shift", "key"], name="record_section_key_unique_per_shift")]

    def __str__(self) -> str:
        return self.title


class Disclosure(models.Model):
    """One row of the accounting-of-disclosures log (45 CFR 164.528(b)(2)): date, recipient, what, why,
    legal basis. `excluded` marks the kinds an accounting leaves out (TPO, to the individual, ...)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="disclosures")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="disclosures")
    request = models.ForeignKey(
        RecordsRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    disclosed_on = models.DateField()
    recipient = models.CharField(max_length=200)
    recipient_address = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=300)
    description = models.CharField(max_length=300)
    basis = models.CharField(max_length=32, help_text="simulations.privacy.accounting.Basis")
    excluded = models.BooleanField(help_text="Left out of an accounting (45 CFR 164.528(a)(1)).")
    by_trainee = models.BooleanField(default=False)

    objects = SandboxQuerySet.as_manager()

    class Meta:
        ordering = ["disclosed_on", "pk"]
        indexes = [models.Index(fields=["shift", "patient"])]

    def __str__(self) -> str:
        return f"{self.disclosed_on} to {self.recipient}"
