"""Measures: what one ingredient (or packaging material) weighs per cup, per egg, per stick.

A :class:`Measure` is one fact about one item: ``1 cup = 120 g`` of flour (a density),
``1 each = 50 g`` of eggs, ``1 stick = 113 g`` of butter (a baker's unit). Within a dimension
(mass, volume, count) units convert by the exact factors of :mod:`snapplan.domain.units`;
*between* dimensions they convert **only** through the item's own measures — never a default
density, never another ingredient's — so flour measured in cups and flour bought in kilograms
meet exactly where the baker said how they meet, and nowhere else.

An item's measures, seen as edges between dimensions, must form a forest: between two
dimensions there is at most one path, so two measures can never contradict each other (``1 cup
= 120 g`` and ``1 cup = 125 g``, or a cup, gram, each, cup loop). :func:`forest_problem` says
which measures break the rule; :class:`Ingredient <snapplan.Ingredient>` refuses them.

:func:`convert` follows the one path. Every step is exact: a result whose decimal expansion
does not terminate is a :class:`fractions.Fraction` (``1 ml`` of flour at ``1 cup = 120 g`` is
120/236.5882365 g), never a rounded number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from snapplan.domain.quantities import canonical_decimal, exact_decimal
from snapplan.domain.units import BASE_UNITS, canonical_unit, dimension_of, known_unit
from snapplan.domain.validators import fail, nonblank_name, positive, text, to_amount

#: An exact amount as the conversions give it.
Exact = Decimal | Fraction


@attrs.frozen
class Measure:
    """``quantity unit`` of an item is ``equals equals_unit`` of it: ``Measure(1, "cup", 120,
    "g", source="King Arthur chart")``.

    The two units are of different dimensions (a unit snapplan does not know, such as
    ``stick`` or ``large``, is a dimension of its own); both amounts are positive and exact.
    ``source`` says where the figure comes from, for the baker who wonders.

    >>> str(Measure(1, "stick", 113, "g"))
    '1 stick = 113 g'
    """

    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    unit: str = attrs.field(validator=nonblank_name)
    equals: Decimal = attrs.field(converter=to_amount, validator=positive)
    equals_unit: str = attrs.field(validator=nonblank_name)
    source: str = attrs.field(default="", kw_only=True, validator=text)

    @equals_unit.validator
    def _across_dimensions(self, attribute: Any, value: str) -> None:
        if dimension_of(self.unit) == dimension_of(value):
            raise fail(
                self,
                attribute,
                f"{self} relates two units of one dimension, which convert by themselves "
                "(a measure says how two dimensions meet: 1 cup = 120 g)",
            )

    @property
    def dimensions(self) -> tuple[str, str]:
        """The two dimensions this measure joins (``unit``'s first)."""
        return dimension_of(self.unit), dimension_of(self.equals_unit)

    def __str__(self) -> str:
        return (
            f"{canonical_decimal(self.quantity)} {self.unit} = "
            f"{canonical_decimal(self.equals)} {self.equals_unit}"
        )


def forest_problem(measures: Sequence[Measure], of: str | None = None) -> str | None:
    """What makes ``measures`` contradict themselves (None when they form a forest), naming
    the item they are ``of`` when given.

    Each measure joins two dimensions; a measure that joins two dimensions already joined by
    the measures before it closes a loop: two paths between them, two possible answers.

    >>> flour = [Measure(1, "cup", 120, "g"), Measure(1, "cup", 125, "g")]
    >>> forest_problem(flour, of="Flour").split(" give ")[0]
    "measures '1 cup = 120 g'; '1 cup = 125 g' of 'Flour'"
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for index, measure in enumerate(measures):
        left, right = (root(d) for d in measure.dimensions)
        if left == right:
            loop = _path(*measure.dimensions, measures[:index]) or []
            listed = "; ".join(f"'{m}'" for m in [*(step for step, _ in loop), measure])
            item = "" if of is None else f" of {of!r}"
            return (
                f"measures {listed}{item} give two ways to convert between "
                f"{_shown_dimension(measure.dimensions[0])} and "
                f"{_shown_dimension(measure.dimensions[1])}: keep one"
            )
        parent[left] = right
    return None


def _shown_dimension(dimension: str) -> str:
    return dimension.removeprefix("unit:")


def _path(start: str, goal: str, measures: Iterable[Measure]) -> list[tuple[Measure, bool]] | None:
    """The measures leading from dimension ``start`` to ``goal``, each with True when it is
    followed from its ``unit`` side to its ``equals_unit`` side; None when none leads there."""
    edges: dict[str, list[tuple[str, Measure, bool]]] = {}
    for measure in measures:
        left, right = measure.dimensions
        edges.setdefault(left, []).append((right, measure, True))
        edges.setdefault(right, []).append((left, measure, False))
    came_from: dict[str, tuple[str, Measure, bool] | None] = {start: None}
    todo = [start]
    while todo:
        here = todo.pop()
        if here == goal:
            break
        for there, measure, forward in edges.get(here, ()):
            if there not in came_from:
                came_from[there] = (here, measure, forward)
                todo.append(there)
    if goal not in came_from:
        return None
    path: list[tuple[Measure, bool]] = []
    node = goal
    while (step := came_from[node]) is not None:
        node, measure, forward = step
        path.append((measure, forward))
    path.reverse()
    return path


def within_dimension(quantity: Exact, unit: str, to_unit: str) -> Exact | None:
    """``quantity unit`` in ``to_unit`` when both are of one dimension (exact), else None.

    Two spellings of one unknown unit (``stick``, ``stick``) convert one to one; two different
    unknown units never do.
    """
    factor = _within(unit, to_unit)
    if factor is None:
        return None
    return quantity if factor == 1 else exact(Fraction(quantity) * factor)


def _within(unit: str, to_unit: str) -> Fraction | None:
    """How many ``to_unit`` one ``unit`` is, within one dimension (None across dimensions)."""
    if dimension_of(unit) != dimension_of(to_unit):
        return None
    source, target = known_unit(unit), known_unit(to_unit)
    if source is None or target is None or source.symbol == target.symbol:
        return Fraction(1)
    return Fraction(source.factor) / Fraction(target.factor)


def rate(unit: str, to_unit: str, measures: Sequence[Measure] = ()) -> Fraction | None:
    """How many ``to_unit`` one ``unit`` of an item with ``measures`` is, exactly (None when it
    cannot be said): the factor :func:`convert` multiplies by, for code that converts many
    amounts of one unit.

    >>> rate("cup", "g", [Measure(1, "cup", 120, "g")])
    Fraction(120, 1)
    """
    same = _within(unit, to_unit)
    if same is not None:
        return same
    path = _path(dimension_of(unit), dimension_of(to_unit), measures)
    if path is None:
        return None
    factor, spelled = Fraction(1), unit
    for measure, forward in path:
        here, there = (
            (measure.unit, measure.equals_unit) if forward else (measure.equals_unit, measure.unit)
        )
        per, gives = (
            (measure.quantity, measure.equals) if forward else (measure.equals, measure.quantity)
        )
        moved = _within(spelled, here)
        assert moved is not None  # the path reached this measure's dimension
        factor = factor * moved * Fraction(gives) / Fraction(per)
        spelled = there
    last = _within(spelled, to_unit)
    assert last is not None  # the path ends in to_unit's dimension
    return factor * last


def convert(
    quantity: Exact, unit: str, to_unit: str, measures: Sequence[Measure] = ()
) -> Exact | None:
    """``quantity unit`` of an item in ``to_unit``, exactly, or None when it cannot be said.

    Within a dimension by the units' own factors; across dimensions only along the one path
    the item's ``measures`` make (see the module docstring). A result whose decimal expansion
    terminates is a ``Decimal``, any other a ``Fraction``; an amount already in ``to_unit``
    comes back as it is.

    >>> flour = [Measure(1, "cup", 120, "g")]
    >>> convert(Decimal(3), "cups", "g", flour)
    Decimal('360')
    >>> convert(Decimal(48), "tsp", "kg", flour)
    Decimal('0.12')
    >>> convert(Decimal(1), "cup", "each", flour) is None
    True
    """
    factor = rate(unit, to_unit, measures)
    if factor is None:
        return None
    return quantity if factor == 1 else exact(Fraction(quantity) * factor)


def reaches(unit: str, to_unit: str, measures: Sequence[Measure] = ()) -> bool:
    """True when an amount in ``unit`` converts to ``to_unit`` for an item with ``measures``."""
    return convert(Decimal(1), unit, to_unit, measures) is not None


def base_unit(unit: str) -> str:
    """The base unit of ``unit``'s dimension: ``g``, ``ml``, ``each``, or an unknown unit
    itself (canonically spelled)."""
    known = known_unit(unit)
    return BASE_UNITS[known.dimension] if known is not None else canonical_unit(unit)


def exact(value: Fraction | Decimal) -> Exact:
    """A ``Decimal`` when ``value``'s decimal expansion terminates, else the ``Fraction``."""
    if isinstance(value, Decimal):
        return value
    return exact_decimal(value)
