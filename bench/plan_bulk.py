"""Benchmark: create_plan on a big event, memory vs SQLite, statements and time.

    .venv/bin/python bench/plan_bulk.py [--recipes 1000] [--boxes 500]

The original planner needed ~16 statements per target (16,000 and ~12 s for 1,000 recipes and
500 gift boxes on SQLite). snapplan reads level by level and writes one batch per table, so the
statement count of a plan must not grow with its targets. Times are reported as ratios measured
in the same run (2-core machines are noisy): SQLite vs memory, and large vs small event.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

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
    create_plan,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.adapters.sql import SqlStore
from snapplan.testing.catalog import add_all


def bakery(recipes: int, boxes: int) -> tuple[list[Any], Event]:
    """``recipes`` recipes (each with a shared sub-recipe) and ``boxes`` nested gift boxes."""
    flour, sugar = Ingredient("Flour"), Ingredient("Sugar")
    frosting = Recipe("Frosting", lines=[IngredientLine(sugar.id, 1, "cup")])
    ribbon = MaterialUnit("Ribbon")
    items: list[Any] = [flour, sugar, frosting, ribbon]
    production, assembly = [], []
    for i in range(recipes):
        recipe = Recipe(
            f"Recipe {i}",
            lines=[IngredientLine(flour.id, 250, "g"), IngredientLine(sugar.id, "0.5", "cup")],
            sub_recipes=[SubRecipe(frosting.id, "0.5")],
        )
        items.append(recipe)
        production.append(ProductionTarget(recipe.id, 2))
    for i in range(boxes):
        dough = Recipe(f"Dough {i}", lines=[IngredientLine(flour.id, 500, "g")])
        unit = FinishedUnit(f"Cookie {i}", dough.id, 36)
        mini = FinishedGood(f"Mini {i}", [Component(ComponentKind.FINISHED_UNIT, unit.id, 2)])
        box = FinishedGood(
            f"Box {i}",
            [
                Component(ComponentKind.FINISHED_UNIT, unit.id, 6),
                Component(ComponentKind.FINISHED_GOOD, mini.id, 1),
                Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
            ],
        )
        items += [dough, unit, mini, box]
        assembly.append(AssemblyTarget(box.id, 10))
    return items, Event("Benchmark market", production, assembly)


def stocked(store: Any, items: list[Any], event: Event) -> None:
    with store.unit_of_work() as uow:
        add_all(uow, [*items, event])
        uow.commit()


def measure(store: Any, event: Event) -> float:
    started = time.perf_counter()
    create_plan(store.unit_of_work(), event.id)
    return time.perf_counter() - started


def run(recipes: int, boxes: int, folder: Path) -> dict[str, float]:
    items, event = bakery(recipes, boxes)
    memory = MemoryStore()
    stocked(memory, items, event)
    sqlite = SqlStore.from_url(f"sqlite:///{folder / f'bench-{recipes}-{boxes}.sqlite'}")
    sqlite.create_schema()
    stocked(sqlite, items, event)
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    sa.event.listen(sqlite.engine, "before_cursor_execute", count)
    sqlite_seconds = measure(sqlite, event)
    sa.event.remove(sqlite.engine, "before_cursor_execute", count)
    memory_seconds = measure(memory, event)
    sqlite.dispose()
    return {
        "targets": recipes + boxes,
        "statements": statements,
        "sqlite_s": sqlite_seconds,
        "memory_s": memory_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", type=int, default=1000)
    parser.add_argument("--boxes", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        small = run(args.recipes // 10, args.boxes // 10, Path(folder))
        large = run(args.recipes, args.boxes, Path(folder))
    for name, row in (("small", small), ("large", large)):
        print(
            f"{name}: {row['targets']:.0f} targets, {row['statements']:.0f} statements, "
            f"SQLite {row['sqlite_s']:.3f} s, memory {row['memory_s']:.3f} s, "
            f"SQLite/memory {row['sqlite_s'] / row['memory_s']:.1f}x"
        )
    print(
        f"large/small: targets {large['targets'] / small['targets']:.0f}x, "
        f"statements {large['statements'] / small['statements']:.2f}x, "
        f"SQLite time {large['sqlite_s'] / small['sqlite_s']:.1f}x"
    )


if __name__ == "__main__":
    main()
