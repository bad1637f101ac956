"""Reads for the claim follow-up screens and the grader: the denial work queue, a claim's history, the
batch to scrub, 837P/835 files. Every read filters by the shift; every listing is a fixed number of
queries whatever its length."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from .billing.denials import (
    APPEAL_DOCUMENTS,
    QUEUE_ACTION_LABELS,
    DenialRule,
    appeal_deadline,
    denial_rule,
    filing_deadline,
    is_denial,
)
from .billing.x12 import Envelope, OtherPayer, PayerDetails, claim_to_837p, remittance_to_835
from .billing_services import claim_domain, remittance_domain
from .claims_plans import claim_plan
from .models import Claim, ClaimLine, ClaimLink, DefectMark, DenialWork, Remittance, Shift

# What a trainee can mark on a claim of the batch (task B4): the scrubber's finding keys, in our words.
DEFECT_CATALOGUE = {
    "missing_policy_number": "Box 1a: member ID (policy number) missing",
    "dob_after_dos": "Box 3: date of birth after the date of service (CARC 14)",
    "non_billable_icd": "Box 21: invalid or non-billable ICD-10-CM code",
    "dx_sex_mismatch": "Box 21: diagnosis does not fit the patient's sex (CARC 10)",
    "missing_prior_auth": "Box 23: prior authorization missing (CARC 197)",
    "filing_limit_passed": "Box 24A: payer's filing limit passed (CARC 29)",
    "procedure_sex_mismatch": "Box 24D: service does not fit the patient's sex (CARC 7)",
    "invalid_modifier": "Box 24D: modifier missing or not valid (CARC 4)",
    "missing_pointer": "Box 24E: line not justified, no diagnosis pointer",
    "dangling_pointer": "Box 24E: pointer to an empty diagnosis slot",
    "dx_inconsistent": "Box 24E: diagnosis does not support the service (CARC 11)",
    "charge_not_fee": "Box 24F: charge differs from the fee schedule",
    "duplicate": "Box 24: duplicate of a service already billed (CARC 18)",
    "invalid_npi": "Box 24J/33a: NPI fails the check digit",
}


def claim_in_shift_or_404(*, shift: Shift, claim_id: int) -> Claim:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Claim.objects.for_shift(shift).select_related("patient", "appointment"), pk=claim_id)


@dataclass
class QueueRow:
    claim: Claim
    line: dict
    group: str
    carc: str
    amount: Decimal
    rule: DenialRule
    age_days: int
    filing_deadline: date | None
    appeal_deadline: date
    remitted_on: date
    work: DenialWork | None = None
    replaced_by: str = ""

    @property
    def key(self) -> str:
        return f"{self.claim.pk}:{self.line['line_id']}:{self.group}:{self.carc}"


def denial_queue(*, shift: Shift) -> list[QueueRow]:
    """Denied and partly denied lines of the shift's posted remittances, oldest first, in three queries."""
    today = shift.now.date()
    worked = {(w.claim_id, w.line_id, w.group, w.carc): w for w in DenialWork.objects.for_shift(shift)}
    replaced = {
        link.source_id: link.claim.number
        for link in ClaimLink.objects.for_shift(shift).filter(kind__in=["replacement", "void"]).select_related("claim")
    }
    rows: list[QueueRow] = []
    limits: dict[str, int | None] = {}  # the payers' filing limits in this shift (scenario overrides included)
    remittances = Remittance.objects.for_shift(shift).filter(posted=True).select_related("claim__patient")
    for remittance in remittances.order_by("paid_on", "pk"):
        claim = remittance.claim
        payer = shift.office["payers"].get(claim.payer_key) or {}
        if claim.payer_key not in limits:
            plan = claim_plan(shift=shift, payer_key=claim.payer_key, member_id="")
            limits[claim.payer_key] = plan.timely_filing_days if plan else None
        limit = limits[claim.payer_key]
        for remit_claim in remittance.data["claims"]:
            for line in remit_claim["lines"]:
                for cas in line["adjustments"]:
                    if not is_denial(cas["group"], cas["carc"]):
                        continue
                    service_date = date.fromisoformat(line["service_date"])
                    rows.append(
                        QueueRow(
                            claim=claim,
                            line=line,
                            group=cas["group"],
                            carc=cas["carc"],
                            amount=Decimal(cas["amount"]),
                            rule=denial_rule(cas["group"], cas["carc"]),
                            age_days=(today - remittance.paid_on).days,
                            filing_deadline=filing_deadline(service_date=service_date, timely_filing_days=int(limit))
                            if limit
                            else None,
                            appeal_deadline=appeal_deadline(remitted_on=remittance.paid_on, payer=payer),
                            remitted_on=remittance.paid_on,
                            work=worked.get((claim.pk, line["line_id"], cas["group"], cas["carc"])),
                            replaced_by=replaced.get(claim.pk, ""),
                        )  # fmt: skip
                    )
    return rows


