"""Billing in the office: charge capture, claim submission, remittance posting, transfers to the patient.

Each service is atomic, locks the shift (`_require_open`) and appends its action-log row in the same
transaction. The rules are the pure billing domain's (simulations/billing/): the services build its
objects from the rows, let it decide, and persist what it produced. A refused action raises
OfficeActionError and changes nothing.
"""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.db import transaction

from .billing import ledger as dl
from .billing import posting
from .billing.claims import (
    MAX_POINTERS,
    Address,
    Frequency,
    Person,
    Provider,
    Relationship,
    ServiceLine,
    Sex,
)
from .billing.claims import Claim as DomainClaim
from .billing.codes import CARCS, PROCEDURE_CODES, GroupCode, ServiceKind, icd10_normalise
from .billing.money import MoneyError, money
from .billing.plans import PlanRules
from .billing.remittance import Cas, ClaimStatus, RemitClaim, RemitLine
from .billing.remittance import Remittance as DomainRemittance
from .models import Appointment, Claim, ClaimLine, Coverage, LedgerEntry, Patient, Remittance, Shift
from .registration import primary_coverage
from .services import OfficeActionError, _require_open, action_log_write

DIAGNOSIS_LETTERS = "ABCDEFGHIJKL"
MAX_UNITS = 99
RELATIONSHIPS = {"self": Relationship.SELF, "spouse": Relationship.SPOUSE, "child": Relationship.CHILD}
SEXES = {"F": Sex.FEMALE, "M": Sex.MALE}


# ---- building domain objects from the rows -------------------------------------------------------


def plan_rules(*, rules: dict, patient: Patient) -> PlanRules | None:
    """The patient's primary plan as billing.plans.PlanRules, from the shift's payer snapshot (None: self-pay
    or a payer the office does not bill)."""
    if getattr(patient, "pk", None) is None and hasattr(patient, "payer_key"):
        coverage = patient  # a plan named directly ({payer_key, member_id}, e.g. claims_plans.claim_plan)
    else:
        coverage = primary_coverage(patient)
    payer = (rules["payers"].get(coverage.payer_key) or {}) if coverage else {}
    plan = payer.get("plan")
    if not plan:
        return None
    return PlanRules(
        payer_id=plan["payer_id"],
        payer_name=payer["name"],
        member_id=coverage.member_id,
        effective_from=date.fromisoformat(str(plan["coverage_from"])),
        covered_codes=frozenset(plan["contracted_fees"]),
        auth_required_codes=frozenset(plan.get("auth_required") or []),
        timely_filing_days=int(plan["timely_filing_days"]),
        contracted_fees={code: money(str(fee)) for code, fee in plan["contracted_fees"].items()},
        deductible_remaining=money(str(plan.get("deductible_remaining", "0"))),
        copays={ServiceKind(kind): money(str(v)) for kind, v in (plan.get("copays") or {}).items()},
        coinsurance_percent=Decimal(str(plan.get("coinsurance_percent", 0))),
    )


def _address(text: str, billing: dict) -> Address:
    """The patient's one-line address ("street, city, ST zip"); the practice's parts fill what is missing."""
    parts = [p.strip() for p in text.split(",")]
    state_zip = parts[2].split() if len(parts) > 2 else []
    return Address(
        line1=parts[0] if parts and parts[0] else billing["address"],
        city=parts[1] if len(parts) > 1 else billing["city"],
        state=state_zip[0] if state_zip else billing["state"],
        zip_code=state_zip[1] if len(state_zip) > 1 else str(billing["zip"]),
    )


def billed_coverage(claim: Claim) -> Coverage | None:
    """The coverage the claim was billed to: the patient's plan with the claim's payer and member id."""
    return next(
        (c for c in claim.patient.coverages.all() if (c.payer_key, c.member_id) == (claim.payer_key, claim.member_id)),
        None,
    )


