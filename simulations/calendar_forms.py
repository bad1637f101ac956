"""Forms of the series and block screens. They parse and check formats; the rules (what may be booked
or blocked) are the services' (simulations/calendar_services.py), so a form and a test give the same
answer."""

from datetime import date, time

from django import forms

from .forms import _choices
from .models import ProviderBlock
from .series import FREQUENCIES, SERIES_MAX_COUNT, SERIES_MAX_INTERVAL
from .services import CONTACT_CHANNELS


class SeriesForm(forms.Form):
    patient = forms.IntegerField(widget=forms.HiddenInput)
    provider = forms.ChoiceField(label="Provider")
    type = forms.ChoiceField(label="Appointment type")
    first_date = forms.DateField(label="First date", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time", "step": 900}))
    frequency = forms.ChoiceField(
        label="Repeats", choices=list(FREQUENCIES.items()), initial="weekly", widget=forms.RadioSelect
    )
    interval = forms.IntegerField(
        label="Every how many weeks (weekly series)", initial=1, min_value=1, max_value=SERIES_MAX_INTERVAL,
        error_messages={"min_value": f"Repeat every 1 to {SERIES_MAX_INTERVAL} weeks.",
                        "max_value": f"Repeat every 1 to {SERIES_MAX_INTERVAL} weeks."},
    )  # fmt: skip
    count = forms.IntegerField(
        label="Number of visits", min_value=1, max_value=SERIES_MAX_COUNT,
        error_messages={"min_value": f"A series has between 1 and {SERIES_MAX_COUNT} visits.",
                        "max_value": f"A series has between 1 and {SERIES_MAX_COUNT} visits."},
    )  # fmt: skip
    auth_number = forms.CharField(
        label="Prior-authorization number", required=False, max_length=40,
        help_text="Only for visit types the payer must approve first.",
    )  # fmt: skip

    def __init__(self, *args, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = _choices(rules["providers"])
        self.fields["type"].choices = [(k, f"{t['name']} ({t['minutes']} min)") for k, t in rules["types"].items()]


def parse_occurrences(post, count: int) -> list[tuple[date, time]] | None:
    """The confirmed occurrences (`occurrence-1` … `occurrence-<count>`, each "YYYY-MM-DDTHH:MM"), or
    None if one is missing or malformed."""
    found = []
    for number in range(1, count + 1):
        value = str(post.get(f"occurrence-{number}", ""))
        try:
            day, at = value.split("T")
            found.append((date.fromisoformat(day), time.fromisoformat(at)))
        except ValueError:
            return None
    return found


class SeriesCancelForm(forms.Form):
    appointment = forms.IntegerField(widget=forms.HiddenInput)
    scope = forms.ChoiceField(
        label="Cancel", choices=[("one", "This visit only"), ("rest", "This visit and every later one")],
        widget=forms.RadioSelect, initial="one",
    )  # fmt: skip
    late = forms.BooleanField(label="Late cancellation (less than 24 hours' notice)", required=False)
    reason = forms.CharField(label="Reason given by the patient", max_length=200)


class BlockForm(forms.Form):
    provider = forms.ChoiceField(label="Provider")
    first_date = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    last_date = forms.DateField(
        label="Last day", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for a single day.",
    )  # fmt: skip
    start = forms.TimeField(
        label="From", required=False, widget=forms.TimeInput(attrs={"type": "time", "step": 900}),
        help_text="Leave both times empty to block whole days.",
    )  # fmt: skip
    end = forms.TimeField(label="Until", required=False, widget=forms.TimeInput(attrs={"type": "time", "step": 900}))
    reason = forms.ChoiceField(label="Reason", choices=ProviderBlock.Reason.choices)
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)

    def __init__(self, *args, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = _choices(rules["providers"])


CHANNEL_CHOICES = list(CONTACT_CHANNELS.items())


class BlockCancelForm(forms.Form):
    appointment = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label="How you told the patient", choices=CHANNEL_CHOICES)
    notice = forms.CharField(label="Notice given or sent", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class BlockMoveForm(BlockCancelForm):
    slot = forms.CharField(label="Move to", max_length=60)

    def clean_slot(self) -> tuple[str, date, time]:
        try:
            provider, day, at = self.cleaned_data["slot"].split("|")
            return provider, date.fromisoformat(day), time.fromisoformat(at)
        except ValueError as exc:
            raise forms.ValidationError("Choose one of the open slots offered.") from exc