def denial_row(*, shift: Shift, claim_id: int, line_id: str, group: str, carc: str) -> QueueRow | None:
    for row in denial_queue(shift=shift):
        if (row.claim.pk, row.line["line_id"], row.group, row.carc) == (claim_id, line_id, group, carc):
            return row
    return None


ACTION_CHOICES = [(a.value, label) for a, label in QUEUE_ACTION_LABELS.items()]
DOCUMENT_CHOICES = list(APPEAL_DOCUMENTS.items())


@dataclass
class HistoryItem:
    claim: Claim
    kind: str  # "original", "replacement", "void", "secondary"
    remittance: Remittance | None
    current: bool = False


@dataclass
class ClaimHistory:
    items: list[HistoryItem] = field(default_factory=list)
    can_correct: bool = False
    can_void: bool = False
    can_bill_secondary: bool = False


def claim_history(*, shift: Shift, claim: Claim, has_other_coverage: bool) -> ClaimHistory:
    """The chain the claim belongs to (original → replacement → ..., voids and secondary claims), in
    three queries: the shift's links, the chain's claims, their remittances."""
    links = list(ClaimLink.objects.for_shift(shift))
    parent = {link.claim_id: link.source_id for link in links}
    kind = {link.claim_id: link.kind for link in links}
    root = claim.pk
    while root in parent:
        root = parent[root]
    chain, frontier = [root], [root]
    while frontier:
        frontier = [link.claim_id for link in links if link.source_id in frontier]
        chain += frontier
    claims = {c.pk: c for c in Claim.objects.for_shift(shift).filter(pk__in=chain)}
    remits = {r.claim_id: r for r in Remittance.objects.for_shift(shift).filter(claim_id__in=chain)}
    items = [
        HistoryItem(claim=claims[pk], kind=kind.get(pk, "original"), remittance=remits.get(pk), current=pk == claim.pk)
        for pk in sorted(chain, key=lambda pk: claims[pk].created_at)
    ]
    derived = {link.source_id for link in links if link.kind in ("replacement", "void")}
    has_secondary = any(link.source_id == claim.pk and link.kind == "secondary" for link in links)
    answered = claim.pk in remits
    paid = answered and any(Decimal(ln["paid"]) > 0 for c in remits[claim.pk].data["claims"] for ln in c["lines"])
    is_void = claim.frequency == Claim.Frequency.VOID
    return ClaimHistory(
        items=items,
        can_correct=answered and not is_void and claim.pk not in derived,
        can_void=answered and not is_void and not paid and claim.pk not in derived,
        can_bill_secondary=has_other_coverage
        and answered
        and remits[claim.pk].posted
        and claim.status == Claim.Status.ADJUDICATED
        and kind.get(claim.pk) not in ("secondary", "rebill")
        and not has_secondary,
    )


def other_insurance_boxes(*, shift: Shift, claim: Claim, coverage: dict | None, history: ClaimHistory) -> list:
    """Boxes 9, 9a, 9d and 11d: the other plan (for a secondary claim, the primary it follows), or []."""
    current = next((item for item in history.items if item.current), None)
    if current is not None and current.kind == "secondary":
        primary = next(item for item in history.items if item.kind != "secondary")
        payer_key, member_id = primary.claim.payer_key, primary.claim.member_id
        paid = sum((Decimal(ln["paid"]) for ln in primary.remittance.data["claims"][0]["lines"]), Decimal(0)) if (
            primary.remittance) else None  # fmt: skip
    elif coverage is not None:
        payer_key, member_id, paid = coverage["payer"], coverage["member_id"], None
    else:
        return []
    payer = shift.office["payers"].get(payer_key) or {}
    boxes = [
        ("9", "Other insured's name", claim.patient.full_name),
        ("9a", "Other insured's policy or group number", member_id),
        ("9d", "Other insurance plan name", payer.get("name", payer_key)),
        ("11d", "Is there another health benefit plan?", "Yes"),
    ]
    if paid is not None:
        boxes.append(("2320 AMT*D", "Paid by the primary (carried with each line's CAS in the 837P)", str(paid)))
    return boxes


def claim_batch(*, shift: Shift) -> list[dict]:
    """The draft claims waiting to go out (task B4) with the defects marked on each, in three queries."""
    claims = list(Claim.objects.for_shift(shift).filter(status=Claim.Status.DRAFT).select_related("patient"))
    lines: dict[int, list[ClaimLine]] = {c.pk: [] for c in claims}
    for line in ClaimLine.objects.for_shift(shift).filter(claim__in=claims).order_by("position"):
        lines[line.claim_id].append(line)
    marks: dict[int, set[str]] = {c.pk: set() for c in claims}
    for mark in DefectMark.objects.for_shift(shift).filter(claim__in=claims):
        marks[mark.claim_id].add(mark.defect)
    return [{"claim": c, "lines": lines[c.pk], "marked": marks[c.pk]} for c in sorted(claims, key=lambda c: c.pk)]


# ---- X12 files -----------------------------------------------------------------------------------