def _insured(*, claim: Claim, patient_person: Person) -> Person:
    """Box 4 / 7 / 11a and loop 2010BA: the subscriber of the billed plan (the patient when "self")."""
    coverage = billed_coverage(claim)
    if coverage is None or claim.relationship == "self" or coverage.subscriber_dob is None:
        return patient_person
    return Person(
        last_name=coverage.subscriber_last_name,
        first_name=coverage.subscriber_first_name,
        birth_date=coverage.subscriber_dob,
        sex=SEXES.get(coverage.subscriber_sex, Sex.UNKNOWN),
        address=patient_person.address,  # box 7: the office records one address per household
    )


def claim_domain(*, shift: Shift, claim: Claim, lines: list[ClaimLine]) -> DomainClaim:
    """The stored claim as a billing.claims.Claim (box by box)."""
    billing = shift.office["practice"]["billing"]
    patient = claim.patient
    person = Person(
        last_name=patient.last_name,
        first_name=patient.first_name,
        birth_date=patient.dob,
        sex=SEXES.get(patient.sex, Sex.UNKNOWN),
        address=_address(patient.address, billing),
    )
    payer = shift.office["payers"].get(claim.payer_key) or {}
    return DomainClaim(
        claim_id=claim.number,
        patient=person,
        insured=_insured(claim=claim, patient_person=person),
        relationship=RELATIONSHIPS.get(claim.relationship, Relationship.OTHER),
        member_id=claim.member_id,
        group_number=claim.group_number,
        payer_id=(payer.get("plan") or {}).get("payer_id", ""),
        payer_name=payer.get("name", ""),
        billing_provider=Provider(
            name=shift.office["practice"]["name"],
            npi=str(billing["npi"]),
            tax_id=str(billing["tax_id"]),
            address=Address(
                line1=billing["address"], city=billing["city"], state=billing["state"], zip_code=str(billing["zip"])
            ),
        ),
        diagnoses=tuple(claim.diagnoses),
        lines=tuple(
            ServiceLine(
                line_id=line.line_id,
                service_date=claim.service_date,
                code=line.code,
                charge=line.charge,
                units=line.units,
                modifiers=tuple(line.modifiers),
                pointers=tuple(line.pointers),
                place_of_service=line.place_of_service,
            )
            for line in lines
        ),
        prior_authorization=claim.prior_authorization,
        frequency=Frequency(claim.frequency),
        original_claim_ref=claim.original_ref,
    )


def entry_domain(row: LedgerEntry) -> dl.Entry:
    common = {"entry_id": row.entry_id, "posted_on": row.posted_on, "amount": row.amount}
    linked = {"charge_id": row.charge_id or None, "reference": row.reference}
    if row.kind == LedgerEntry.Kind.CHARGE:
        return dl.Charge(
            **common, service_date=row.service_date, code=row.code, units=row.units,
            responsibility=dl.Party(row.party), claim_id=row.claim_number,
        )  # fmt: skip
    if row.kind == LedgerEntry.Kind.PAYMENT:
        return dl.Payment(**common, payer=dl.Party(row.party), method=dl.PaymentMethod(row.method), **linked)
    if row.kind == LedgerEntry.Kind.ADJUSTMENT:
        return dl.Adjustment(**common, group=GroupCode(row.group), carc=row.carc, **linked)
    if row.kind == LedgerEntry.Kind.TRANSFER:
        return dl.TransferToPatient(**common, group=GroupCode(row.group), carc=row.carc, **linked)
    return dl.Refund(**common, to=dl.Party(row.party), method=dl.PaymentMethod(row.method), reference=row.reference)


