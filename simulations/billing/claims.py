"""Professional claims modelled on the CMS-1500 (02/12) form, and the claim scrubber (task B2/B4).

The form itself is public domain; the NUCC instruction manual is AMA-copyrighted, so the box
instructions in :data:`BOX_INSTRUCTIONS` are our own wording. Link trainees to nucc.org for the
official manual.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .codes import MODIFIERS, PROCEDURE_CODES, icd10_is_billable, icd10_normalise, icd10_sex, npi_is_valid
from .money import ZERO, positive_money
from .plans import PlanRules
from .remittance import RemitClaim

DIAGNOSIS_LETTERS = "ABCDEFGHIJKL"  # box 21 holds up to 12 diagnoses, A-L
MAX_POINTERS = 4  # box 24E points to at most four of them
MAX_MODIFIERS = 4

# Our own instructions for the boxes this simulation uses (not NUCC text).
BOX_INSTRUCTIONS: dict[str, str] = {
    "1": "Tick the kind of coverage the claim goes to (for example Group Health Plan or Medicare).",
    "1a": "Copy the member ID exactly as it is printed on the insurance card.",
    "2": "Patient's name: last name, first name, middle initial, as on the card.",
    "3": "Patient's date of birth (MM DD YYYY) and sex.",
    "4": "Name of the insured person (the subscriber), who may differ from the patient.",
    "5": "Patient's address and phone number.",
    "6": "How the patient is related to the insured: self, spouse, child or other.",
    "7": "Insured's address and phone number.",
    "11": "Insured's group number (from the card), then 11a date of birth and sex of the insured.",
    "12": "Patient's signature authorising release of information; 'Signature on file' is acceptable.",
    "13": "Insured's signature authorising payment to the provider (assignment of benefits).",
    "21": "Diagnosis codes, A to L, most important first; ICD indicator 0 means ICD-10-CM. Only billable (complete) codes.",
    "22": "Resubmission code: 7 to replace or 8 to void an earlier claim, with the payer's claim number for it (from the remittance). Keep the same patient account number.",
    "23": "Prior authorization number when the payer required one for a service on this claim.",
    "24A": "Date of service of the line.",
    "24B": "Place of service code (for example 11 = office).",
    "24D": "Procedure code and up to four modifiers.",
    "24E": "Diagnosis pointer: one to four letters from box 21 that justify this line, primary first.",
    "24F": "Charge for the line (fee-schedule amount times units).",
    "24G": "Units of service.",
    "24J": "NPI of the rendering provider.",
    "25": "Billing provider's tax ID (EIN or SSN).",
    "26": "Patient account number: the practice's own claim reference.",
    "27": "Accept assignment: yes when the payer pays the practice directly.",
    "28": "Total charge: the sum of the charges in 24F.",
    "33": "Billing provider's name, address and phone; 33a its NPI.",
}


class Sex(enum.StrEnum):
    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class Relationship(enum.StrEnum):
    """Box 6, with the X12 individual relationship codes used in the 837P."""

    SELF = "18"
    SPOUSE = "01"
    CHILD = "19"
    OTHER = "G8"


class Frequency(enum.StrEnum):
    """Box 22 / CLM05-3 claim frequency."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"


@dataclass(frozen=True, kw_only=True)
class Address:
    line1: str
    city: str
    state: str
    zip_code: str  # 5 or 9 digits


@dataclass(frozen=True, kw_only=True)
class Person:
    last_name: str
    first_name: str
    birth_date: date
    sex: Sex
    address: Address


@dataclass(frozen=True, kw_only=True)
class Provider:
    """A billing (organisation) or rendering (person) provider. All NPIs in the sim are fictional."""

    name: str  # organisation name, or last name of a person
    npi: str
    address: Address
    tax_id: str = ""
    first_name: str = ""  # set for a person

    @property
    def is_person(self) -> bool:
        return bool(self.first_name)


@dataclass(frozen=True, kw_only=True)
class ServiceLine:
    """Box 24, one line."""

    line_id: str  # the practice's line reference (REF*6R), echoed back in the 835
    service_date: date
    code: str
    charge: Decimal
    units: int = 1
    modifiers: tuple[str, ...] = ()
    pointers: tuple[str, ...] = ("A",)
    place_of_service: str = "11"

    def __post_init__(self) -> None:
        object.__setattr__(self, "charge", positive_money(self.charge, what="line charge"))
        if self.units < 1:
            raise ValueError("units of service start at 1")