# The office's addresses are fictional (state "ST"); an X12 N4 needs a USPS state code, so the files this
# office writes carry X12_STATE instead (every file is marked as simulated training data).
X12_STATE = "IL"


def _x12_state(state: str) -> str:
    return state if len(state) == 2 and state.isalpha() and state != "ST" else X12_STATE


def _x12_claim(domain):
    """The claim with every address's state made X12-valid (see X12_STATE)."""
    from dataclasses import replace

    def fix(address):
        return replace(address, state=_x12_state(address.state))

    patient = replace(domain.patient, address=fix(domain.patient.address))
    insured = replace(domain.insured, address=fix(domain.insured.address))
    billing = replace(domain.billing_provider, address=fix(domain.billing_provider.address))
    return replace(domain, patient=patient, insured=insured, billing_provider=billing)


def _envelope(shift: Shift, *, receiver: str, control: int, at: datetime) -> Envelope:
    billing = shift.office["practice"]["billing"]
    return Envelope(sender_id=str(billing["npi"]), receiver_id=receiver or "SIMPAYER", control_number=control,
                    created_at=at)  # fmt: skip


def claim_837p(*, shift: Shift, claim: Claim) -> str:
    """The claim as an 837P file (a secondary claim carries the primary's adjudication, 2320/2430)."""
    from .claims_services import primary_remit

    lines = list(ClaimLine.objects.for_shift(shift).filter(claim=claim).order_by("position"))
    domain = _x12_claim(claim_domain(shift=shift, claim=claim, lines=lines))
    other = None
    primary = primary_remit(shift=shift, claim=claim)
    if primary is not None:
        link = claim.link
        source = link.source
        payer = shift.office["payers"].get(source.payer_key) or {}
        remittance = Remittance.objects.for_shift(shift).get(claim=source)
        other = OtherPayer(
            payer_name=payer.get("name", ""), payer_id=(payer.get("plan") or {}).get("payer_id", ""),
            member_id=source.member_id, group_number=source.group_number, adjudicated_on=remittance.paid_on,
            lines={ln.line_id: (ln.paid, ln.adjustments) for ln in primary.lines},
        )  # fmt: skip
    envelope = _envelope(shift, receiver=domain.payer_id, control=claim.pk, at=claim.created_at)
    return claim_to_837p(domain, envelope=envelope, other_payer=other)


def remittance_835(*, shift: Shift, remittance: Remittance) -> str:
    """The remittance as the payer's 835 file."""
    domain = remittance_domain(remittance.data)
    practice = shift.office["practice"]["billing"]
    payer = PayerDetails(tax_id="990000000", address="PO BOX 100", city=practice["city"], state=_x12_state(practice["state"]),
                         zip_code=str(practice["zip"]))  # fmt: skip
    at = datetime.combine(remittance.paid_on, datetime.min.time(), tzinfo=UTC)
    envelope = Envelope(sender_id=domain.payer_id or "SIMPAYER", receiver_id=str(practice["npi"]),
                        control_number=remittance.pk, created_at=at)  # fmt: skip
    return remittance_to_835(domain, envelope=envelope, payer=payer)


# ---- grading data --------------------------------------------------------------------------------


def claims_grading_data(*, shift: Shift) -> dict:
    """Claims (by the scenario's key), denial work, claim links, defect marks and lines as plain data, in
    five queries."""
    rows = list(Claim.objects.for_shift(shift).select_related("appointment").order_by("pk"))
    numbers = {c.pk: c.number for c in rows}
    return {
        "claims": [
            {
                "number": c.number,
                "key": c.appointment.key.removeprefix("claim-"),
                "status": c.status,
                "member_id": c.member_id,
                "group_number": c.group_number,
                "payer": c.payer_key,
                "prior_authorization": c.prior_authorization,
                "diagnoses": c.diagnoses,
                "frequency": c.frequency,
                "original_ref": c.original_ref,
                "scrub": c.scrub_at_submission,
            }
            for c in rows
        ],  # fmt: skip
        "denial_work": [
            {
                "claim": numbers[w.claim_id],
                "line": w.line_id,
                "code": f"{w.group}-{w.carc}",
                "action": w.action,
                "details": w.details,
            }
            for w in DenialWork.objects.for_shift(shift).order_by("pk")
        ],  # fmt: skip
        "links": [
            {"claim": numbers[link.claim_id], "source": numbers[link.source_id], "kind": link.kind}
            for link in ClaimLink.objects.for_shift(shift).order_by("pk")
        ],
        "defects": [
            {"claim": numbers[m.claim_id], "defect": m.defect}
            for m in DefectMark.objects.for_shift(shift).order_by("pk")
        ],
        "lines": [
            {
                "claim": numbers[ln.claim_id],
                "line_id": ln.line_id,
                "code": ln.code,
                "modifiers": ln.modifiers,
                "pointers": ln.pointers,
            }
            for ln in ClaimLine.objects.for_shift(shift).order_by("claim_id", "position")
        ],  # fmt: skip
    }
