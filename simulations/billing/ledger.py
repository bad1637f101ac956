"""A patient account ledger: append-only entries, two responsibility buckets.

Rules the ledger enforces (task P1/P6/P7 in PRACTICE_OFFICE.md):

* every amount is a positive Decimal with two places (``money.positive_money``); a
  reversal is recorded as its own entry type, never as a negative amount;
* the balance is the sum of the entries' effects, to the cent;
* a charge is owed by the insurance or by the patient; PR amounts move from the insurance
  bucket to the patient bucket by a :class:`TransferToPatient`; a CO (contractual) amount can
  never become patient responsibility (critical error "CO-adjusted amount billed to the
  patient"): a transfer with any group but PR raises :class:`CoToPatientError`;
* write-offs and transfers cannot exceed what the insurance still owes;
* refunds only return an existing credit to the party that has it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .codes import GroupCode, carc_rule
from .money import ZERO, positive_money


class LedgerError(ValueError):
    """An entry the ledger refuses; the message says which rule it breaks."""


class CoToPatientError(LedgerError):
    """A contractual (CO) or other non-PR amount was about to be billed to the patient."""


class Party(enum.StrEnum):
    INSURANCE = "insurance"
    PATIENT = "patient"


class PaymentMethod(enum.StrEnum):
    CASH = "cash"
    CHECK = "check"
    CARD = "card"
    EFT = "eft"


@dataclass(frozen=True, kw_only=True)
class Entry:
    entry_id: str
    posted_on: date
    amount: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", positive_money(self.amount, what=f"{type(self).__name__} amount"))

    def effect(self) -> tuple[Decimal, Decimal]:
        """(change to the insurance balance, change to the patient balance)."""
        raise NotImplementedError  # pragma: no cover - every concrete entry overrides it

    @property
    def signed_amount(self) -> Decimal:
        insurance, patient = self.effect()
        return insurance + patient


@dataclass(frozen=True, kw_only=True)
class Charge(Entry):
    service_date: date
    code: str
    units: int = 1
    responsibility: Party = Party.INSURANCE  # PATIENT for self-pay services
    claim_id: str = ""

    def effect(self) -> tuple[Decimal, Decimal]:
        return (self.amount, ZERO) if self.responsibility is Party.INSURANCE else (ZERO, self.amount)


@dataclass(frozen=True, kw_only=True)
class Payment(Entry):
    payer: Party
    method: PaymentMethod
    charge_id: str | None = None
    reference: str = ""  # check/EFT trace number; for payer payments also the claim

    def effect(self) -> tuple[Decimal, Decimal]:
        return (-self.amount, ZERO) if self.payer is Party.INSURANCE else (ZERO, -self.amount)


@dataclass(frozen=True, kw_only=True)
class Adjustment(Entry):
    """A write-off of insurance-owed money (CO/OA/PI). PR is never written off."""

    group: GroupCode
    carc: str
    charge_id: str | None = None
    reference: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "group", GroupCode(self.group))
        carc_rule(self.carc)
        if self.group is GroupCode.PR:
            raise LedgerError(
                f"PR-{self.carc} is patient responsibility, not a write-off: record a TransferToPatient (a memo)"
            )

    def effect(self) -> tuple[Decimal, Decimal]:
        return -self.amount, ZERO


@dataclass(frozen=True, kw_only=True)
class TransferToPatient(Entry):
    """Moves a PR amount from the insurance bucket to the patient bucket; the total is unchanged."""

    group: GroupCode
    carc: str
    charge_id: str | None = None
    reference: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "group", GroupCode(self.group))
        carc_rule(self.carc)
        if self.group is not GroupCode.PR:
            raise CoToPatientError(
                f"{self.group}-{self.carc} cannot become patient responsibility: only PR amounts are billed "
                "to the patient; CO amounts are written off"
            )

    def effect(self) -> tuple[Decimal, Decimal]:
        return -self.amount, self.amount


@dataclass(frozen=True, kw_only=True)
class Refund(Entry):
    to: Party
    method: PaymentMethod
    reference: str = ""

    def effect(self) -> tuple[Decimal, Decimal]:
        return (self.amount, ZERO) if self.to is Party.INSURANCE else (ZERO, self.amount)


@dataclass(frozen=True)
class AgingBuckets:
    """Open balance by age of service: 0-30, 31-60, 61-90 and over 90 days."""

    days_0_30: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    over_90: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.days_0_30 + self.days_31_60 + self.days_61_90 + self.over_90


class Ledger:
    """One patient account. Build it from stored entries with ``Ledger(entries)``."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries = []
        for entry in entries:
            self.post(entry)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._entries)

    # -- reads -------------------------------------------------------------------------

    def balance(self) -> Decimal:
        return sum((e.signed_amount for e in self._entries), ZERO)

    def insurance_balance(self) -> Decimal:
        return sum((e.effect()[0] for e in self._entries), ZERO)

    def patient_balance(self) -> Decimal:
        return sum((e.effect()[1] for e in self._entries), ZERO)

    def credit_balance(self) -> dict[Party, Decimal]:
        """Credit (overpayment) held for each party, as positive amounts; empty when none."""
        credits = {Party.INSURANCE: -self.insurance_balance(), Party.PATIENT: -self.patient_balance()}
        return {party: amount for party, amount in credits.items() if amount > 0}

    def charge(self, charge_id: str) -> Charge:
        for entry in self._entries:
            if isinstance(entry, Charge) and entry.entry_id == charge_id:
                return entry
        raise LedgerError(f"no charge {charge_id!r} on this account")

    def charge_insurance_open(self, charge_id: str) -> Decimal:
        """What the insurance still owes on one charge, counting entries that reference it."""
        charge = self.charge(charge_id)
        open_amount = charge.amount if charge.responsibility is Party.INSURANCE else ZERO
        for entry in self._entries:
            if getattr(entry, "charge_id", None) == charge_id and not isinstance(entry, Refund):
                open_amount += entry.effect()[0]
        return open_amount

    def has_pending_insurance(self) -> bool:
        return self.insurance_balance() > 0

    def statement_eligible(self) -> bool:
        """A patient statement goes out only if the patient owes money and no claim is pending."""
        return self.patient_balance() > 0 and not self.has_pending_insurance()

    def aging(self, as_of: date, *, party: Party = Party.PATIENT) -> AgingBuckets:
        """Open balance of ``party`` by days since the date of service, credits applied oldest first."""
        debits: list[tuple[date, Decimal]] = []
        credits = ZERO
        for entry in self._entries:
            delta = entry.effect()[0 if party is Party.INSURANCE else 1]
            if delta > 0 and not isinstance(entry, Refund):
                debits.append((self._aging_date(entry), delta))
            else:
                credits -= delta  # payments, write-offs, transfers out (refunds give credit back)
        debits.sort(key=lambda item: item[0])
        buckets = [ZERO, ZERO, ZERO, ZERO]
        for aging_date, amount in debits:
            applied = min(max(credits, ZERO), amount)
            credits -= applied
            remaining = amount - applied
            if remaining:
                age = (as_of - aging_date).days
                index = 0 if age <= 30 else 1 if age <= 60 else 2 if age <= 90 else 3
                buckets[index] += remaining
        return AgingBuckets(*buckets)

    def _aging_date(self, entry: Entry) -> date:
        if isinstance(entry, Charge):
            return entry.service_date
        charge_id = getattr(entry, "charge_id", None)
        return self.charge(charge_id).service_date if charge_id else entry.posted_on

    # -- writes ------------------------------------------------------------------------

    def post(self, entry: Entry) -> Entry:
        """Append ``entry`` after checking the ledger rules; raises :class:`LedgerError`."""
        if any(existing.entry_id == entry.entry_id for existing in self._entries):
            raise LedgerError(f"entry {entry.entry_id!r} is already on the ledger")
        charge_id = getattr(entry, "charge_id", None)
        if charge_id is not None:
            self.charge(charge_id)
        if isinstance(entry, Adjustment | TransferToPatient):
            owed = self.charge_insurance_open(charge_id) if charge_id else self.insurance_balance()
            if charge_id:
                owed = min(owed, self.insurance_balance())
            if entry.amount > owed:
                verb = "write off" if isinstance(entry, Adjustment) else "move to the patient"
                raise LedgerError(f"cannot {verb} {entry.amount}: the insurance owes only {max(owed, ZERO)}")
        if isinstance(entry, Refund):
            credit = self.credit_balance().get(entry.to, ZERO)
            if entry.amount > credit:
                raise LedgerError(f"cannot refund {entry.amount} to the {entry.to}: its credit is only {credit}")
        self._entries.append(entry)
        return entry
