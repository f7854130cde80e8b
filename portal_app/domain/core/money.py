"""Exact decimals for money and hours, stored as integers of hundredths, written the French way."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# A no-break space: "5 529,88 €" must never wrap between its digits or before the euro sign.
NBSP = "\u00a0"
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]{1,2})?")


def parse_decimal(text: str) -> Decimal | None:
    """'5 529,88', '5529.88', '151,67' -> Decimal; None when not a number with at most 2 decimals.

    Spaces (also no-break ones) may group thousands; one comma or dot marks the decimals."""
    compact = re.sub(r"[\s\u00a0\u202f]", "", text or "")
    if not _NUMBER.fullmatch(compact):
        return None
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees a number
        return None


def to_hundredths(value: Decimal) -> int:
    return int((value * HUNDRED).to_integral_value(rounding=ROUND_HALF_UP))


def from_hundredths(value: int) -> Decimal:
    return (Decimal(value) / HUNDRED).quantize(CENT)


def french_number(value: Decimal) -> str:
    """Decimal('5529.88') -> '5 529,88' (no-break space between thousands)."""
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value.quantize(CENT)):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{cents}"


def euros(value: Decimal) -> str:
    return f"{french_number(value)}{NBSP}€"
