"""Hostile values survive the SQL store exactly, on SQLite and PostgreSQL, end to end.

``tests/sql/test_exact_values.py`` already round-trips SQL-like names, emoji, RTL text, a
10,000-character ASCII name and 30-digit decimals through the catalog, ``create_plan``, the
snapshots and the ingredient requirements. This module adds what it leaves out:

- combining marks (decomposed accents, stacked "zalgo" marks), and canonically equivalent
  spellings that must stay distinct (no Unicode normalisation anywhere);
- emoji sequences (ZWJ, flags, skin tones), bidi marks and isolates, complex scripts;
- 10,000-character names of multi-byte characters (40,000 bytes of UTF-8);
- every repository operation (add, add_many, get, get_many, all, update, remove) on every
  catalog kind, with each hostile name;
- a plan where *every* name and note is hostile and *every* amount has 30 significant digits
  (sub-recipe batches, items per batch, component quantities, target amounts), compared field
  by field — snapshots, all four requirement lists, drift — with the same plan made on a
  ``MemoryStore``;
- text no database can store as UTF-8 (a lone surrogate): refused or stored alike by every
  store, never a raw driver error.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from reliability_support import snapshot_signature

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
    Requirements,
    SubRecipe,
    create_plan,
    plan_drift,
    plan_requirements,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.adapters.sql import SqlStore
from snapplan.testing.catalog import save

HOSTILE = [
    "Robert'); DROP TABLE snapplan_recipes;--",
    "'; DELETE FROM snapplan_snapshots WHERE '1'='1'; --",
    '" OR ""="" /* */ UNION SELECT * FROM snapplan_plans; \\x00 %% %s {0} $$ $1',
    "e\u0301clair \u00e9clair",  # the same word decomposed and precomposed
    "Z\u0335\u0321\u0322\u0327a\u0337\u0316\u0317l\u0338\u031bg\u0336\u0324o\u0335\u0359",
    # a ZWJ sequence, a flag, a skin tone, a variation selector
    (
        "\U0001f469\u200d\U0001f373 \U0001f1eb\U0001f1f7 \U0001f44d\U0001f3fd "
        "\U0001f3f3\ufe0f\u200d\U0001f308"
    ),
    "\u200f\u05e2\u05d5\u05d2\u05d4\u200e cake \u2067\u0643\u0639\u0643\u2069 \u202b\u05d0\u202c",
    "\u0915\u094d\u0937\u093f \u0e01\u0e33 \u1100\u1161\u11a8 \u0928\u092e\u0938\u094d\u0924\u0947",
    "e\u0301" * 5_000,  # 10,000 code points, every other one a combining mark
    "\U0001f36a" * 10_000,  # 10,000 characters, 40,000 bytes of UTF-8
    "'" * 10_000,
]
IDS = [
    "sql-quote",
    "sql-delete",
    "sql-tokens",
    "combining",
    "zalgo",
    "emoji-sequences",
    "bidi",
    "scripts",
    "10k-combining",
    "10k-emoji",
    "10k-quotes",
]
THIRTY = [
    Decimal("123456789012345.678901234567890"),
    Decimal("0.123456789012345678901234567890"),
    Decimal("999999999999999.999999999999999"),
    Decimal("3.33333333333333333333333333333"),
    Decimal("7.00000000000000000000000000001E-25"),
    Decimal("7.00000000000000000000000000000"),
]
UNITS = ["g", "kg", "cup", "tbsp", "each", HOSTILE[9]]


def test_the_hostile_names_are_what_they_claim() -> None:
    assert len(HOSTILE) == len(IDS)
    assert any(unicodedata.combining(c) for c in HOSTILE[3])
    assert unicodedata.normalize("NFC", HOSTILE[3]) != HOSTILE[3]
    assert len(HOSTILE[8]) == len(HOSTILE[9]) == len(HOSTILE[10]) == 10_000
    assert len(HOSTILE[9].encode("utf-8")) == 40_000
    assert all(len(amount.as_tuple().digits) == 30 for amount in THIRTY)


def catalog_of(name: str, other: str) -> list[Any]:
    """One definition of every kind named ``name`` (notes and units hostile too)."""
    flour = Ingredient(name)
    dough = Recipe(name, lines=[IngredientLine(flour.id, THIRTY[0], other, note=name)])
    cookie = FinishedUnit(name, dough.id, THIRTY[0])
    box = MaterialUnit(name)
    gift = FinishedGood(
        name,
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, THIRTY[3]),
            Component(ComponentKind.MATERIAL_UNIT, box.id, THIRTY[4]),
        ],
    )
    event = Event(name, [ProductionTarget(dough.id, THIRTY[2])], [AssemblyTarget(gift.id, 7)])
    return [flour, dough, cookie, box, gift, event]


def repository(uow: Any, item: Any) -> Any:
    return {
        Ingredient: uow.ingredients,
        Recipe: uow.recipes,
        FinishedUnit: uow.finished_units,
        MaterialUnit: uow.material_units,
        FinishedGood: uow.finished_goods,
        Event: uow.events,
    }[type(item)]


@pytest.mark.parametrize("name", HOSTILE, ids=IDS)
def test_hostile_names_survive_every_repository_operation(sql_store: SqlStore, name: str) -> None:
    other = HOSTILE[(HOSTILE.index(name) + 1) % len(HOSTILE)]
    items = catalog_of(name, other)
    with sql_store.unit_of_work() as uow:
        for item in items:
            repository(uow, item).add_many([item])
        uow.commit()
    with sql_store.unit_of_work() as uow:
        for item in items:
            stored = repository(uow, item).get(item.id)
            assert stored == item
            assert stored.name == name  # code point for code point: nothing normalised
            assert repository(uow, item).get_many([item.id, item.id]) == (item, item)
            assert repository(uow, item).all() == (item,)
        renamed = [repository(uow, item).update(attrs.evolve(item, name=other)) for item in items]
        uow.commit()
    with sql_store.unit_of_work() as uow:
        for item in renamed:
            assert repository(uow, item).get(item.id) == item
            assert (item.name, item.version) == (other, 2)
        for item in renamed:
            repository(uow, item).remove(item.id)
            assert repository(uow, item).count() == 0
        uow.commit()
    with sql_store.engine.connect() as conn:  # the tables a name talks about are all there
        tables = set(sa.inspect(conn).get_table_names())
    assert {"snapplan_recipes", "snapplan_snapshots", "snapplan_plans"} <= tables


def test_canonically_equivalent_names_stay_distinct(sql_store: SqlStore) -> None:
    composed, decomposed = "Cr\u00e8me br\u00fbl\u00e9e", "Cre\u0300me bru\u0302le\u0301e"
    assert unicodedata.normalize("NFC", decomposed) == composed
    one, two = Ingredient(composed), Ingredient(decomposed)
    dough = Recipe("Dough", lines=[IngredientLine(i.id, 1, "g") for i in (one, two)])
    event = Event("Market", [ProductionTarget(dough.id, 1)])
    save(sql_store, one, two, dough, event)
    with sql_store.unit_of_work() as uow:
        assert [i.name for i in uow.ingredients.get_many([one.id, two.id])] == [
            composed,
            decomposed,
        ]
    plan_id = create_plan(sql_store.unit_of_work(), event.id).plan_id
    needed = plan_requirements(sql_store.unit_of_work(), plan_id).ingredients
    assert sorted(r.name for r in needed) == sorted([composed, decomposed])


# -- a whole plan of hostile names and 30-digit amounts, against the memory store ---------------


def hostile_bakery() -> tuple[list[Any], Event]:
    """Every name and note hostile, every amount 30 significant digits, goods nested twice,
    sub-recipes two deep, a finished unit shared by two goods (a diamond)."""
    ingredients = [Ingredient(name) for name in HOSTILE]
    glaze = Recipe(
        HOSTILE[6], lines=[IngredientLine(ingredients[6].id, THIRTY[4], "ml", note=HOSTILE[7])]
    )
    frosting = Recipe(
        HOSTILE[5],
        lines=[IngredientLine(ingredients[5].id, THIRTY[3], "g", note=HOSTILE[5])],
        sub_recipes=[SubRecipe(glaze.id, THIRTY[1])],
    )
    dough = Recipe(
        HOSTILE[0],
        lines=[
            IngredientLine(i.id, THIRTY[n % len(THIRTY)], UNITS[n % len(UNITS)], note=i.name)
            for n, i in enumerate(ingredients)
        ],
        sub_recipes=[SubRecipe(frosting.id, THIRTY[1])],
    )
    bread = Recipe(HOSTILE[10], lines=[IngredientLine(ingredients[1].id, THIRTY[0], "lb")])
    cookie = FinishedUnit(HOSTILE[8], dough.id, THIRTY[0])
    slice_ = FinishedUnit(HOSTILE[3], frosting.id, THIRTY[5])
    box, ribbon = MaterialUnit(HOSTILE[1]), MaterialUnit(HOSTILE[4])
    inner = FinishedGood(
        HOSTILE[2],
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, THIRTY[0]),
            Component(ComponentKind.MATERIAL_UNIT, box.id, THIRTY[4]),
        ],
    )
    gift = FinishedGood(
        HOSTILE[9],
        [
            Component(ComponentKind.FINISHED_GOOD, inner.id, THIRTY[3]),
            Component(ComponentKind.FINISHED_UNIT, cookie.id, THIRTY[0]),
            Component(ComponentKind.FINISHED_UNIT, slice_.id, THIRTY[5]),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, THIRTY[1]),
        ],
    )
    event = Event(
        HOSTILE[7],
        [ProductionTarget(dough.id, THIRTY[2]), ProductionTarget(bread.id, THIRTY[0])],
        [AssemblyTarget(gift.id, THIRTY[5]), AssemblyTarget(inner.id, THIRTY[3])],
    )
    catalog = [*ingredients, glaze, frosting, dough, bread, cookie, slice_, box, ribbon, inner]
    return [*catalog, gift, event], event


def comparable(requirements: Requirements) -> dict[str, list[tuple[Any, ...]]]:
    """Every requirement field, amounts as exact strings (2.50 is not 2.5), snapshot ids left
    out (each store made its own)."""

    def row(requirement: Any) -> tuple[Any, ...]:
        fields = attrs.asdict(requirement, recurse=False)
        fields.pop("snapshot_id", None)
        return tuple(str(v) if isinstance(v, Decimal) else v for v in fields.values())

    return {
        name: [row(r) for r in getattr(requirements, name)]
        for name in ("batches", "ingredients", "finished_units", "materials")
    }


def content(value: Any) -> Any:
    """A snapshot's captured content, field by field, amounts as exact strings; what each store
    makes up by itself (snapshot, plan and child snapshot ids, capture time) left out."""
    if attrs.has(type(value)):
        return (
            type(value).__name__,
            {
                field: content(item)
                for field, item in attrs.asdict(value, recurse=False).items()
                # a private memo (the canonical JSON a snapshot computes once) is not content
                if field not in _MADE_BY_THE_STORE and not field.startswith("_")
            },
        )
    if isinstance(value, tuple):
        return [content(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


_MADE_BY_THE_STORE = frozenset(
    {"id", "plan_id", "captured_at", "snapshot_id", "recipe_snapshot_id"}
)


def test_a_hostile_plan_is_exactly_the_memory_stores_plan(sql_store: SqlStore) -> None:
    items, event = hostile_bakery()
    memory = MemoryStore()
    save(memory, *items)
    save(sql_store, *items)
    mine = create_plan(sql_store.unit_of_work(), event.id)
    theirs = create_plan(memory.unit_of_work(), event.id)
    assert attrs.evolve(mine, plan_id=theirs.plan_id) == theirs
    assert theirs.snapshots_written == 10  # 4 recipes, 2 units, 2 materials, 2 goods

    with sql_store.unit_of_work() as uow, memory.unit_of_work() as reference:
        snapshots = uow.snapshots.all()
        assert snapshot_signature(snapshots) == snapshot_signature(reference.snapshots.all())
        assert uow.snapshots.get_many([s.id for s in snapshots]) == snapshots
        by_source = {s.source_id: content(s) for s in reference.snapshots.all()}
        assert {s.source_id: content(s) for s in snapshots} == by_source
        plan = uow.plans.get(mine.plan_id)
        reference_plan = reference.plans.get(theirs.plan_id)
        assert [(t.recipe_id, str(t.batches)) for t in plan.production_targets] == [
            (t.recipe_id, str(t.batches)) for t in reference_plan.production_targets
        ]
        assert [(t.finished_good_id, str(t.quantity)) for t in plan.assembly_targets] == [
            (t.finished_good_id, str(t.quantity)) for t in reference_plan.assembly_targets
        ]
        assert uow.events.get(event.id).name == HOSTILE[7]

    requirements = plan_requirements(sql_store.unit_of_work(), mine.plan_id)
    assert comparable(requirements) == comparable(
        plan_requirements(memory.unit_of_work(), theirs.plan_id)
    )
    assert {r.name for r in requirements.ingredients} == set(HOSTILE)
    assert not plan_drift(sql_store.unit_of_work(), mine.plan_id).changed
    with sql_store.engine.connect() as conn:  # no name was executed as SQL
        counts = [
            conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("snapplan_recipes", "snapplan_snapshots", "snapplan_plans")
        ]
    assert counts == [4, 10, 1]
