"""Project views of the quizzes app (the quiz pages themselves are routes of `QuizPage`)."""

from django.http import HttpResponse
from django.shortcuts import render

from coursesite.people.access import EDITOR, access

from .forms import GiftExportForm, GiftImportForm
from .gift import gift_export
from .selectors import bank_questions
from .services import question_bank_import


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
