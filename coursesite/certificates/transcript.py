"""A trainee's own transcript: every step they completed, in every course, and every certificate they
hold or held, as one PDF they can keep or hand to an employer (issue #8, "My certificates").

It reads only `progress` and the trainee's certificates, so it works across cohorts and survives a
course being edited or a step being removed: a completion keeps its title through its page, and a
certificate keeps the course title and name it was issued with.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Page

from coursesite.people.models import User
from coursesite.progress.models import Completion

from .models import Certificate
from .pdf import render_pdf


@dataclass
class TranscriptCourse:
    course: Page
    completions: list[Completion] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        seconds = sum(c.seconds_spent for c in self.completions)
        return (Decimal(seconds) / 3600).quantize(Decimal("0.1"))


def learner_transcript(*, learner: User) -> tuple[list[TranscriptCourse], list[Certificate]]:
    """The learner's completions grouped by course, in course and step order, and all their certificates
    (two queries whatever the number of courses)."""
    courses: dict[int, TranscriptCourse] = {}
    completions = (
        Completion.objects.filter(learner=learner)
        .select_related("course", "step")
        .only(
            "passed",
            "score",
            "attempts",
            "first_completed_at",
            "completed_at",
            "content_revision",
            "seconds_spent",
            "course__title",
            "course__path",
            "step__title",
            "step__path",
        )  # fmt: skip
        .order_by("course__path", "step__path")
    )
    for completion in completions:
        entry = courses.setdefault(completion.course_id, TranscriptCourse(course=completion.course))
        entry.completions.append(completion)
    certificates = list(Certificate.objects.filter(learner=learner).order_by("-issued_at", "-pk"))
    return list(courses.values()), certificates


def learner_transcript_pdf(*, learner: User) -> bytes:
    """The transcript as a tagged PDF. Raises coursesite.certificates.pdf.RenderError when it cannot be made."""
    courses, certificates = learner_transcript(learner=learner)
    html = render_to_string(
        "certificates/transcript_pdf.html",
        {"learner": learner, "courses": courses, "certificates": certificates, "generated_at": timezone.now()},
    )
    return render_pdf(html)
