from django import forms

from coursesite.people.models import User

from .models import normalise_code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=40,
        help_text="The 16-character code printed on the certificate, e.g. ABCD-EFGH-JKLM-NPQR.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) < 16:
            raise forms.ValidationError("A verification code has 16 letters and digits.")
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason for revoking",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown on the public verification page.",
    )


class ReissueForm(forms.Form):
    reason = forms.CharField(label="Reason for reissuing", max_length=1000, required=False)


class _TraineeCourseForm(forms.Form):
    learner = forms.ModelChoiceField(label="Trainee", queryset=User.objects.none())

    def __init__(self, *args, trainees: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = User.objects.filter(pk__in=[t.pk for t in trainees])
        self.fields["learner"].choices = [("", "Choose a trainee")] + [
            (t.pk, f"{t.display_name} ({t.email})") for t in trainees
        ]


class SignOffForm(_TraineeCourseForm):
    course = forms.TypedChoiceField(label="Course", coerce=int)
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)

    def __init__(self, *args, courses: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = {course.pk: course for course in courses}
        self.fields["course"].choices = [("", "Choose a course")] + [(c.pk, c.title) for c in courses]

    def clean_course(self):
        return self.courses[self.cleaned_data["course"]]


class RuleExceptionForm(_TraineeCourseForm):
    step = forms.TypedChoiceField(label="Step to waive", coerce=int)
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept on record and audited.",
    )

    def __init__(self, *args, course_steps: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = {step.pk: (course, step) for course, steps in course_steps for step in steps}
        self.fields["step"].choices = [("", "Choose a step")] + [
            (course.title, [(step.pk, step.title) for step in steps]) for course, steps in course_steps if steps
        ]

    def clean_step(self):
        return self.steps[self.cleaned_data["step"]]