@dataclass(frozen=True, kw_only=True)
class Claim:
    claim_id: str  # box 26
    patient: Person
    insured: Person
    relationship: Relationship
    member_id: str  # box 1a
    group_number: str  # box 11
    payer_id: str
    payer_name: str
    billing_provider: Provider  # box 33
    rendering_provider: Provider | None = None  # 24J when not the billing provider
    diagnoses: tuple[str, ...] = ()  # box 21, A-L
    lines: tuple[ServiceLine, ...] = ()
    prior_authorization: str = ""  # box 23
    frequency: Frequency = Frequency.ORIGINAL  # box 22
    original_claim_ref: str = ""  # box 22 / REF*F8: the payer's claim number (CLP07) of the claim replaced
    accept_assignment: bool = True  # box 27
    signature_on_file: bool = True  # boxes 12/13

    @property
    def total_charge(self) -> Decimal:
        """Box 28 (and CLM02)."""
        return sum((line.charge for line in self.lines), ZERO)

    def diagnosis(self, letter: str) -> str | None:
        index = DIAGNOSIS_LETTERS.find(letter)
        return self.diagnoses[index] if 0 <= index < len(self.diagnoses) else None

    def line(self, line_id: str) -> ServiceLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise KeyError(f"claim {self.claim_id} has no line {line_id}")


@dataclass(frozen=True)
class Problem:
    """One scrubber finding: the box to fix, why, and the CARC the payer would answer with."""

    box: str
    reason: str
    key: str  # stable machine name for grading (precision/recall against seeded defects)
    carc: str | None = None
    line_id: str | None = None


def _active_history(history: Sequence[Claim], remitted: Sequence[RemitClaim], claim: Claim) -> list[Claim]:
    """Earlier claims of the member still live at the payer.

    A void (8) takes its claim out; a replacement (7) keeps the patient control number
    (claim_id) of the claim it replaces, so that claim does not count as a duplicate of it.
    """
    voided = {c.claim_id for c in history if c.frequency is Frequency.VOID}
    replaced: set[str] = set()
    if claim.frequency is not Frequency.ORIGINAL:
        replaced = {claim.claim_id} | {r.claim_id for r in remitted if r.payer_claim_number == claim.original_claim_ref}
    return [
        c
        for c in history
        if c.frequency is not Frequency.VOID and c.claim_id not in voided | replaced and c.member_id == claim.member_id
    ]


def claim_scrub(
    claim: Claim,
    *,
    today: date,
    payer: PlanRules,
    history: Sequence[Claim] = (),
    remitted: Sequence[RemitClaim] = (),
) -> list[Problem]:
    """Every defect in ``claim`` that the payer would reject or deny, in box order.

    ``history``: claims sent to this payer before this one (not including it); ``remitted``:
    the payer's answers so far, whose claim numbers a replacement or void must quote in box 22.
    """
    problems: list[Problem] = []
    add = problems.append

    if not claim.member_id.strip():
        add(Problem("1a", "Missing policy (member ID) number", "missing_policy_number", "16"))
    if claim.frequency is not Frequency.ORIGINAL:
        ref = claim.original_claim_ref
        if not ref:
            add(Problem("22", "A replacement or void needs the original claim reference", "missing_original_ref", "16"))
        elif ref not in {r.payer_claim_number for r in remitted}:
            if any(c.claim_id == ref for c in history):
                add(
                    Problem(
                        "22",
                        f"{ref} is the practice's own number: quote the payer's claim number from the remittance",
                        "original_ref_not_payer_number",
                        "16",
                    )
                )
            else:
                add(Problem("22", f"The payer never processed a claim {ref}", "unknown_original_ref", "16"))

    if not claim.diagnoses:
        add(Problem("21", "No diagnosis on the claim", "no_diagnosis", "16"))
    if len(claim.diagnoses) > len(DIAGNOSIS_LETTERS):
        add(Problem("21", f"{len(claim.diagnoses)} diagnoses; the form holds 12 (A-L)", "too_many_diagnoses", "16"))
    for letter, code in zip(DIAGNOSIS_LETTERS, claim.diagnoses, strict=False):
        if not icd10_is_billable(code):
            add(Problem("21", f"{letter}: {code} is not a billable ICD-10-CM code", "non_billable_icd", "16"))
        else:
            dx_sex = icd10_sex(code)
            if dx_sex and claim.patient.sex in (Sex.FEMALE, Sex.MALE) and dx_sex != claim.patient.sex:
                add(
                    Problem(
                        "21", f"{letter}: {icd10_normalise(code)} does not fit patient sex", "dx_sex_mismatch", "10"
                    )
                )

    if not claim.prior_authorization and any(line.code in payer.auth_required_codes for line in claim.lines):
        codes = ", ".join(sorted({line.code for line in claim.lines if line.code in payer.auth_required_codes}))
        add(Problem("23", f"The payer requires prior authorization for {codes}", "missing_prior_auth", "197"))

    if not claim.lines:
        add(Problem("24", "The claim has no service line", "no_lines", "16"))
    active = _active_history(history, remitted, claim)
    for line in claim.lines:
        problems.extend(_scrub_line(claim, line, today=today, payer=payer, active_history=active))

    if not npi_is_valid(claim.billing_provider.npi):
        add(Problem("33a", f"Billing NPI {claim.billing_provider.npi} fails the check digit", "invalid_npi", "16"))
    if claim.rendering_provider and not npi_is_valid(claim.rendering_provider.npi):
        add(Problem("24J", f"Rendering NPI {claim.rendering_provider.npi} fails the check digit", "invalid_npi", "16"))
    if not claim.billing_provider.tax_id:
        add(Problem("25", "Missing billing provider tax ID", "missing_tax_id", "16"))
    return problems


