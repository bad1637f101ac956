from allauth.core import context as allauth_context
from django import forms
from django.core.exceptions import ValidationError
from wagtail.models import Page

from . import selectors
from .models import Cohort


class EnrolmentSignupForm(forms.Form):
    """Extra signup fields (allauth ACCOUNT_SIGNUP_FORM_CLASS): the cohort's enrolment key.

    Validation runs before allauth creates the user, so a bad key creates nothing.
    """

    display_name = forms.CharField(
        label="Full name", max_length=150, help_text="As it should appear on your certificates."
    )
    enrolment_key = forms.CharField(
        label="Enrolment key",
        max_length=32,
        required=False,
        help_text="Your instructor or manager gives you this key. Not needed if you were invited by email.",
    )
    field_order = ["display_name", "email", "password1", "password2", "enrolment_key"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = allauth_context.request
        self.invitation = selectors.invitation_from_session(request) if request else None
        if self.invitation is not None:
            self.fields["enrolment_key"].widget = forms.HiddenInput()
            if "email" in self.fields:
                self.fields["email"].initial = self.invitation.email

    def clean_enrolment_key(self) -> str:
        key = self.cleaned_data["enrolment_key"].strip().upper()
        if self.invitation is not None:
            return key
        if not key:
            raise ValidationError("Enter the enrolment key your instructor or manager gave you.")
        cohort = Cohort.objects.filter(enrolment_key=key).first()
        if cohort is None:
            raise ValidationError("That enrolment key is not valid. Check it with your instructor or manager.")
        if not cohort.key_enabled:
            raise ValidationError("That enrolment key has been turned off. Ask your instructor for the new one.")
        if not cohort.key_is_usable():
            raise ValidationError("That enrolment key has expired. Ask your instructor for a new one.")
        self.cohort = cohort
        return key

    def clean(self):
        cleaned = super().clean()
        if self.invitation is not None:
            email = (cleaned.get("email") or "").strip().lower()
            if email and email != self.invitation.email.lower():
                self.add_error("email", "Use the email address your invitation was sent to.")
        return cleaned

    def signup(self, request, user) -> None:
        from .services import membership_join_by_invitation, membership_join_by_key

        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        if self.invitation is not None:
            membership_join_by_invitation(user=user, invitation=self.invitation, request=request)
            request.session.pop(selectors.INVITATION_SESSION_KEY, None)
        else:
            membership_join_by_key(user=user, cohort=self.cohort, request=request)


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "organisation", "starts_on", "ends_on", "key_enabled", "key_expires_at"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "key_expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
        labels = {"key_enabled": "Enrolment key is on", "key_expires_at": "Key expires at"}
        help_texts = {"organisation": "School or clinic name, shown to trainees."}


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="Email addresses",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One address per line (or separated by commas). Each gets a personal link valid for 14 days.",
    )

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").splitlines()
        emails, bad = [], []
        field = forms.EmailField()
        for item in (line.strip() for line in raw):
            if not item:
                continue
            try:
                emails.append(field.clean(item).lower())
            except ValidationError:
                bad.append(item)
        if bad:
            raise ValidationError("These are not valid email addresses: %(bad)s", params={"bad": ", ".join(bad)})
        if not emails:
            raise ValidationError("Enter at least one email address.")
        if len(emails) > 200:
            raise ValidationError("Invite at most 200 people at a time.")
        return list(dict.fromkeys(emails))


def course_pages():
    """Live course pages, found by content type so that `people` does not import `lessons`."""
    return Page.objects.live().filter(content_type__app_label="lessons", content_type__model="coursepage")


class AssignmentForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Page.objects.none(), empty_label="Choose a course")
    due_on = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = course_pages().order_by("path")
