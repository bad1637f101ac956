"""Payment plans (task P8): an instalment schedule that sums to the balance, to the cent.

Every instalment but the last is the balance divided by the count, rounded *down* to the cent; the last
absorbs the remainder, so the schedule never collects a cent more or less than the balance and the
last payment is never smaller than the others (a plan of 100.00 in 3 is 33.33, 33.33, 33.34).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from .money import CENT, MoneyError, positive_money

MAX_INSTALMENTS = 24  # office policy: at most two years of monthly payments
MIN_INSTALMENT = Decimal("10.00")  # office policy: no monthly payment under $10


class PlanError(ValueError):
    """A plan the office refuses; the message says why."""


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: date
    amount: Decimal


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def instalment_schedule(*, balance: Decimal | str, count: int, first_due: date) -> list[Instalment]:
    """Monthly instalments from `first_due` that add up exactly to `balance`."""
    try:
        total = positive_money(balance, what="The plan balance")
    except MoneyError as exc:
        raise PlanError(str(exc)) from exc
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise PlanError("A payment plan needs at least one instalment.")
    if count > MAX_INSTALMENTS:
        raise PlanError(f"A payment plan runs for at most {MAX_INSTALMENTS} monthly instalments.")
    regular = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    if count > 1 and regular < MIN_INSTALMENT:
        raise PlanError(f"Each instalment must be at least {MIN_INSTALMENT}; choose fewer instalments.")
    last = total - regular * (count - 1)
    return [
        Instalment(number=n, due_on=add_months(first_due, n - 1), amount=last if n == count else regular)
        for n in range(1, count + 1)
    ]
