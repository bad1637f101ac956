"""Check-in money (tasks R6 / P3): the copay due for a visit and how a patient pays at the desk.

The copay comes from the patient's plan (billing.plans.PlanRules.copays) for the kind of service the
visit is; preventive visits carry no cost sharing (ACA §2713, 45 CFR 147.130), and a self-pay patient
has no copay (the visit is billed to them in full after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .codes import ServiceKind
from .ledger import PaymentMethod
from .money import ZERO, MoneyError, positive_money
from .plans import PlanRules

# Which kind of service each appointment type is (content/office/practice.yaml appointment_types).
PREVENTIVE_TYPES = frozenset({"annual-physical", "well-child"})
DESK_METHODS = (PaymentMethod.CASH, PaymentMethod.CHECK, PaymentMethod.CARD)
MAX_DESK_PAYMENT = Decimal("5000.00")


class DeskPaymentError(ValueError):
    """A desk payment that cannot be taken as entered."""


def visit_kind(type_key: str) -> ServiceKind:
    return ServiceKind.PREVENTIVE if type_key in PREVENTIVE_TYPES else ServiceKind.OFFICE_VISIT


def copay_due(plan: PlanRules | None, *, type_key: str) -> Decimal:
    """The copay to collect at check-in (0.00 for self-pay or a preventive visit)."""
    if plan is None:
        return ZERO
    kind = visit_kind(type_key)
    if kind in plan.cost_share_exempt_kinds:
        return ZERO
    return plan.copays.get(kind, ZERO)


@dataclass(frozen=True)
class DeskPayment:
    amount: Decimal
    method: PaymentMethod
    detail: str  # the check number, or the card's last four digits; "" for cash


def desk_payment(*, amount: str, method: str, check_number: str = "", card_last4: str = "") -> DeskPayment:
    """Validate a payment taken at the desk: a positive amount; a check needs its number, a card its last
    four digits (never the full card number: PCI DSS requirement 3.3/3.4)."""
    problems: list[str] = []
    try:
        value = positive_money(str(amount).strip().lstrip("$"), what="The payment")
    except MoneyError as exc:
        problems.append(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
        value = None
    if value is not None and value > MAX_DESK_PAYMENT:
        problems.append(f"A desk payment over {MAX_DESK_PAYMENT} needs the office manager.")
    try:
        chosen = PaymentMethod(method)
    except ValueError:
        chosen = None
    if chosen not in DESK_METHODS:
        problems.append("Choose how the patient paid: cash, check or card.")
    detail = ""
    if chosen is PaymentMethod.CHECK:
        detail = check_number.strip()
        if not re.fullmatch(r"\d{1,10}", detail):
            problems.append("Enter the check number (digits only).")
    elif chosen is PaymentMethod.CARD:
        detail = card_last4.strip()
        if not re.fullmatch(r"\d{4}", detail):
            problems.append("Enter the last four digits of the card (never the full card number).")
    if problems:
        raise DeskPaymentError(*problems)
    return DeskPayment(amount=value, method=chosen, detail=detail)
