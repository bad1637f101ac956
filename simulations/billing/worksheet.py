"""Posting an ERA by hand, line by line (task P1): the posting worksheet.

The trainee reads each remittance line and types what to post: the payer's payment, the amount written
off (the contractual CO/OA/PI adjustments) and the amount moved to the patient (the PR amounts: a memo,
never a write-off). The worksheet enforces the balancing rule of every 835 line, charge − paid − Σ
adjustments = 0 (ASC X12 835 balancing; CMS MLN "Understanding the Remittance Advice"): a line whose
typed amounts do not account for the whole charge is refused. It does not check *which* bucket each
amount went to: that is the trainee's judgement, and the grader's (a CO amount moved to the patient is
the critical error "CO-adjusted amount billed to the patient").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .codes import GroupCode
from .ledger import Adjustment, Entry, Party, Payment, PaymentMethod, TransferToPatient
from .money import ZERO, MoneyError, money
from .posting import WRITE_OFF_ACTIONS, denial_action
from .remittance import RemitLine, Remittance


class WorksheetError(ValueError):
    """The worksheet cannot be posted as typed; each argument is one problem."""


@dataclass(frozen=True)
class WorksheetLine:
    paid: Decimal
    write_off: Decimal
    patient: Decimal


def _amount(text: str, what: str, problems: list[str]) -> Decimal:
    cleaned = str(text or "").strip().lstrip("$").replace(",", "") or "0"
    try:
        value = money(cleaned)
    except MoneyError:
        problems.append(f"{what}: {text!r} is not an amount in dollars and cents.")
        return ZERO
    if value < 0:
        problems.append(f"{what} cannot be negative.")
        return ZERO
    return value


def worksheet_parse(raw: dict[str, dict[str, str]], remittance: Remittance) -> dict[str, WorksheetLine]:
    """The typed amounts per remittance line; every line of the ERA must be on the worksheet."""
    problems: list[str] = []
    lines: dict[str, WorksheetLine] = {}
    for claim in remittance.claims:
        for line in claim.lines:
            typed = raw.get(line.line_id) or {}
            lines[line.line_id] = WorksheetLine(
                paid=_amount(typed.get("paid", ""), f"Line {line.line_id} paid", problems),
                write_off=_amount(typed.get("write_off", ""), f"Line {line.line_id} write-off", problems),
                patient=_amount(typed.get("patient", ""), f"Line {line.line_id} patient responsibility", problems),
            )
    if problems:
        raise WorksheetError(*problems)
    return lines


def open_with_payer(line: RemitLine) -> Decimal:
    """The denied amounts on the line that stay with the insurance to be worked (corrected, appealed...)."""
    return sum(
        (c.amount for c in line.adjustments
         if c.group is not GroupCode.PR and denial_action(c.group, c.carc) not in WRITE_OFF_ACTIONS),
        ZERO,
    )  # fmt: skip


def _split(amount: Decimal, codes: list[tuple[GroupCode, str, Decimal]]) -> list[tuple[GroupCode, str, Decimal]]:
    """Spread `amount` over the line's codes in order; anything beyond their total goes on the last one."""
    out: list[tuple[GroupCode, str, Decimal]] = []
    left = amount
    for index, (group, carc, available) in enumerate(codes):
        part = left if index == len(codes) - 1 else min(left, available)
        if part > 0:
            out.append((group, carc, part))
        left -= part
    return out


def worksheet_entries(remittance: Remittance, lines: dict[str, WorksheetLine]) -> list[Entry]:
    """The ledger entries the worksheet posts; refuses a line that does not balance."""
    problems: list[str] = []
    entries: list[Entry] = []
    method = PaymentMethod.EFT if remittance.method == "ACH" else PaymentMethod.CHECK
    for claim in remittance.claims:
        reference = f"{remittance.trace_number}/{claim.payer_claim_number}"
        for line in claim.lines:
            typed = lines[line.line_id]
            left_open = open_with_payer(line)
            unaccounted = line.charge - typed.paid - typed.write_off - typed.patient - left_open
            if unaccounted != 0:
                problems.append(
                    f"Line {line.line_id} does not balance: charge {line.charge} − paid {typed.paid} − written off "
                    f"{typed.write_off} − patient {typed.patient}"
                    + (f" − left open {left_open}" if left_open else "")
                    + f" = {unaccounted}, not 0.00."
                )
                continue
            pr = [(c.group, c.carc, c.amount) for c in line.adjustments if c.group is GroupCode.PR]
            wo = [
                (c.group, c.carc, c.amount)
                for c in line.adjustments
                if c.group is not GroupCode.PR and denial_action(c.group, c.carc) in WRITE_OFF_ACTIONS
            ]
            if typed.patient and not pr:
                problems.append(f"Line {line.line_id}: the ERA shows no patient responsibility (PR) on this line.")
            if typed.write_off and not wo:
                problems.append(f"Line {line.line_id}: the ERA shows no adjustment to write off on this line.")
            if problems:
                continue
            prefix = f"{remittance.trace_number}-{claim.payer_claim_number}-{line.line_id}"
            common = {"posted_on": remittance.paid_on, "charge_id": line.line_id, "reference": reference}
            if typed.paid:
                entries.append(Payment(entry_id=f"{prefix}-pay", amount=typed.paid, payer=Party.INSURANCE,
                                       method=method, **common))  # fmt: skip
            for n, (group, carc, part) in enumerate(_split(typed.write_off, wo), 1):
                entries.append(Adjustment(entry_id=f"{prefix}-w{n}-{group}{carc}", amount=part, group=group,
                                          carc=carc, **common))  # fmt: skip
            for n, (group, carc, part) in enumerate(_split(typed.patient, pr), 1):
                entries.append(TransferToPatient(entry_id=f"{prefix}-p{n}-{group}{carc}", amount=part, group=group,
                                                 carc=carc, **common))  # fmt: skip
    if problems:
        raise WorksheetError(*problems)
    return entries