def _scrub_line(
    claim: Claim, line: ServiceLine, *, today: date, payer: PlanRules, active_history: list[Claim]
) -> list[Problem]:
    problems: list[Problem] = []

    def add(box: str, reason: str, key: str, carc: str | None) -> None:
        problems.append(Problem(box, f"Line {line.line_id}: {reason}", key, carc, line.line_id))

    if claim.patient.birth_date > line.service_date:
        add("3", "date of birth is after the date of service", "dob_after_dos", "14")
    if line.service_date > today:
        add("24A", "date of service is in the future", "future_dos", "16")
    elif (today - line.service_date).days > payer.timely_filing_days:
        add("24A", f"filing limit of {payer.timely_filing_days} days has passed", "filing_limit_passed", "29")
    if not payer.is_active_on(line.service_date):
        add("24A", "coverage is not active on the date of service", "coverage_inactive", "27")

    procedure = PROCEDURE_CODES.get(line.code)
    if procedure is None:
        add("24D", f"{line.code} is not on the practice code list", "unknown_procedure", "16")
    elif procedure.sex and claim.patient.sex in (Sex.FEMALE, Sex.MALE) and procedure.sex != claim.patient.sex:
        add("24D", f"{line.code} does not fit patient sex", "procedure_sex_mismatch", "7")
    if len(line.modifiers) > MAX_MODIFIERS:
        add("24D", "more than four modifiers", "too_many_modifiers", "4")
    for modifier in line.modifiers:
        if modifier not in MODIFIERS:
            add("24D", f"modifier {modifier} is not a HCPCS Level II modifier we use", "invalid_modifier", "4")

    if not line.pointers:
        add("24E", "no diagnosis pointer: the service is not justified", "missing_pointer", "16")
    if len(line.pointers) > MAX_POINTERS:
        add("24E", f"{len(line.pointers)} diagnosis pointers; at most 4", "too_many_pointers", "16")
    for pointer in line.pointers:
        if claim.diagnosis(pointer) is None:
            add("24E", f"pointer {pointer} points to no diagnosis in box 21", "dangling_pointer", "16")
    required = payer.supporting_diagnoses.get(line.code)
    pointed = [icd10_normalise(dx) for p in line.pointers if (dx := claim.diagnosis(p))]
    if required and pointed and not any(dx.startswith(required) for dx in pointed):
        add("24E", f"no pointed diagnosis supports {line.code}", "dx_inconsistent", "11")

    if procedure is not None and line.charge != procedure.fee * line.units:
        add(
            "24F",
            f"charge {line.charge} differs from the fee schedule ({procedure.fee * line.units})",
            "charge_not_fee",
            None,
        )

    for earlier in active_history:
        if any(
            other.service_date == line.service_date and other.code == line.code and other.modifiers == line.modifiers
            for other in earlier.lines
        ):
            add("24", f"duplicate of a service on claim {earlier.claim_id}", "duplicate", "18")
            break
    return problems
