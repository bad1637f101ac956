"""Money rule: Decimal amounts with exactly two places; floats and negatives are refused."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(ValueError):
    """An amount that the billing rules refuse (float, negative, fractions of a cent)."""


def money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as a Decimal with two places.

    Floats are refused (binary rounding errors), as are values with more than two decimal
    places: silently rounding an amount a trainee typed would hide a wrong answer.
    """
    if isinstance(value, float):
        raise MoneyError("amounts must be Decimal or str, never float")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise MoneyError(f"{value!r} is not an amount") from exc
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount")
    if amount != amount.quantize(CENT):
        raise MoneyError(f"{value} has fractions of a cent")
    return amount.quantize(CENT)


def positive_money(value: Decimal | int | str, *, what: str = "amount") -> Decimal:
    amount = money(value)
    if amount < 0:
        raise MoneyError(f"{what} cannot be negative ({amount}); record the opposite entry type instead")
    if amount == 0:
        raise MoneyError(f"{what} must be greater than zero")
    return amount


def round_cents(value: Decimal) -> Decimal:
    """Round a computed amount (e.g. a coinsurance percentage) half-up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
