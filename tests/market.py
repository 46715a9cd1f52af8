"""A market of ``count`` stalls, each stall the same: the workload of the recording tests.

Stall ``n`` is a recipe ``Cookies n`` (with the shared ``Frosting`` as a sub-recipe), its
finished unit ``Cookie n`` and a ``Gift box n`` of six cookies and a ribbon; the event targets
every recipe and every box. Whatever ``count`` is, stall 0 has the same subtree: what recording
a run of it reads must not depend on ``count``.
"""

from __future__ import annotations

from typing import Any

import attrs

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    ProductionTarget,
    Recipe,
    SubRecipe,
)


@attrs.frozen
class Market:
    items: list[Any]
    event: Event
    recipes: list[Recipe]
    cookies: list[FinishedUnit]
    boxes: list[FinishedGood]
    frosting: Recipe


def market(count: int) -> Market:
    """The catalog and event of ``count`` stalls."""
    flour, sugar = Ingredient("Flour"), Ingredient("Sugar")
    frosting = Recipe("Frosting", lines=[IngredientLine(sugar.id, "250", "g")])
    ribbon = MaterialUnit("Ribbon")
    recipes, cookies, boxes = [], [], []
    for n in range(count):
        recipe = Recipe(
            f"Cookies {n}",
            lines=[IngredientLine(flour.id, "300", "g")],
            sub_recipes=[SubRecipe(frosting.id, "0.25")],
        )
        cookie = FinishedUnit(f"Cookie {n}", recipe.id, 36)
        box = FinishedGood(
            f"Gift box {n}",
            [
                Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
                Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
            ],
        )
        recipes.append(recipe)
        cookies.append(cookie)
        boxes.append(box)
    event = Event(
        "Market",
        [ProductionTarget(recipe.id, 2) for recipe in recipes],
        [AssemblyTarget(box.id, 10) for box in boxes],
    )
    items: list[Any] = [flour, sugar, frosting, ribbon, *recipes, *cookies, *boxes, event]
    return Market(items, event, recipes, cookies, boxes, frosting)
