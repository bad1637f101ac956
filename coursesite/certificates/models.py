"""Completion rules, supervisor decisions (sign-off, exceptions) and issued certificates.

Depends on `progress` (what a learner completed) and `people`; the course is referenced by
`lessons.CoursePage` only as a foreign key, and no step app imports this one.
"""

import base64
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin

from .colours import validate_graphic_contrast, validate_hex_colour, validate_text_contrast


def new_verification_code() -> str:
    """16 base32 characters from 80 random bits: unguessable, and easy to type (no 0/1/8/9)."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def normalise_code(raw: str) -> str:
    """What people type ("abcd-efgh ijkl mnop") to the stored form ("ABCDEFGHIJKLMNOP")."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())[:32]


class CompletionRule(models.Model):
    """What a learner must achieve in one course to be certified. Without a rule: every live step passed."""

    course = models.OneToOneField("lessons.CoursePage", on_delete=models.CASCADE, related_name="completion_rule")
    min_score = models.DecimalField(
        "minimum score per graded step",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent. Every scored step (quiz, simulation) must reach it; leave empty to accept any pass.",
    )
    min_hours = models.DecimalField(
        "minimum hours of training",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=(
            "Time on task the learner must have recorded in this course; leave empty for none. Counted: the "
            "time from start to submission of each quiz attempt, office shift and phone call (each capped at "
            "its time limit or 2 hours; unsubmitted attempts count nothing), plus each lesson's estimated "
            "minutes once it is marked read."
        ),
    )
    require_signoff = models.BooleanField(
        "supervisor sign-off required",
        default=False,
        help_text="A supervisor of the learner's cohort must sign off before the certificate is issued.",
    )
    notes = models.TextField(blank=True, help_text="Why the rule is what it is (for other editors).")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("course"),
        FieldPanel("min_score"),
        FieldPanel("min_hours"),
        FieldPanel("require_signoff"),
        FieldPanel("notes"),
    ]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__isnull=True) | (Q(min_score__gte=0) & Q(min_score__lte=100)),
                name="completion_rule_min_score_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(min_hours__isnull=True) | Q(min_hours__gte=0),
                name="completion_rule_min_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Completion rule for {self.course}"

    def describe(self) -> dict:
        return {
            "all_live_steps_passed": True,
            "min_score": str(self.min_score) if self.min_score is not None else None,
            "min_hours": str(self.min_hours) if self.min_hours is not None else None,
            "require_signoff": self.require_signoff,
        }


