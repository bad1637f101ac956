"""Users, roles, cohorts, memberships and invitations."""

import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """Email is the login. `display_name` is the name printed on certificates."""

    class Role(models.TextChoices):
        TRAINEE = "trainee", "Trainee"
        SUPERVISOR = "supervisor", "Supervisor"
        EDITOR = "editor", "Editor"
        ADMIN = "admin", "Administrator"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=150, help_text="Your full name as it should appear on certificates.")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.TRAINEE)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else self.email

    @property
    def is_trainee(self) -> bool:
        return self.role == self.Role.TRAINEE

    @property
    def is_supervisor(self) -> bool:
        return self.role in (self.Role.SUPERVISOR, self.Role.ADMIN)

    @property
    def is_editor(self) -> bool:
        return self.role in (self.Role.EDITOR, self.Role.ADMIN)

    @property
    def needs_mfa(self) -> bool:
        """Anyone who can see other people's training data or edit content must use MFA."""
        return self.role != self.Role.TRAINEE or self.is_staff or self.is_superuser


def new_enrolment_key() -> str:
    # 10 characters from an alphabet without look-alikes (0/O, 1/l/I): easy to read aloud in class.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Cohort(models.Model):
    """A school class or a workplace team that trainees join and supervisors manage."""

    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    enrolment_key = models.CharField(max_length=32, unique=True, default=new_enrolment_key)
    key_enabled = models.BooleanField(default=True)
    key_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(User, through="Membership", related_name="cohorts")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def key_is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.key_enabled and (self.key_expires_at is None or self.key_expires_at > now)


class Membership(models.Model):
    class Role(models.TextChoices):
        TRAINEE = "trainee", "Trainee"
        SUPERVISOR = "supervisor", "Supervisor"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.TRAINEE)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="one_membership_per_cohort")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.role})"


def invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An emailed link that lets one address join one cohort without the enrolment key."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.cohort}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.expires_at > now


class Assignment(models.Model):
    """A course a cohort must finish by a date. The course is a `lessons.CoursePage`, referenced as a
    Wagtail page (as `progress` does) so that `people` stays below the step apps."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    assigned_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["cohort", "course"], name="one_assignment_per_cohort_course")]

    def __str__(self) -> str:
        return f"{self.course_id} for {self.cohort} by {self.due_on}"


class AssignmentOverride(models.Model):
    """A different due date for one trainee (illness, late join), with the reason on record."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="overrides")
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignment_overrides")
    due_on = models.DateField()
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "learner"], name="one_override_per_assignment_learner")
        ]

    def __str__(self) -> str:
        return f"{self.learner} due {self.due_on} ({self.assignment_id})"
