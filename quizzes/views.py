"""Project views of the quizzes app (the quiz pages themselves are routes of `QuizPage`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coursesite.people.access import AUTHENTICATED, EDITOR, SUPERVISOR, access
from coursesite.people.selectors import cohort_for_supervisor

from .analysis import MIN_RESPONSES, quiz_item_analysis
from .forms import AccommodationForm, GiftExportForm, GiftImportForm
from .gift import gift_export
from .models import QuizPage
from .selectors import bank_questions, cohort_accommodations, cohort_trainees, quizzes_with_course, supervised_learners
from .services import accommodation_grant, question_bank_import


@access(EDITOR)
def question_bank_gift(request):
    """Import a GIFT file into a course's bank (all or nothing), and the form to download an export."""
    form = GiftImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = question_bank_import(
            course_slug=form.cleaned_data["course"],
            text=form.cleaned_data["file"],
            actor=request.user,
            request=request,
            dry_run=form.cleaned_data["dry_run"],
        )
    context = {"form": form, "export_form": GiftExportForm(), "result": result, "dry_run": form.data.get("dry_run")}
    return render(
        request, "quizzes/question_bank_gift.html", context, status=400 if result and result.problems else 200
    )


@access(EDITOR)
def question_bank_gift_export(request):
    form = GiftExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse("Choose a course to export.", status=400, content_type="text/plain")
    course, topic = form.cleaned_data["course"], form.cleaned_data["topic"]
    response = HttpResponse(
        gift_export(bank_questions(course_slug=course, topic=topic)), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{course}{"-" + topic if topic else ""}.gift"'
    return response


@access(SUPERVISOR)
def quiz_accommodations(request, cohort_id: int):
    """A supervisor's grants of extra attempts and time to the trainees of one of their cohorts."""
    cohort = cohort_for_supervisor(request.user, cohort_id)
    form = AccommodationForm(
        request.POST or None, trainees=cohort_trainees(cohort=cohort), quizzes=quizzes_with_course()
    )
    if request.method == "POST" and form.is_valid():
        accommodation_grant(**form.cleaned_data, granted_by=request.user, request=request)
        messages.success(request, f"Saved the accommodation for {form.cleaned_data['learner'].display_name}.")
        return redirect("quiz_accommodations", cohort_id=cohort.pk)
    context = {
        "cohort": cohort,
        "form": form,
        "accommodations": cohort_accommodations(cohort=cohort),
        "has_trainees": form.fields["learner"].queryset.exists(),
    }
    return render(request, "quizzes/accommodations.html", context, status=400 if form.errors else 200)


@access(AUTHENTICATED)
def quiz_analysis(request, quiz_id: int):
    """Item analysis of one quiz: editors see every attempt, supervisors their own cohorts' trainees'."""
    # Two roles share this page; the access policies name one role each, so the check is here.
    if not (request.user.is_editor or request.user.is_supervisor):
        raise PermissionDenied
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    learners = None if request.user.is_editor else supervised_learners(request.user)
    items = quiz_item_analysis(quiz=quiz, learners=learners)
    context = {"quiz": quiz, "items": items, "scoped": learners is not None, "min_responses": MIN_RESPONSES}
    return render(request, "quizzes/analysis.html", context)
