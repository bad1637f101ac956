from django import forms

from coursesite.people.models import Assignment


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible to the supervisors of this cohort, not to the trainee.",
    )


class NudgeForm(forms.Form):
    note = forms.CharField(
        label="Note for the trainee (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AccommodationForm(forms.Form):
    quiz = forms.TypedChoiceField(coerce=int, choices=())
    extra_attempts = forms.IntegerField(label="Extra attempts", min_value=0, max_value=5, initial=1)
    extra_minutes = forms.IntegerField(
        label="Extra minutes", min_value=0, max_value=120, initial=0, help_text="Only for quizzes with a time limit."
    )
    reason = forms.CharField(max_length=300)

    def __init__(self, *args, quizzes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quizzes = {quiz.pk: quiz for quiz in quizzes}
        self.fields["quiz"].choices = [(quiz.pk, quiz.title) for quiz in quizzes]

    def clean(self):
        data = super().clean()
        if data.get("extra_attempts") == 0 and data.get("extra_minutes") == 0:
            raise forms.ValidationError("Grant at least one extra attempt or some extra minutes.")
        return data

    def clean_quiz(self):
        return self.quizzes[self.cleaned_data["quiz"]].specific


class DueDateOverrideForm(forms.Form):
    assignment = forms.ModelChoiceField(queryset=Assignment.objects.none(), empty_label=None, label="Course")
    due_on = forms.DateField(label="New due date", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=300)

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cohort is not None:
            self.fields["assignment"].queryset = Assignment.objects.filter(cohort=cohort).select_related("course")
        self.fields["assignment"].label_from_instance = lambda a: f"{a.course.title} (cohort due {a.due_on:%Y-%m-%d})"


class MatrixFilterForm(forms.Form):
    course = forms.TypedChoiceField(coerce=int, choices=(), required=False)
    status = forms.ChoiceField(
        choices=[
            ("", "Any"),
            ("not_started", "Not started"),
            ("in_progress", "In progress"),
            ("completed", "Completed"),
        ],
        required=False,
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    sort = forms.ChoiceField(
        choices=[
            ("name", "Name (A–Z)"),
            ("-name", "Name (Z–A)"),
            ("-progress", "Most progress"),
            ("progress", "Least progress"),
        ],
        required=False,
    )

    def __init__(self, *args, courses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [(course.pk, course.title) for course in courses]
