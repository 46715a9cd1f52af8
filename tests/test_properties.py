"""Properties over generated catalogs (random DAGs with diamonds), on every store.

(a) create_plan links every target, and requirements come from snapshots only;
(b) a failure at any write k, or at commit, leaves the store exactly as before;
(c) any sequence of catalog edits and removals after planning leaves requirements unchanged;
(d) multiplying every target by an integer multiplies finished-unit and material totals;
(e) a planted cycle raises CycleError with a valid ordered loop; diamonds never do.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from store_properties import on_every_store

from snapplan import CycleError, Limits, PersistenceError, create_plan, plan_requirements
from snapplan.domain.quantities import exact_arithmetic
from snapplan.testing import strategies as sps
from snapplan.testing.contents import store_contents
from snapplan.testing.faults import FaultyStore, InjectedFault, count_writes

GENEROUS = Limits(goods=100, recipes=100)


def stocked(store_factory: Any, case: sps.CatalogCase) -> Any:
    store = store_factory()
    with store.unit_of_work() as uow:
        case.save(uow)
        uow.commit()
    return store


@on_every_store(case=sps.catalogs())
def test_a_plan_links_every_target_and_reads_only_snapshots(
    store_factory: Any, case: sps.CatalogCase
) -> None:
    store = stocked(store_factory, case)
    for event in case.events:
        result = create_plan(store.unit_of_work(), event.id)
        with store.unit_of_work() as uow:
            linked = uow.events.get(event.id)
            recorded = uow.plans.get(result.plan_id)
            targets = (*linked.production_targets, *linked.assembly_targets)
            assert all(t.snapshot_id is not None for t in targets)
            assert recorded.production_targets == linked.production_targets
            assert recorded.assembly_targets == linked.assembly_targets
            snapshots = uow.snapshots.get_many([t.snapshot_id for t in targets])
        sources = [s.source_id for s in snapshots]
        assert sources == [t.recipe_id for t in linked.production_targets] + [
            t.finished_good_id for t in linked.assembly_targets
        ]
        needs = plan_requirements(store.unit_of_work(), result.plan_id)
        assert {r.recipe_id for r in needs.batches} >= {
            t.recipe_id for t in event.production_targets
        }
    # with the live catalog gone, every plan still computes the same requirements
    plans = store_contents(store)["plans"]
    before = [plan_requirements(store.unit_of_work(), p.id) for p in plans]
    with store.unit_of_work() as uow:
        for name in (
            "finished_goods",
            "finished_units",
            "material_units",
            "recipes",
            "ingredients",
        ):
            for item in getattr(uow, name).all():
                getattr(uow, name).remove(item.id)
        uow.commit()
    assert [plan_requirements(store.unit_of_work(), p.id) for p in plans] == before


@on_every_store(case=sps.catalogs(), fail_at_commit=st.booleans())
def test_a_failure_at_any_write_leaves_the_store_as_it_was(
    store_factory: Any, case: sps.CatalogCase, fail_at_commit: bool
) -> None:
    store = stocked(store_factory, case)
    event = case.events[0]
    twin = stocked(sps_memory, case)
    writes = count_writes(twin, lambda s: create_plan(s.unit_of_work(), event.id))
    before = store_contents(store)
    points = [{"fail_at_commit": True}] if fail_at_commit else []
    points += [{"fail_at_write": k} for k in range(1, writes + 1)]
    for point in points:
        with pytest.raises(PersistenceError) as caught:
            create_plan(FaultyStore(store, **point).unit_of_work(), event.id)
        assert isinstance(caught.value, InjectedFault)
        assert store_contents(store) == before, point
    create_plan(store.unit_of_work(), event.id)
    assert store_contents(store)["plans"] != before["plans"]


def sps_memory() -> Any:
    from snapplan.adapters.memory import MemoryStore

    return MemoryStore()


@st.composite
def edits(draw: st.DrawFn, case: sps.CatalogCase) -> list[tuple[str, str, Any]]:
    """A sequence of (repository, "update" | "remove", item) on the case's definitions."""
    pool = [
        (name, item)
        for name in ("ingredients", "recipes", "finished_units", "material_units", "finished_goods")
        for item in getattr(case, name)
    ]
    chosen = draw(st.lists(st.sampled_from(pool), max_size=8, unique_by=lambda p: p[1].id))
    return [(name, draw(st.sampled_from(["update", "remove"])), item) for name, item in chosen]