def entry_row(entry: dl.Entry, *, shift: Shift, patient: Patient, claim_number: str = "") -> LedgerEntry:
    row = LedgerEntry(
        shift=shift, patient=patient, entry_id=entry.entry_id, posted_on=entry.posted_on, amount=entry.amount,
        charge_id=getattr(entry, "charge_id", None) or "", reference=getattr(entry, "reference", ""),
        claim_number=claim_number,
    )  # fmt: skip
    if isinstance(entry, dl.Charge):
        row.kind, row.code, row.units = LedgerEntry.Kind.CHARGE, entry.code, entry.units
        row.service_date, row.party, row.claim_number = entry.service_date, str(entry.responsibility), entry.claim_id
    elif isinstance(entry, dl.Payment):
        row.kind, row.party, row.method = LedgerEntry.Kind.PAYMENT, str(entry.payer), str(entry.method)
    elif isinstance(entry, dl.Adjustment | dl.TransferToPatient):
        row.kind = LedgerEntry.Kind.ADJUSTMENT if isinstance(entry, dl.Adjustment) else LedgerEntry.Kind.TRANSFER
        row.group, row.carc = str(entry.group), entry.carc
    else:
        row.kind, row.party, row.method = LedgerEntry.Kind.REFUND, str(entry.to), str(entry.method)
    return row


def ledger_load(*, shift: Shift, patient: Patient) -> dl.Ledger:
    """The patient's account as a billing.ledger.Ledger (one query)."""
    return dl.Ledger(entry_domain(row) for row in LedgerEntry.objects.for_shift(shift).filter(patient=patient))


def remittance_json(remit: DomainRemittance) -> dict:
    data = asdict(remit)
    return _jsonable(data)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def remittance_domain(data: dict) -> DomainRemittance:
    def line(d: dict) -> RemitLine:
        return RemitLine(
            line_id=d["line_id"], service_date=date.fromisoformat(d["service_date"]), code=d["code"],
            charge=Decimal(d["charge"]), paid=Decimal(d["paid"]), allowed=Decimal(d["allowed"]), units=d["units"],
            modifiers=tuple(d["modifiers"]),
            adjustments=tuple(Cas(GroupCode(a["group"]), a["carc"], Decimal(a["amount"])) for a in d["adjustments"]),
        )  # fmt: skip

    claims = tuple(
        RemitClaim(
            claim_id=c["claim_id"],
            payer_claim_number=c["payer_claim_number"],
            status=ClaimStatus(c["status"]),
            member_id=c["member_id"],
            patient_last_name=c["patient_last_name"],
            patient_first_name=c["patient_first_name"],
            lines=tuple(line(ln) for ln in c["lines"]),
            frequency=c["frequency"],
        )  # fmt: skip
        for c in data["claims"]
    )
    return DomainRemittance(
        payer_id=data["payer_id"], payer_name=data["payer_name"], payee_name=data["payee_name"],
        payee_npi=data["payee_npi"], trace_number=data["trace_number"],
        paid_on=date.fromisoformat(data["paid_on"]), claims=claims, method=data["method"],
    )  # fmt: skip


# ---- (a) charge capture --------------------------------------------------------------------------


def fee_sheet_problems(*, patient: Patient, lines: list[dict]) -> list[str]:
    """Every reason the fee sheet cannot be posted, line by line (empty: it can)."""
    problems: list[str] = []
    problem_list = {icd10_normalise(p["code"]) for p in patient.problems or []}
    if not lines:
        problems.append("Add at least one service line.")
    for number, line in enumerate(lines, start=1):
        code = str(line.get("code", "")).strip().upper()
        if code not in PROCEDURE_CODES:
            problems.append(f"Line {number}: {code or '(blank)'} is not a code on the practice fee schedule.")
        try:
            units = int(str(line.get("units", "")).strip())
        except ValueError:
            units = None
        if units is None or not 1 <= units <= MAX_UNITS:
            problems.append(f"Line {number}: units must be a whole number from 1 to {MAX_UNITS}.")
        diagnoses = [icd10_normalise(d) for d in line.get("diagnoses") or [] if str(d).strip()]
        if not diagnoses:
            problems.append(f"Line {number}: point to at least one diagnosis from the problem list.")
        if len(diagnoses) > MAX_POINTERS:
            problems.append(f"Line {number}: {len(diagnoses)} diagnosis pointers; a line takes at most {MAX_POINTERS}.")
        if len(set(diagnoses)) != len(diagnoses):
            problems.append(f"Line {number}: the same diagnosis is pointed to twice.")
        for dx in diagnoses:
            if dx not in problem_list:
                problems.append(f"Line {number}: {dx} is not on the patient's problem list.")
    return problems


