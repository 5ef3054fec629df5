"""Money: ``Decimal`` CNY, rounded to the fen (0.01) half up — the one rounding rule of
billing, applied to each line's amount and each line's VAT; totals are sums of rounded
lines, so an invoice's total always equals the sum of its lines."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hubport.domain.errors import HubportError

FEN = Decimal("0.01")


class MoneyError(HubportError):
    """An amount that is not a finite number."""


def cny(value: object) -> Decimal:
    """``value`` in CNY, rounded to the fen half up; an error names a value that is not
    a finite number."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise MoneyError(f"{value!r} is not an amount") from None
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount")
    return amount.quantize(FEN, ROUND_HALF_UP)


__all__ = ["FEN", "MoneyError", "cny"]
