"""The per-trainee training record as a PDF for an auditor: who, what, when, which content version,
assessment results and certificates (HIPAA training documentation, 45 CFR 164.530(b)(2)(ii), (j))."""

from django.template.loader import render_to_string
from django.utils import timezone

from coursesite.certificates.models import Certificate
from coursesite.certificates.pdf import render_pdf
from coursesite.people.models import Cohort, User
from coursesite.progress.models import Completion

from .selectors import trainee_record


def training_record_pdf(*, cohort: Cohort, learner: User, generated_by: User) -> bytes:
    """The record as PDF/UA-1. Raises coursesite.certificates.pdf.RenderError when it cannot be produced."""
    record = trainee_record(cohort=cohort, learner=learner)
    revisions = dict(Completion.objects.filter(learner=learner).values_list("step_id", "content_revision"))
    courses = [
        {
            "course": course_record.course,
            "due_on": course_record.due_on,
            "percent": course_record.percent,
            "rows": [{"cell": cell, "revision": revisions.get(cell.step.page.pk)} for cell in course_record.cells],
        }
        for course_record in record.courses
    ]
    context = {
        "record": record,
        "learner": learner,
        "cohort": cohort,
        "courses": courses,
        "certificates": list(Certificate.objects.filter(learner=learner).order_by("-issued_at", "-pk")),
        "generated_at": timezone.now(),
        "generated_by": generated_by,
    }
    html = render_to_string("reports/training_record_pdf.html", context)
    # Tables, not flex rows: WeasyPrint lays tables out about 2.5 times faster (../shared/QUALITY.md).
    # The same guarded render as certificates: a worker process, killed past the time limit.
    return render_pdf(html)
