"""Posting a remittance (ERA) to an account ledger, and the denial -> action oracle (tasks P1, P2, P4).

Posting rules:

* each remittance line matches the ledger charge whose ``entry_id`` is the line's reference
  (REF*6R); an unknown line, a charge amount that differs from the line's charge, an unbalanced
  line, or a payment for a charge already paid by the same or an earlier remittance is refused
  with a clear error, and then nothing of the remittance is posted;
* the paid amount becomes a payer payment; PR amounts move to the patient as memos
  (:class:`TransferToPatient`), never write-offs; CO/OA/PI amounts whose oracle action is a
  write-off are written off; a denial that must be worked (corrected, appealed, sent to the
  right payer...) is left open with the insurance and returned as a follow-up;
* a secondary payer's remittance (CLP02 = 2, task B6) pays down what the primary left to the patient:
  its payment is posted against the patient's share (the ledger has no third bucket), naming the
  secondary remittance; its OA-23 (the primary's impact) and remaining PR amounts are already on the
  ledger from the primary's posting, so they post nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .codes import Action, GroupCode, PatientOwes, carc_rule
from .ledger import Adjustment, Entry, Ledger, LedgerError, Party, Payment, PaymentMethod, TransferToPatient
from .remittance import ClaimStatus, RemitClaim, RemitLine, Remittance

WRITE_OFF_ACTIONS = frozenset({Action.CONTRACTUAL_WRITE_OFF, Action.WRITE_OFF})


class PostingError(LedgerError):
    """The remittance cannot be posted as is; nothing was posted."""


class DuplicatePaymentError(PostingError):
    pass


class ChargeMismatchError(PostingError):
    pass


class UnmatchedLineError(PostingError):
    pass


class RemittanceImbalanceError(PostingError):
    pass


@dataclass(frozen=True)
class FollowUp:
    """A denied amount left open with the insurance, with the action the front office must take."""

    claim_id: str
    line_id: str
    group: GroupCode
    carc: str
    amount: Decimal
    action: Action


@dataclass(frozen=True)
class PostingResult:
    entries: tuple[Entry, ...]
    follow_ups: tuple[FollowUp, ...]


def denial_action(group: GroupCode | str, carc: str) -> Action:
    """The front-office action for an adjustment, per the oracle table (PR-96 and CO-96 differ)."""
    return denial_guidance(group, carc)[0]


def denial_guidance(group: GroupCode | str, carc: str) -> tuple[Action, PatientOwes, str]:
    """(action, whether the patient owes it, our plain-language reason) for one adjustment."""
    rule = carc_rule(carc)
    try:
        action, owes = rule.actions[GroupCode(group)]
    except (KeyError, ValueError):
        raise ValueError(f"{group}-{carc} is not a combination this simulation uses") from None
    return action, owes, rule.description


def remittance_post(ledger: Ledger, remittance: Remittance) -> PostingResult:
    """Post every claim of ``remittance`` to ``ledger`` (all or nothing) and return what was posted."""
    errors = remittance.balancing_errors()
    if errors:
        raise RemittanceImbalanceError("; ".join(errors))
    entries: list[Entry] = []
    follow_ups: list[FollowUp] = []
    for claim in remittance.claims:
        for line in claim.lines:
            _check_line(ledger, remittance, claim, line)
            line_entries, line_follow_ups = _line_entries(remittance, claim, line)
            entries.extend(line_entries)
            follow_ups.extend(line_follow_ups)
    trial = Ledger(ledger.entries)  # post to a copy first so a failure leaves the account untouched
    for entry in entries:
        trial.post(entry)
    for entry in entries:
        ledger.post(entry)
    return PostingResult(tuple(entries), tuple(follow_ups))


def _reference(remittance: Remittance, claim: RemitClaim) -> str:
    return f"{remittance.trace_number}/{claim.payer_claim_number}"


def _check_line(ledger: Ledger, remittance: Remittance, claim: RemitClaim, line: RemitLine) -> None:
    try:
        charge = ledger.charge(line.line_id)
    except LedgerError:
        raise UnmatchedLineError(
            f"claim {claim.claim_id} line {line.line_id}: no matching charge on this account"
        ) from None
    if charge.claim_id and charge.claim_id != claim.claim_id:
        raise UnmatchedLineError(f"line {line.line_id} belongs to claim {charge.claim_id}, not {claim.claim_id}")
    if charge.amount != line.charge:
        raise ChargeMismatchError(
            f"claim {claim.claim_id} line {line.line_id}: the remittance says the charge was {line.charge}, "
            f"the ledger has {charge.amount}"
        )
    reference = _reference(remittance, claim)
    already = [
        e for e in ledger.entries if getattr(e, "charge_id", None) == line.line_id and getattr(e, "reference", "")
    ]
    if any(e.reference == reference for e in already):
        raise DuplicatePaymentError(f"remittance {reference} was already posted for line {line.line_id}")
    earlier_payments = [e for e in already if isinstance(e, Payment) and e.payer is Party.INSURANCE]
    if line.paid > 0 and earlier_payments and claim.status is not ClaimStatus.SECONDARY:
        raise DuplicatePaymentError(
            f"line {line.line_id} was already paid by the payer ({earlier_payments[0].reference}); "
            "posting this payment would pay it twice: refund or ask the payer to recoup"
        )


def _line_entries(remittance: Remittance, claim: RemitClaim, line: RemitLine) -> tuple[list[Entry], list[FollowUp]]:
    reference = _reference(remittance, claim)
    prefix = f"{remittance.trace_number}-{claim.payer_claim_number}-{line.line_id}"
    common = {"posted_on": remittance.paid_on, "charge_id": line.line_id, "reference": reference}
    entries: list[Entry] = []
    follow_ups: list[FollowUp] = []
    method = PaymentMethod.EFT if remittance.method == "ACH" else PaymentMethod.CHECK
    if claim.status is ClaimStatus.SECONDARY:
        if line.paid > 0:
            entries.append(
                Payment(entry_id=f"{prefix}-pay", amount=line.paid, payer=Party.PATIENT, method=method, **common)
            )
        return entries, follow_ups
    if line.paid > 0:
        method = PaymentMethod.EFT if remittance.method == "ACH" else PaymentMethod.CHECK
        entries.append(
            Payment(entry_id=f"{prefix}-pay", amount=line.paid, payer=Party.INSURANCE, method=method, **common)
        )
    for index, cas in enumerate(line.adjustments, 1):
        if cas.amount == 0:
            continue
        entry_id = f"{prefix}-{index}-{cas.group}{cas.carc}"
        action = denial_action(cas.group, cas.carc)
        if cas.group is GroupCode.PR:
            entries.append(
                TransferToPatient(entry_id=entry_id, amount=cas.amount, group=cas.group, carc=cas.carc, **common)
            )
        elif action in WRITE_OFF_ACTIONS:
            entries.append(Adjustment(entry_id=entry_id, amount=cas.amount, group=cas.group, carc=cas.carc, **common))
        else:
            follow_ups.append(FollowUp(claim.claim_id, line.line_id, cas.group, cas.carc, cas.amount, action))
    return entries, follow_ups
