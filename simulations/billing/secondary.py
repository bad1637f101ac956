"""Secondary claims after the primary's remittance (task B6): coordination of benefits.

The secondary claim carries the primary payer's adjudication (in the 837P the 2320 loop with the
other payer, and per line 2430 SVD = what the primary paid, CAS = its adjustments; on the CMS-1500
box 9/9a/9d names the other insured and plan and box 11d is "yes"). The secondary payer then pays,
per line, what is left to the patient under the primary (its PR amounts), never more than it would
have paid as primary (its own allowed amount minus its own cost sharing): the "traditional" COB
rule of the NAIC model regulation (non-duplication variants pay less; we keep one rule).

Its remittance balances like any other line: charge - paid = sum of CAS, with the prior payer's
payment and contractual adjustments reported as OA-23 ("impact of prior payer adjudication"), and
what remains for the patient keeping the primary's PR reasons (deductible first, then coinsurance,
then copay are covered by the secondary in that order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .claims import Claim
from .codes import PROCEDURE_CODES, GroupCode
from .money import ZERO, round_cents
from .plans import PlanRules
from .remittance import Cas, ClaimStatus, RemitClaim, RemitLine

# The order in which a secondary payer covers the primary's patient-responsibility reasons.
PR_ORDER = ("1", "2", "3")


@dataclass(frozen=True)
class PriorPayerLine:
    """One line as the primary answered it: the 2430 SVD (paid) and CAS of the secondary's 837P."""

    line_id: str
    paid: Decimal
    adjustments: tuple[Cas, ...]

    @property
    def patient_responsibility(self) -> Decimal:
        return sum((a.amount for a in self.adjustments if a.group is GroupCode.PR), ZERO)


def prior_payer_lines(primary: RemitClaim) -> dict[str, PriorPayerLine]:
    """The primary's answer per line reference, as the secondary claim carries it."""
    return {ln.line_id: PriorPayerLine(ln.line_id, ln.paid, ln.adjustments) for ln in primary.lines}


def secondary_problems(claim: Claim, primary: RemitClaim) -> list[str]:
    """Why this secondary claim cannot go out (empty: it can)."""
    problems = []
    prior = prior_payer_lines(primary)
    if primary.status is ClaimStatus.DENIED:
        problems.append("The primary denied the claim: work the denial before billing a secondary payer.")
    for line in claim.lines:
        if line.line_id not in prior:
            problems.append(f"Line {line.line_id} is not on the primary's remittance.")
    return problems


def adjudicate_secondary(
    claim: Claim, plan: PlanRules, *, primary: RemitClaim, received_on: date, payer_claim_number: str
) -> RemitClaim:
    """The secondary payer's answer to ``claim`` given the primary's ``primary`` remittance."""
    problems = secondary_problems(claim, primary)
    if problems:
        raise ValueError(" ".join(problems))
    prior = prior_payer_lines(primary)
    deductible_left = plan.deductible_remaining
    lines = []
    for line in claim.lines:
        before = prior[line.line_id]
        owed_by_patient = before.patient_responsibility
        # What this plan would pay as primary: its allowed amount less its own cost sharing.
        fee = plan.contracted_fees.get(line.code)
        allowed = min(fee * line.units, line.charge) if fee is not None else line.charge
        own = allowed
        if line.code not in plan.covered_codes:
            own = ZERO
        else:
            deductible = min(deductible_left, own)
            deductible_left -= deductible
            own -= deductible
            own -= round_cents(own * plan.coinsurance_percent / Decimal(100))
            kind = PROCEDURE_CODES[line.code].kind if line.code in PROCEDURE_CODES else None
            own -= min(plan.copays.get(kind, ZERO), own) if kind is not None else ZERO
        paid = max(min(owed_by_patient, own), ZERO)
        # What the patient still owes keeps the primary's reasons; the secondary covers them in PR_ORDER.
        covered = paid
        remaining: list[Cas] = []
        pr = {a.carc: a.amount for a in before.adjustments if a.group is GroupCode.PR}
        for carc in sorted(pr, key=lambda c: PR_ORDER.index(c) if c in PR_ORDER else len(PR_ORDER)):
            take = min(covered, pr[carc])
            covered -= take
            if pr[carc] - take:
                remaining.append(Cas(GroupCode.PR, carc, pr[carc] - take))
        prior_impact = line.charge - owed_by_patient  # the primary's payment + its non-PR adjustments
        adjustments = ([Cas(GroupCode.OA, "23", prior_impact)] if prior_impact else []) + remaining
        patient_left = sum((a.amount for a in remaining), ZERO)
        lines.append(
            RemitLine(
                line_id=line.line_id,
                service_date=line.service_date,
                code=line.code,
                modifiers=line.modifiers,
                units=line.units,
                charge=line.charge,
                paid=paid,
                allowed=paid + patient_left,
                adjustments=tuple(adjustments),
            )
        )
    return RemitClaim(
        claim_id=claim.claim_id,
        payer_claim_number=payer_claim_number,
        status=ClaimStatus.SECONDARY,
        member_id=claim.member_id,
        patient_last_name=claim.patient.last_name,
        patient_first_name=claim.patient.first_name,
        lines=tuple(lines),
        frequency=str(claim.frequency),
    )
