"""Consistent sample snapshots and plans, made by capture the way ``create_plan`` makes them.

Snapshots are checked against their digests when they are added, and their plan must be stored
by commit, so hand-made samples with random digests no longer go into a store. These samples
are real: a small catalog (one kind of snapshot each, a 30-digit amount among them) captured for
one plan.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, Final

import attrs

from snapplan.domain.capture import Capture
from snapplan.domain.catalog import (
    CatalogView,
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
from snapplan.domain.events import AssemblyTarget, ProductionTarget
from snapplan.domain.plan import Plan
from snapplan.domain.runs import (
    AssemblyRun,
    Consumption,
    IngredientUse,
    MadeAlong,
    ProductionRun,
    Run,
    RunVoid,
    WasteRun,
)
from snapplan.domain.snapshots import Snapshot
from snapplan.ports.clock import utc_now

THIRTY_DIGITS: Final = Decimal("123456789012345.678901234567890")


@attrs.frozen
class PlannedSnapshots:
    """A plan and the snapshots it captured (children before parents)."""

    plan: Plan
    snapshots: tuple[Snapshot, ...]


def planned_snapshots(event_id: uuid.UUID | None = None) -> PlannedSnapshots:
    """A fresh plan (new ids every call) with one snapshot of each kind, and a recipe with a
    sub-recipe: Pie (a 30-digit amount of sugar, half a batch of Crust), Cookie (48 per batch
    of Pie), Box, and Bag (3 cookies and a box)."""
    sugar, flour = Ingredient("Sugar"), Ingredient("Flour")
    crust = Recipe("Crust", lines=[IngredientLine(flour.id, "250", "g")])
    pie = Recipe(
        "Pie",
        lines=[IngredientLine(sugar.id, THIRTY_DIGITS, "cup", "sifted")],
        sub_recipes=[SubRecipe(crust.id, "0.5")],
    )
    cookie = FinishedUnit("Cookie", pie.id, 48)
    box = MaterialUnit("Box")
    bag = FinishedGood(
        "Bag",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 3),
            Component(ComponentKind.MATERIAL_UNIT, box.id, 1),
        ],
    )
    catalog = CatalogView(
        ingredients={i.id: i for i in (sugar, flour)},
        recipes={r.id: r for r in (crust, pie)},
        finished_units={cookie.id: cookie},
        material_units={box.id: box},
        finished_goods={bag.id: bag},
    )
    plan_id = uuid.uuid4()
    capture = Capture(catalog, plan_id=plan_id, captured_at=utc_now())
    pie_snapshot = capture.recipe(pie.id)
    bag_snapshot = capture.finished_good(bag.id)
    plan = Plan(
        id=plan_id,
        event_id=event_id or uuid.uuid4(),
        created_at=utc_now(),
        production_targets=[ProductionTarget(pie.id, "2.5", snapshot_id=pie_snapshot.id)],
        assembly_targets=[AssemblyTarget(bag.id, 10, snapshot_id=bag_snapshot.id)],
    )
    return PlannedSnapshots(plan, tuple(capture.snapshots))


def sample_ledger(
    event_id: uuid.UUID, plan_id: uuid.UUID, *, previous: Run | None = None
) -> list[Run]:
    """One ledger entry of each kind for ``event_id``, a 30-digit amount among them: a
    production run, an assembly run, a waste run and a void of the waste, chained by their
    digests (:meth:`~snapplan.domain.runs.LedgerEntry.after`) to ``previous`` (the event's last
    entry; None: they are the event's first, ``seq`` 1 to 4). Their snapshot ids are made up:
    the ledger repository stores what it is given, once it chains."""
    now = utc_now()
    header: dict[str, Any] = {"event_id": event_id, "plan_id": plan_id, "recorded_at": now}
    start = 1 if previous is None else previous.seq + 1
    cookie = uuid.uuid4()
    production = ProductionRun.after(
        previous,
        **header,
        key=f"bake-{start}",
        recipe_id=uuid.uuid4(),
        recipe_snapshot_id=uuid.uuid4(),
        name="Cookies",
        batches=THIRTY_DIGITS,
        finished_unit_id=cookie,
        finished_unit_snapshot_id=uuid.uuid4(),
        items=48,
        sub_recipe_batches=[MadeAlong(uuid.uuid4(), uuid.uuid4(), "Frosting", "0.5")],
        ingredients=[IngredientUse(uuid.uuid4(), "Flour", "500", "g")],
    )
    assembly = AssemblyRun.after(
        production,
        **header,
        by="Ann",
        finished_good_id=uuid.uuid4(),
        finished_good_snapshot_id=uuid.uuid4(),
        name="Bag",
        quantity=2,
        consumed=[Consumption(ComponentKind.FINISHED_UNIT, cookie, uuid.uuid4(), "Cookie", 6)],
    )
    waste = WasteRun.after(
        assembly,
        **header,
        note="floor",
        item_kind=ComponentKind.FINISHED_GOOD,
        item_id=assembly.finished_good_id,
        item_snapshot_id=assembly.finished_good_snapshot_id,
        name="Bag",
        quantity=1,
        reason="dropped",
    )
    void = RunVoid.after(waste, **header, run_id=waste.id, reason="found it")
    return [production, assembly, waste, void]


def relinked(entry: Run, previous: Run | None, **changes: Any) -> Run:
    """``entry`` with ``changes``, moved to follow ``previous`` in its event's ledger (None: to
    be the event's first entry) with its ``digest`` chained anew: ``seq`` (and, unless changed,
    ``event_id``) follow ``previous``.

    For tests that need a run a store must refuse for another reason than its digest (a
    ``seq`` or a key already taken, the same run under another event)."""
    fields = {
        field.name: getattr(entry, field.name)
        for field in attrs.fields(type(entry))
        if field.name not in ("digest", "seq")
    }
    fields.update(changes)
    if previous is not None and "event_id" not in changes:
        fields["event_id"] = previous.event_id
    return type(entry).after(previous, **fields)
