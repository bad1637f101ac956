"""Patient statements (task P6): who gets one, and what it says.

A statement goes only to an account where the patient owes money and no insurance is still pending
(billing.ledger.Ledger.statement_eligible): billing the patient while the claim is open asks them for
money the plan may still pay. The amount due is the patient's bucket only; a contractual (CO) amount is
never on it. The aging buckets count days from the date of service (the simulated clock's today).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .codes import CARCS
from .ledger import Adjustment, AgingBuckets, Charge, Ledger, Party, Payment, Refund, TransferToPatient

PLAIN_REASONS = {
    "1": "your plan's deductible (the amount you pay each year before the plan starts paying)",
    "2": "your coinsurance (your percentage share of the allowed amount)",
    "3": "your copay (the fixed amount your plan sets for this kind of visit)",
}


@dataclass(frozen=True)
class StatementItem:
    on: date
    description: str
    amount: Decimal  # positive adds to what you owe, negative takes away
    patient_side: bool  # False: insurance activity shown for information


@dataclass(frozen=True)
class StatementData:
    as_of: date
    items: tuple[StatementItem, ...]
    aging: AgingBuckets
    amount_due: Decimal
    notes: tuple[str, ...]


def statement_select(accounts: Mapping[str, Ledger]) -> list[str]:
    """The accounts that get a statement in this run, in key order."""
    return sorted(key for key, ledger in accounts.items() if ledger.statement_eligible())


def statement_build(ledger: Ledger, *, as_of: date) -> StatementData:
    """The itemised activity, aging, amount due and plain-language notes for one account."""
    items: list[StatementItem] = []
    reasons: list[str] = []
    for entry in ledger.entries:
        if isinstance(entry, Charge):
            who = "billed to you" if entry.responsibility is Party.PATIENT else "billed to your insurance"
            items.append(StatementItem(entry.service_date, f"Service {entry.code} × {entry.units} ({who})",
                                       entry.amount, entry.responsibility is Party.PATIENT))  # fmt: skip
        elif isinstance(entry, Payment):
            if entry.payer is Party.INSURANCE:
                items.append(StatementItem(entry.posted_on, "Insurance payment", -entry.amount, False))
            else:
                items.append(StatementItem(entry.posted_on, f"Your payment ({entry.method})", -entry.amount, True))
        elif isinstance(entry, Adjustment):
            rule = CARCS.get(entry.carc)
            text = rule.description.lower() if rule else "adjustment"
            items.append(StatementItem(entry.posted_on, f"Insurance adjustment, not billed to you ({text})",
                                       -entry.amount, False))  # fmt: skip
            if entry.group.value == "CO":
                reasons.append("Amounts marked 'not billed to you' are the practice's agreement with your plan: "
                               "you do not owe them.")  # fmt: skip
        elif isinstance(entry, TransferToPatient):
            reason = PLAIN_REASONS.get(entry.carc, (CARCS[entry.carc].description.lower()))
            items.append(StatementItem(entry.posted_on, f"Your share after insurance: {reason}", entry.amount, True))
            reasons.append(f"Your plan's explanation of benefits shows {reason} as yours to pay.")
        elif isinstance(entry, Refund):
            whom = "to you" if entry.to is Party.PATIENT else "to your insurance"
            items.append(StatementItem(entry.posted_on, f"Refund {whom}", entry.amount, entry.to is Party.PATIENT))
    notes = tuple(dict.fromkeys(reasons))
    return StatementData(
        as_of=as_of,
        items=tuple(items),
        aging=ledger.aging(as_of),
        amount_due=max(ledger.patient_balance(), Decimal("0.00")),
        notes=notes,
    )
