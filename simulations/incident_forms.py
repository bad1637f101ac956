"""Forms of the privacy screens: the incident report, the privacy-officer routing note, break-the-glass."""

from django import forms

from .incident_services import PHI_ELEMENTS
from .models import IncidentReport
from .models.incidents import Risk
from .privacy.breach import EXCEPTIONS, FACTORS
from .privacy.emergency_access import REASONS, SECTIONS

DATE = forms.DateInput(attrs={"type": "date"})


def _factor(name: str, label: str) -> forms.ChoiceField:
    citation, text = FACTORS[name]
    return forms.ChoiceField(
        label=label, choices=Risk.choices, widget=forms.RadioSelect, help_text=f"{text} ({citation})"
    )


class IncidentReportForm(forms.Form):
    what_happened = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    occurred_on = forms.DateField(label="Date it happened (if known)", required=False, widget=DATE)
    discovered_on = forms.DateField(
        label="Date discovered",
        widget=DATE,
        help_text="The first day anyone in the practice (other than the person who caused it) knew, or should "
        "reasonably have known (45 CFR 164.404(a)(2)).",
    )
    phi_elements = forms.MultipleChoiceField(
        label="Information involved", choices=list(PHI_ELEMENTS.items()), widget=forms.CheckboxSelectMultiple
    )
    individuals = forms.IntegerField(label="Number of individuals whose information was involved", min_value=1)
    residents_of_one_state = forms.IntegerField(
        label="Most residents of any one state among them", min_value=0, initial=0,
        help_text="More than 500 residents of a state or jurisdiction also requires notice to the media (164.406).",
    )  # fmt: skip
    device = forms.ChoiceField(label="Device", choices=IncidentReport.Device.choices, widget=forms.RadioSelect)
    recipient = forms.ChoiceField(
        label="Who received it or may have it", choices=IncidentReport.Recipient.choices, widget=forms.RadioSelect
    )
    returned_or_destroyed = forms.BooleanField(
        label="The recipient attested that it was returned or destroyed and not kept or passed on", required=False
    )
    nature_and_extent = _factor("nature_and_extent", "1. Nature and extent of the PHI")
    recipient_risk = _factor("recipient", "2. The unauthorized person")
    acquired_or_viewed = _factor("acquired_or_viewed", "3. Acquired or viewed")
    mitigation = _factor("mitigation", "4. Extent mitigated")
    exception = forms.ChoiceField(
        label="An exception of 164.402(1) applies",
        choices=[("", "None"), *((key, f"{text} ({citation})") for key, (citation, text) in EXCEPTIONS.items())],
        required=False,
    )
    individual_notice_by = forms.DateField(
        label="If notification is required: notify individuals no later than",
        required=False,
        widget=DATE,
        help_text="Without unreasonable delay, and at the latest the date you enter (45 CFR 164.404(b)).",
    )

    def clean_individuals(self):
        value = self.cleaned_data["individuals"]
        if value < 1:
            raise forms.ValidationError("At least one individual.")
        return value


class PrivacyOfficerForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput, max_length=40)
    note = forms.CharField(
        label="Note for the privacy officer", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class BreakGlassForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason for emergency access",
        choices=[(key, reason.label) for key, reason in REASONS.items()],
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label="Justification: who needs what, and why it cannot wait",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    sections = forms.MultipleChoiceField(
        label="Scope: the parts of the chart the emergency needs",
        choices=list(SECTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
