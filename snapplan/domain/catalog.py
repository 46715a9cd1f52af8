"""The live catalog a host edits: ingredients, recipes, finished units, packaging, goods.

All types are frozen attrs classes; make a changed copy with :func:`attrs.evolve`, which runs
the validators again. Amounts accept ``int``, ``str`` or ``Decimal`` and are stored as
``Decimal``; floats are refused (see :mod:`snapplan.domain.quantities`).

>>> flour = Ingredient("Flour")
>>> cookies = Recipe("Sugar Cookies", lines=(IngredientLine(flour.id, "500", "g"),))
>>> FinishedUnit("Cookie", cookies.id, items_per_batch=48).items_per_batch
Decimal('48')
"""

from __future__ import annotations

import enum
import uuid
from decimal import Decimal
from typing import Any

import attrs

from snapplan.domain.names import (
    elements_of,
    identity,
    new_id,
    nonblank_name,
    text,
    to_tuple,
    to_uuid,
    version_number,
)
from snapplan.domain.quantities import positive_amount
from snapplan.errors import ValidationError


@attrs.frozen
class Ingredient:
    """Something a recipe line consumes: flour, sugar, butter."""

    name: str = attrs.field(validator=nonblank_name)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)
    version: int = attrs.field(default=1, validator=version_number)


@attrs.frozen
class IngredientLine:
    """One line of a recipe: ``quantity`` ``unit`` of an ingredient per batch (500 g flour)."""

    ingredient_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    quantity: Decimal = attrs.field(converter=positive_amount)
    unit: str = attrs.field(validator=nonblank_name)
    note: str = attrs.field(default="", validator=text)


@attrs.frozen
class SubRecipe:
    """A recipe used inside another: ``batches`` of the child per one batch of the parent."""

    recipe_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    batches: Decimal = attrs.field(converter=positive_amount)


@attrs.frozen
class Recipe:
    """A recipe: ingredient lines per batch and sub-recipes. It has no yield of its own."""

    name: str = attrs.field(validator=nonblank_name)
    lines: tuple[IngredientLine, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(IngredientLine)
    )
    sub_recipes: tuple[SubRecipe, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(SubRecipe)
    )
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)
    version: int = attrs.field(default=1, validator=version_number)


@attrs.frozen
class FinishedUnit:
    """What one batch of a recipe yields: 48 cookies; "one cake is half a batch" is 2."""

    name: str = attrs.field(validator=nonblank_name)
    recipe_id: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    items_per_batch: Decimal = attrs.field(converter=positive_amount)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)
    version: int = attrs.field(default=1, validator=version_number)


@attrs.frozen
class MaterialUnit:
    """Packaging consumed per use: a box, a 6-inch ribbon."""

    name: str = attrs.field(validator=nonblank_name)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)
    version: int = attrs.field(default=1, validator=version_number)


class ComponentKind(enum.StrEnum):
    """What a finished good's component refers to."""

    FINISHED_UNIT = "finished_unit"
    FINISHED_GOOD = "finished_good"
    MATERIAL_UNIT = "material_unit"


def _to_kind(value: Any) -> ComponentKind:
    try:
        return ComponentKind(value)
    except ValueError:
        raise ValidationError(f"unknown component kind: {value!r}") from None


@attrs.frozen
class Component:
    """One part of a finished good: ``quantity`` (may be fractional) of a unit, good or material."""

    kind: ComponentKind = attrs.field(converter=_to_kind)
    ref: uuid.UUID = attrs.field(converter=to_uuid, validator=identity)
    quantity: Decimal = attrs.field(converter=positive_amount)


@attrs.frozen
class FinishedGood:
    """An assembly: a gift box of 6 cookies, a mini box and a ribbon. Components keep order."""

    name: str = attrs.field(validator=nonblank_name)
    components: tuple[Component, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(Component)
    )
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_uuid, validator=identity)
    version: int = attrs.field(default=1, validator=version_number)


#: The catalog definitions a repository of the catalog may hold.
CatalogItem = Ingredient | Recipe | FinishedUnit | MaterialUnit | FinishedGood
