"""A service call leaves nothing for the cyclic garbage collector: once it returns and its
result is dropped, reference counting has freed everything it made.

snapplan does not touch the host's collector (a library changes no process-wide state); it
makes no reference cycles instead, so that the collector of a busy host has nothing of it to
find. Each case below runs a service once to warm caches up (SQLAlchemy compiles a statement
the first time it sees it), then once with the collector off and ``DEBUG_SAVEALL`` on, so that
every object of every cycle the call left unreachable is kept in ``gc.garbage`` and named.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

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
    MemoryStore,
    ProductionTarget,
    Recipe,
    add_catalog,
    check_catalog,
    create_plan,
    plan_drift,
    plan_progress,
    plan_requirements,
    plan_snapshots,
    record_assembly,
    record_production,
    record_waste,
    verify_plan,
    void_run,
)
from snapplan.errors import SnapplanError
from snapplan.testing.catalog import save


def cyclic_garbage(call: Callable[[], object]) -> list[str]:
    """The type names of the objects the cyclic collector finds unreachable after ``call()``,
    whose result is dropped at once.

    The collector is off during the call (so that no collection frees a cycle before we look)
    and keeps what it finds (``DEBUG_SAVEALL``); both settings are restored afterwards, and the
    saved objects are let go.
    """
    enabled, debug, kept = gc.isenabled(), gc.get_debug(), len(gc.garbage)
    gc.disable()
    # Everything older than the call is set aside (frozen), so that the collection below looks
    # only at what the call made: a full collection of the test process's heap costs a second.
    gc.freeze()
    try:
        gc.set_debug(debug | gc.DEBUG_SAVEALL)
        call()
        gc.collect()
        return sorted(type(thing).__name__ for thing in gc.garbage[kept:])
    finally:
        del gc.garbage[kept:]
        gc.set_debug(debug)
        gc.unfreeze()
        if enabled:
            gc.enable()


def test_the_probe_finds_a_cycle_and_restores_the_collector() -> None:
    def a_cycle() -> object:
        shelf: list[object] = []
        shelf.append(shelf)
        return shelf

    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    assert cyclic_garbage(a_cycle) == ["list"]
    assert cyclic_garbage(lambda: [[]]) == []
    assert gc.isenabled() == enabled
    assert gc.get_debug() == 0
    assert gc.get_freeze_count() == frozen


# -- the cases: each prepares a store and returns the call to repeat ---------------------------


def bakery(store: Any) -> dict[str, Any]:
    """Cookies (500 g flour, 24 per batch) boxed 6 to a box with a ribbon; 2 boxes planned."""
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    cookie = FinishedUnit("Cookie", cookies.id, 24)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood(
        "Box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event("Market", [ProductionTarget(cookies.id, 1)], [AssemblyTarget(box.id, 2)])
    save(store, flour, cookies, cookie, ribbon, box, event)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    return {"event": event, "cookies": cookies, "box": box, "cookie": cookie, "plan": plan_id}


def _stocked(store: Any) -> dict[str, Any]:
    """The bakery with four batches of cookies made (96 cookies)."""
    things = bakery(store)
    record_production(store.unit_of_work(), things["plan"], things["cookies"].id, 4)
    return things


Call = Callable[[], object]


def _add_catalog(store: Any) -> Call:
    return lambda: add_catalog(store.unit_of_work(), [Ingredient("Salt")])


def _check_catalog(store: Any) -> Call:
    bakery(store)
    return lambda: check_catalog(store.unit_of_work())


def _create_plan(store: Any) -> Call:
    event = bakery(store)["event"]
    return lambda: create_plan(store.unit_of_work(), event.id, force_recreate=True)


def _reading(service: Callable[[Any, Any], object]) -> Callable[[Any], Call]:
    """A case for a service that reads a plan (of a bakery that made some cookies)."""

    def case(store: Any) -> Call:
        plan = _stocked(store)["plan"]
        return lambda: service(store.unit_of_work(), plan)

    return case


def _record_production(store: Any) -> Call:
    things = bakery(store)
    return lambda: record_production(store.unit_of_work(), things["plan"], things["cookies"].id, 1)


def _record_assembly(store: Any) -> Call:
    things = _stocked(store)
    return lambda: record_assembly(store.unit_of_work(), things["plan"], things["box"].id, 1)


def _record_waste(store: Any) -> Call:
    things = _stocked(store)
    return lambda: record_waste(
        store.unit_of_work(), things["plan"], things["cookie"].id, 1, reason="dropped"
    )


def _void_run(store: Any) -> Call:
    things = bakery(store)
    runs = [
        record_production(store.unit_of_work(), things["plan"], things["cookies"].id, 1)
        for _ in range(2)
    ]
    return lambda: void_run(store.unit_of_work(), runs.pop().id, reason="counted twice")


#: Each service's case: given an empty store, prepare it and return the call to repeat.
CASES: dict[str, Callable[[Any], Call]] = {
    "add_catalog": _add_catalog,
    "check_catalog": _check_catalog,
    "create_plan": _create_plan,
    "plan_requirements": _reading(plan_requirements),
    "plan_progress": _reading(plan_progress),
    "plan_drift": _reading(plan_drift),
    "verify_plan": _reading(verify_plan),
    "plan_snapshots": _reading(plan_snapshots),
    "record_production": _record_production,
    "record_assembly": _record_assembly,
    "record_waste": _record_waste,
    "void_run": _void_run,
}


@pytest.mark.parametrize("service", sorted(CASES))
def test_a_service_leaves_no_reference_cycle(store: Any, service: str) -> None:
    call = CASES[service](store)
    call()  # warm-up: first compilations, caches
    garbage = cyclic_garbage(call)
    assert garbage == [], Counter(garbage).most_common()


# -- refusals: an exception caught and dropped takes the unit of work with it ---------------------


def _missing_event(store: Any) -> Call:
    bakery(store)
    return lambda: create_plan(store.unit_of_work(), Event("Nowhere").id)


def _shortage(store: Any) -> Call:
    things = bakery(store)
    return lambda: record_assembly(store.unit_of_work(), things["plan"], things["box"].id, 100)


def _stale_update(store: Any) -> Call:
    cookies = bakery(store)["cookies"]  # read at version 1
    with store.unit_of_work() as uow:
        uow.recipes.update(cookies)  # now stored at version 2
        uow.commit()

    def update() -> None:
        with store.unit_of_work() as uow:
            uow.recipes.update(cookies)

    return update


REFUSALS: dict[str, Callable[[Any], Call]] = {
    "a missing event": _missing_event,
    "a shortage": _shortage,
    "a stale update": _stale_update,
}


def _refused(call: Call) -> Call:
    def attempt() -> None:
        with pytest.raises(SnapplanError):
            call()

    return attempt


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
def test_a_refused_call_leaves_no_reference_cycle(store: Any, refusal: str) -> None:
    call = _refused(REFUSALS[refusal](store))
    call()
    garbage = cyclic_garbage(call)
    assert garbage == [], Counter(garbage).most_common()


def test_a_refused_duplicate_leaves_no_reference_cycle() -> None:
    # On the memory store only: a SQL store learns of a duplicate from its driver, and
    # SQLAlchemy's handling of a driver error keeps the error in a frame of its own traceback.
    store = MemoryStore()
    cookie = bakery(store)["cookie"]
    call = _refused(lambda: add_catalog(store.unit_of_work(), [cookie]))
    call()
    garbage = cyclic_garbage(call)
    assert garbage == [], Counter(garbage).most_common()
