"""Rough edge 6 of issue 17: an event's targets drift too. A target added to the event since
the plan, one removed and a changed amount are drift, listed apart from definition changes
(on every store)."""

from __future__ import annotations

from decimal import Decimal
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
    ProductionTarget,
    Recipe,
    TargetChange,
    TargetChangeKind,
    TargetKind,
    create_plan,
    plan_drift,
)
from snapplan.testing.catalog import save


def retarget(store: Any, event: Event, **targets: Any) -> None:
    with store.unit_of_work() as uow:
        stored = uow.events.get(event.id)
        uow.events.update(attrs.evolve(stored, **targets))
        uow.commit()


def test_added_removed_and_changed_targets_are_drift(store: Any) -> None:
    butter = Ingredient("Butter")
    cake = Recipe("Cake", lines=[IngredientLine(butter.id, 250, "g")])
    fudge = Recipe("Fudge", lines=[IngredientLine(butter.id, 100, "g")])
    slice_ = FinishedUnit("Slice", cake.id, 8)
    box = FinishedGood("Box", [Component(ComponentKind.FINISHED_UNIT, slice_.id, 4)])
    tin = FinishedGood("Tin", [Component(ComponentKind.FINISHED_UNIT, slice_.id, 2)])
    event = Event("Fair", [ProductionTarget(cake.id, 2)], [AssemblyTarget(box.id, 5)])
    save(store, butter, cake, fudge, slice_, box, tin, event)
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    assert not plan_drift(store.unit_of_work(), plan).changed

    retarget(
        store,
        event,
        production_targets=[ProductionTarget(fudge.id, 1)],
        assembly_targets=[AssemblyTarget(box.id, 7), AssemblyTarget(tin.id, 3)],
    )
    drift = plan_drift(store.unit_of_work(), plan)

    assert drift.changed
    assert drift.changed_ids == frozenset()  # no definition changed
    assert drift.definitions == ()
    assert drift.target_changes == (
        TargetChange(
            TargetKind.PRODUCTION, cake.id, "Cake", TargetChangeKind.REMOVED, Decimal(2), None
        ),
        TargetChange(
            TargetKind.PRODUCTION, fudge.id, "Fudge", TargetChangeKind.ADDED, None, Decimal(1)
        ),
        TargetChange(
            TargetKind.ASSEMBLY, box.id, "Box", TargetChangeKind.AMOUNT, Decimal(5), Decimal(7)
        ),
        TargetChange(TargetKind.ASSEMBLY, tin.id, "Tin", TargetChangeKind.ADDED, None, Decimal(3)),
    )


def test_the_same_amount_written_otherwise_is_no_drift(store: Any) -> None:
    cake = Recipe("Cake")
    event = Event("Fair", [ProductionTarget(cake.id, "2")])
    save(store, cake, event)
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    retarget(store, event, production_targets=[ProductionTarget(cake.id, "2.00")])

    drift = plan_drift(store.unit_of_work(), plan)

    assert (drift.changed, drift.target_changes, drift.event_removed) == (False, (), False)


def test_a_removed_event_is_drift(store: Any) -> None:
    cake = Recipe("Cake")
    event = Event("Fair", [ProductionTarget(cake.id, 2)])
    save(store, cake, event)
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    with store.unit_of_work() as uow:
        uow.events.remove(event.id)
        uow.commit()

    drift = plan_drift(store.unit_of_work(), plan)

    assert drift.event_removed
    assert drift.changed
    assert drift.target_changes == ()
