"""A small bakery, planned in memory: ``python -m snapplan.example``.

The same sample catalog feeds ``snapplan demo``. It shows the things snapplan gets right: a
frosting sub-recipe shared by two cakes, a mini box nested in a gift box, fractional component
quantities, mixed units of one ingredient, batches rounded up with leftovers.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from snapplan.adapters.memory import MemoryStore
from snapplan.domain.catalog import (
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
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.requirements import Requirements
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import create_plan, plan_requirements


@attrs.frozen
class SampleBakery:
    """A sample catalog and one event that uses all of it."""

    ingredients: tuple[Ingredient, ...]
    recipes: tuple[Recipe, ...]
    finished_units: tuple[FinishedUnit, ...]
    material_units: tuple[MaterialUnit, ...]
    finished_goods: tuple[FinishedGood, ...]
    event: Event

    def save(self, uow: UnitOfWork) -> None:
        """Add the whole catalog and the event to an entered unit of work."""
        uow.ingredients.add_many(self.ingredients)
        uow.recipes.add_many(self.recipes)
        uow.finished_units.add_many(self.finished_units)
        uow.material_units.add_many(self.material_units)
        uow.finished_goods.add_many(self.finished_goods)
        uow.events.add(self.event)


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


def amount(value: Decimal | Fraction | None) -> str:
    """An amount for people: ``3.00`` shows as ``3``, a fraction as ``25/3``, None as ``-``."""
    if value is None:
        return "-"
    return canonical_decimal(value) if isinstance(value, Decimal) else str(value)


def requirements_table(requirements: Requirements) -> str:
    """The requirements as plain text tables."""
    sections: list[tuple[str, Sequence[str], list[Sequence[str]]]] = [
        (
            "Batches",
            ("recipe", "batches", "needed", "leftover units"),
            [
                (r.name, amount(r.batches), amount(r.needed_batches), amount(r.leftover_units))
                for r in requirements.batches
            ],
        ),
        (
            "Ingredients",
            ("ingredient", "quantity", "unit"),
            [(i.name, amount(i.quantity), i.unit) for i in requirements.ingredients],
        ),
        (
            "Finished units",
            ("finished unit", "quantity"),
            [(u.name, amount(u.quantity)) for u in requirements.finished_units],
        ),
        (
            "Packaging",
            ("material", "quantity"),
            [(m.name, amount(m.quantity)) for m in requirements.materials],
        ),
    ]
    out = []
    for title, header, rows in sections:
        if not rows:
            continue
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


def main() -> None:
    """Plan the sample bakery's market in memory and print what it needs."""
    store = MemoryStore()
    bakery = sample_bakery()
    with store.unit_of_work() as uow:
        bakery.save(uow)
        uow.commit()
    result = create_plan(store.unit_of_work(), bakery.event.id)
    print(
        f"Planned {bakery.event.name!r}: {result.snapshots_written} snapshots, "
        f"plan {result.plan_id}\n"
    )
    print(requirements_table(plan_requirements(store.unit_of_work(), result.plan_id)))


if __name__ == "__main__":
    main()
