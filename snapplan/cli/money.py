"""Money for people: exact amounts shown to the cent, rounded half up, for display only.

Prices and costs stay exact in the library (a ``Decimal``, or a ``Fraction`` where a division
does not terminate: a third of a 2.00 EUR batch); only what the command line prints is rounded,
and only here: to two decimals, a half cent away from zero (``0.125`` shows as ``0.13``), as a
till does. JSON output never goes through this module: it keeps every digit.

>>> cents(Decimal("6.6")), cents(Fraction(2, 3)), cents(Decimal("0.125"))
('6.60', '0.67', '0.13')
>>> money(Decimal("6.6"), "EUR"), money(None, "EUR")
('6.60 EUR', '-')
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def cents(value: Decimal | Fraction) -> str:
    """``value`` with two decimals, rounded half away from zero (``2.5`` -> ``2.50``)."""
    scaled = Fraction(value) * 100
    whole = int(abs(scaled) + Fraction(1, 2))  # floor, for a non-negative number
    sign = "-" if scaled < 0 and whole else ""
    return f"{sign}{whole // 100}.{whole % 100:02d}"


def money(value: Decimal | Fraction | None, currency: str | None) -> str:
    """``6.60 EUR``; ``-`` when the amount is unknown (a missing price is never a zero)."""
    if value is None:
        return "-"
    return f"{cents(value)} {currency}" if currency else cents(value)