@transaction.atomic
def charges_capture(*, shift: Shift, appointment: Appointment, lines: list[dict]) -> Claim:
    """Post the fee sheet of a completed visit: charges (fee schedule × units) on the ledger and a draft
    claim whose lines point to the diagnoses. `lines`: [{"code", "units", "diagnoses": [ICD-10-CM]}]."""
    shift = _require_open(shift)
    patient = appointment.patient
    if appointment.status != Appointment.Status.ARRIVED:
        raise OfficeActionError("Charges are captured only for a visit that took place (the patient arrived).")
    if Claim.objects.for_shift(shift).filter(appointment=appointment).exists():
        raise OfficeActionError("Charges for this visit were already captured; open its claim instead.")
    coverage = primary_coverage(patient)
    if plan_rules(rules=shift.office, patient=patient) is None:
        raise OfficeActionError("The patient has no insurance plan on file: this visit is not billed to a payer.")
    problems = fee_sheet_problems(patient=patient, lines=lines)
    if problems:
        raise OfficeActionError(*problems)
    diagnoses: list[str] = []
    for line in lines:
        for dx in line["diagnoses"]:
            if icd10_normalise(dx) not in diagnoses:
                diagnoses.append(icd10_normalise(dx))
    number = f"C{shift.pk}-{Claim.objects.for_shift(shift).count() + 1}"
    claim = Claim.objects.create(
        shift=shift, patient=patient, appointment=appointment, number=number, payer_key=coverage.payer_key,
        member_id=coverage.member_id, group_number=coverage.group_number, relationship=coverage.relationship,
        diagnoses=diagnoses, prior_authorization=appointment.auth_number, service_date=appointment.date,
        created_at=shift.now,
    )  # fmt: skip
    ledger = ledger_load(shift=shift, patient=patient)
    rows, entries = [], []
    for position, line in enumerate(lines, start=1):
        code, units = line["code"].strip().upper(), int(str(line["units"]).strip())
        pointers = [DIAGNOSIS_LETTERS[diagnoses.index(icd10_normalise(dx))] for dx in line["diagnoses"]]
        charge = PROCEDURE_CODES[code].fee * units
        row = ClaimLine(
            shift=shift, claim=claim, line_id=f"{number}-{position}", position=position, code=code, units=units,
            pointers=pointers, charge=charge,
        )  # fmt: skip
        entry = ledger.post(
            dl.Charge(
                entry_id=row.line_id,
                posted_on=shift.now.date(),
                amount=charge,
                service_date=appointment.date,
                code=code,
                units=units,
                claim_id=number,
            )  # fmt: skip
        )
        rows.append(row)
        entries.append(entry_row(entry, shift=shift, patient=patient))
    ClaimLine.objects.bulk_create(rows)
    LedgerEntry.objects.bulk_create(entries)
    action_log_write(
        shift=shift, kind="charges_captured", target=f"claim:{claim.pk}", patient_key=patient.key,
        after={
            "claim": number, "diagnoses": diagnoses, "total": str(sum((r.charge for r in rows), Decimal(0))),
            "lines": [{"code": r.code, "units": r.units, "pointers": r.pointers} for r in rows],
        },
    )  # fmt: skip
    return claim


# ---- (b, c) claim submission and adjudication ----------------------------------------------------


