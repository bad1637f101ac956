"""Supervisors' views: cohort matrix and export, trainee records, the audit trail review.

Thin views: each scopes the cohort with `cohort_for_supervisor` (404 outside the supervisor's own
cohorts), calls one selector or service, and renders.
"""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from coursesite.people import selectors as people_selectors
from coursesite.people.access import SUPERVISOR, access
from coursesite.people.services import assignment_override_set
from quizzes.services import accommodation_add

from . import selectors, services
from .charts import Bar, horizontal_bar_chart
from .forms import AccommodationForm, CommentForm, DueDateOverrideForm, MatrixFilterForm, NudgeForm
from .models import SpreadsheetExport

# Trainees per page of the matrix: 50 × 40 steps is 2,000 cells, a page that renders in a few milliseconds
# (bench/dashboard.py); filtering, sorting and the cohort's figures still cover every trainee.
MATRIX_PAGE_SIZE = 50
# The needs-attention panel lists this many trainees; the matrix's "overdue only" filter shows the rest.
ATTENTION_SHOWN = 20


def _chosen_course(form: MatrixFilterForm, courses: list):
    by_id = {course.pk: course for course in courses}
    if form.is_valid() and form.cleaned_data.get("course") in by_id:
        return by_id[form.cleaned_data["course"]]
    return courses[0] if courses else None


@access(SUPERVISOR)
def cohort_matrix(request, cohort_id: int):
    cohort = people_selectors.cohort_for_supervisor(request.user, cohort_id)
    courses = selectors.cohort_courses(cohort)
    form = MatrixFilterForm(request.GET or None, courses=courses)
    course = _chosen_course(form, courses)
    context = {"cohort": cohort, "form": form, "courses": courses, "course": course}
    context["attention"], context["attention_count"] = selectors.cohort_attention(cohort=cohort, limit=ATTENTION_SHOWN)
    if course is not None:
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        sort = data.get("sort") or "name"
        matrix = selectors.cohort_matrix(
            cohort=cohort,
            course=course,
            status=data.get("status") or "",
            overdue_only=bool(data.get("overdue")),
            sort=sort.lstrip("-"),
            descending=sort.startswith("-"),
            page=request.GET.get("page"),
            per_page=MATRIX_PAGE_SIZE,
        )
        completion = matrix.step_completion()
        query = request.GET.copy()
        query.pop("page", None)
        context["matrix"] = matrix
        context["rows"] = matrix.page
        context["page_query"] = query.urlencode() + "&" if query else ""
        context["step_completion"] = completion
        context["chart"] = horizontal_bar_chart(
            chart_id="step-completion",
            title=f"Trainees who passed each step of {course.title}",
            description=(
                f"Bar chart: for each of the {len(completion)} steps, the percentage of the cohort's "
                f"{matrix.trainee_count} trainees who passed it. The same figures are in the table below the chart."
            ),
            bars=[
                Bar(label=f"{step.number}. {step.page.title}", value=percent, note=f"{percent}% ({passed})")
                for step, passed, percent in completion
            ],
        )
        context["score_charts"] = _score_charts(matrix)
        context.update(_office_charts(cohort, matrix))
    return render(request, "reports/cohort_matrix.html", context)


def _office_charts(cohort, matrix) -> dict:
    """Average score per call axis and pass rate per office task kind, for the course's office steps."""
    office = selectors.office_results(
        learners=people_selectors.cohort_trainees(cohort),
        step_ids=selectors.office_step_ids(step.page for step in matrix.steps),
    )
    charts = {"office": office}
    if office.has_calls:
        charts["axis_chart"] = horizontal_bar_chart(
            chart_id="call-axes",
            title=f"Average score per call axis in {matrix.course.title}",
            description=(
                "Bar chart: the cohort's average score, in percent, on each of the four axes phone calls are graded "
                "on, over every finished call that touched the axis. The same figures are in the table below."
            ),
            bars=[
                Bar(label=figure.label, value=figure.average, note=f"{figure.average:.0f}% ({figure.calls})")
                for figure in office.axes
                if figure.average is not None
            ],
        )
    if office.kinds:
        charts["kind_chart"] = horizontal_bar_chart(
            chart_id="task-kinds",
            title=f"Pass rate per office task kind in {matrix.course.title}",
            description=(
                "Bar chart: for each kind of practice-office task (scheduling, registration, charting, claims, "
                "payments, confidentiality, telephone calls), the share of finished shifts and calls that passed. "
                "The same figures are in the table below."
            ),
            bars=[
                Bar(
                    label=f"{figure.kind} · {figure.label}",
                    value=figure.rate,
                    note=f"{figure.rate}% ({figure.passed} of {figure.attempts})",
                )
                for figure in office.kinds
            ],
        )
    return charts


