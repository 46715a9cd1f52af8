"""Units of measure: canonical spellings, dimensions and exact conversion factors.

Mass (base ``g``), volume (base ``ml``, US customary) and count (base ``each``) convert exactly.
Common spellings ("grams", "cups", "teaspoon", ...) are aliases of the canonical ones. Any other
unit is kept verbatim and forms a dimension of its own, so it is never summed with anything but
itself.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import attrs

MASS = "mass"
VOLUME = "volume"
COUNT = "count"


@attrs.frozen
class Unit:
    """A known unit: its canonical spelling, its dimension and its size in the base unit."""

    symbol: str
    dimension: str
    factor: Decimal


_KNOWN: dict[str, Unit] = {
    u.symbol: u
    for u in (
        Unit("g", MASS, Decimal(1)),
        Unit("mg", MASS, Decimal("0.001")),
        Unit("kg", MASS, Decimal(1000)),
        Unit("oz", MASS, Decimal("28.349523125")),
        Unit("lb", MASS, Decimal("453.59237")),
        Unit("ml", VOLUME, Decimal(1)),
        Unit("l", VOLUME, Decimal(1000)),
        Unit("tsp", VOLUME, Decimal("4.92892159375")),
        Unit("tbsp", VOLUME, Decimal("14.78676478125")),
        Unit("fl_oz", VOLUME, Decimal("29.5735295625")),
        Unit("cup", VOLUME, Decimal("236.5882365")),
        Unit("each", COUNT, Decimal(1)),
        Unit("dozen", COUNT, Decimal(12)),
    )
}

BASE_UNITS = {MASS: "g", VOLUME: "ml", COUNT: "each"}

_ALIASES = {
    "gram": "g", "grams": "g", "gr": "g",
    "milligram": "mg", "milligrams": "mg",
    "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
    "ounce": "oz", "ounces": "oz",
    "pound": "lb", "pounds": "lb", "lbs": "lb",
    "milliliter": "ml", "milliliters": "ml", "millilitre": "ml", "millilitres": "ml",
    "liter": "l", "liters": "l", "litre": "l", "litres": "l",
    "teaspoon": "tsp", "teaspoons": "tsp", "tsps": "tsp",
    "tablespoon": "tbsp", "tablespoons": "tbsp", "tbsps": "tbsp",
    "fl oz": "fl_oz", "fluid ounce": "fl_oz", "fluid ounces": "fl_oz", "floz": "fl_oz",
    "cups": "cup", "c": "cup",
    "piece": "each", "pieces": "each", "ea": "each", "pc": "each", "pcs": "each",
    "dozens": "dozen", "doz": "dozen",
}  # fmt: skip


@functools.lru_cache(maxsize=4096)
def known_unit(spelling: str) -> Unit | None:
    """The known unit ``spelling`` names (case and surrounding spaces ignored), or None.

    (Remembered per spelling: a plan's lines spell a handful of units thousands of times.)"""
    key = " ".join(spelling.strip().lower().split())
    key = _ALIASES.get(key, key)
    return _KNOWN.get(key)


def canonical_unit(spelling: str) -> str:
    """The canonical spelling of a known unit; an unknown unit is returned verbatim."""
    unit = known_unit(spelling)
    return unit.symbol if unit is not None else spelling


def dimension_of(spelling: str) -> str:
    """``mass``, ``volume`` or ``count``; an unknown unit is its own dimension (``unit:<name>``)."""
    unit = known_unit(spelling)
    return unit.dimension if unit is not None else f"unit:{spelling}"


def unit_spellings() -> tuple[str, ...]:
    """Every spelling :func:`known_unit` recognises (lower case): canonical ones, then aliases."""
    return (*_KNOWN, *_ALIASES)
