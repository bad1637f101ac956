"""Code sets the simulated practice bills with.

Licensing (see /work/shared/PRACTICE_OFFICE.md, "Standards, code sets and licensing"):

* No AMA CPT content. Office services use a practice-defined code system (``SIM-...``);
  the few real codes are HCPCS Level II codes and modifiers, which CMS publishes for free use.
* CARC *values* are X12 code values; every description below is our own plain-language
  teaching text, never X12's official wording.
* ICD-10-CM comes from ``simple_icd_10_cm`` (CDC tabular, bundled with the package).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import simple_icd_10_cm as icd


class CodeSystem(enum.StrEnum):
    PRACTICE = "SIM"  # practice-defined, fictional
    HCPCS = "HCPCS"  # HCPCS Level II (CMS)


class ServiceKind(enum.StrEnum):
    """Kind of service: plans attach copays and cost-sharing exemptions to a kind."""

    OFFICE_VISIT = "office_visit"
    PREVENTIVE = "preventive"
    IMMUNIZATION = "immunization"
    DRUG = "drug"
    SUPPLY = "supply"


@dataclass(frozen=True, slots=True)
class ProcedureCode:
    code: str
    system: CodeSystem
    display: str
    fee: Decimal  # the practice's own fee-schedule charge per unit
    kind: ServiceKind
    sex: str | None = None  # "F" or "M" when the service is sex-specific, else None


def _p(
    code: str, system: CodeSystem, display: str, fee: str, kind: ServiceKind, sex: str | None = None
) -> tuple[str, ProcedureCode]:
    return code, ProcedureCode(code, system, display, Decimal(fee), kind, sex)


# The practice fee schedule. Displays are our own short descriptions.
PROCEDURE_CODES: dict[str, ProcedureCode] = dict(
    [
        _p(
            "SIM-OV-NEW-30",
            CodeSystem.PRACTICE,
            "New patient office visit, 30 minutes",
            "180.00",
            ServiceKind.OFFICE_VISIT,
        ),
        _p(
            "SIM-OV-NEW-45",
            CodeSystem.PRACTICE,
            "New patient office visit, 45 minutes",
            "250.00",
            ServiceKind.OFFICE_VISIT,
        ),
        _p(
            "SIM-OV-EST-15",
            CodeSystem.PRACTICE,
            "Established patient office visit, 15 minutes",
            "110.00",
            ServiceKind.OFFICE_VISIT,
        ),
        _p(
            "SIM-OV-EST-25",
            CodeSystem.PRACTICE,
            "Established patient office visit, 25 minutes",
            "150.00",
            ServiceKind.OFFICE_VISIT,
        ),
        _p(
            "SIM-IMM-ADMIN",
            CodeSystem.PRACTICE,
            "Vaccine administration, first injection",
            "35.00",
            ServiceKind.IMMUNIZATION,
        ),
        _p(
            "SIM-PAP-COLL",
            CodeSystem.PRACTICE,
            "Cervical screening specimen collection",
            "60.00",
            ServiceKind.PREVENTIVE,
            "F",
        ),
        _p("G0008", CodeSystem.HCPCS, "Administration of influenza vaccine", "30.00", ServiceKind.IMMUNIZATION),
        _p(
            "G0402",
            CodeSystem.HCPCS,
            "Initial preventive physical examination (Medicare)",
            "200.00",
            ServiceKind.PREVENTIVE,
        ),
        _p("G0438", CodeSystem.HCPCS, "Annual wellness visit, initial", "190.00", ServiceKind.PREVENTIVE),
        _p("G0439", CodeSystem.HCPCS, "Annual wellness visit, subsequent", "150.00", ServiceKind.PREVENTIVE),
        _p(
            "G0102",
            CodeSystem.HCPCS,
            "Prostate cancer screening, digital rectal exam",
            "45.00",
            ServiceKind.PREVENTIVE,
            "M",
        ),
        _p("J1100", CodeSystem.HCPCS, "Injection, dexamethasone sodium phosphate, 1 mg", "4.00", ServiceKind.DRUG),
        _p("J3301", CodeSystem.HCPCS, "Injection, triamcinolone acetonide, 10 mg", "12.00", ServiceKind.DRUG),
        _p("A4565", CodeSystem.HCPCS, "Sling", "25.00", ServiceKind.SUPPLY),
    ]
)

# HCPCS Level II modifiers only (CPT modifiers such as 25 or 59 are AMA content and excluded).
MODIFIERS: dict[str, str] = {
    "LT": "Left side of the body",
    "RT": "Right side of the body",
    "GA": "Signed advance notice (waiver of liability) on file",
    "GY": "Item or service excluded by law or not a benefit",
    "GZ": "Expected denial, no signed advance notice on file",
    "KX": "Documentation requirements of the policy are met",
    "XE": "Separate encounter",
    "XS": "Separate structure or organ",
}


class GroupCode(enum.StrEnum):
    """835 claim adjustment group codes (part of the 835 standard)."""

    CO = "CO"  # contractual obligation: the provider absorbs it, never the patient
    PR = "PR"  # patient responsibility
    OA = "OA"  # other adjustment
    PI = "PI"  # payer-initiated reduction


class Action(enum.StrEnum):
    """Front-office next step for an adjustment (the "Denial -> action oracle")."""

    BILL_PATIENT = "bill_patient"
    CONTRACTUAL_WRITE_OFF = "contractual_write_off"
    WRITE_OFF = "write_off"
    CORRECT_AND_RESUBMIT = "correct_and_resubmit"
    VERIFY_DUPLICATE = "verify_duplicate_no_resubmission"
    UPDATE_COB_BILL_PRIMARY = "update_cob_bill_primary"
    VERIFY_ELIGIBILITY = "verify_eligibility"
    APPEAL = "appeal"
    SEND_TO_CORRECT_PAYER = "send_to_correct_payer"
    OBTAIN_AUTHORIZATION = "obtain_retro_auth_or_appeal"
    NONE_PRIOR_PAYER = "none_prior_payer_settled"  # OA-23 on a secondary remittance: already posted


class PatientOwes(enum.StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


@dataclass(frozen=True, slots=True)
class CarcRule:
    """One adjustment reason: our own description plus the oracle's action per group code."""

    code: str
    description: str
    actions: dict[GroupCode, tuple[Action, PatientOwes]]
    note: str = ""

    @property
    def groups(self) -> frozenset[GroupCode]:
        return frozenset(self.actions)


