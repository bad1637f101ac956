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
