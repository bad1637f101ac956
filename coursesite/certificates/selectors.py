"""Reads for certificate pages, scoped to what the asking user may see (404 outside it)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from wagtail.models import Page

from coursesite.people.models import Cohort, Membership, User

from .models import Certificate, CertificateTemplate, RuleException, SignOff, normalise_code
from .rules import CourseRuleProgress, rules_progress_for_learner


@dataclass
class LearnerCertificates:
    current: list[Certificate]
    past: list[Certificate]
    # Courses started but not yet certified, with what the rule still asks for.
    working_towards: list[CourseRuleProgress] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return any(not c.pdf_ready and not c.pdf_failed for c in self.current)


def certificates_for_learner(learner: User) -> LearnerCertificates:
    """The learner's current certificates first, then expired, revoked and replaced ones (one query), and
    the rule's progress in each started course without a current certificate (seven more)."""
    certificates = list(Certificate.objects.for_learner_listing(learner))
    current = [c for c in certificates if c.public_status == "valid"]
    past = [c for c in certificates if c.public_status != "valid"]
    certified = {c.course_id for c in certificates if c.status == Certificate.Status.VALID and c.course_id}
    progress = rules_progress_for_learner(learner=learner, exclude_course_ids=certified)
    return LearnerCertificates(current=current, past=past, working_towards=[p for p in progress if not p.result.met])


def certificate_for_learner(learner: User, certificate_id: int) -> Certificate:
    """The learner's own certificate (not revoked ones: they are void), or 404."""
    return get_object_or_404(
        Certificate.objects.filter(learner=learner).exclude(status=Certificate.Status.REVOKED), pk=certificate_id
    )


def certificate_by_code(code: str) -> Certificate | None:
    code = normalise_code(code)
    return Certificate.objects.filter(code=code).first() if code else None


def _cohort_trainee_ids(cohort: Cohort) -> QuerySet:
    return cohort.memberships.filter(role=Membership.Role.TRAINEE).values("user_id")


def cohort_trainees(cohort: Cohort) -> list[User]:
    return list(User.objects.filter(pk__in=_cohort_trainee_ids(cohort)).order_by("display_name", "email"))


def cohort_trainee(cohort: Cohort, learner_id: int) -> User:
    return get_object_or_404(User.objects.filter(pk__in=_cohort_trainee_ids(cohort)), pk=learner_id)


def cohort_certificates(cohort: Cohort) -> list[Certificate]:
    """Every certificate of the cohort's trainees, newest first, in one query."""
    return list(
        Certificate.objects.filter(learner__in=_cohort_trainee_ids(cohort))
        .select_related("learner", "revoked_by")
        .order_by("learner__display_name", "course_title", "-issued_at", "-pk")
    )


def cohort_current_certificates(cohort: Cohort) -> list[Certificate]:
    """The cohort's trainees' current (valid, unexpired or not) certificates, in one query."""
    return list(
        Certificate.objects.current()
        .filter(learner__in=_cohort_trainee_ids(cohort))
        .order_by("learner_name", "course_title", "pk")
    )


def cohort_certificate(cohort: Cohort, certificate_id: int) -> Certificate:
    """A certificate of one of the cohort's trainees, or 404."""
    return get_object_or_404(
        Certificate.objects.filter(learner__in=_cohort_trainee_ids(cohort)).select_related("learner"),
        pk=certificate_id,
    )


def cohort_decisions(cohort: Cohort) -> dict[str, list]:
    """Sign-offs and rule exceptions on record for the cohort's trainees (two queries)."""
    trainees = _cohort_trainee_ids(cohort)
    return {
        "sign_offs": list(
            SignOff.objects.filter(learner__in=trainees)
            .select_related("learner", "course", "signed_by")
            .order_by("-signed_at")
        ),
        "exceptions": list(
            RuleException.objects.filter(learner__in=trainees)
            .select_related("learner", "course", "step", "granted_by")
            .order_by("-granted_at")
        ),
    }


def live_courses() -> QuerySet:
    from lessons.models import CoursePage

    return CoursePage.objects.live().order_by("path")


def live_course_steps() -> list[tuple[Page, list[Page]]]:
    """Every live course with its live steps in order (for the exception form): two queries."""
    courses = list(live_courses())
    if not courses:
        return []
    by_path: dict[str, list[Page]] = {course.path: [] for course in courses}
    for step in Page.objects.live().filter(depth=courses[0].depth + 1).order_by("path"):
        parent_path = step.path[: -Page.steplen]
        if parent_path in by_path:
            by_path[parent_path].append(step)
    return [(course, by_path[course.path]) for course in courses]


def certificate_template_for(course_id: int | None) -> CertificateTemplate:
    """The course's own template, else the default one, else the built-in design with the issuer from
    settings (unsaved): one query."""
    template = (
        CertificateTemplate.objects.select_related("logo", "signature")
        .filter(Q(course_id=course_id) | Q(course__isnull=True) if course_id else Q(course__isnull=True))
        .order_by(F("course_id").asc(nulls_last=True))
        .first()
    )
    return template or CertificateTemplate(
        name="Built-in default",
        issuer=settings.CERTIFICATE_ISSUER,
        signatory_name=settings.CERTIFICATE_SIGNATORY_NAME,
        signatory_title=settings.CERTIFICATE_SIGNATORY_TITLE,
    )
