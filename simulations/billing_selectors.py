"""Reads for the billing screens and the grader; every read filters by the shift (404 outside it)."""

from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404

from .billing.claims import BOX_INSTRUCTIONS
from .billing.codes import CARCS, GroupCode
from .billing.posting import denial_guidance
from .models import Claim, ClaimLine, LedgerEntry, Patient, Remittance, Shift

ZERO = Decimal("0.00")
# Our own wording for the coordination-of-benefits boxes (not NUCC text; see nucc.org for the manual).
COB_BOX_INSTRUCTIONS = {
    "9": "Other insured's name: the subscriber of the patient's secondary plan, when there is one.",
    "9a": "Other insured's policy or group number.",
    "9d": "Name of the other (secondary) plan.",
    "11a": "Insured's date of birth (MM DD YYYY) and sex: the subscriber's, not the patient's, when they differ.",
    "11d": "Is there another health benefit plan? Yes means box 9 must be completed.",
}


def claim_in_shift(*, shift: Shift, claim_id: int) -> Claim:
    return get_object_or_404(
        Claim.objects.for_shift(shift).select_related("patient", "appointment").prefetch_related("patient__coverages"),
        pk=claim_id,
    )


def remittance_for_claim(*, shift: Shift, claim: Claim) -> Remittance:
    return get_object_or_404(Remittance.objects.for_shift(shift), claim=claim)


def claims_for_patient(*, shift: Shift, patient: Patient) -> list[Claim]:
    return list(Claim.objects.for_shift(shift).filter(patient=patient).order_by("pk"))


@dataclass
class LedgerRow:
    entry: LedgerEntry
    signed: Decimal
    running: Decimal


@dataclass
class LedgerView:
    rows: list[LedgerRow]
    charges: Decimal
    payments: Decimal
    adjustments: Decimal
    balance: Decimal
    insurance: Decimal
    patient: Decimal
    open_charges: list[LedgerEntry]


def ledger_view(*, shift: Shift, patient: Patient) -> LedgerView:
    """The account with a running balance, in one query: charges − payments − adjustments = balance; the
    same balance split into what the insurance and the patient owe (transfers move between the two)."""
    from .billing_services import entry_domain

    rows: list[LedgerRow] = []
    totals = {"charge": ZERO, "payment": ZERO, "adjustment": ZERO, "refund": ZERO}
    insurance = patient_owes = running = ZERO
    entries = list(LedgerEntry.objects.for_shift(shift).filter(patient=patient).order_by("pk"))
    for entry in entries:
        effect = entry_domain(entry).effect()
        insurance, patient_owes = insurance + effect[0], patient_owes + effect[1]
        signed = effect[0] + effect[1]
        running += signed
        if entry.kind in totals:
            totals[entry.kind] += entry.amount
        rows.append(LedgerRow(entry=entry, signed=signed, running=running))
    return LedgerView(
        rows=rows,
        charges=totals["charge"] + totals["refund"],
        payments=totals["payment"],
        adjustments=totals["adjustment"],
        balance=running,
        insurance=insurance,
        patient=patient_owes,
        open_charges=[e for e in entries if e.kind == LedgerEntry.Kind.CHARGE],
    )