_CO_OA = (GroupCode.CO, GroupCode.OA)


def _rule(
    code: str, description: str, groups: Iterable[str], action: Action, owes: PatientOwes, note: str = ""
) -> tuple[str, CarcRule]:
    return code, CarcRule(code, description, {GroupCode(g): (action, owes) for g in groups}, note)


# Our own plain-language descriptions; values are X12 CARC values.
CARCS: dict[str, CarcRule] = dict(
    [
        _rule("1", "The patient's deductible", ["PR"], Action.BILL_PATIENT, PatientOwes.YES),
        _rule("2", "The patient's coinsurance share", ["PR"], Action.BILL_PATIENT, PatientOwes.YES),
        _rule("3", "The patient's copay", ["PR"], Action.BILL_PATIENT, PatientOwes.YES),
        _rule(
            "4",
            "A modifier is missing or does not fit the service",
            _CO_OA,
            Action.CORRECT_AND_RESUBMIT,
            PatientOwes.NO,
        ),
        _rule(
            "7",
            "The service does not fit the patient's recorded sex",
            _CO_OA,
            Action.CORRECT_AND_RESUBMIT,
            PatientOwes.NO,
        ),
        _rule(
            "10",
            "A diagnosis does not fit the patient's recorded sex",
            _CO_OA,
            Action.CORRECT_AND_RESUBMIT,
            PatientOwes.NO,
        ),
        _rule(
            "11",
            "The diagnosis does not support the service billed",
            _CO_OA,
            Action.CORRECT_AND_RESUBMIT,
            PatientOwes.NO,
            "Fix the coding from the chart, then send a replacement claim.",
        ),
        _rule(
            "14",
            "The date of birth is after the date of service",
            _CO_OA,
            Action.CORRECT_AND_RESUBMIT,
            PatientOwes.NO,
            "Usually a registration typo.",
        ),
        _rule(
            "15",
            "The authorization number is missing or not valid",
            _CO_OA,
            Action.OBTAIN_AUTHORIZATION,
            PatientOwes.NO,
        ),
        _rule(
            "16",
            "The claim is missing information or has a billing error",
            _CO_OA,
            Action.CORRECT_AND_RESUBMIT,
            PatientOwes.NO,
            "Read the remark code, correct, resubmit as a replacement (frequency 7).",
        ),
        _rule(
            "18",
            "The payer already received this claim or service",
            ["CO", "OA"],
            Action.VERIFY_DUPLICATE,
            PatientOwes.NO,
            "Check the first claim's status; do not send it again.",
        ),
        _rule(
            "22",
            "Another plan should pay first",
            ["CO", "OA"],
            Action.UPDATE_COB_BILL_PRIMARY,
            PatientOwes.NO,
            "Update the order of coverage and bill the primary plan.",
        ),
        _rule(
            "26",
            "The service was before the coverage started",
            ["CO", "PR"],
            Action.VERIFY_ELIGIBILITY,
            PatientOwes.MAYBE,
        ),
        _rule(
            "27",
            "The service was after the coverage ended",
            ["CO", "PR"],
            Action.VERIFY_ELIGIBILITY,
            PatientOwes.MAYBE,
            "Bill the other plan, or the patient as self-pay per office policy.",
        ),
        _rule(
            "29",
            "The claim was sent after the payer's filing limit",
            ["CO"],
            Action.WRITE_OFF,
            PatientOwes.NO,
            "Practice error: write off, unless there is proof of timely filing (then appeal).",
        ),
        _rule("45", "The charge is above the contracted fee", ["CO"], Action.CONTRACTUAL_WRITE_OFF, PatientOwes.NO),
        _rule(
            "50",
            "The payer does not consider the service medically necessary",
            ["CO"],
            Action.APPEAL,
            PatientOwes.NO,
            "The patient owes it only if a valid advance notice was signed.",
        ),
        _rule(
            "97",
            "The service is included in another service paid on this claim",
            ["CO"],
            Action.WRITE_OFF,
            PatientOwes.NO,
            "Correct and resubmit only if the coding was wrong.",
        ),
        _rule(
            "109",
            "This payer does not cover this claim; another payer should get it",
            ["CO"],
            Action.SEND_TO_CORRECT_PAYER,
            PatientOwes.NO,
        ),
        _rule(
            "119",
            "The plan's limit for this service in the period has been reached",
            ["CO", "PR"],
            Action.WRITE_OFF,
            PatientOwes.NO,
        ),
        _rule(
            "197",
            "Pre-certification or authorization was not obtained",
            ["CO"],
            Action.OBTAIN_AUTHORIZATION,
            PatientOwes.NO,
        ),
    ]
)
# PR-96 and CO-96 lead to different actions: the patient owes a PR non-covered charge only.
CARCS["96"] = CarcRule(
    "96",
    "The service is not covered by the plan",
    {
        GroupCode.PR: (Action.BILL_PATIENT, PatientOwes.YES),
        GroupCode.CO: (Action.WRITE_OFF, PatientOwes.NO),
    },
)
# A plan-limit overrun is the patient's only if they were told in advance; CO means write off.
CARCS["119"].actions[GroupCode.PR] = (Action.BILL_PATIENT, PatientOwes.YES)
# Coverage that lapsed: as PR the patient is self-pay for that service.
CARCS["27"].actions[GroupCode.PR] = (Action.BILL_PATIENT, PatientOwes.YES)
CARCS["26"].actions[GroupCode.PR] = (Action.BILL_PATIENT, PatientOwes.YES)
# On a secondary payer's remittance: the part the primary payer already paid or adjusted (task B6).
CARCS["23"] = CarcRule(
    "23",
    "Already settled by the prior payer's payment and adjustments",
    {GroupCode.OA: (Action.NONE_PRIOR_PAYER, PatientOwes.NO), GroupCode.CO: (Action.NONE_PRIOR_PAYER, PatientOwes.NO)},
    "Nothing to post: the primary's payment and write-offs are already on the ledger.",
)


