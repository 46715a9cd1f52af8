"""The live catalog a host edits: ingredients, recipes, finished units, packaging, goods.

All types are frozen attrs classes; make a changed copy with :func:`attrs.evolve`, which runs
the validators again. Amounts accept ``int``, ``str`` or ``Decimal`` and are stored as
``Decimal``; floats are refused (see :mod:`snapplan.domain.quantities`). Every definition has
an ``id`` (a fresh uuid4 unless given) and a ``version`` (1 unless given), both keyword-only.

>>> flour = Ingredient("Flour")
>>> cookies = Recipe("Sugar Cookies", lines=(IngredientLine(flour.id, "500", "g"),))
>>> FinishedUnit("Cookie", cookies.id, items_per_batch=48).items_per_batch
Decimal('48')
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from snapplan.domain.digests import (
    Content,
    finished_good_content,
    finished_unit_content,
    material_unit_content,
    recipe_content,
)
from snapplan.domain.measures import Measure, forest_problem
from snapplan.domain.validators import (
    elements_of,
    fail,
    is_id,
    new_id,
    nonblank_name,
    positive,
    text,
    to_amount,
    to_id,
    to_tuple,
    version_number,
)


@attrs.frozen
class Definition:
    """What every catalog definition and event has: an ``id`` and an optimistic ``version``.

    Both are keyword-only: ``Ingredient("Flour", id=known_id, version=3)``.
    """

    id: uuid.UUID = attrs.field(factory=new_id, converter=to_id, validator=is_id, kw_only=True)
    version: int = attrs.field(default=1, validator=version_number, kw_only=True)


def _measures(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a tuple of :class:`Measure` that form a forest (never contradict);
    the problem names the item (its ``name`` is validated before its ``measures``)."""
    elements_of(Measure)(instance, attribute, value)
    problem = forest_problem(value, of=instance.name)
    if problem is not None:
        raise fail(instance, attribute, problem)


@attrs.frozen
class Ingredient(Definition):
    """Something a recipe line consumes: flour, sugar, butter.

    ``measures`` (keyword-only) are what the baker knows of it across dimensions, such as a
    density (``Measure(1, "cup", 120, "g")``), the mass of one egg or of a stick of butter:
    the only way its amounts convert between cups and grams (see
    :mod:`snapplan.domain.measures`). They are live facts, read by the pantry and the shopping
    list, never frozen in a plan.
    """

    name: str = attrs.field(validator=nonblank_name)
    measures: tuple[Measure, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_measures
    )


@attrs.frozen
class IngredientLine:
    """One line of a recipe: ``quantity`` ``unit`` of an ingredient per batch (500 g flour)."""

    ingredient_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    unit: str = attrs.field(validator=nonblank_name)
    note: str = attrs.field(default="", validator=text)


@attrs.frozen
class SubRecipe:
    """A recipe used inside another: ``batches`` of the child per one batch of the parent."""

    recipe_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    batches: Decimal = attrs.field(converter=to_amount, validator=positive)


@attrs.frozen
class Recipe(Definition):
    """A recipe: ingredient lines per batch and sub-recipes. It has no yield of its own."""

    name: str = attrs.field(validator=nonblank_name)
    lines: tuple[IngredientLine, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(IngredientLine)
    )
    sub_recipes: tuple[SubRecipe, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(SubRecipe)
    )

    def content(self, ingredient_names: Mapping[uuid.UUID, str]) -> Content:
        """The own content a capture of this recipe would hold now (see digests).

        A line whose ingredient is not in ``ingredient_names`` gets no name, so it never equals
        a snapshot's content.
        """
        return recipe_content(
            self.name,
            (
                (x.ingredient_id, ingredient_names.get(x.ingredient_id), x.quantity, x.unit, x.note)
                for x in self.lines
            ),
            ((sub.recipe_id, sub.batches) for sub in self.sub_recipes),
        )


