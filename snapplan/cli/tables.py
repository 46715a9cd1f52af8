"""Amounts and tables for people: exact where it matters, readable where it helps.

:func:`amount` spells an exact amount plainly (``3.00`` as ``3``, a fraction as ``25/3``).
:func:`readable` shows an ingredient total the way a baker reads it: in the unit the recipes use
most when the total converts to it exactly (``1109.00735859375 ml`` is ``4 ⅔ cups + 1 tsp``),
cups and spoons as a baker measures them, and with at most three decimals, marked ``~`` when
rounded for display (``~4699.685 g``). The library's
values stay exact; ``--exact`` tables and ``--json`` show every digit.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from snapplan.cli.kitchen_spelling import is_kitchen_volume, kitchen_number, kitchen_volume
from snapplan.cli.terminal import escape
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.units import dimension_of, known_unit

#: Decimals a readable amount keeps.
PLACES = 3
#: Marks an amount rounded for display.
ROUNDED = "~"


def amount(value: Decimal | Fraction | None) -> str:
    """An amount for people: ``3.00`` shows as ``3``, a fraction as ``25/3``, None as ``-``."""
    if value is None:
        return "-"
    return canonical_decimal(value) if isinstance(value, Decimal) else str(value)


def counted(value: Decimal | Fraction | None, *, exact: bool = False) -> str:
    """A count for the kitchen (batches, items): ``8 ⅓``, ``½`` (see
    :func:`~snapplan.cli.kitchen_spelling.kitchen_number`); with ``exact``, :func:`amount`."""
    if exact or value is None:
        return amount(value)
    return kitchen_number(value)


def readable(
    quantity: Decimal, unit: str, *, preferred: str | None = None, exact: bool = False
) -> tuple[str, str]:
    """(amount, unit) for a table: in ``preferred`` (a unit of the same dimension) when the
    conversion is exact, else as given; at most :data:`PLACES` decimals, ``~`` when rounded.
    A US volume reads as cups and spoons (``("2 cups + 1 tbsp", "")``, see
    :mod:`snapplan.cli.kitchen_spelling`), its unit in the amount. With ``exact``, every digit
    in the unit given."""
    if exact:
        return amount(quantity), unit
    shown_unit = unit
    if preferred is not None and preferred != unit:
        converted = convert_exactly(quantity, unit, preferred)
        if converted is not None:
            quantity, shown_unit = converted, preferred
    if is_kitchen_volume(shown_unit):
        # Cups and spoons, unit included in the amount (2 cups + 1 tbsp): the unit column stays
        # empty, for every amount of the row alike.
        spelled = kitchen_volume(quantity, shown_unit)
        return spelled or f"{rounded(quantity)} {shown_unit}", ""
    return rounded(quantity), shown_unit


def rounded(quantity: Decimal) -> str:
    """``quantity`` with at most :data:`PLACES` decimals, ``~`` in front when that rounded it."""
    with decimal.localcontext() as context:
        context.prec = 80
        shown = quantity.quantize(Decimal(1).scaleb(-PLACES), rounding=decimal.ROUND_HALF_EVEN)
    text = canonical_decimal(shown)
    return text if shown == quantity else f"{ROUNDED}{text}"


def convert_exactly(quantity: Decimal, unit: str, to: str) -> Decimal | None:
    """``quantity`` of ``unit`` in ``to`` if both are known units of one dimension and the
    result is exact (a terminating decimal); else None."""
    source, target = known_unit(unit), known_unit(to)
    if source is None or target is None or dimension_of(unit) != dimension_of(to):
        return None
    value = Fraction(quantity) * Fraction(source.factor) / Fraction(target.factor)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return None
    with decimal.localcontext() as context:
        context.prec = 200
        return Decimal(value.numerator) / Decimal(value.denominator)


def tables(*sections: tuple[str, Sequence[str], Sequence[Sequence[str]]]) -> str:
    """Titled plain-text tables, columns aligned; sections without rows are left out. Each cell
    is escaped (:func:`~snapplan.cli.terminal.escape`): a name cannot steer the terminal, nor
    break a row in two."""
    out = []
    for title, header, given_rows in sections:
        if not given_rows:
            continue
        rows = [[escape(str(cell)) for cell in row] for row in given_rows]
        widths = [
            max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)
        ]
        out.append(title)
        for row in [header, *rows]:
            out.append(
                "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
        out.append("")
    return "\n".join(out)
