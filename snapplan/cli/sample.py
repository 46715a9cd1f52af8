"""The sample bakery of ``snapplan demo``: a catalog, an event, and a first morning's work.

It shows the things snapplan gets right: a frosting sub-recipe shared by two cakes, a mini box
nested in a gift box, fractional component quantities, mixed units of one ingredient, batches
rounded up with leftovers, a burnt tray made up for.
"""

from __future__ import annotations

import datetime
import uuid

import attrs

from snapplan.domain.catalog import (
    CatalogItem,
    Component,
    ComponentKind,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Recipe,
    SubRecipe,
)
from snapplan.domain.events import AssemblyTarget, Event, ProductionTarget
from snapplan.domain.runs import Run
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import add_catalog, record_assembly, record_production


@attrs.frozen
class SampleBakery:
    """A sample catalog and one event that uses all of it."""

    ingredients: tuple[Ingredient, ...]
    recipes: tuple[Recipe, ...]
    finished_units: tuple[FinishedUnit, ...]
    material_units: tuple[MaterialUnit, ...]
    finished_goods: tuple[FinishedGood, ...]
    event: Event

    def items(self) -> tuple[CatalogItem | Event, ...]:
        """The whole catalog and the event."""
        return (
            *self.ingredients,
            *self.recipes,
            *self.finished_units,
            *self.material_units,
            *self.finished_goods,
            self.event,
        )

    def save(self, uow: UnitOfWork) -> None:
        """Add the whole catalog and the event to a unit of work (joined if entered)."""
        add_catalog(uow, self.items())

    def first_morning(self, uow: UnitOfWork, plan_id: uuid.UUID) -> list[Run]:
        """A little of the plan done, recorded in the ledger in one unit of work: sugar cookies
        and brownies baked (a tray of cookies came out short), mini boxes and gift boxes
        assembled."""
        cookies, brownies = self.recipes[1], self.recipes[2]
        mini_box, gift_box = self.finished_goods
        with uow:
            runs: list[Run] = [
                record_production(uow, plan_id, cookies.id, 4),
                record_production(uow, plan_id, cookies.id, 1, items=30, note="one tray burnt"),
                record_production(uow, plan_id, brownies.id, 2),
                record_assembly(uow, plan_id, mini_box.id, 20),
                record_assembly(uow, plan_id, gift_box.id, 12, key="morning-boxes"),
            ]
            uow.commit()
        return runs


def sample_bakery() -> SampleBakery:
    """A holiday market: sugar cookies, brownies, two cakes sharing a frosting, gift boxes."""
    flour, sugar, butter, cocoa, eggs = (
        Ingredient(n) for n in ("Flour", "Sugar", "Butter", "Cocoa", "Eggs")
    )
    frosting = Recipe(
        "Buttercream Frosting",
        lines=[IngredientLine(butter.id, 250, "g"), IngredientLine(sugar.id, 2, "cup")],
    )
    cookies = Recipe(
        "Sugar Cookies",
        lines=[
            IngredientLine(flour.id, "0.5", "kg"),
            IngredientLine(flour.id, 100, "g", "for rolling"),
            IngredientLine(sugar.id, "0.75", "cup"),
            IngredientLine(butter.id, 225, "g"),
        ],
    )
    brownies = Recipe(
        "Fudge Brownies",
        lines=[
            IngredientLine(cocoa.id, "0.5", "cup"),
            IngredientLine(sugar.id, 1, "cup"),
            IngredientLine(eggs.id, 4, "each"),
        ],
    )
    vanilla_cake = Recipe(
        "Vanilla Cake",
        lines=[IngredientLine(flour.id, 300, "g"), IngredientLine(eggs.id, 3, "each")],
        sub_recipes=[SubRecipe(frosting.id, "0.5")],
    )
    chocolate_cake = Recipe(
        "Chocolate Cake",
        lines=[IngredientLine(flour.id, 250, "g"), IngredientLine(cocoa.id, "0.25", "cup")],
        sub_recipes=[SubRecipe(frosting.id, "0.5")],
    )
    cookie = FinishedUnit("Sugar Cookie", cookies.id, 36)
    brownie = FinishedUnit("Brownie", brownies.id, 24)
    box, ribbon = MaterialUnit("Gift Box"), MaterialUnit("Ribbon, 6 inch")
    mini_box = FinishedGood(
        "Mini Brownie Box", [Component(ComponentKind.FINISHED_UNIT, brownie.id, 2)]
    )
    gift_box = FinishedGood(
        "Holiday Gift Box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.FINISHED_GOOD, mini_box.id, 1),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
            Component(ComponentKind.MATERIAL_UNIT, box.id, 1),
        ],
    )
    market = Event(
        "Holiday Market",
        production_targets=[
            ProductionTarget(vanilla_cake.id, 2),
            ProductionTarget(chocolate_cake.id, 2),
        ],
        assembly_targets=[
            AssemblyTarget(gift_box.id, 50),
            AssemblyTarget(mini_box.id, 10),
        ],
        date=datetime.date(2026, 12, 19),
    )
    return SampleBakery(
        ingredients=(flour, sugar, butter, cocoa, eggs),
        recipes=(frosting, cookies, brownies, vanilla_cake, chocolate_cake),
        finished_units=(cookie, brownie),
        material_units=(box, ribbon),
        finished_goods=(mini_box, gift_box),
        event=market,
    )
