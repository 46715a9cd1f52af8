"""The port contract suite: one base test class per port, subclassed once per adapter.

Every adapter — :class:`~snapplan.adapters.memory.MemoryStore`, ``SqlStore``, or a host's own —
proves itself by subclassing these classes and providing a ``store`` fixture that returns a
fresh, empty store::

    class TestMyStoreUnitOfWork(UnitOfWorkContract):
        @pytest.fixture
        def store(self):
            return MyStore()

The classes: :class:`CatalogRepositoryContract`, :class:`ProductRepositoryContract`,
:class:`SnapshotRepositoryContract`, :class:`PlanRepositoryContract`,
:class:`RunRepositoryContract`, :class:`PriceRepositoryContract`,
:class:`PantryRepositoryContract` and :class:`UnitOfWorkContract`.

Needs ``pip install snapplan[testing]``.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import attrs
import pytest

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
from snapplan.domain.measures import Measure
from snapplan.domain.pantry_entries import (
    PANTRY_TYPES,
    PantryRecord,
    PantryVoid,
    Receipt,
    StockCount,
    StockUse,
)
from snapplan.domain.plan import Plan
from snapplan.domain.plan_contents import PlanEntry, plan_entries
from snapplan.domain.prices import PriceQuote, price_as_of
from snapplan.domain.products import Product
from snapplan.domain.runs import ProductionRun
from snapplan.domain.snapshots import RecipeSnapshot, SnapshotKind
from snapplan.errors import (
    ConflictError,
    EventNotFound,
    FinishedGoodNotFound,
    FinishedUnitNotFound,
    IngredientNotFound,
    MaterialUnitNotFound,
    NotFoundError,
    PantryEntryNotFound,
    PlanNotFound,
    PriceNotFound,
    ProductNotFound,
    RecipeNotFound,
    RunNotFound,
    SnapshotNotFound,
    UnitOfWorkError,
    ValidationError,
)
from snapplan.ports.clock import utc_now
from snapplan.ports.unit_of_work import Store, repository_of
from snapplan.services.stock import pantry
from snapplan.testing.catalog import add_all
from snapplan.testing.contents import store_contents
from snapplan.testing.samples import THIRTY_DIGITS, planned_snapshots, relinked, sample_ledger

#: (repository attribute, factory of a valid item, error raised for a missing id)
CATALOG: tuple[tuple[str, Callable[[], Any], type[NotFoundError]], ...] = (
    ("ingredients", lambda: Ingredient("Flour"), IngredientNotFound),
    (
        "recipes",
        lambda: Recipe(
            "Sugar Cookies",
            lines=[IngredientLine(uuid.uuid4(), THIRTY_DIGITS, "g", "sifted")],
            sub_recipes=[SubRecipe(uuid.uuid4(), "0.5")],
        ),
        RecipeNotFound,
    ),
    ("finished_units", lambda: FinishedUnit("Cookie", uuid.uuid4(), 48), FinishedUnitNotFound),
    ("material_units", lambda: MaterialUnit("Ribbon, 6 inch"), MaterialUnitNotFound),
    (
        "finished_goods",
        lambda: FinishedGood(
            "Gift Box",
            [
                Component(ComponentKind.FINISHED_UNIT, uuid.uuid4(), 6),
                Component(ComponentKind.FINISHED_GOOD, uuid.uuid4(), "0.5"),
                Component(ComponentKind.MATERIAL_UNIT, uuid.uuid4(), 1),
            ],
        ),
        FinishedGoodNotFound,
    ),
    (
        "events",
        lambda: Event(
            "Holiday Market",
            [ProductionTarget(uuid.uuid4(), 3)],
            [AssemblyTarget(uuid.uuid4(), 50, snapshot_id=uuid.uuid4())],
        ),
        EventNotFound,
    ),
)

catalog_repositories = pytest.mark.parametrize(
    ("repository", "make", "not_found"), CATALOG, ids=[name for name, _, _ in CATALOG]
)


def sample_plan(event_id: uuid.UUID) -> Plan:
    """A plan record for ``event_id`` (no snapshots: it has no targets)."""
    return Plan(event_id=event_id, created_at=utc_now())


def _commit(store: Store, work: Callable[[Any], object]) -> None:
    with store.unit_of_work() as uow:
        work(uow)
        uow.commit()


def _not_ids(good: uuid.UUID) -> tuple[object, ...]:
    """Arguments that are not ids: repositories take ids parsed, so a string is a
    ``TypeError`` even when it spells the id of a stored item."""
    return (str(good), good.hex, good.int, None, good.bytes)


def _not_iterables_of_ids(good: uuid.UUID) -> tuple[object, ...]:
    """Arguments that are not iterables of ids (a string is one of characters)."""
    return ([str(good)], [good, None], str(good), good, None, 7)


def _refuses_wrong_types(
    repository: Any, good: uuid.UUID, by_id: tuple[str, ...], by_parameter: dict[str, str]
) -> None:
    """Each read (``get``, ``get_many``, ``find_many``) and each method of ``by_id``/
    ``by_parameter`` (method → its parameter) given an argument of the wrong type raises
    ``TypeError`` naming the parameter."""
    calls: list[tuple[str, str, object]] = []
    for method in ("get", *by_id):
        calls += [(method, "item_id", value) for value in _not_ids(good)]
    for method in ("get_many", "find_many"):
        calls += [(method, "item_ids", value) for value in _not_iterables_of_ids(good)]
    for method, parameter in by_parameter.items():
        calls += [(method, parameter, value) for value in _not_ids(good)]
    for method, parameter, value in calls:
        with pytest.raises(TypeError, match=rf"\b{parameter}\b"):
            getattr(repository, method)(value)


class CatalogRepositoryContract:
    """Catalog and event repositories: add, get, get_many, find_many, update, remove, count."""

    @catalog_repositories
    def test_an_added_item_reads_back_equal(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        item = make()
        _commit(store, lambda uow: getattr(uow, repository).add(item))
        with store.unit_of_work() as uow:
            assert getattr(uow, repository).get(item.id) == item
            assert getattr(uow, repository).count() == 1

    @catalog_repositories
    def test_a_missing_id_raises_the_matching_not_found(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        missing = uuid.uuid4()
        with store.unit_of_work() as uow:
            with pytest.raises(not_found) as caught:
                getattr(uow, repository).get(missing)
            assert caught.value.id == missing
            with pytest.raises(not_found):
                getattr(uow, repository).remove(missing)

    @catalog_repositories
    def test_get_many_keeps_the_order_asked_and_find_many_skips_missing(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        items = [make() for _ in range(5)]
        _commit(store, lambda uow: getattr(uow, repository).add_many(items))
        wanted = [items[3].id, items[0].id, items[4].id]
        missing = uuid.uuid4()
        with store.unit_of_work() as uow:
            repo = getattr(uow, repository)
            assert repo.get_many(wanted) == (items[3], items[0], items[4])
            assert repo.get_many([]) == ()
            with pytest.raises(not_found) as caught:
                repo.get_many([items[1].id, missing])
            assert caught.value.id == missing
            assert dict(repo.find_many([items[1].id, missing])) == {items[1].id: items[1]}
            assert repo.all() == tuple(sorted(items, key=lambda i: i.id))

    @catalog_repositories
    def test_update_is_optimistic_on_version(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        item = make()
        _commit(store, lambda uow: getattr(uow, repository).add(item))
        renamed = attrs.evolve(item, name="Renamed")
        with store.unit_of_work() as uow:
            stored = getattr(uow, repository).update(renamed)
            assert stored.version == item.version + 1
            assert getattr(uow, repository).get(item.id) == stored
            uow.commit()
        with store.unit_of_work() as uow:
            assert getattr(uow, repository).get(item.id).name == "Renamed"
            with pytest.raises(ConflictError):
                getattr(uow, repository).update(renamed)  # still at the old version
            with pytest.raises(not_found):
                getattr(uow, repository).update(make())

    @catalog_repositories
    def test_duplicate_ids_conflict(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        item = make()
        _commit(store, lambda uow: getattr(uow, repository).add(item))
        with pytest.raises(ConflictError), store.unit_of_work() as uow:
            getattr(uow, repository).add(item)
            uow.commit()
        with store.unit_of_work() as uow:
            assert getattr(uow, repository).count() == 1

    @catalog_repositories
    def test_a_repository_holds_its_own_type_only(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        stranger = MaterialUnit("Box") if repository != "material_units" else Ingredient("Salt")
        with store.unit_of_work() as uow:
            with pytest.raises(ValidationError):
                getattr(uow, repository).add(stranger)
            with pytest.raises(ValidationError):
                getattr(uow, repository).add_many([make(), stranger])
            assert getattr(uow, repository).count() == 0

    @catalog_repositories
    def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        item = make()
        _commit(store, lambda uow: getattr(uow, repository).add(item))
        with store.unit_of_work() as uow:
            _refuses_wrong_types(getattr(uow, repository), item.id, ("remove",), {})
            uow.commit()
        with store.unit_of_work() as uow:
            assert getattr(uow, repository).get(item.id) == item  # nothing was removed

    @catalog_repositories
    def test_remove_then_get_raises(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        kept, removed = make(), make()
        _commit(store, lambda uow: getattr(uow, repository).add_many([kept, removed]))
        _commit(store, lambda uow: getattr(uow, repository).remove(removed.id))
        with store.unit_of_work() as uow:
            with pytest.raises(not_found):
                getattr(uow, repository).get(removed.id)
            assert getattr(uow, repository).all() == (kept,)

    @catalog_repositories
    def test_concurrent_updates_one_wins_the_other_conflicts(
        self, store: Store, repository: str, make: Any, not_found: Any
    ) -> None:
        item = make()
        _commit(store, lambda uow: getattr(uow, repository).add(item))
        first, second = store.unit_of_work(), store.unit_of_work()
        with first:
            getattr(first, repository).update(attrs.evolve(item, name="First"))
            first.commit()
        with pytest.raises(ConflictError), second:
            getattr(second, repository).update(attrs.evolve(item, name="Second"))
            second.commit()
        with store.unit_of_work() as uow:
            assert getattr(uow, repository).get(item.id).name == "First"


class SnapshotRepositoryContract:
    """Snapshots: append only, all four kinds, exact amounts, checked against their digests,
    never without their plan."""

    def test_every_kind_reads_back_equal(self, store: Store) -> None:
        sample = planned_snapshots()
        snapshots = sample.snapshots
        assert {s.kind for s in snapshots} == set(SnapshotKind)

        def add(uow: Any) -> None:
            uow.snapshots.add_many(snapshots)
            uow.plans.add(sample.plan)

        _commit(store, add)
        with store.unit_of_work() as uow:
            for snapshot in snapshots:
                assert uow.snapshots.get(snapshot.id) == snapshot
            assert uow.snapshots.get_many([s.id for s in reversed(snapshots)]) == tuple(
                reversed(snapshots)
            )
            assert uow.snapshots.count() == len(snapshots)
            assert uow.snapshots.all() == tuple(sorted(snapshots, key=lambda s: s.id))

    def test_thirty_digits_come_back_unchanged(self, store: Store) -> None:
        sample = planned_snapshots()
        _commit(store, lambda uow: add_all(uow, (*sample.snapshots, sample.plan)))
        with store.unit_of_work() as uow:
            (pie,) = [s for s in uow.snapshots.all() if s.name == "Pie"]
            assert isinstance(pie, RecipeSnapshot)
            assert str(pie.lines[0].quantity) == str(THIRTY_DIGITS)

    def test_missing_snapshot_raises(self, store: Store) -> None:
        missing = uuid.uuid4()
        with store.unit_of_work() as uow, pytest.raises(SnapshotNotFound) as caught:
            uow.snapshots.get_many([missing])
        assert caught.value.id == missing

    def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(self, store: Store) -> None:
        sample = planned_snapshots()
        _commit(store, lambda uow: add_all(uow, (*sample.snapshots, sample.plan)))
        with store.unit_of_work() as uow:
            _refuses_wrong_types(uow.snapshots, sample.snapshots[0].id, (), {})

    def test_snapshots_cannot_be_updated_or_removed(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            assert not hasattr(uow.snapshots, "update")
            assert not hasattr(uow.snapshots, "remove")

    def test_a_duplicate_snapshot_id_conflicts_and_writes_nothing(self, store: Store) -> None:
        sample = planned_snapshots()
        leaf = sample.snapshots[0]
        _commit(store, lambda uow: add_all(uow, (leaf, sample.plan)))
        with pytest.raises(ConflictError), store.unit_of_work() as uow:
            uow.snapshots.add_many(sample.snapshots)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.snapshots.all() == (leaf,)

    def test_a_snapshot_that_does_not_match_its_digest_is_refused(self, store: Store) -> None:
        sample = planned_snapshots()
        leaf = sample.snapshots[0]
        forged = attrs.evolve(leaf, name=leaf.name + " (edited)")
        with store.unit_of_work() as uow:
            with pytest.raises(ValidationError, match="digest"):
                uow.snapshots.add(forged)
            with pytest.raises(ValidationError, match="digest"):
                uow.snapshots.add(attrs.evolve(leaf, digest="0" * 64))
            assert uow.snapshots.count() == 0

    def test_a_snapshot_whose_child_is_not_stored_is_refused(self, store: Store) -> None:
        sample = planned_snapshots()
        parent = next(s for s in sample.snapshots if s.children())
        with store.unit_of_work() as uow:
            with pytest.raises(ValidationError, match="not stored"):
                uow.snapshots.add(parent)
            assert uow.snapshots.count() == 0

    def test_a_snapshot_without_its_plan_is_refused_at_commit(self, store: Store) -> None:
        sample = planned_snapshots()
        with pytest.raises(ValidationError, match="plan"), store.unit_of_work() as uow:
            uow.snapshots.add_many(sample.snapshots)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.snapshots.count() == 0
        # The plan added later in the same unit of work is fine; so is work undone by a
        # savepoint, which takes its snapshots' claim on a plan with it.
        with store.unit_of_work() as uow:
            with pytest.raises(RuntimeError), uow.savepoint():
                uow.snapshots.add_many(planned_snapshots().snapshots)
                raise RuntimeError("undo")
            uow.snapshots.add_many(sample.snapshots)
            uow.plans.add(sample.plan)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.snapshots.count() == len(sample.snapshots)


class PlanRepositoryContract:
    """Plans: append only, in the order recorded per event; a plan's contents found by any id
    they name.

    ``keeps_contents``: whether the store keeps a plan's contents (the port lets a store keep
    none, and then every plan is read from its snapshots): None lets the suite accept either
    and check that the store is consistent about it; an adapter that must keep them (the memory
    and SQL stores) says True.
    """

    keeps_contents: bool | None = None

    def test_plans_of_an_event_come_in_recorded_order(self, store: Store) -> None:
        event_id, other = uuid.uuid4(), uuid.uuid4()
        plans = [sample_plan(event_id) for _ in range(3)]
        others = sample_plan(other)
        _commit(store, lambda uow: uow.plans.add(plans[0]))
        _commit(store, lambda uow: uow.plans.add(others))

        def rest(uow: Any) -> None:
            uow.plans.add(plans[1])
            uow.plans.add(plans[2])
            assert uow.plans.latest(event_id) == plans[2]
            assert uow.plans.latest_id(event_id) == plans[2].id
            assert uow.plans.event_of(plans[2].id) == event_id

        _commit(store, rest)
        with store.unit_of_work() as uow:
            assert uow.plans.for_event(event_id) == tuple(plans)
            assert uow.plans.latest(event_id) == plans[2]
            assert uow.plans.latest(uuid.uuid4()) is None
            assert uow.plans.latest_id(event_id) == plans[2].id
            assert uow.plans.latest_id(other) == others.id
            assert uow.plans.event_of(others.id) == other
            assert uow.plans.latest_id(uuid.uuid4()) is None
            assert [uow.plans.event_of(p.id) for p in plans] == [event_id] * 3
            with pytest.raises(PlanNotFound):
                uow.plans.event_of(uuid.uuid4())
            assert uow.plans.get(plans[1].id) == plans[1]
            assert uow.plans.count() == 4
            with pytest.raises(PlanNotFound):
                uow.plans.get(uuid.uuid4())
            assert not hasattr(uow.plans, "update")
            assert not hasattr(uow.plans, "remove")

    def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(self, store: Store) -> None:
        plan = sample_plan(uuid.uuid4())
        _commit(store, lambda uow: uow.plans.add(plan))
        with store.unit_of_work() as uow:
            _refuses_wrong_types(
                uow.plans,
                plan.id,
                (),
                {
                    "for_event": "event_id",
                    "latest": "event_id",
                    "latest_id": "event_id",
                    "event_of": "plan_id",
                    "contents": "plan_id",
                },
            )
            plans: Any = uow.plans  # given what the types rule out
            for value in _not_ids(plan.id):
                with pytest.raises(TypeError, match=r"\bplan_id\b"):
                    plans.add_contents(value, [])
            for naming in _not_iterables_of_ids(plan.id):
                if naming is not None:  # None: every entry
                    with pytest.raises(TypeError, match=r"\bnaming\b"):
                        plans.contents(plan.id, naming)

    def test_a_plans_contents_are_found_by_every_id_they_name(self, store: Store) -> None:
        sample = planned_snapshots()
        entries = plan_entries(sample.snapshots)
        without = sample_plan(uuid.uuid4())  # a plan of no snapshot: no contents

        def add(uow: Any) -> None:
            uow.snapshots.add_many(sample.snapshots)
            uow.plans.add(sample.plan)
            uow.plans.add(without)
            uow.plans.add_contents(sample.plan.id, entries)

        _commit(store, add)
        plan_id = sample.plan.id
        with store.unit_of_work() as uow:
            every = uow.plans.contents(plan_id)
            assert every is None or self.keeps_contents is not False
            if every is None:  # a store that keeps no contents: consistently none
                assert self.keeps_contents is not True, "the plan's contents were not kept"
                assert uow.plans.contents(plan_id, [entries[0].snapshot_id]) is None
                return
            assert sorted(every, key=_entry_key) == sorted(entries, key=_entry_key)
            assert len(every) == len(entries)

            def named(*ids: uuid.UUID) -> tuple[PlanEntry, ...]:
                found = uow.plans.contents(plan_id, ids)
                assert found is not None
                return found

            for entry in entries:
                assert entry in named(entry.snapshot_id)
                assert entry in named(entry.source_id)
                if entry.made_from is not None:  # a finished unit, found by its recipe's
                    made = named(entry.made_from)
                    assert {e.snapshot_id for e in made} == {entry.made_from, entry.snapshot_id}
            unit = next(e for e in entries if e.kind is SnapshotKind.FINISHED_UNIT)
            box = next(e for e in entries if e.kind is SnapshotKind.MATERIAL_UNIT)
            both = named(unit.source_id, box.snapshot_id, unit.source_id)
            assert sorted(both, key=_entry_key) == sorted([unit, box], key=_entry_key)
            # a plan with contents, none of them named: empty; a plan without any: None
            assert named(uuid.uuid4()) == ()
            assert named() == ()
            assert uow.plans.contents(without.id) is None
            assert uow.plans.contents(without.id, [unit.source_id]) is None
            assert uow.plans.contents(uuid.uuid4()) is None

    def test_contents_are_written_once_and_checked_when_staged(self, store: Store) -> None:
        sample = planned_snapshots()
        entries = plan_entries(sample.snapshots)

        def add(uow: Any) -> None:
            uow.snapshots.add_many(sample.snapshots)
            uow.plans.add(sample.plan)
            uow.plans.add_contents(sample.plan.id, entries)

        _commit(store, add)
        before = store_contents(store)
        with store.unit_of_work() as uow:
            kept = uow.plans.contents(sample.plan.id)
            plans: Any = uow.plans  # given what the types rule out
            with pytest.raises(ValidationError, match="twice"):
                plans.add_contents(uuid.uuid4(), [entries[0], entries[0]])
            with pytest.raises(ValidationError, match="PlanEntry"):
                plans.add_contents(uuid.uuid4(), [entries[0].snapshot_id])
            with pytest.raises(TypeError, match="entries"):
                plans.add_contents(uuid.uuid4(), "entries")
        if kept is not None:  # a second listing of a kept plan's contents conflicts
            with pytest.raises(ConflictError), store.unit_of_work() as uow:
                uow.plans.add_contents(sample.plan.id, entries[:1])
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.plans.contents(sample.plan.id) == kept
        assert store_contents(store) == before


def _entry_key(entry: PlanEntry) -> uuid.UUID:
    return entry.snapshot_id


class RunRepositoryContract:
    """The execution ledger: append only, in ``seq`` order, one position and one key per event."""

    def test_every_kind_reads_back_equal_in_seq_order(self, store: Store) -> None:
        event_id, plan_id, later_plan = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        first = sample_ledger(event_id, plan_id)
        second = sample_ledger(event_id, later_plan, previous=first[-1])
        other = sample_ledger(uuid.uuid4(), uuid.uuid4())
        _commit(store, lambda uow: uow.runs.add_many([*reversed(first), *other]))
        _commit(store, lambda uow: uow.runs.add_many(reversed(second)))
        with store.unit_of_work() as uow:
            assert uow.runs.for_event(event_id) == (*first, *second)
            assert uow.runs.for_plan(later_plan) == tuple(second)
            for run in first:
                assert uow.runs.get(run.id) == run
            assert uow.runs.count() == 12
            assert not hasattr(uow.runs, "update")
            assert not hasattr(uow.runs, "remove")
            with pytest.raises(RunNotFound):
                uow.runs.get(uuid.uuid4())

    def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(self, store: Store) -> None:
        runs = sample_ledger(uuid.uuid4(), uuid.uuid4())
        _commit(store, lambda uow: uow.runs.add_many(runs))
        with store.unit_of_work() as uow:
            _refuses_wrong_types(
                uow.runs, runs[0].id, (), {"for_event": "event_id", "for_plan": "plan_id"}
            )

    def test_a_taken_seq_conflicts_and_writes_nothing(self, store: Store) -> None:
        event_id = uuid.uuid4()
        taken = sample_ledger(event_id, uuid.uuid4())
        _commit(store, lambda uow: uow.runs.add(taken[0]))
        rival = relinked(taken[1], None, event_id=event_id)
        with pytest.raises(ConflictError), store.unit_of_work() as uow:
            uow.runs.add(rival)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.runs.for_event(event_id) == (taken[0],)

    def test_a_key_names_one_run_per_event(self, store: Store) -> None:
        event_id = uuid.uuid4()
        runs = sample_ledger(event_id, uuid.uuid4())
        _commit(store, lambda uow: uow.runs.add(runs[0]))
        same_key = relinked(runs[1], runs[0], key=runs[0].key)
        with pytest.raises(ConflictError), store.unit_of_work() as uow:
            uow.runs.add(same_key)
            uow.commit()
        # no key at all is no key: many runs may have none; another event may reuse a key
        elsewhere = relinked(runs[0], None, id=uuid.uuid4(), event_id=uuid.uuid4())
        _commit(store, lambda uow: uow.runs.add_many([*runs[1:], elsewhere]))
        with store.unit_of_work() as uow:
            assert uow.runs.count() == 5

    def test_two_recorders_taking_the_same_seq_one_conflicts(self, store: Store) -> None:
        event_id = uuid.uuid4()
        one, two = sample_ledger(event_id, uuid.uuid4())[:2]
        two = relinked(two, None, event_id=event_id)
        first, second = store.unit_of_work(), store.unit_of_work()
        with first:
            first.runs.add(one)
            first.commit()
        with pytest.raises(ConflictError), second:
            second.runs.add(two)
            second.commit()
        with store.unit_of_work() as uow:
            assert uow.runs.for_event(event_id) == (one,)

    def test_a_run_that_does_not_chain_is_refused_and_nothing_is_staged(self, store: Store) -> None:
        event_id = uuid.uuid4()
        runs = sample_ledger(event_id, uuid.uuid4())
        _commit(store, lambda uow: uow.runs.add(runs[0]))
        before = store_contents(store)
        production = runs[0]
        assert isinstance(production, ProductionRun)
        refused = {
            # content changed, digest left as it was
            "edited": attrs.evolve(runs[1], note="edited"),
            # chained to another first run than the one stored
            "unlinked": relinked(runs[1], relinked(production, None, note="another")),
            # a hole: run 2 never stored
            "hole": runs[2],
        }
        for what, run in refused.items():
            with store.unit_of_work() as uow:
                with pytest.raises(ValidationError, match=f"run {run.seq} of event") as caught:
                    uow.runs.add_many([run])
                assert ("hole" in str(caught.value)) == (what == "hole"), what
                assert uow.runs.for_event(event_id) == (production,)
                uow.commit()
            assert store_contents(store) == before, what
        # the same runs in order, chained, go in
        _commit(store, lambda uow: uow.runs.add_many(runs[1:]))
        with store.unit_of_work() as uow:
            assert uow.runs.for_event(event_id) == tuple(runs)


class UnitOfWorkContract:
    """Transactions: isolation, rollback, joining, savepoints, misuse."""

    def test_nothing_is_visible_before_commit(self, store: Store) -> None:
        item = Ingredient("Butter")
        writer, reader = store.unit_of_work(), store.unit_of_work()
        with writer:
            writer.ingredients.add(item)
            assert writer.ingredients.count() == 1
            with reader:
                assert reader.ingredients.count() == 0
            writer.commit()
        with reader:
            assert reader.ingredients.get(item.id) == item

    def test_leaving_without_commit_rolls_back(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.ingredients.add(Ingredient("Salt"))
        with pytest.raises(RuntimeError), store.unit_of_work() as uow:
            uow.ingredients.add(Ingredient("Yeast"))
            raise RuntimeError("boom")
        with store.unit_of_work() as uow:
            assert uow.ingredients.count() == 0

    def test_a_failed_commit_persists_nothing(self, store: Store) -> None:
        """A unit whose view went stale fails at its next write or at commit, and nothing of it
        persists. (Ordered so that it can happen on SQLite too: there one writer holds the write
        lock until it ends, so ``clash`` only reads before the other unit commits.)"""
        existing = Ingredient("Flour")
        _commit(store, lambda uow: uow.ingredients.add(existing))
        before = store_contents(store)
        clash = store.unit_of_work()
        with clash:
            assert clash.ingredients.get(existing.id) == existing
            # another unit of work removes the ingredient this one is about to change
            _commit(store, lambda uow: uow.ingredients.remove(existing.id))
            with pytest.raises((ConflictError, NotFoundError)):
                clash.recipes.add(Recipe("Bread"))  # SQLite: a stale read snapshot conflicts
                clash.ingredients.update(attrs.evolve(existing, name="Bread flour"))
                clash.commit()
        after = store_contents(store)
        assert after["recipes"] == before["recipes"] == ()
        assert after["ingredients"] == ()

    def test_repositories_outside_the_block_raise(self, store: Store) -> None:
        uow = store.unit_of_work()
        assert not uow.active
        with pytest.raises(UnitOfWorkError):
            uow.ingredients.count()
        with uow:
            assert uow.active
            repo = uow.ingredients
        assert not uow.active
        with pytest.raises(UnitOfWorkError):
            repo.count()
        with pytest.raises(UnitOfWorkError):
            uow.commit()

    def test_commit_twice_is_misuse(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.ingredients.add(Ingredient("Flour"))
            uow.commit()
            with pytest.raises(UnitOfWorkError):
                uow.commit()
            with pytest.raises(UnitOfWorkError):
                uow.ingredients.add(Ingredient("Sugar"))
        with store.unit_of_work() as uow:
            assert uow.ingredients.count() == 1

    def test_entering_again_joins_and_only_the_outermost_commit_persists(
        self, store: Store
    ) -> None:
        uow = store.unit_of_work()
        with uow:
            uow.ingredients.add(Ingredient("Flour"))
            with uow:
                uow.ingredients.add(Ingredient("Sugar"))
                uow.commit()  # joined: does nothing
            assert uow.active
            with store.unit_of_work() as other:
                assert other.ingredients.count() == 0
        with store.unit_of_work() as other:
            assert other.ingredients.count() == 0
        with uow:  # a new transaction
            assert uow.ingredients.count() == 0
            uow.ingredients.add(Ingredient("Cocoa"))
            uow.commit()
        with store.unit_of_work() as other:
            assert [i.name for i in other.ingredients.all()] == ["Cocoa"]

    def test_a_savepoint_undoes_exactly_its_own_work(self, store: Store) -> None:
        kept, undone = Ingredient("Flour"), Ingredient("Sugar")
        recipe = Recipe("Bread")
        _commit(store, lambda uow: uow.recipes.add(recipe))
        with store.unit_of_work() as uow:
            uow.ingredients.add(kept)
            with pytest.raises(RuntimeError), uow.savepoint():
                uow.ingredients.add(undone)
                uow.recipes.update(attrs.evolve(recipe, name="Rye bread"))
                uow.recipes.remove(recipe.id)
                raise RuntimeError("undo")
            assert uow.ingredients.all() == (kept,)
            assert uow.recipes.get(recipe.id) == recipe
            with uow.savepoint():
                uow.recipes.update(attrs.evolve(recipe, name="Spelt bread"))
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.ingredients.all() == (kept,)
            assert uow.recipes.get(recipe.id).name == "Spelt bread"

    def test_exit_without_enter_is_misuse_and_leaves_the_unit_usable(self, store: Store) -> None:
        uow = store.unit_of_work()
        with pytest.raises(UnitOfWorkError):
            uow.__exit__(None, None, None)
        assert not uow.active
        with uow:
            uow.ingredients.add(Ingredient("Flour"))
            uow.commit()
        with store.unit_of_work() as other:
            assert other.ingredients.count() == 1

    def test_another_thread_cannot_use_an_entered_unit(self, store: Store) -> None:
        uow = store.unit_of_work()
        refused: list[BaseException] = []
        with uow:

            def intrude() -> None:
                try:
                    uow.ingredients.count()
                except UnitOfWorkError as error:
                    refused.append(error)
                try:
                    uow.__enter__()
                except UnitOfWorkError as error:
                    refused.append(error)

            thread = threading.Thread(target=intrude)
            thread.start()
            thread.join()
            uow.ingredients.add(Ingredient("Flour"))
            uow.commit()
        assert len(refused) == 2
        with store.unit_of_work() as other:
            assert other.ingredients.count() == 1

    def test_a_reader_does_not_block_a_writer(self, store: Store) -> None:
        with store.unit_of_work() as reader:
            assert reader.ingredients.count() == 0
            _commit(store, lambda uow: uow.ingredients.add(Ingredient("Flour")))
        with store.unit_of_work() as uow:
            assert uow.ingredients.count() == 1


# -- buying: products, the price history and the pantry ledger -------------------------------------

#: A back-dated moment with microseconds: as-of reads compare stored times to the microsecond.
_MORNING = datetime.datetime(2026, 12, 5, 7, 30, 15, 123456, tzinfo=datetime.UTC)


def _moment(minutes: float) -> datetime.datetime:
    return _MORNING + datetime.timedelta(minutes=minutes)


def sample_products() -> tuple[Ingredient, Product, Product]:
    """Flour (1 cup = 120 g) and two of its products: a preferred 1 kg bag, and a retired sack
    of a 30-digit number of cups."""
    flour = Ingredient("Flour", measures=[Measure(1, "cup", 120, "g", source="King Arthur")])
    bag = Product(flour.id, "Flour 1 kg bag", "1.000", "kg", preferred=True, min_packs=2)
    sack = Product(flour.id, "Flour sack", THIRTY_DIGITS, "cup", active=False)
    return flour, bag, sack


def sample_quotes(product_id: uuid.UUID, *, first_seq: int = 1) -> list[PriceQuote]:
    """Three quotes of one product, ``seq`` from ``first_seq``: a gift (0), a 30-digit price
    back-dated, and a price with trailing zeros; their times a microsecond apart."""
    return [
        PriceQuote(product_id=product_id, price=0, currency="EUR", at=_moment(0),
                   seq=first_seq, note="a gift from the mill"),
        PriceQuote(product_id=product_id, price=THIRTY_DIGITS, currency="JPY",
                   at=_moment(-60), seq=first_seq + 1),
        PriceQuote(product_id=product_id, price="2.50", currency="EUR",
                   at=_moment(0) + datetime.timedelta(microseconds=1), seq=first_seq + 2,
                   note="crème fraîche, 🧈"),
    ]  # fmt: skip


def sample_pantry(item_id: uuid.UUID, product_id: uuid.UUID) -> list[PantryRecord]:
    """One entry of each kind, ``seq`` 1 to 4: a receipt of 2 bags with a price, a count of
    zero, a use in cups (a 30-digit amount), and a void of the use; keyed, back-dated, and
    a microsecond apart."""
    return [
        Receipt(seq=1, at=_moment(0), key="buy-1", item_id=item_id, quantity="2.000",
                unit="kg", product_id=product_id, packs=2, price="1.50", currency="EUR",
                note="market", by="Ana"),
        StockCount(seq=2, at=_moment(0) + datetime.timedelta(microseconds=1), item_id=item_id,
                   quantity=0, unit="g", by="Ben"),
        StockUse(seq=3, at=_moment(-30), key="use-1", item_id=item_id,
                 quantity=THIRTY_DIGITS, unit="cup", reason="gravy"),
        PantryVoid(seq=4, at=_moment(5), entry_seq=3, reason="wrong shelf"),
    ]  # fmt: skip


def _refuses_others(store: Store, repository: str, good: Any, strangers: list[Any]) -> None:
    """Items of another repository's type are a ``ValidationError``, alone or in a batch, and
    nothing is staged."""
    with store.unit_of_work() as uow:
        before = getattr(uow, repository).count()
        for stranger in strangers:
            with pytest.raises(ValidationError):
                getattr(uow, repository).add(stranger)
            with pytest.raises(ValidationError):
                getattr(uow, repository).add_many([good, stranger])
        assert getattr(uow, repository).count() == before


class ProductRepositoryContract:
    """Products: a catalog repository (optimistic updates, removes) whose products must belong
    to a stored ingredient or material unit, and keep the rules across an item's products, when
    the unit of work commits."""

    def test_products_read_back_equal(self, store: Store) -> None:
        flour, bag, sack = sample_products()
        _commit(store, lambda uow: add_all(uow, (flour, bag, sack)))
        missing = uuid.uuid4()
        with store.unit_of_work() as uow:
            assert uow.ingredients.get(flour.id) == flour
            assert uow.products.get(bag.id) == bag
            assert str(uow.products.get(bag.id).pack_quantity) == "1.000"
            assert str(uow.products.get(sack.id).pack_quantity) == str(THIRTY_DIGITS)
            assert uow.products.get_many([sack.id, bag.id]) == (sack, bag)
            assert dict(uow.products.find_many([missing, bag.id])) == {bag.id: bag}
            assert uow.products.all() == tuple(sorted((bag, sack), key=lambda p: p.id))
            assert uow.products.count() == 2
            with pytest.raises(ProductNotFound) as caught:
                uow.products.get_many([bag.id, missing])
            assert caught.value.id == missing
            with pytest.raises(ProductNotFound):
                uow.products.remove(missing)

    def test_update_is_optimistic_and_remove_removes(self, store: Store) -> None:
        flour, bag, sack = sample_products()
        _commit(store, lambda uow: add_all(uow, (flour, bag, sack)))
        renamed = attrs.evolve(bag, name="Flour 1 kg paper bag")
        with store.unit_of_work() as uow:
            assert uow.products.update(renamed).version == bag.version + 1
            uow.commit()
        with store.unit_of_work() as uow:
            with pytest.raises(ConflictError):
                uow.products.update(renamed)  # still at the old version
            uow.products.remove(sack.id)
            uow.commit()
        with store.unit_of_work() as uow:
            assert [p.name for p in uow.products.all()] == ["Flour 1 kg paper bag"]

    def test_a_duplicate_id_conflicts_and_strangers_are_refused(self, store: Store) -> None:
        flour, bag, sack = sample_products()
        _commit(store, lambda uow: add_all(uow, (flour, bag)))
        with pytest.raises(ConflictError), store.unit_of_work() as uow:
            uow.products.add(attrs.evolve(bag, name="Another"))
            uow.commit()
        _refuses_others(store, "products", sack, [flour, Recipe("Bread")])
        with store.unit_of_work() as uow:
            assert uow.products.all() == (bag,)

    def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(self, store: Store) -> None:
        flour, bag, _ = sample_products()
        _commit(store, lambda uow: add_all(uow, (flour, bag)))
        with store.unit_of_work() as uow:
            _refuses_wrong_types(uow.products, bag.id, ("remove",), {})
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.products.get(bag.id) == bag

    def test_a_product_of_no_stored_item_is_refused_at_commit(self, store: Store) -> None:
        flour, bag, _ = sample_products()
        ribbon = MaterialUnit("Ribbon")
        spool = Product(ribbon.id, "Ribbon spool", 25, "each")
        _commit(store, lambda uow: add_all(uow, (flour, bag, ribbon, spool)))
        before = store_contents(store)
        stray = Product(uuid.uuid4(), "Mystery 1 kg", 1, "kg")
        with pytest.raises(ValidationError, match="Mystery 1 kg"), store.unit_of_work() as uow:
            uow.products.add(stray)
            uow.commit()
        for item in (flour, ribbon):  # removing an item its products need: refused likewise
            with pytest.raises(ValidationError), store.unit_of_work() as uow:
                getattr(uow, repository_of(item).name).remove(item.id)
                uow.commit()
        assert store_contents(store) == before

    def test_the_rules_across_an_items_products_hold_at_commit(self, store: Store) -> None:
        flour, bag, _ = sample_products()
        _commit(store, lambda uow: add_all(uow, (flour, bag)))
        before = store_contents(store)
        refused = {
            "preferred products": Product(flour.id, "Flour 2 kg", 2, "kg", preferred=True),
            "cannot be converted": Product(flour.id, "Flour, 6 each", 6, "each"),
        }
        for message, product in refused.items():
            with pytest.raises(ValidationError, match=message), store.unit_of_work() as uow:
                uow.products.add(product)
                uow.commit()
            assert store_contents(store) == before, message
        # taking away the measure a product's pack needs is refused at commit too
        cups = Product(flour.id, "Flour, 10 cups", 10, "cup")
        _commit(store, lambda uow: uow.products.add(cups))
        stranded = attrs.evolve(flour, measures=())
        with pytest.raises(ValidationError, match="cannot be converted"):
            _commit(store, lambda uow: uow.ingredients.update(stranded))
        with store.unit_of_work() as uow:
            assert uow.ingredients.get(flour.id) == flour


class PriceRepositoryContract:
    """The price history: append only, one quote per ``seq``, read back exactly (a price of 0,
    30 digits, times to the microsecond, so a price *as of* a time reads the same anywhere)."""

    def test_quotes_read_back_equal_and_as_of_reads_agree(self, store: Store) -> None:
        product = uuid.uuid4()  # the history stores what it is given: no product needed
        quotes = sample_quotes(product)
        _commit(store, lambda uow: uow.prices.add_many(reversed(quotes)))
        with store.unit_of_work() as uow:
            stored = uow.prices.all()
            assert stored == tuple(sorted(quotes, key=lambda q: q.id))
            assert uow.prices.get_many([q.id for q in quotes]) == tuple(quotes)
            assert uow.prices.count() == 3
            assert str(uow.prices.get(quotes[1].id).price) == str(THIRTY_DIGITS)
            assert str(uow.prices.get(quotes[2].id).price) == "2.50"
            with pytest.raises(PriceNotFound):
                uow.prices.get(uuid.uuid4())
            assert not hasattr(uow.prices, "update")
            assert not hasattr(uow.prices, "remove")
        for moment, expected in (
            (_moment(-61), None),
            (_moment(-60), quotes[1]),
            (_moment(0), quotes[0]),
            (_moment(0) + datetime.timedelta(microseconds=1), quotes[2]),
        ):
            assert price_as_of(stored, product, moment) == expected, moment

    def test_a_taken_seq_conflicts_and_writes_nothing(self, store: Store) -> None:
        product = uuid.uuid4()
        first = sample_quotes(product)[0]
        _commit(store, lambda uow: uow.prices.add(first))
        rival = sample_quotes(uuid.uuid4())[1]
        for taken in (attrs.evolve(rival, seq=first.seq), first):  # same seq; same id
            with pytest.raises(ConflictError), store.unit_of_work() as uow:
                uow.prices.add(taken)
                uow.commit()
        with pytest.raises(ConflictError), store.unit_of_work() as uow:
            uow.prices.add_many([attrs.evolve(rival, seq=7), attrs.evolve(rival, seq=7)])
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.prices.all() == (first,)

    def test_last_seq_is_the_highest_this_unit_sees(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            assert uow.prices.last_seq() == 0
        first, second, third = sample_quotes(uuid.uuid4())
        # numbers need not be consecutive, nor added in order
        _commit(store, lambda uow: uow.prices.add_many([attrs.evolve(first, seq=7), second]))
        with store.unit_of_work() as uow:
            assert uow.prices.last_seq() == 7
            uow.prices.add(attrs.evolve(third, seq=3))
            assert uow.prices.last_seq() == 7  # a lower number added does not lower it
            uow.prices.add(attrs.evolve(third, seq=8, id=uuid.uuid4()))
            assert uow.prices.last_seq() == 8  # its own addition counts
        with store.unit_of_work() as uow:  # left without commit
            assert uow.prices.last_seq() == 7

    def test_two_recorders_taking_the_same_seq_one_conflicts(self, store: Store) -> None:
        one, two = sample_quotes(uuid.uuid4())[:2]
        two = attrs.evolve(two, seq=one.seq)
        first, second = store.unit_of_work(), store.unit_of_work()
        with first:
            first.prices.add(one)
            first.commit()
        with pytest.raises(ConflictError), second:
            second.prices.add(two)
            second.commit()
        with store.unit_of_work() as uow:
            assert uow.prices.all() == (one,)

    def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(self, store: Store) -> None:
        quote = sample_quotes(uuid.uuid4())[0]
        _commit(store, lambda uow: uow.prices.add(quote))
        with store.unit_of_work() as uow:
            _refuses_wrong_types(uow.prices, quote.id, (), {})
        flour, bag, _ = sample_products()
        _refuses_others(store, "prices", quote, [bag, sample_pantry(flour.id, bag.id)[0]])


class PantryRepositoryContract:
    """The pantry ledger: append only, every kind of entry read back exactly, one entry per
    ``seq`` and per ``key`` in the whole pantry (many entries without a key), times to the
    microsecond (on hand *as of* a time reads the same anywhere)."""

    def test_every_kind_reads_back_equal_and_on_hand_as_of_agrees(self, store: Store) -> None:
        flour, bag, _ = sample_products()
        entries = sample_pantry(flour.id, bag.id)
        _commit(store, lambda uow: add_all(uow, (flour, bag)))
        _commit(store, lambda uow: uow.pantry.add_many(reversed(entries)))
        with store.unit_of_work() as uow:
            assert uow.pantry.all() == tuple(sorted(entries, key=lambda e: e.id))
            assert uow.pantry.get_many([e.id for e in entries]) == tuple(entries)
            assert uow.pantry.count() == 4
            assert {type(e) for e in uow.pantry.all()} == set(PANTRY_TYPES)
            use = uow.pantry.get(entries[2].id)
            assert isinstance(use, StockUse)
            assert str(use.quantity) == str(THIRTY_DIGITS)
            receipt = uow.pantry.get(entries[0].id)
            assert isinstance(receipt, Receipt)
            assert str(receipt.quantity) == "2.000"
            with pytest.raises(PantryEntryNotFound):
                uow.pantry.get(uuid.uuid4())
            assert not hasattr(uow.pantry, "update")
            assert not hasattr(uow.pantry, "remove")
        # the count a microsecond after the receipt replaces it; the use went before both
        cups = Fraction(THIRTY_DIGITS) * 120  # exact, as the pantry computes it
        for moment, grams in (
            (_moment(-30), -cups),
            (_moment(0), 2000 - cups),
            (_moment(0) + datetime.timedelta(microseconds=1), 0),
        ):
            line = pantry(store.unit_of_work(), as_of=moment).item(flour.id)
            assert line is not None
            assert line.on_hand == grams, moment

    def test_a_taken_seq_or_key_conflicts_and_writes_nothing(self, store: Store) -> None:
        item, product = uuid.uuid4(), uuid.uuid4()  # the ledger stores what it is given
        receipt, count, use, _ = sample_pantry(item, product)
        _commit(store, lambda uow: uow.pantry.add_many([receipt, count]))
        refused = {
            "a taken seq": attrs.evolve(use, seq=count.seq),
            "a taken key, another kind": attrs.evolve(use, key=receipt.key),
            "a taken id": attrs.evolve(receipt, seq=9, key=None),
        }
        for what, entry in refused.items():
            with pytest.raises(ConflictError), store.unit_of_work() as uow:
                uow.pantry.add(entry)
                uow.commit()
            with store.unit_of_work() as uow:
                assert uow.pantry.count() == 2, what
        with pytest.raises(ConflictError), store.unit_of_work() as uow:
            uow.pantry.add_many(
                [attrs.evolve(use, key="k"), attrs.evolve(use, seq=5, key="k", id=uuid.uuid4())]
            )
            uow.commit()  # fmt: skip
        # no key is no key: many entries may have none
        unkeyed = [attrs.evolve(use, seq=n, key=None, id=uuid.uuid4()) for n in (3, 4, 5)]
        _commit(store, lambda uow: uow.pantry.add_many(unkeyed))
        with store.unit_of_work() as uow:
            assert sorted(e.seq for e in uow.pantry.all()) == [1, 2, 3, 4, 5]

    def test_last_seq_and_an_entry_by_key_are_what_this_unit_sees(self, store: Store) -> None:
        receipt, count, use, void = sample_pantry(uuid.uuid4(), uuid.uuid4())
        with store.unit_of_work() as uow:
            assert uow.pantry.last_seq() == 0
            assert uow.pantry.with_key(str(receipt.key)) is None
        # numbers need not be consecutive, nor added in order; a count without a key
        _commit(store, lambda uow: uow.pantry.add_many([use, attrs.evolve(receipt, seq=6), count]))
        with store.unit_of_work() as uow:
            assert uow.pantry.last_seq() == 6
            assert uow.pantry.with_key("buy-1") == attrs.evolve(receipt, seq=6)
            assert uow.pantry.with_key("use-1") == use
            assert uow.pantry.with_key("BUY-1") is None  # a key is matched exactly
            assert uow.pantry.with_key("buy-1 ") is None
            assert uow.pantry.with_key("") is None
            # what cannot be a key names no entry, on every store alike (no store is asked)
            for never in ("buy\x00-1", "buy-\ud800", "k" * 201, " buy-1"):
                assert uow.pantry.with_key(never) is None
            keyed = attrs.evolve(void, seq=9, key="void-1")
            uow.pantry.add(keyed)
            assert uow.pantry.last_seq() == 9  # its own addition counts
            assert uow.pantry.with_key("void-1") == keyed
        with store.unit_of_work() as uow:  # left without commit
            assert uow.pantry.last_seq() == 6
            assert uow.pantry.with_key("void-1") is None
            ledger: Any = uow.pantry  # given what the types rule out
            for wrong in (None, 7, b"buy-1", ["buy-1"]):
                with pytest.raises(TypeError, match=r"\bkey\b"):
                    ledger.with_key(wrong)

    def test_two_recorders_taking_the_same_seq_one_conflicts(self, store: Store) -> None:
        receipt, count = sample_pantry(uuid.uuid4(), uuid.uuid4())[:2]
        rival = attrs.evolve(count, seq=receipt.seq)
        first, second = store.unit_of_work(), store.unit_of_work()
        with first:
            first.pantry.add(receipt)
            first.commit()
        with pytest.raises(ConflictError), second:
            second.pantry.add(rival)
            second.commit()
        with store.unit_of_work() as uow:
            assert uow.pantry.all() == (receipt,)

    def test_an_argument_of_the_wrong_type_is_a_type_error_naming_it(self, store: Store) -> None:
        entry = sample_pantry(uuid.uuid4(), uuid.uuid4())[1]
        _commit(store, lambda uow: uow.pantry.add(entry))
        with store.unit_of_work() as uow:
            _refuses_wrong_types(uow.pantry, entry.id, (), {})
        quote = sample_quotes(uuid.uuid4())[0]
        _refuses_others(store, "pantry", entry, [quote, Ingredient("Salt")])