def claim_boxes(*, shift: Shift, claim: Claim, lines: list[ClaimLine]) -> list[tuple[str, str, str]]:
    """(box, our instruction, what the claim holds) for the boxes this office fills."""
    from .billing_services import billed_coverage
    from .registration import secondary_coverage

    patient = claim.patient
    payer = shift.office["payers"].get(claim.payer_key, {})
    billing = shift.office["practice"]["billing"]
    insured = billed_coverage(claim)
    other = secondary_coverage(patient)
    if other is not None and insured is not None and other.pk == insured.pk:
        other = None  # a claim billed to the secondary names no further plan here
    insured_name = f"{insured.subscriber_last_name}, {insured.subscriber_first_name}" if insured else "(blank)"
    insured_dob = (
        f"{insured.subscriber_dob:%m %d %Y} · {insured.subscriber_sex or '(sex blank)'}"
        if insured and insured.subscriber_dob
        else "(blank)"
    )
    values = {
        "1": f"{payer.get('name', '')} ({payer.get('kind', '')})",
        "1a": claim.member_id or "(blank)",
        "2": f"{patient.last_name}, {patient.first_name}",
        "3": f"{patient.dob:%m %d %Y} · {patient.get_sex_display()}",
        "4": insured_name,
        "5": patient.address or "(blank)",
        "6": f"{claim.relationship} ({insured.x12_relationship})" if insured else (claim.relationship or "(blank)"),
        "7": patient.address or "(blank)",
        "9": f"{other.subscriber_last_name}, {other.subscriber_first_name}" if other else "(blank: no other plan)",
        "9a": f"{other.member_id} · group {other.group_number or '—'}" if other else "(blank)",
        "9d": shift.office["payers"].get(other.payer_key, {}).get("name", other.payer_key) if other else "(blank)",
        "11": claim.group_number or "(blank)",
        "11a": insured_dob,
        "11d": "Yes (complete box 9)" if other else "No",
        "12": "Signature on file",
        "13": "Signature on file",
        "21": " ".join(f"{letter}. {code}" for letter, code in zip("ABCDEFGHIJKL", claim.diagnoses, strict=False))
        or "(none)",
        "22": f"{claim.frequency} {claim.original_ref}".strip(),
        "23": claim.prior_authorization or "(none)",
        "24": f"{len(lines)} service line(s), below",
        "25": billing["tax_id"],
        "26": claim.number,
        "27": "Yes",
        "28": str(sum((line.charge for line in lines), ZERO)),
        "33": f"{shift.office['practice']['name']} · NPI {billing['npi']}",
    }
    instructions = {**COB_BOX_INSTRUCTIONS, **BOX_INSTRUCTIONS}
    return [(box, instructions.get(box, ""), value) for box, value in values.items()]


def remittance_view(*, remittance: Remittance) -> list[dict]:
    """The remittance's lines with each CAS explained in our words (and what the office does about it)."""
    out = []
    for claim in remittance.data["claims"]:
        for line in claim["lines"]:
            adjustments = []
            for cas in line["adjustments"]:
                action, owes, description = denial_guidance(cas["group"], cas["carc"])
                adjustments.append(
                    {**cas, "description": description, "action": action.value.replace("_", " "), "owes": owes.value}
                )
            pr = sum((Decimal(a["amount"]) for a in line["adjustments"] if a["group"] == GroupCode.PR), ZERO)
            out.append({**line, "patient_responsibility": pr, "adjustments": adjustments})
    return out


CARC_CHOICES = [(code, f"{code}: {rule.description}") for code, rule in CARCS.items()]


def billing_grading_data(*, shift: Shift, key_by_id: dict[int, str]) -> dict:
    """Claims (with lines and scrub findings), remittances and ledgers as plain data, in four queries."""
    claims: dict[int, dict] = {}
    for claim in Claim.objects.for_shift(shift).order_by("pk"):
        claims[claim.pk] = {
            "number": claim.number, "patient": key_by_id[claim.patient_id], "status": claim.status,
            "diagnoses": claim.diagnoses, "scrub": claim.scrub_at_submission, "lines": [],
        }  # fmt: skip
    for line in ClaimLine.objects.for_shift(shift).order_by("claim_id", "position"):
        claim = claims[line.claim_id]
        # A pointer to an empty box 21 slot (a defect a trainee may have to find) points to no diagnosis.
        dx = [
            claim["diagnoses"][i] for p in line.pointers if 0 <= (i := "ABCDEFGHIJKL".find(p)) < len(claim["diagnoses"])
        ]
        claim["lines"].append({"line_id": line.line_id, "code": line.code, "units": line.units, "dx": dx})
    remittances = [
        {"claim": claims[r.claim_id]["number"], "patient": claims[r.claim_id]["patient"], "posted": r.posted,
         "data": r.data}
        for r in Remittance.objects.for_shift(shift).order_by("pk")
    ]  # fmt: skip
    ledger = [
        {"patient": key_by_id[e.patient_id], "kind": e.kind, "amount": e.amount, "party": e.party, "group": e.group,
         "carc": e.carc, "charge_id": e.charge_id}
        for e in LedgerEntry.objects.for_shift(shift).order_by("pk")
    ]  # fmt: skip
    return {"claims": list(claims.values()), "remittances": remittances, "ledger": ledger}