def claim_problems(*, shift: Shift, claim: Claim, lines: list[ClaimLine]):
    """The scrubber's findings for the claim, in box order (billing.claims.claim_scrub), against what the
    payer already has (simulations/claims_services.claim_findings)."""
    from .claims_services import claim_findings

    return claim_findings(shift=shift, claim=claim)


def claim_submit(*, shift: Shift, claim: Claim) -> Remittance:
    """Send the claim; the simulated payer adjudicates it at once (deterministically) and answers with
    a remittance. The scrubber's findings at that moment are kept (the grader reads them). One path for
    every claim (original, replacement, secondary): simulations/claims_services.claim_send."""
    from .claims_services import claim_send

    return claim_send(shift=shift, claim=claim)


# ---- (d) posting ---------------------------------------------------------------------------------


@transaction.atomic
def remittance_post(*, shift: Shift, remittance: Remittance) -> list[LedgerEntry]:
    """Post the remittance to the patient's ledger (billing.posting.remittance_post): payments, CO
    write-offs, PR amounts moved to the patient. All or nothing."""
    shift = _require_open(shift)
    remittance = Remittance.objects.select_for_update().select_related("claim__patient").get(pk=remittance.pk)
    if remittance.posted:
        raise OfficeActionError("This remittance is already posted; posting it twice would pay the claim twice.")
    if remittance.data.get("posting") == "manual":  # a P1 exercise: posted line by line (accounts_services)
        raise OfficeActionError("Post this remittance line by line on the posting worksheet.")
    patient = remittance.claim.patient
    ledger = ledger_load(shift=shift, patient=patient)
    from .claims_services import remittance_as_posted  # a replacement/secondary posts to the original charges

    domain = remittance_as_posted(
        shift=shift, claim=remittance.claim, remittance=remittance_domain(remittance.data), ledger=ledger
    )
    try:
        result = posting.remittance_post(ledger, domain)
    except (dl.LedgerError, MoneyError) as exc:
        raise OfficeActionError(f"The remittance cannot be posted: {exc}.") from exc
    rows = LedgerEntry.objects.bulk_create(
        [entry_row(e, shift=shift, patient=patient, claim_number=remittance.claim.number) for e in result.entries]
    )
    remittance.posted = True
    remittance.save(update_fields=["posted"])
    action_log_write(
        shift=shift, kind="remittance_posted", target=f"remittance:{remittance.pk}", patient_key=patient.key,
        after={
            "claim": remittance.claim.number, "entries": len(rows),
            "follow_ups": [f"{f.group}-{f.carc} {f.amount} {f.action}" for f in result.follow_ups],
        },
    )  # fmt: skip
    return rows


@transaction.atomic
def ledger_transfer(
    *, shift: Shift, patient: Patient, charge_id: str, amount: str, group: str, carc: str
) -> LedgerEntry:
    """Move an amount the insurance still owes on a charge to the patient (billing the patient)."""
    shift = _require_open(shift)
    ledger = ledger_load(shift=shift, patient=patient)
    if carc not in CARCS:
        raise OfficeActionError("Choose the adjustment reason code.")
    number = LedgerEntry.objects.for_shift(shift).filter(patient=patient).count() + 1
    try:
        entry = ledger.post(
            dl.TransferToPatient(
                entry_id=f"T{patient.pk}-{number}",
                posted_on=shift.now.date(),
                amount=money(amount.strip()),
                group=GroupCode(group),
                carc=carc,
                charge_id=charge_id,
                reference="manual",
            )  # fmt: skip
        )
    except (dl.LedgerError, MoneyError, ValueError) as exc:
        raise OfficeActionError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from exc
    row = entry_row(entry, shift=shift, patient=patient)
    row.save()
    action_log_write(
        shift=shift, kind="ledger_transferred", target=f"ledger_entry:{row.pk}", patient_key=patient.key,
        after={"charge": charge_id, "amount": str(row.amount), "group": row.group, "carc": row.carc},
    )  # fmt: skip
    return row
