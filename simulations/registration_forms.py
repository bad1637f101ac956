"""Registration forms: the patient's demographics and up to two coverages (primary, secondary).

The forms validate structure only (a coverage is complete, a secondary needs a primary); which plan is
primary is the trainee's decision, graded afterwards (simulations/grading/registration.py)."""

from django import forms

from .models import Coverage, Patient

DATE = forms.DateInput(attrs={"type": "date"})


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["first_name", "last_name", "dob", "sex", "phone", "address"]
        labels = {"dob": "Date of birth"}
        widgets = {"dob": DATE}


COVERAGE_FIELDS = [
    "payer_key", "member_id", "group_number", "relationship", "subscriber_first_name", "subscriber_last_name",
    "subscriber_dob", "subscriber_sex", "effective_from", "effective_to",
]  # fmt: skip
SUBSCRIBER_FIELDS = ["subscriber_first_name", "subscriber_last_name", "subscriber_dob", "subscriber_sex"]


class CoverageForm(forms.Form):
    """One insurance card. All blank = no such coverage."""

    payer_key = forms.ChoiceField(label="Insurance payer", required=False)
    member_id = forms.CharField(label="Member ID (box 1a)", required=False, max_length=40)
    group_number = forms.CharField(label="Group number (box 11)", required=False, max_length=40)
    relationship = forms.ChoiceField(
        label="Patient's relationship to the subscriber (box 6)",
        required=False,
        choices=[("", "---------"), *Coverage.Relationship.choices],
    )
    subscriber_first_name = forms.CharField(label="Subscriber's first name (box 4)", required=False, max_length=80)
    subscriber_last_name = forms.CharField(label="Subscriber's last name (box 4)", required=False, max_length=80)
    subscriber_dob = forms.DateField(label="Subscriber's date of birth (box 11a)", required=False, widget=DATE)
    subscriber_sex = forms.ChoiceField(
        label="Subscriber's sex (box 11a)", required=False, choices=[("", "---------"), ("F", "Female"), ("M", "Male")]
    )
    effective_from = forms.DateField(label="Coverage effective from", required=False, widget=DATE)
    effective_to = forms.DateField(label="Coverage ends (blank if open)", required=False, widget=DATE)

    def __init__(self, *args, rules: dict, **kwargs):
        super().__init__(*args, **kwargs)
        insurers = [(k, p["name"]) for k, p in rules["payers"].items() if p.get("kind") != "self-pay"]
        self.fields["payer_key"].choices = [("", "None (no coverage)"), *insurers]
        self.payers = {k for k, _ in insurers}

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in COVERAGE_FIELDS)

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in COVERAGE_FIELDS):
            return data
        if not data.get("payer_key"):
            self.add_error("payer_key", "Choose the payer on the card, or clear this coverage's fields.")
        if not (data.get("member_id") or "").strip():
            self.add_error("member_id", "Enter the member ID from the insurance card.")
        if not data.get("relationship"):
            self.add_error("relationship", "Choose the patient's relationship to the subscriber.")
        elif data["relationship"] != "self":
            for name in SUBSCRIBER_FIELDS:
                if not data.get(name):
                    self.add_error(name, "The subscriber is not the patient: enter the subscriber's details.")
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "The coverage cannot end before it starts.")
        return data

    def coverage(self) -> dict | None:
        """The cleaned coverage for the service, or None when the section was left blank."""
        if self.is_blank:
            return None
        return {name: self.cleaned_data.get(name) or None for name in COVERAGE_FIELDS}


def registration_forms(data, *, rules: dict) -> tuple[PatientForm, CoverageForm, CoverageForm]:
    return (
        PatientForm(data),
        CoverageForm(data, rules=rules, prefix="primary"),
        CoverageForm(data, rules=rules, prefix="secondary"),
    )


def registration_valid(patient: PatientForm, primary: CoverageForm, secondary: CoverageForm) -> bool:
    """All three forms valid, and the structure holds: no secondary without a primary."""
    valid = all([patient.is_valid(), primary.is_valid(), secondary.is_valid()])
    if valid and primary.is_blank and not secondary.is_blank:
        primary.add_error(None, "A secondary coverage needs a primary: fill in the primary plan first.")
        return False
    return valid
