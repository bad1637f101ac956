from django import forms

IDENTIFIERS = [("name", "Full name"), ("dob", "Date of birth"), ("address", "Address"), ("phone", "Phone number")]


def _choices(mapping: dict) -> list[tuple[str, str]]:
    return [(key, value["name"]) for key, value in mapping.items()]


class BookingForm(forms.Form):
    patient = forms.IntegerField(widget=forms.HiddenInput)
    provider = forms.ChoiceField(label="Provider")
    type = forms.ChoiceField(label="Appointment type")
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time", "step": 900}))
    auth_number = forms.CharField(
        label="Prior-authorization number", required=False, max_length=40,
        help_text="Only for visit types the payer must approve first.",
    )  # fmt: skip

    def __init__(self, *args, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = _choices(rules["providers"])
        self.fields["type"].choices = [
            (k, f"{t['name']} ({t['minutes']} min{', mornings only' if t['am_only'] else ''})")
            for k, t in rules["types"].items()
        ]


class NextSlotForm(forms.Form):
    find_provider = forms.ChoiceField(label="Provider")
    find_type = forms.ChoiceField(label="Appointment type")

    def __init__(self, *args, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["find_provider"].choices = _choices(rules["providers"])
        self.fields["find_type"].choices = _choices(rules["types"])


class CancelForm(forms.Form):
    late = forms.BooleanField(label="Late cancellation (less than 24 hours' notice)", required=False)
    reason = forms.CharField(label="Reason given by the patient", max_length=200)


class SearchForm(forms.Form):
    name = forms.CharField(label="Name (any part)", required=False, max_length=80)
    dob = forms.DateField(label="Date of birth", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class VerifyForm(forms.Form):
    identifiers = forms.MultipleChoiceField(
        label="Identifiers the caller confirmed", choices=IDENTIFIERS, widget=forms.CheckboxSelectMultiple
    )


class OrderForm(forms.Form):
    text = forms.CharField(label="Order, exactly as written", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CorrectForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="Corrected text", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    reason = forms.CharField(label="Reason for the correction", max_length=300)


class EditForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="New text (replaces the entry)", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class QueryForm(forms.Form):
    question = forms.CharField(
        label="Question for the physician", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class ContactForm(forms.Form):
    channel = forms.ChoiceField(
        label="How you contacted the patient",
        choices=[("phone", "Phone call"), ("voicemail", "Voicemail"), ("letter", "Letter"), ("portal", "Portal message"),
                 ("sms", "Text message")],
    )  # fmt: skip
    note = forms.CharField(label="What was said or sent", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class CallCloseForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput, max_length=40)
    outcome = forms.ChoiceField(
        label="Outcome of the call",
        choices=[
            ("booked", "Appointment booked or changed"),
            ("message", "Message taken for the clinical team"),
            ("transfer", "Warm transfer to clinical staff / told to call 911 now"),
            ("information", "Information given (no clinical content)"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Call note (who called, what they asked, what you did)", widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )  # fmt: skip


class FileDocumentForm(forms.Form):
    item = forms.CharField(label="Document from the inbox", max_length=40)
