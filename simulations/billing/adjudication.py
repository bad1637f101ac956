"""Deterministic payer adjudication of a claim against a member's plan rules.

Order of the rules (the first that applies decides a line):

1. claim-level information errors deny every line CO-16 (no member ID, no billable diagnosis,
   an invalid NPI, a member ID the plan does not know);
2. a plan that is not primary (COB order > 1) denies every line CO-22;
3. per line: date of service before coverage CO-26, after coverage CO-27; sent after the
   filing limit CO-29; already received CO-18; unknown code CO-16; invalid modifier CO-4;
   not covered PR-96 when the line carries GA/GY (patient was told / service excluded by
   law), otherwise CO-96; missing authorization CO-197; pointed diagnoses do not support the
   service CO-11; frequency limit reached CO-119;
4. otherwise the line is priced: allowed = contracted fee x units (never above the charge),
   the rest CO-45; then cost sharing in this order: copay PR-3 (once per claim per service
   kind), deductible PR-1 (running across lines), coinsurance PR-2 (rounded half-up to the
   cent). Preventive services (plan.cost_share_exempt_kinds) have no cost sharing.

Every line balances by construction: charge - paid = sum of CAS, allowed = paid + PR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from .claims import Claim, Frequency, ServiceLine
from .codes import MODIFIERS, PROCEDURE_CODES, GroupCode, icd10_is_billable, icd10_normalise, npi_is_valid
from .money import ZERO, round_cents
from .plans import PlanRules
from .remittance import Cas, ClaimStatus, RemitClaim, RemitLine, Remittance

CO, PR = GroupCode.CO, GroupCode.PR
PATIENT_LIABLE_MODIFIERS = frozenset({"GA", "GY"})


def payer_claim_number(claim: Claim, received_on: date) -> str:
    """The payer's claim control number (CLP07): deterministic so the same input gives the same 835."""
    return f"{received_on:%y%m%d}{claim.claim_id}"[:30]


def adjudicate(claim: Claim, plan: PlanRules, *, received_on: date, history: Sequence[RemitClaim] = ()) -> RemitClaim:
    """Adjudicate ``claim``; ``history`` holds this payer's earlier results (not this claim's) for
    duplicate and frequency checks."""
    if claim.frequency is Frequency.VOID:
        raise ValueError("a void (frequency 8) is not adjudicated line by line: the payer reverses the original claim")
    denial = _claim_level_denial(claim, plan)
    # A replacement keeps the claim_id of the claim it replaces and quotes its payer claim number.
    replaced = claim.frequency is Frequency.REPLACEMENT
    previous = [
        earlier
        for earlier in history
        if earlier.member_id == claim.member_id
        and earlier.status is not ClaimStatus.REVERSAL
        and not (replaced and claim.original_claim_ref in (earlier.payer_claim_number, earlier.claim_id))
        and not (replaced and earlier.claim_id == claim.claim_id)
    ]
    deductible_left = plan.deductible_remaining
    copaid_kinds: set = set()
    paid_here: list[RemitLine] = []
    lines = []
    for line in claim.lines:
        line_denial = denial or _line_denial(claim, line, plan, received_on, previous, paid_here)
        if line_denial:
            lines.append(_denied(line, *line_denial))
            continue
        procedure = PROCEDURE_CODES[line.code]
        fee = plan.contracted_fees.get(line.code)
        allowed = min(fee * line.units, line.charge) if fee is not None else line.charge
        adjustments = []
        if line.charge > allowed:
            adjustments.append(Cas(CO, "45", line.charge - allowed))
        remaining = allowed
        if procedure.kind not in plan.cost_share_exempt_kinds:
            copay = min(plan.copays.get(procedure.kind, ZERO), remaining)
            if copay and procedure.kind not in copaid_kinds:
                copaid_kinds.add(procedure.kind)
                adjustments.append(Cas(PR, "3", copay))
                remaining -= copay
            deductible = min(deductible_left, remaining)
            if deductible:
                deductible_left -= deductible
                adjustments.append(Cas(PR, "1", deductible))
                remaining -= deductible
            coinsurance = round_cents(remaining * plan.coinsurance_percent / Decimal(100))
            if coinsurance:
                adjustments.append(Cas(PR, "2", coinsurance))
                remaining -= coinsurance
        remit_line = _remit_line(line, paid=remaining, allowed=allowed, adjustments=adjustments)
        paid_here.append(remit_line)
        lines.append(remit_line)
    nothing_paid = all(ln.paid == 0 and ln.patient_responsibility == 0 for ln in lines)
    return RemitClaim(
        claim_id=claim.claim_id,
        payer_claim_number=payer_claim_number(claim, received_on),
        status=ClaimStatus.DENIED if nothing_paid else ClaimStatus.PRIMARY,
        member_id=claim.member_id,
        patient_last_name=claim.patient.last_name,
        patient_first_name=claim.patient.first_name,
        lines=tuple(lines),
        frequency=str(claim.frequency),
    )


