"""The day sheet and the deposit reconciliation of the daily close (task P3).

The day sheet totals what was posted on one (simulated) day across every account: charges, payments by
who paid and how, adjustments (write-offs), refunds, and the memo transfers to patients. The deposit is
the money physically taken in that day (cash, checks, card batch); an EFT is already in the bank and is
not counted. Reconciling compares, method by method, what the trainee counted with what was posted;
any difference, to the cent, is flagged: it is found and explained before the deposit goes to the bank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .ledger import Adjustment, Charge, Entry, Party, Payment, PaymentMethod, Refund, TransferToPatient
from .money import ZERO, MoneyError, money

DEPOSIT_METHODS = (PaymentMethod.CASH, PaymentMethod.CHECK, PaymentMethod.CARD)


@dataclass
class DaySheet:
    day: date
    charges: Decimal = ZERO
    patient_payments: dict[PaymentMethod, Decimal] = field(default_factory=dict)
    insurance_payments: dict[PaymentMethod, Decimal] = field(default_factory=dict)
    adjustments: Decimal = ZERO
    refunds: Decimal = ZERO
    transfers: Decimal = ZERO  # memo: moved from the insurance to the patient; changes no total
    entries: int = 0

    @property
    def payments(self) -> Decimal:
        return sum(self.patient_payments.values(), ZERO) + sum(self.insurance_payments.values(), ZERO)

    @property
    def net_change(self) -> Decimal:
        """What the day did to all receivables: charges + refunds − payments − adjustments."""
        return self.charges + self.refunds - self.payments - self.adjustments

    def deposit_expected(self) -> dict[PaymentMethod, Decimal]:
        """Per method, the money that should be in the deposit (patients' and payers' paper payments)."""
        return {m: self.patient_payments.get(m, ZERO) + self.insurance_payments.get(m, ZERO) for m in DEPOSIT_METHODS}


def day_sheet(entries: Iterable[Entry], *, day: date) -> DaySheet:
    """Total the entries posted on `day` (others are ignored)."""
    sheet = DaySheet(day=day)
    for entry in entries:
        if entry.posted_on != day:
            continue
        sheet.entries += 1
        if isinstance(entry, Charge):
            sheet.charges += entry.amount
        elif isinstance(entry, Payment):
            bucket = sheet.patient_payments if entry.payer is Party.PATIENT else sheet.insurance_payments
            bucket[entry.method] = bucket.get(entry.method, ZERO) + entry.amount
        elif isinstance(entry, Adjustment):
            sheet.adjustments += entry.amount
        elif isinstance(entry, Refund):
            sheet.refunds += entry.amount
        elif isinstance(entry, TransferToPatient):
            sheet.transfers += entry.amount
    return sheet


class CountError(ValueError):
    """A count the reconciliation cannot read."""


@dataclass(frozen=True)
class ReconcileLine:
    method: PaymentMethod
    expected: Decimal
    counted: Decimal

    @property
    def difference(self) -> Decimal:
        """Counted − expected: positive means over, negative short."""
        return self.counted - self.expected

    @property
    def matches(self) -> bool:
        return self.difference == ZERO


@dataclass(frozen=True)
class Reconciliation:
    lines: tuple[ReconcileLine, ...]

    @property
    def balanced(self) -> bool:
        return all(line.matches for line in self.lines)

    @property
    def expected_total(self) -> Decimal:
        return sum((line.expected for line in self.lines), ZERO)

    @property
    def counted_total(self) -> Decimal:
        return sum((line.counted for line in self.lines), ZERO)


def parse_counts(raw: dict[str, str]) -> dict[PaymentMethod, Decimal]:
    """The counted total per deposit method from the form; blank is 0.00; negative or unreadable refused."""
    counts: dict[PaymentMethod, Decimal] = {}
    problems: list[str] = []
    for method in DEPOSIT_METHODS:
        text = str(raw.get(method.value, "") or "").strip().lstrip("$").replace(",", "")
        try:
            value = money(text or "0")
        except MoneyError:
            problems.append(f"The {method.value} count {text!r} is not an amount in dollars and cents.")
            continue
        if value < 0:
            problems.append(f"The {method.value} count cannot be negative.")
            continue
        counts[method] = value
    if problems:
        raise CountError(*problems)
    return counts


def deposit_reconcile(sheet: DaySheet, counted: dict[PaymentMethod, Decimal]) -> Reconciliation:
    expected = sheet.deposit_expected()
    return Reconciliation(tuple(ReconcileLine(m, expected[m], counted.get(m, ZERO)) for m in DEPOSIT_METHODS))
