"""Amounts as a baker writes them: ``1/3``, ``1 1/2``, ``½``, ``2.5`` — read exactly.

snapplan keeps every amount as an exact ``Decimal``. A fraction such as one half is a decimal
(0.5); one third is not, in any number of digits. Rounding it (``0.33``) is what made "1/3 cup"
drift into ``Cocoa 1.41 cup``: so a fraction without an exact decimal in its own unit is kept
exactly in the largest unit *of the same family* where it has one — ``1/3 cup`` is exactly
``16 tsp`` (a cup is 48 teaspoons), ``1/3 dozen`` is ``4 each`` — and refused, naming the unit,
where none exists (``1/3 kg`` is no whole number of any metric mass unit's decimals). Never
rounded.

The families are the ones a recipe is written in: US customary volumes (cup, fl oz, tbsp,
tsp), metric volumes (l, ml), metric masses (kg, g, mg), avoirdupois masses (lb, oz) and
counts (dozen, each). A unit snapplan does not know (``stick``) is a family of its own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Final

from snapplan.domain.quantities import canonical_decimal, exact_decimal, to_decimal
from snapplan.domain.units import known_unit
from snapplan.errors import ValidationError

#: The vulgar fractions of Unicode a baker's text may hold.
VULGAR: Final = {
    "½": Fraction(1, 2),
    "⅓": Fraction(1, 3),
    "⅔": Fraction(2, 3),
    "¼": Fraction(1, 4),
    "¾": Fraction(3, 4),
    "⅕": Fraction(1, 5),
    "⅖": Fraction(2, 5),
    "⅗": Fraction(3, 5),
    "⅘": Fraction(4, 5),
    "⅙": Fraction(1, 6),
    "⅚": Fraction(5, 6),
    "⅐": Fraction(1, 7),
    "⅛": Fraction(1, 8),
    "⅜": Fraction(3, 8),
    "⅝": Fraction(5, 8),
    "⅞": Fraction(7, 8),
    "⅑": Fraction(1, 9),
    "⅒": Fraction(1, 10),
}

#: Units of one family, largest first (canonical spellings).
FAMILIES: Final = (
    ("cup", "fl_oz", "tbsp", "tsp"),
    ("l", "ml"),
    ("kg", "g", "mg"),
    ("lb", "oz"),
    ("dozen", "each"),
)

_VULGAR_CLASS = "".join(VULGAR)
_FRACTION_TEXT = re.compile(
    rf"[ \t]*(?:(?P<whole>[0-9]+)(?:[ \t]+|(?=[{_VULGAR_CLASS}])))?"
    rf"(?:(?P<num>[0-9]+)/(?P<den>[0-9]+)|(?P<vulgar>[{_VULGAR_CLASS}]))[ \t]*"
)


def is_fraction_text(text: str) -> bool:
    """True when ``text`` is written as a fraction (``1/3``, ``1 1/2``, ``½``, ``1½``)."""
    return _FRACTION_TEXT.fullmatch(text) is not None


def fraction_value(text: str) -> Fraction | None:
    """The value of ``text`` written as a fraction, or None when it is not one."""
    match = _FRACTION_TEXT.fullmatch(text)
    if match is None:
        return None
    whole = int(match["whole"]) if match["whole"] else 0
    if match["vulgar"]:
        part = VULGAR[match["vulgar"]]
    else:
        denominator = int(match["den"])
        if denominator == 0:
            return None
        part = Fraction(int(match["num"]), denominator)
    return whole + part


def kitchen_amount(text: str, unit: str) -> tuple[Decimal, str]:
    """``text`` (a decimal or a fraction) of ``unit`` as an exact ``(quantity, unit)``.

    A decimal, or a fraction with an exact decimal, stays in ``unit``; any other fraction is
    written in the largest unit of ``unit``'s family where it is exact; ``ValidationError``
    when there is none (or the text is no amount at all).

    >>> kitchen_amount("1 1/2", "cup")
    (Decimal('1.5'), 'cup')
    >>> kitchen_amount("1/3", "cups")
    (Decimal('16'), 'tsp')
    >>> kitchen_amount("⅔", "dozen")
    (Decimal('8'), 'each')
    """
    value = fraction_value(text)
    if value is None:
        return to_decimal(text), unit
    exact = exact_decimal(value)
    if isinstance(exact, Decimal):
        return exact, unit
    known = known_unit(unit)
    if known is not None:
        family = next(f for f in FAMILIES if known.symbol in f)
        for other in family[family.index(known.symbol) + 1 :]:
            factor = Fraction(known.factor) / Fraction(_factor(other))
            there = exact_decimal(value * factor)
            if isinstance(there, Decimal):
                return there, other
    shown = f"{value.numerator}/{value.denominator}"
    raise ValidationError(
        f"{text.strip()} {unit} ({shown}) has no exact decimal in {unit}"
        + (" or any smaller unit of its family" if known is not None else "")
        + f": write it in another unit (snapplan never rounds it to {_rounded(value)}...)"
    )


def exact_amount(text: str) -> Decimal:
    """``text`` (a decimal or a fraction) of no unit — batches, items, a component's quantity —
    exactly: ``1/2`` is 0.5; ``1/3`` has no exact decimal and no smaller unit to move to, so it
    is refused (``ValidationError``), never rounded.

    >>> exact_amount("1 1/2"), exact_amount("¾"), exact_amount("2.5")
    (Decimal('1.5'), Decimal('0.75'), Decimal('2.5'))
    """
    value = fraction_value(text)
    if value is None:
        return to_decimal(text)
    exact = exact_decimal(value)
    if isinstance(exact, Decimal):
        return exact
    shown = f"{value.numerator}/{value.denominator}"
    raise ValidationError(
        f"{text.strip()} ({shown}) has no exact decimal: write it another way"
        f" (snapplan never rounds it to {_rounded(value)}...)"
    )


def _factor(symbol: str) -> Decimal:
    unit = known_unit(symbol)
    assert unit is not None
    return unit.factor


def _rounded(value: Fraction) -> str:
    return canonical_decimal(Decimal(value.numerator) / Decimal(value.denominator))[:6]