def carc_rule(carc: str) -> CarcRule:
    try:
        return CARCS[carc]
    except KeyError:
        raise KeyError(f"CARC {carc} is not in the simulation's code list") from None


# ---------------------------------------------------------------- ICD-10-CM


def icd10_normalise(code: str) -> str:
    """Upper-case, trimmed, with the dot after the category (J209 -> J20.9)."""
    code = code.strip().upper().replace(".", "")
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 else code


def icd10_is_billable(code: str) -> bool:
    """A code can go on a claim only if it exists and is a leaf (no more specific child)."""
    code = icd10_normalise(code)
    return bool(code) and icd.is_valid_item(code) and icd.is_leaf(code)


def icd10_x12(code: str) -> str:
    """ICD-10-CM codes travel in X12 without the dot."""
    return icd10_normalise(code).replace(".", "")


# A teaching subset of sex-specific ICD-10-CM categories (first three characters, inclusive ranges).
_FEMALE_ONLY = (("C51", "C58"), ("N70", "N98"), ("O00", "O9A"), ("Z32", "Z36"))
_MALE_ONLY = (("C60", "C63"), ("N40", "N53"))


def icd10_sex(code: str) -> str | None:
    """'F' or 'M' when the diagnosis applies to one sex only (teaching subset), else None."""
    category = icd10_normalise(code)[:3]
    if any(lo <= category <= hi for lo, hi in _FEMALE_ONLY):
        return "F"
    if any(lo <= category <= hi for lo, hi in _MALE_ONLY):
        return "M"
    return None


# ---------------------------------------------------------------- NPI


def npi_check_digit(first_nine: str) -> str:
    """Luhn check digit of an NPI, computed over "80840" + the first nine digits."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("an NPI check digit is computed from exactly nine digits")
    total = 0
    for position, char in enumerate(reversed("80840" + first_nine)):
        digit = int(char)
        if position % 2 == 0:  # every second digit from the right, starting with the rightmost
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def npi_is_valid(npi: str) -> bool:
    """Ten digits whose last digit is the Luhn check digit over the 80840 prefix."""
    return len(npi) == 10 and npi.isdigit() and npi_check_digit(npi[:9]) == npi[9]