def deductible_applied(remit: RemitClaim) -> Decimal:
    """PR-1 total of a result: feed it to ``plan.after_deductible`` before the member's next claim."""
    return remit.adjustment_total(PR, "1")


def _claim_level_denial(claim: Claim, plan: PlanRules) -> tuple[GroupCode, str] | None:
    if (
        not claim.member_id.strip()
        or claim.member_id != plan.member_id
        or not any(icd10_is_billable(dx) for dx in claim.diagnoses)
        or not npi_is_valid(claim.billing_provider.npi)
        or (claim.rendering_provider is not None and not npi_is_valid(claim.rendering_provider.npi))
    ):
        return CO, "16"
    if plan.cob_order > 1:
        return CO, "22"
    return None


def _line_denial(
    claim: Claim,
    line: ServiceLine,
    plan: PlanRules,
    received_on: date,
    previous: Sequence[RemitClaim],
    paid_here: Sequence[RemitLine],
) -> tuple[GroupCode, str] | None:
    if line.service_date < plan.effective_from:
        return CO, "26"
    if plan.effective_to is not None and line.service_date > plan.effective_to:
        return CO, "27"
    if (received_on - line.service_date).days > plan.timely_filing_days:
        return CO, "29"
    same_service = (line.service_date, line.code, line.modifiers)
    if any((ln.service_date, ln.code, ln.modifiers) == same_service for c in previous for ln in c.lines):
        return CO, "18"
    if line.code not in PROCEDURE_CODES:
        return CO, "16"
    if any(m not in MODIFIERS for m in line.modifiers):
        return CO, "4"
    if line.code not in plan.covered_codes:
        return (PR if PATIENT_LIABLE_MODIFIERS & set(line.modifiers) else CO), "96"
    if line.code in plan.auth_required_codes and not claim.prior_authorization:
        return CO, "197"
    supporting = plan.supporting_diagnoses.get(line.code)
    if supporting:
        pointed = [icd10_normalise(dx) for p in line.pointers if (dx := claim.diagnosis(p))]
        if not any(dx.startswith(supporting) for dx in pointed):
            return CO, "11"
    limit = plan.frequency_limits.get(line.code)
    if limit:
        window_start = line.service_date - timedelta(days=limit.days)
        earlier = [ln for c in previous for ln in c.lines] + list(paid_here)
        used = sum(
            1
            for ln in earlier
            if ln.code == line.code and ln.paid > 0 and window_start < ln.service_date <= line.service_date
        )
        if used >= limit.count:
            return CO, "119"
    return None


def _denied(line: ServiceLine, group: GroupCode, carc: str) -> RemitLine:
    # A PR denial (PR-96) is still "allowed" as the patient's share: allowed = paid + PR.
    allowed = line.charge if group is PR else ZERO
    return _remit_line(line, paid=ZERO, allowed=allowed, adjustments=[Cas(group, carc, line.charge)])


def _remit_line(line: ServiceLine, *, paid: Decimal, allowed: Decimal, adjustments: list[Cas]) -> RemitLine:
    return RemitLine(
        line_id=line.line_id,
        service_date=line.service_date,
        code=line.code,
        modifiers=line.modifiers,
        units=line.units,
        charge=line.charge,
        paid=paid,
        allowed=allowed,
        adjustments=tuple(adjustments),
    )


def remittance_build(
    results: Sequence[RemitClaim],
    *,
    payer_id: str,
    payer_name: str,
    payee_name: str,
    payee_npi: str,
    trace_number: str,
    paid_on: date,
) -> Remittance:
    """Bundle adjudicated claims into one 835 payment; ACH when money moves, NON otherwise."""
    remittance = Remittance(
        payer_id=payer_id,
        payer_name=payer_name,
        payee_name=payee_name,
        payee_npi=payee_npi,
        trace_number=trace_number,
        paid_on=paid_on,
        claims=tuple(results),
    )
    return replace(remittance, method="ACH" if remittance.total_paid > 0 else "NON")
