"""Building blocks for tests that work on ``snapplan/domain`` directly, with no store.

A catalog view of a few definitions (:func:`view`), a capture of targets from it
(:func:`capture`), what a plan of those targets needs (:func:`requirements`), the header fields
of a snapshot built by hand (:func:`snapshot_header`) and node ids for graphs (:func:`node`).
Pure domain work is fast: the mutation run (``tools/mutation.py``) runs these tests for every
mutant.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from snapplan.domain.capture import Capture
from snapplan.domain.catalog import (
    CatalogView,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    MaterialUnit,
    Recipe,
)
from snapplan.domain.events import AssemblyTarget, ProductionTarget
from snapplan.domain.plan import Plan
from snapplan.domain.requirements import Requirements, compute_requirements

NOON = datetime.datetime(2024, 12, 1, 12, tzinfo=datetime.UTC)
#: A well-formed digest: a value's digest is only checked against what it covers elsewhere.
DIGEST = "0" * 64

Definition = Ingredient | Recipe | FinishedUnit | MaterialUnit | FinishedGood


def view(*definitions: Definition) -> CatalogView:
    """A catalog view holding ``definitions``, each in its own table."""
    tables: dict[type, dict[uuid.UUID, Definition]] = {}
    for d in definitions:
        tables.setdefault(type(d), {})[d.id] = d
    return CatalogView(
        ingredients=tables.get(Ingredient, {}),
        recipes=tables.get(Recipe, {}),
        finished_units=tables.get(FinishedUnit, {}),
        material_units=tables.get(MaterialUnit, {}),
        finished_goods=tables.get(FinishedGood, {}),
    )


def capture(
    catalog: CatalogView, recipes: Iterable[Recipe] = (), goods: Iterable[FinishedGood] = ()
) -> Capture:
    """A capture of ``recipes`` and ``goods`` (in that order) from ``catalog``."""
    made = Capture(catalog, plan_id=uuid.uuid4(), captured_at=NOON)
    for recipe in recipes:
        made.recipe(recipe.id)
    for good in goods:
        made.finished_good(good.id)
    return made


def requirements(
    *definitions: Definition,
    production: Iterable[tuple[Recipe, object]] = (),
    assembly: Iterable[tuple[FinishedGood, object]] = (),
) -> Requirements:
    """Capture the targets from ``definitions`` and compute what the plan needs."""
    production, assembly = list(production), list(assembly)
    made = capture(view(*definitions), [r for r, _ in production], [g for g, _ in assembly])
    plan = Plan(
        event_id=uuid.uuid4(),
        created_at=NOON,
        production_targets=[
            ProductionTarget(r.id, n, snapshot_id=made.recipe(r.id).id) for r, n in production
        ],
        assembly_targets=[
            AssemblyTarget(g.id, n, snapshot_id=made.finished_good(g.id).id) for g, n in assembly
        ],
    )
    return compute_requirements(plan, {s.id: s for s in made.snapshots})


def snapshot_header(**fields: Any) -> dict[str, Any]:
    """The fields every snapshot has (id, source, name, plan, time, digest): ``fields`` where
    given, made-up values elsewhere (the name is "Cookie")."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "source_id": uuid.uuid4(),
        "name": "Cookie",
        "plan_id": uuid.uuid4(),
        "captured_at": NOON,
        "digest": DIGEST,
    }
    values.update(fields)
    return values


def node(n: int) -> uuid.UUID:
    """A fresh UUID object each call: walks must compare nodes by value, not identity."""
    return uuid.UUID(int=n)
