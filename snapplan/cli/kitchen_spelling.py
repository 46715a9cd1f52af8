"""Amounts spelled as a baker reads them: ``8 ⅓``, ``⅓ cup``, ``1 ½ tsp``, ``2 cups + 1 tbsp``.

Exact, never rounded: a number is a whole and one of the fractions of a measuring set
(:data:`BAKERS_FRACTIONS`) only when it *is* that; a US volume (cup, fl oz, tbsp, tsp) is split
into cups, tablespoons and teaspoons only when the parts add up to it exactly. Anything else
falls back to the caller's decimal spelling (None here). ``--exact`` and JSON never come here.

>>> kitchen_number(Fraction(25, 3)), kitchen_number(Decimal("0.5")), kitchen_number(Decimal(2))
('8 ⅓', '½', '2')
>>> kitchen_volume(Decimal("15.75"), "cup"), kitchen_volume(Decimal(99), "tsp")
('15 ¾ cups', '2 cups + 1 tbsp')
>>> kitchen_volume(Decimal("1.5"), "tsp"), kitchen_volume(Decimal(16), "tsp")
('1 ½ tsp', '⅓ cup')
>>> kitchen_volume(Decimal("0.1"), "cup") is None  # 4.8 tsp: no measuring spoon says it
True
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Final

from snapplan.domain.kitchen_amounts import VULGAR
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.units import canonical_unit, known_unit

#: The fractions on a baker's measuring cups and spoons, and how they are written.
BAKERS_FRACTIONS: Final = {
    value: glyph
    for glyph, value in VULGAR.items()
    if value.denominator in (2, 3, 4, 8)  # halves, thirds, quarters, eighths
}

#: Teaspoons in one cup, one tablespoon (US customary).
_CUP: Final = Fraction(48)
_TBSP: Final = Fraction(3)
#: What measuring cups hold beyond whole cups; what measuring spoons hold beyond whole teaspoons.
_CUP_PARTS: Final = tuple(
    sorted({Fraction(0), *(f for f in BAKERS_FRACTIONS if f.denominator != 8)})
)
_TSP_PARTS: Final = (Fraction(0), Fraction(1, 8), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))
#: The units spelled in cups and spoons.
_US_VOLUMES: Final = frozenset({"cup", "fl_oz", "tbsp", "tsp"})


def kitchen_number(value: Decimal | Fraction) -> str:
    """``value`` as a whole and a measuring fraction (``8 ⅓``, ``½``); a fraction of another
    denominator as a mixed number (``2 2/9``); any other decimal as its exact digits."""
    exact = Fraction(value)
    whole = math.floor(exact)
    part = exact - whole
    if part == 0:
        return str(whole)
    if exact > 0 and part in BAKERS_FRACTIONS:
        glyph = BAKERS_FRACTIONS[part]
        return f"{whole} {glyph}" if whole else glyph
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    if exact > 0:
        return f"{whole} {part}" if whole else str(part)
    return str(exact)


def is_kitchen_volume(unit: str) -> bool:
    """True for the US volumes spelled in cups and spoons (cup, fl oz, tbsp, tsp)."""
    known = known_unit(unit)
    return known is not None and known.symbol in _US_VOLUMES


def kitchen_volume(quantity: Decimal, unit: str) -> str | None:
    """A US volume (cup, fl oz, tbsp, tsp) as cups and spoons that add up to it exactly
    (``2 cups + 1 tbsp``), in as few measures as the set allows; None for another unit, a
    negative amount, or one no set of cups and spoons says exactly."""
    known = known_unit(unit)
    if known is None or not is_kitchen_volume(unit) or quantity < 0:
        return None
    teaspoons = Fraction(quantity) * Fraction(known.factor) / Fraction(_factor("tsp"))
    if teaspoons == 0:
        return f"0 {_plural('cup', 0) if known.symbol == 'cup' else known.symbol}"
    cups = _largest_cup_measure(teaspoons / _CUP)
    rest = teaspoons - cups * _CUP
    tablespoons = math.floor(rest / _TBSP)
    spoons = rest - tablespoons * _TBSP
    if spoons - math.floor(spoons) not in _TSP_PARTS:
        return None
    parts = []
    if cups:
        parts.append(f"{kitchen_number(cups)} {_plural('cup', cups)}")
    if tablespoons:
        parts.append(f"{tablespoons} tbsp")
    if spoons:
        parts.append(f"{kitchen_number(spoons)} tsp")
    return " + ".join(parts)


def measure(quantity: Decimal, unit: str) -> str:
    """An ingredient's amount as measured, exact: cups and spoons where they say it, a count
    alone, else the number and its unit (``2 cups + 1 tbsp``, ``6``, ``2751.796185 g``)."""
    spelled = kitchen_volume(quantity, unit)
    if spelled is not None:
        return spelled
    if canonical_unit(unit) == "each":
        return kitchen_number(quantity)  # 6 eggs, not 6 each eggs
    return f"{canonical_decimal(quantity)} {unit}"


def batches_of(batches: Decimal) -> str:
    """``2 batches``, ``½ batch``, ``1 batch``."""
    return f"{kitchen_number(batches)} {'batch' if batches <= 1 else 'batches'}"


def _largest_cup_measure(cups: Fraction) -> Fraction:
    """The largest whole-and-measuring-cup amount not above ``cups``."""
    whole = math.floor(cups)
    return whole + max(part for part in _CUP_PARTS if whole + part <= cups)


def _plural(word: str, amount: Fraction | int) -> str:
    return word if 0 < amount <= 1 else f"{word}s"


def _factor(symbol: str) -> Decimal:
    unit = known_unit(symbol)
    assert unit is not None
    return unit.factor