class SignOff(models.Model):
    """A supervisor confirms that a learner may be certified for a course (when the rule asks for it)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_offs")
    course = models.ForeignKey("lessons.CoursePage", on_delete=models.CASCADE, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "course"], name="one_sign_off_per_learner_course")]

    def __str__(self) -> str:
        return f"Sign-off for {self.learner} in {self.course_id}"


class RuleException(models.Model):
    """A documented exception: one step of the rule is waived for one learner (e.g. prior certification)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rule_exceptions")
    course = models.ForeignKey("lessons.CoursePage", on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(help_text="Why the step is waived; shown in the audit trail and the certificate record.")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "step"], name="one_exception_per_learner_step"),
            models.CheckConstraint(condition=~Q(reason=""), name="rule_exception_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"Exception for {self.learner} on step {self.step_id}"


class CertificateQuerySet(models.QuerySet):
    def current(self) -> "CertificateQuerySet":
        """Neither revoked nor replaced (it may still have expired)."""
        return self.filter(status=Certificate.Status.VALID)

    def for_learner_listing(self, learner) -> "CertificateQuerySet":
        return self.filter(learner=learner).select_related("course").order_by("-issued_at", "-pk")


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        REVOKED = "revoked", "Revoked"
        SUPERSEDED = "superseded", "Superseded"

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    # SET_NULL: a deleted course must not take the record of what was certified with it; the snapshots stay.
    course = models.ForeignKey(
        "lessons.CoursePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates"
    )
    code = models.CharField(max_length=32, unique=True, default=new_verification_code, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALID)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replacements")
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Snapshots: what the certificate said when it was issued, whatever happens to the user or the course.
    learner_name = models.CharField(max_length=150)
    course_title = models.CharField(max_length=255)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    issuer = models.CharField(max_length=200)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    # The rule applied, the completions it counted (step, score, content revision), exceptions and sign-off.
    evidence = models.JSONField(default=dict)
    pdf = models.FileField(upload_to="certificates/", blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    # The last render that failed (timeout, page cap, worker crash): the trainee is told instead of waiting.
    pdf_error = models.CharField(max_length=500, blank=True)
    pdf_failed_at = models.DateTimeField(null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # Two current certificates for one learner and course are impossible, not merely unlikely.
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=Q(status="valid"),
                name="one_current_certificate_per_learner_course",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revoked_reason=""), name="revoked_certificate_has_a_reason"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("issued_at")),
                name="certificate_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_title} · {self.learner_name} ({self.display_code})"

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def in_renewal_window(self, now: datetime | None = None) -> bool:
        """Expired, or close enough to expiry that completing the course again renews it."""
        if self.expires_at is None:
            return False
        window = timedelta(days=settings.CERTIFICATE_RENEWAL_WINDOW_DAYS)
        return self.expires_at - window <= (now or timezone.now())

    @property
    def public_status(self) -> str:
        """valid | expired | revoked | superseded: what the verification page says."""
        if self.status == self.Status.VALID and self.is_expired():
            return "expired"
        return self.status

    @property
    def public_status_label(self) -> str:
        return {
            "valid": "Valid",
            "expired": "Expired",
            "revoked": "Revoked",
            "superseded": "Replaced by a newer certificate",
        }[self.public_status]

    @property
    def pdf_ready(self) -> bool:
        return bool(self.pdf)

    @property
    def pdf_failed(self) -> bool:
        """The PDF is missing because the last render failed (not merely because it has not run yet)."""
        return not self.pdf and bool(self.pdf_error)


class ExpiryReminder(models.Model):
    """One row per reminder e-mailed, so that each rung of the ladder reaches a certificate once."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.SmallIntegerField(help_text="Days before expiry; negative: days after it.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="one_reminder_per_certificate_rung")
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder for certificate {self.certificate_id}"


class CertificateTemplate(PreviewableMixin, models.Model):
    """The words, signatory, images, colours and paper of a course's certificate (or the default one).

    At issue, a certificate copies the issuer and signatory from its course's template (or the default),
    and those copies are what it says for ever. The heading, wording, images, colours and paper are
    presentation, read when the PDF is rendered: a stored PDF never changes, and one rendered again
    later (only when it was never stored) uses the template as it is then. The signature image is drawn
    only while the template's signatory is still the certificate's, so a name never meets another's hand.
    """

    class Paper(models.TextChoices):
        A4_LANDSCAPE = "a4-landscape", "A4, landscape"
        A4_PORTRAIT = "a4-portrait", "A4, portrait"
        LETTER_LANDSCAPE = "letter-landscape", "US Letter, landscape"
        LETTER_PORTRAIT = "letter-portrait", "US Letter, portrait"

    # Width and height in millimetres of each paper size, portrait.
    PAPER_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}

    name = models.CharField(max_length=100, help_text="For editors, e.g. “Default” or “HIPAA course”.")
    course = models.OneToOneField(
        "lessons.CoursePage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_template",
        help_text="Leave empty for the default template, used by every course without its own.",
    )
    heading = models.CharField(max_length=80, default="Certificate of Completion")
    intro = models.CharField(max_length=120, default="This certifies that", help_text="Printed above the name.")
    body = models.CharField(
        max_length=200,
        default="has successfully completed the course",
        help_text="Printed between the learner's name and the course title.",
    )
    issuer = models.CharField("issuing organisation", max_length=200)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A scan of the signatory's signature on a transparent or white background.",
    )
    logo = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    primary_colour = models.CharField(
        max_length=7,
        default="#0b5c75",
        validators=[validate_hex_colour, validate_text_contrast],
        help_text="Heading, course title and frame: text, so at least 4.5:1 against white.",
    )
    accent_colour = models.CharField(
        max_length=7,
        default="#b38b2d",
        validators=[validate_hex_colour, validate_graphic_contrast],
        help_text="Rules and the seal's ring (never text): at least 3:1 against white.",
    )
    paper = models.CharField(max_length=20, choices=Paper.choices, default=Paper.A4_LANDSCAPE)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        MultiFieldPanel([FieldPanel("heading"), FieldPanel("intro"), FieldPanel("body")], heading="Wording"),
        MultiFieldPanel(
            [
                FieldPanel("issuer"),
                FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
                FieldPanel("signature"),
            ],
            heading="Issuer and signatory (copied onto each certificate when it is issued)",
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldRowPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")])],
            heading="Design",
        ),
        FieldPanel("paper"),
    ]

    class Meta:
        constraints = [
            # One template per course, and one default (course empty): NULLs are otherwise all distinct.
            models.UniqueConstraint(
                Coalesce("course", Value(0)),
                name="one_certificate_template_per_course_and_one_default",
                violation_error_message="There is already a template for this course (or a default one).",
            ),
            models.CheckConstraint(
                condition=Q(primary_colour__regex=r"^#[0-9a-fA-F]{6}$") & Q(accent_colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="certificate_template_colours_are_hex",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def landscape(self) -> bool:
        return self.paper.endswith("landscape")

    @property
    def page_size_mm(self) -> tuple[float, float]:
        """(width, height) of the page in millimetres."""
        short, long = self.PAPER_MM[self.paper.split("-")[0]]
        return (long, short) if self.landscape else (short, long)

    @property
    def page_size_css(self) -> str:
        width, height = self.page_size_mm
        return f"{width}mm {height}mm"

    preview_modes = [("", "Certificate (web page)"), ("pdf", "Certificate (PDF)")]

    def serve_preview(self, request, mode_name):
        """A sample certificate with made-up learner data, as HTML or as the real PDF."""
        from .rendering import template_preview_response

        return template_preview_response(self, request=request, as_pdf=mode_name == "pdf")