@attrs.frozen
class FinishedUnit(Definition):
    """What one batch of a recipe yields: 48 cookies; "one cake is half a batch" is 2."""

    name: str = attrs.field(validator=nonblank_name)
    recipe_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    items_per_batch: Decimal = attrs.field(converter=to_amount, validator=positive)

    def content(self, ingredient_names: Mapping[uuid.UUID, str]) -> Content:
        """The own content a capture of this finished unit would hold now."""
        return finished_unit_content(self.name, self.recipe_id, self.items_per_batch)


@attrs.frozen
class MaterialUnit(Definition):
    """Packaging consumed per use: a box, a 6-inch ribbon.

    Packaging is counted (``each``); ``measures`` (keyword-only) say how a count converts to
    what a shop sells by, e.g. ``Measure(1, "each", "0.15", "m")`` for a ribbon sold by the
    metre roll.
    """

    name: str = attrs.field(validator=nonblank_name)
    measures: tuple[Measure, ...] = attrs.field(
        default=(), kw_only=True, converter=to_tuple, validator=_measures
    )

    def content(self, ingredient_names: Mapping[uuid.UUID, str]) -> Content:
        """The own content a capture of this material unit would hold now."""
        return material_unit_content(self.name)


class ComponentKind(enum.StrEnum):
    """What a finished good's component refers to."""

    FINISHED_UNIT = "finished_unit"
    FINISHED_GOOD = "finished_good"
    MATERIAL_UNIT = "material_unit"


def to_component_kind(value: ComponentKind | str) -> Any:
    """attrs converter: a kind's string value becomes the :class:`ComponentKind`."""
    try:
        return ComponentKind(value)
    except ValueError:
        return value  # reported by is_component_kind


def is_component_kind(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a :class:`ComponentKind`."""
    if not isinstance(value, ComponentKind):
        kinds = ", ".join(kind.value for kind in ComponentKind)
        raise fail(instance, attribute, f"unknown component kind {value!r:.40} (one of {kinds})")


@attrs.frozen
class Component:
    """One part of a finished good: ``quantity`` (may be fractional) of a unit, good or material."""

    kind: ComponentKind = attrs.field(converter=to_component_kind, validator=is_component_kind)
    ref: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)


@attrs.frozen
class FinishedGood(Definition):
    """An assembly: a gift box of 6 cookies, a mini box and a ribbon. Components keep order."""

    name: str = attrs.field(validator=nonblank_name)
    components: tuple[Component, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(Component)
    )

    def content(self, ingredient_names: Mapping[uuid.UUID, str]) -> Content:
        """The own content a capture of this good would hold now."""
        return finished_good_content(
            self.name, ((c.kind, c.ref, c.quantity) for c in self.components)
        )


#: The catalog definitions a repository of the catalog may hold.
CatalogItem = Ingredient | Recipe | FinishedUnit | MaterialUnit | FinishedGood

#: A definition a plan captures (every catalog item but ingredients, whose names are copied).
CapturedDefinition = Recipe | FinishedUnit | MaterialUnit | FinishedGood


@attrs.frozen
class CatalogView:
    """Live definitions by id, as read from a store for capture, drift or a catalog check.

    Missing ids are simply absent; whoever reads the view reports them.
    """

    ingredients: Mapping[uuid.UUID, Ingredient] = attrs.field(factory=dict)
    recipes: Mapping[uuid.UUID, Recipe] = attrs.field(factory=dict)
    finished_units: Mapping[uuid.UUID, FinishedUnit] = attrs.field(factory=dict)
    material_units: Mapping[uuid.UUID, MaterialUnit] = attrs.field(factory=dict)
    finished_goods: Mapping[uuid.UUID, FinishedGood] = attrs.field(factory=dict)

    def ingredient_names(self) -> dict[uuid.UUID, str]:
        """Each ingredient's name, by id."""
        return {item_id: item.name for item_id, item in self.ingredients.items()}