def edited(item: Any, draw: st.DrawFn) -> Any:
    changes: dict[str, Any] = {"name": draw(sps.names)}
    if hasattr(item, "items_per_batch"):
        changes["items_per_batch"] = draw(sps.amounts())
    if getattr(item, "lines", ()):
        changes["lines"] = [attrs.evolve(x, quantity=x.quantity + 1) for x in item.lines]
    if getattr(item, "components", ()):
        changes["components"] = item.components[1:]
    return attrs.evolve(item, **changes)


@on_every_store(case=sps.catalogs(), data=st.data())
def test_catalog_edits_after_planning_never_change_requirements(
    store_factory: Any, case: sps.CatalogCase, data: st.DataObject
) -> None:
    store = stocked(store_factory, case)
    plan_id = create_plan(store.unit_of_work(), case.events[0].id).plan_id
    before = plan_requirements(store.unit_of_work(), plan_id)
    for name, action, item in data.draw(edits(case)):
        with store.unit_of_work() as uow:
            repository = getattr(uow, name)
            if action == "remove":
                repository.remove(item.id)
            else:
                repository.update(edited(repository.get(item.id), data.draw))
            uow.commit()
        assert plan_requirements(store.unit_of_work(), plan_id) == before


@on_every_store(case=sps.catalogs(), factor=st.integers(2, 7))
def test_scaling_targets_scales_units_and_packaging_exactly(
    store_factory: Any, case: sps.CatalogCase, factor: int
) -> None:
    event = case.events[0]
    with exact_arithmetic():  # amounts may have up to 60 digits: never round in the test either
        scaled = attrs.evolve(
            event,
            id=uuid.uuid4(),
            production_targets=[
                attrs.evolve(t, batches=t.batches * factor) for t in event.production_targets
            ],
            assembly_targets=[
                attrs.evolve(t, quantity=t.quantity * factor) for t in event.assembly_targets
            ],
        )
    store = stocked(store_factory, attrs.evolve(case, events=(event, scaled)))
    base, big = (
        plan_requirements(store.unit_of_work(), create_plan(store.unit_of_work(), e.id).plan_id)
        for e in (event, scaled)
    )
    with exact_arithmetic():
        assert {(u.finished_unit_id, u.quantity * factor) for u in base.finished_units} == {
            (u.finished_unit_id, u.quantity) for u in big.finished_units
        }
        assert {(m.material_unit_id, m.quantity * factor) for m in base.materials} == {
            (m.material_unit_id, m.quantity) for m in big.materials
        }
        if not event.assembly_targets:  # batches are then exactly the targets: linear too
            assert {(i.ingredient_id, i.unit, i.quantity * factor) for i in base.ingredients} == {
                (i.ingredient_id, i.unit, i.quantity) for i in big.ingredients
            }


@on_every_store(case=sps.catalogs(cycle=True))
def test_a_planted_cycle_is_always_reported_as_a_valid_loop(
    store_factory: Any, case: sps.CatalogCase
) -> None:
    assert case.cycle is not None
    kind, _ = case.cycle
    store = stocked(store_factory, case)
    before = store_contents(store)
    with pytest.raises(CycleError) as caught:
        create_plan(store.unit_of_work(), case.events[0].id, limits=GENEROUS)
    loop = caught.value.path
    assert loop[0] == loop[-1]
    assert len(set(loop[:-1])) == len(loop) - 1
    edges = (
        case.edges(kind)
        if loop[0] in case.edges(kind)
        else case.edges("goods" if kind == "recipes" else "recipes")
    )
    for parent, child in itertools.pairwise(loop):
        assert child in edges[parent]
    assert store_contents(store) == before


@given(case=sps.catalogs())
def test_diamonds_never_raise_a_cycle(case: sps.CatalogCase) -> None:
    store = stocked(sps_memory, case)
    for event in case.events:
        result = create_plan(store.unit_of_work(), event.id)
        targets = len(event.production_targets) + len(event.assembly_targets)
        assert result.recipe_snapshots_created + result.finished_good_snapshots_created == targets
    with store.unit_of_work() as uow:
        snapshots = uow.snapshots.all()
    # one snapshot per definition per capture
    per_capture = [(s.plan_id, s.source_id) for s in snapshots]
    assert len(per_capture) == len(set(per_capture))