def _score_charts(matrix) -> list[dict]:
    """A score-distribution chart per quiz of the course, from the bands counted in the database."""
    charts = []
    for step, bands, count in matrix.quiz_bands():
        charts.append(
            {
                "step": step,
                "bands": bands,
                "count": count,
                "svg": horizontal_bar_chart(
                    chart_id=f"scores-{step.page.pk}",
                    title=f"Scores on {step.page.title}",
                    description=(
                        f"Bar chart: how many of the {count} trainees with a score on this quiz fall in each "
                        "20-point band. The same figures are in the table below the chart."
                    ),
                    bars=[Bar(label=f"{label}%", value=n, note=str(n)) for label, n in bands],
                    maximum=max((n for _label, n in bands), default=0) or 1,
                    unit="",
                ),
            }
        )
    return charts


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer over a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_safe(value):
    # Cells starting with = + - @ are formulas to a spreadsheet (CSV injection): prefix them.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@access(SUPERVISOR)
def cohort_matrix_csv(request, cohort_id: int):
    cohort = people_selectors.cohort_for_supervisor(request.user, cohort_id)
    courses = selectors.cohort_courses(cohort)
    course = _chosen_course(MatrixFilterForm(request.GET or None, courses=courses), courses)
    if course is None:
        messages.error(request, "There is no course to export yet.")
        return redirect("cohort_matrix", cohort_id=cohort.pk)
    services.matrix_exported(cohort=cohort, course=course, viewer=request.user, request=request)
    writer = csv.writer(_Echo())
    rows = selectors.cohort_matrix_csv_rows(cohort=cohort, course=course)
    response = StreamingHttpResponse(
        (writer.writerow([_csv_safe(value) for value in row]) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}-{course.slug}.csv"'
    return response


@require_POST
@access(SUPERVISOR)
def cohort_matrix_xlsx(request, cohort_id: int):
    """Start an Excel export in the background and send the supervisor to its progress page."""
    cohort = people_selectors.cohort_for_supervisor(request.user, cohort_id)
    courses = selectors.cohort_courses(cohort)
    course = _chosen_course(MatrixFilterForm(request.POST or None, courses=courses), courses)
    if course is None:
        messages.error(request, "There is no course to export yet.")
        return redirect("cohort_matrix", cohort_id=cohort.pk)
    export = services.spreadsheet_export_request(
        cohort=cohort, course=course, requested_by=request.user, request=request
    )
    return redirect("spreadsheet_export", cohort_id=cohort.pk, export_id=export.pk)


@access(SUPERVISOR)
def spreadsheet_export(request, cohort_id: int, export_id: int):
    cohort = people_selectors.cohort_for_supervisor(request.user, cohort_id)
    export = get_object_or_404(SpreadsheetExport.objects.select_related("course"), pk=export_id, cohort=cohort)
    return render(request, "reports/spreadsheet_export.html", {"cohort": cohort, "export": export})


@access(SUPERVISOR)
def spreadsheet_export_download(request, cohort_id: int, export_id: int):
    cohort = people_selectors.cohort_for_supervisor(request.user, cohort_id)
    export = get_object_or_404(SpreadsheetExport, pk=export_id, cohort=cohort, status=SpreadsheetExport.Status.DONE)
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])


def _record_context(request, cohort, learner, **forms) -> dict:
    record = selectors.trainee_record(cohort=cohort, learner=learner)
    return {
        "cohort": cohort,
        "learner": learner,
        "record": record,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "nudge_form": forms.get("nudge_form") or NudgeForm(),
        "accommodation_form": forms.get("accommodation_form") or AccommodationForm(quizzes=record.quizzes),
        "override_form": forms.get("override_form") or DueDateOverrideForm(cohort=cohort),
    }


def _cohort_and_trainee(request, cohort_id: int, user_id: int):
    cohort = people_selectors.cohort_for_supervisor(request.user, cohort_id)
    return cohort, people_selectors.cohort_trainee(cohort, user_id)


@access(SUPERVISOR)
def trainee_record(request, cohort_id: int, user_id: int):
    cohort, learner = _cohort_and_trainee(request, cohort_id, user_id)
    services.trainee_record_viewed(cohort=cohort, learner=learner, viewer=request.user, request=request)
    return render(request, "reports/trainee_record.html", _record_context(request, cohort, learner))


