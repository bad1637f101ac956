"""Remittance advice (the 835's content) and its balancing rules.

835 balancing (PRACTICE_OFFICE.md, "835 balancing"):

* per service line: charge - paid = sum of the line's adjustments (SVC02 - SVC03 = sum CAS);
* per line: allowed (AMT*B6) = paid + patient responsibility (the PR adjustments);
* per claim: sum of non-PR adjustments = charge - paid - patient responsibility (CLP03 - CLP04 - CLP05).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .codes import GroupCode
from .money import ZERO, money


class ClaimStatus(enum.StrEnum):
    """CLP02 values this simulation uses."""

    PRIMARY = "1"  # processed as primary
    SECONDARY = "2"  # processed as secondary
    DENIED = "4"
    REVERSAL = "22"  # reversal of a previous payment


@dataclass(frozen=True)
class Cas:
    """One claim adjustment: group code, CARC value, amount."""

    group: GroupCode
    carc: str
    amount: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "group", GroupCode(self.group))
        object.__setattr__(self, "amount", money(self.amount))


@dataclass(frozen=True, kw_only=True)
class RemitLine:
    line_id: str  # the practice's line reference (REF*6R) echoed back
    service_date: date
    code: str
    charge: Decimal
    paid: Decimal
    allowed: Decimal
    adjustments: tuple[Cas, ...] = ()
    units: int = 1
    modifiers: tuple[str, ...] = ()

    @property
    def patient_responsibility(self) -> Decimal:
        return sum((a.amount for a in self.adjustments if a.group is GroupCode.PR), ZERO)

    def balancing_errors(self) -> list[str]:
        errors = []
        adjusted = sum((a.amount for a in self.adjustments), ZERO)
        if self.charge - self.paid != adjusted:
            errors.append(f"line {self.line_id}: charge {self.charge} - paid {self.paid} != adjustments {adjusted}")
        if self.allowed != self.paid + self.patient_responsibility:
            errors.append(
                f"line {self.line_id}: allowed {self.allowed} != paid {self.paid} + "
                f"patient responsibility {self.patient_responsibility}"
            )
        return errors


@dataclass(frozen=True, kw_only=True)
class RemitClaim:
    """One adjudicated claim (the 835's 2100 loop)."""

    claim_id: str  # CLP01: the practice's claim reference
    payer_claim_number: str  # CLP07
    status: ClaimStatus
    member_id: str
    patient_last_name: str
    patient_first_name: str
    lines: tuple[RemitLine, ...]
    frequency: str = "1"  # CLP09

    @property
    def charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def patient_responsibility(self) -> Decimal:
        return sum((line.patient_responsibility for line in self.lines), ZERO)

    def adjustment_total(self, group: GroupCode, carc: str) -> Decimal:
        return sum((a.amount for ln in self.lines for a in ln.adjustments if (a.group, a.carc) == (group, carc)), ZERO)

    def balancing_errors(self) -> list[str]:
        errors = [error for line in self.lines for error in line.balancing_errors()]
        non_pr = sum((a.amount for ln in self.lines for a in ln.adjustments if a.group is not GroupCode.PR), ZERO)
        if non_pr != self.charge - self.paid - self.patient_responsibility:
            errors.append(
                f"claim {self.claim_id}: non-PR adjustments {non_pr} != charge - paid - patient responsibility"
            )
        return errors


@dataclass(frozen=True, kw_only=True)
class Remittance:
    """One 835 transaction: a payment (or non-payment) from one payer covering several claims."""

    payer_id: str
    payer_name: str
    payee_name: str
    payee_npi: str
    trace_number: str  # TRN02: check or EFT trace number
    paid_on: date
    claims: tuple[RemitClaim, ...]
    method: str = "ACH"  # BPR04: ACH, CHK, or NON when nothing is paid

    @property
    def total_paid(self) -> Decimal:
        return sum((claim.paid for claim in self.claims), ZERO)

    def balancing_errors(self) -> list[str]:
        return [error for claim in self.claims for error in claim.balancing_errors()]
