from django import forms

from lessons.models import CoursePage

MAX_GIFT_BYTES = 2 * 1024 * 1024


def course_choices() -> list[tuple[str, str]]:
    return [(page.slug, page.title) for page in CoursePage.objects.live().order_by("title").only("slug", "title")]


class GiftImportForm(forms.Form):
    course = forms.ChoiceField(help_text="The course whose question bank receives the questions.")
    file = forms.FileField(label="GIFT file", help_text="A .gift or .txt file in Moodle's GIFT format, UTF-8.")
    dry_run = forms.BooleanField(required=False, label="Only check the file; save nothing")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = course_choices()

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_GIFT_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not UTF-8 text.") from exc


class GiftExportForm(forms.Form):
    course = forms.ChoiceField()
    topic = forms.SlugField(required=False, help_text="Leave empty for the whole bank.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = course_choices()


class AccommodationForm(forms.Form):
    learner = forms.ModelChoiceField(queryset=None, label="Trainee")
    quiz = forms.ChoiceField(label="Quiz", help_text="Every quiz, or just one.")
    extra_attempts = forms.IntegerField(min_value=0, max_value=20, initial=0, label="Extra attempts")
    extra_minutes = forms.IntegerField(
        min_value=0, max_value=600, initial=0, label="Extra minutes", help_text="Added to timed quizzes only."
    )
    reason = forms.CharField(max_length=300, help_text="For the record. No medical details.")

    def __init__(self, *args, trainees, quizzes: list[tuple], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = trainees
        self.fields["learner"].label_from_instance = lambda user: f"{user.display_name} ({user.email})"
        self.quizzes = {str(quiz.pk): quiz for quiz, _course in quizzes}
        self.fields["quiz"].choices = [("", "All quizzes")] + [
            (str(quiz.pk), f"{course} · {quiz.title}" if course else quiz.title) for quiz, course in quizzes
        ]
        self.fields["quiz"].required = False

    def clean_quiz(self):
        return self.quizzes.get(self.cleaned_data["quiz"]) if self.cleaned_data["quiz"] else None