@access(SUPERVISOR)
def trainee_record_pdf(request, cohort_id: int, user_id: int):
    """The training record as a PDF for an auditor (audited as an export)."""
    from coursesite.audit.services import audit_record
    from coursesite.certificates.pdf import RenderError

    from .record_pdf import training_record_pdf

    cohort, learner = _cohort_and_trainee(request, cohort_id, user_id)
    try:
        pdf = training_record_pdf(cohort=cohort, learner=learner, generated_by=request.user)
    except RenderError as error:
        messages.error(request, f"The training record PDF could not be produced ({error}). Try again in a minute.")
        return _back_to_record(cohort, learner)
    audit_record(action="training_record_exported", target=learner, request=request, cohort=cohort.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"training-record-{slugify(learner.display_name) or learner.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _back_to_record(cohort, learner):
    return redirect("trainee_record", cohort_id=cohort.pk, user_id=learner.pk)


@require_POST
@access(SUPERVISOR)
def trainee_comment_add(request, cohort_id: int, user_id: int):
    cohort, learner = _cohort_and_trainee(request, cohort_id, user_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = _record_context(request, cohort, learner, comment_form=form)
        return render(request, "reports/trainee_record.html", context, status=400)
    services.comment_add(
        cohort=cohort, learner=learner, author=request.user, body=form.cleaned_data["body"], request=request
    )
    messages.success(request, "Comment added.")
    return _back_to_record(cohort, learner)


@require_POST
@access(SUPERVISOR)
def trainee_accommodation_grant(request, cohort_id: int, user_id: int):
    cohort, learner = _cohort_and_trainee(request, cohort_id, user_id)
    record = selectors.trainee_record(cohort=cohort, learner=learner)
    form = AccommodationForm(request.POST, quizzes=record.quizzes)
    if not form.is_valid():
        context = _record_context(request, cohort, learner, accommodation_form=form)
        return render(request, "reports/trainee_record.html", context, status=400)
    try:
        accommodation_add(learner=learner, granted_by=request.user, request=request, **form.cleaned_data)
    except ValidationError:
        form.add_error(None, "That would take this trainee past 20 extra attempts or 600 extra minutes at this quiz.")
        context = _record_context(request, cohort, learner, accommodation_form=form)
        return render(request, "reports/trainee_record.html", context, status=400)
    messages.success(request, f"Granted to {learner} for “{form.cleaned_data['quiz'].title}”.")
    return _back_to_record(cohort, learner)


@require_POST
@access(SUPERVISOR)
def trainee_due_date_override(request, cohort_id: int, user_id: int):
    cohort, learner = _cohort_and_trainee(request, cohort_id, user_id)
    form = DueDateOverrideForm(request.POST, cohort=cohort)
    if not form.is_valid():
        context = _record_context(request, cohort, learner, override_form=form)
        return render(request, "reports/trainee_record.html", context, status=400)
    assignment_override_set(learner=learner, actor=request.user, request=request, **form.cleaned_data)
    messages.success(request, f"{learner} now has until {form.cleaned_data['due_on']:%b %d, %Y}.")
    return _back_to_record(cohort, learner)


@require_POST
@access(SUPERVISOR)
def trainee_nudge(request, cohort_id: int, user_id: int):
    cohort, learner = _cohort_and_trainee(request, cohort_id, user_id)
    form = NudgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.trainee_nudge(cohort=cohort, learner=learner, sender=request.user, note=note, request=request)
    except services.NudgeTooSoon as exc:
        messages.warning(request, f"{exc} Try again later.")
    else:
        messages.success(request, f"Reminder emailed to {learner}.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(back)
    return redirect(reverse("trainee_record", args=[cohort.pk, learner.pk]))


@access(SUPERVISOR)
def audit_review(request):
    """The audit trail a supervisor may review (their cohorts'), or all of it for an administrator."""
    events = selectors.audit_events_for(request.user)
    action = request.GET.get("action", "").strip()[:64]
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "reports/audit_review.html", {"page_obj": page, "action": action})


@access(SUPERVISOR)
def organisation_summary(request):
    """Every cohort the user may see (all of them for an administrator) × its assigned courses."""
    summary = selectors.organisation_summary(user=request.user)
    return render(request, "reports/organisation_summary.html", {"summary": summary})
