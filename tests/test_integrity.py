"""Integrity (DESIGN.md §9): what a plan says is what was captured, on every store alike.

Each test here was written against a hole found by attacking the library; it failed before the
fix. Tampering is simulated the way an adversary with access to the storage would do it: on the
memory store by reaching into its committed state, on SQL stores by raw SQL (the append-only
triggers dropped first, as someone with DDL rights could). The verdict's own rules (a mismatch
either way, the other problems counted) are pinned in memory, against mutants that once survived
the tests (``tools/mutation.py``).
"""

from __future__ import annotations

import datetime
import threading
import uuid
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    ConflictError,
    DepthLimitError,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    Limits,
    MaterialUnit,
    MaterialUnitSnapshot,
    ProblemKind,
    ProductionTarget,
    Recipe,
    SnapshotIntegrityError,
    SubRecipe,
    UnitOfWorkError,
    ValidationError,
    check_catalog,
    create_plan,
    plan_drift,
    plan_requirements,
    plan_snapshots,
    record_production,
    verify_plan,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.domain.digests import merkle_digest
from snapplan.domain.validators import MAX_KEY_LENGTH, MAX_VERSION
from snapplan.domain.verification import check_snapshots, find_problems
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents


def pie_and_box(store: Any) -> tuple[Event, Ingredient]:
    """Pie (1000 g flour, a filling sub-recipe) and a gift box of 6 cookies and a ribbon."""
    flour, sugar = Ingredient("Flour"), Ingredient("Sugar")
    filling = Recipe("Filling", lines=[IngredientLine(sugar.id, 1, "cup")])
    pie = Recipe(
        "Pie", lines=[IngredientLine(flour.id, 1000, "g")], sub_recipes=[SubRecipe(filling.id, 2)]
    )
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event("Market", [ProductionTarget(pie.id, 1)], [AssemblyTarget(box.id, 8)])
    save(store, flour, sugar, filling, pie, cookies, cookie, ribbon, box, event)
    return event, flour


DROP_TRIGGER = {
    "sqlite": "DROP TRIGGER snapplan_snapshots_refuse_{op}",
    "postgresql": "DROP TRIGGER snapplan_snapshots_append_only ON snapplan_snapshots",
    "mariadb": "DROP TRIGGER snapplan_snapshots_refuse_{op}",
}


def tamper(store: Any, snapshot_id: uuid.UUID, **changes: Any) -> None:
    """Change a stored snapshot behind snapplan's back (its digest left as it was)."""
    if isinstance(store, MemoryStore):
        rows = store._state.tables["snapshots"]
        rows[snapshot_id] = attrs.evolve(rows[snapshot_id], **changes)
        return
    from snapplan.adapters.converter import converter
    from snapplan.adapters.sql import immutability_ddl, metadata
    from snapplan.domain.snapshots import Snapshot

    with store.unit_of_work() as uow:
        changed = attrs.evolve(uow.snapshots.get(snapshot_id), **changes)
    document = converter.unstructure(changed, unstructure_as=Snapshot)
    engine: sa.Engine = store.engine
    with engine.begin() as conn:
        name = conn.dialect.name
        conn.exec_driver_sql(DROP_TRIGGER[name].format(op="update"))
        table = metadata.tables["snapplan_snapshots"]  # its id type as each engine stores it
        conn.execute(table.update().where(table.c.id == snapshot_id).values(document=document))
        for statement in immutability_ddl(name):
            conn.exec_driver_sql(statement)


def remove_snapshot(store: Any, snapshot_id: uuid.UUID) -> None:
    """Delete a stored snapshot behind snapplan's back."""
    if isinstance(store, MemoryStore):
        del store._state.tables["snapshots"][snapshot_id]
        return
    from snapplan.adapters.sql import immutability_ddl, metadata

    with store.engine.begin() as conn:
        name = conn.dialect.name
        conn.exec_driver_sql(DROP_TRIGGER[name].format(op="delete"))
        table = metadata.tables["snapplan_snapshots"]
        conn.execute(table.delete().where(table.c.id == snapshot_id))
        for statement in immutability_ddl(name):
            conn.exec_driver_sql(statement)


# -- digests checked on every read -------------------------------------------------------------


def test_a_tampered_snapshot_is_reported_by_every_read_never_used(store: Any) -> None:
    event, _ = pie_and_box(store)
    made = create_plan(store.unit_of_work(), event.id)
    _, snapshots = plan_snapshots(store.unit_of_work(), made.plan_id)
    pie = next(s for s in snapshots.values() if s.name == "Pie")
    line = pie.lines[0]
    tamper(store, pie.id, lines=(attrs.evolve(line, quantity=Decimal(9999)),))
    for read in (plan_requirements, plan_drift, plan_snapshots):
        with pytest.raises(SnapshotIntegrityError) as caught:
            read(store.unit_of_work(), made.plan_id)
        assert caught.value.snapshot_id == pie.id
        assert "Pie" in str(caught.value)


def test_verify_plan_reports_every_problem_at_once(store: Any) -> None:
    event, _ = pie_and_box(store)
    made = create_plan(store.unit_of_work(), event.id)
    clean = verify_plan(store.unit_of_work(), made.plan_id, expected_root=made.root_digest)
    assert clean.ok
    assert clean.root_digest == made.root_digest
    _, snapshots = plan_snapshots(store.unit_of_work(), made.plan_id)
    by_name = {s.name: s for s in snapshots.values()}
    tamper(store, by_name["Pie"].id, name="Pie (edited)")
    tamper(store, by_name["Ribbon"].id, name="Silk ribbon")
    remove_snapshot(store, by_name["Filling"].id)

    checked = verify_plan(store.unit_of_work(), made.plan_id, expected_root=made.root_digest)

    assert not checked.ok
    found = {(p.kind, p.snapshot_id) for p in checked.problems}
    assert (ProblemKind.MISSING_CHILD, by_name["Filling"].id) in found
    assert (ProblemKind.DIGEST_MISMATCH, by_name["Ribbon"].id) in found
    # the ribbon's parent still matches its own digest: the Merkle chain breaks at the ribbon
    assert (ProblemKind.DIGEST_MISMATCH, by_name["Gift box"].id) not in found
    assert (ProblemKind.ROOT_MISMATCH, None) not in found  # digests stored were not recomputed
    assert len(checked.problems) == 2


def test_an_edit_that_recomputes_every_digest_is_caught_by_the_kept_root(store: Any) -> None:
    event, _ = pie_and_box(store)
    made = create_plan(store.unit_of_work(), event.id)
    _, snapshots = plan_snapshots(store.unit_of_work(), made.plan_id)
    ribbon = next(s for s in snapshots.values() if s.name == "Ribbon")
    box = next(s for s in snapshots.values() if s.name == "Gift box")
    # a careful forger recomputes the ribbon's digest and its parent's, up to the target
    new_ribbon_digest = merkle_digest(attrs.evolve(ribbon, name="Cheap ribbon").content(), [])
    tamper(store, ribbon.id, name="Cheap ribbon", digest=new_ribbon_digest)
    child_digests = [
        new_ribbon_digest if c == ribbon.id else snapshots[c].digest for c in box.children()
    ]
    tamper(store, box.id, digest=box.expected_digest(child_digests))

    assert verify_plan(store.unit_of_work(), made.plan_id).ok  # digests alone are fooled
    checked = verify_plan(store.unit_of_work(), made.plan_id, expected_root=made.root_digest)
    assert [p.kind for p in checked.problems] == [ProblemKind.ROOT_MISMATCH]


def test_a_plan_and_its_snapshots_added_by_hand_in_one_unit_of_work_verify(store: Any) -> None:
    from snapplan.testing.samples import planned_snapshots

    sample = planned_snapshots()
    with store.unit_of_work() as uow:
        uow.snapshots.add_many(sample.snapshots)
        uow.plans.add(sample.plan)
        uow.commit()
    assert verify_plan(store.unit_of_work(), sample.plan.id).ok


def test_verify_plan_refuses_an_expected_root_that_is_not_a_digest(store: Any) -> None:
    event, _ = pie_and_box(store)
    made = create_plan(store.unit_of_work(), event.id)
    with pytest.raises(ValidationError, match="expected_root"):
        verify_plan(store.unit_of_work(), made.plan_id, expected_root="abc")


# -- the verdict, in the domain: a mismatch either way, the other problems counted ----------------


def _two_cookie_plan() -> tuple[Any, dict[uuid.UUID, Any]]:
    store = MemoryStore()
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    shortbread = Recipe("Shortbread", lines=[IngredientLine(flour.id, 300, "g")])
    event = Event("Market")
    save(store, flour, cookies, shortbread, event)
    with store.unit_of_work() as uow:
        uow.events.update(
            attrs.evolve(
                uow.events.get(event.id),
                production_targets=[
                    ProductionTarget(cookies.id, 1),
                    ProductionTarget(shortbread.id, 1),
                ],
            )
        )
        uow.commit()
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    plan, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    return plan, dict(snapshots)


@pytest.mark.parametrize("forged", ["0" * 64, "f" * 64])
def test_a_digest_that_differs_in_either_direction_is_a_mismatch(forged: str) -> None:
    """(mutant: != as >, which only saw forged digests that sort below the true one)"""
    plan, snapshots = _two_cookie_plan()
    first = plan.production_targets[0].snapshot_id
    snapshots[first] = attrs.evolve(snapshots[first], digest=forged)
    problems = find_problems(plan, snapshots)
    assert [(p.kind, p.snapshot_id) for p in problems] == [(ProblemKind.DIGEST_MISMATCH, first)]


def test_the_integrity_error_counts_the_other_problems() -> None:
    """(mutant: len(problems) > 1 as < 1)"""
    plan, snapshots = _two_cookie_plan()
    for target in plan.production_targets:
        snapshots[target.snapshot_id] = attrs.evolve(snapshots[target.snapshot_id], digest="f" * 64)
    with pytest.raises(SnapshotIntegrityError, match=r"\(and 1 more problems\); run verify_plan"):
        check_snapshots(plan, snapshots)
    plan, snapshots = _two_cookie_plan()
    first = plan.production_targets[0].snapshot_id
    snapshots[first] = attrs.evolve(snapshots[first], digest="f" * 64)
    with pytest.raises(SnapshotIntegrityError) as caught:
        check_snapshots(plan, snapshots)
    assert "more problems" not in str(caught.value)


# -- no orphan, no forged snapshot ---------------------------------------------------------------


def test_a_snapshot_with_a_bogus_digest_and_no_plan_is_refused(store: Any) -> None:
    forged = MaterialUnitSnapshot(
        source_id=uuid.uuid4(),
        name="Box",
        plan_id=uuid.uuid4(),
        captured_at=datetime.datetime.now(datetime.UTC),
        digest="0" * 64,
    )
    with store.unit_of_work() as uow, pytest.raises(ValidationError, match="digest"):
        uow.snapshots.add(forged)
    honest = attrs.evolve(forged, digest=merkle_digest(forged.content(), []))
    before = store_contents(store)
    with (
        pytest.raises(ValidationError, match="neither stored nor added"),
        store.unit_of_work() as uow,
    ):
        uow.snapshots.add(honest)
        uow.commit()
    assert store_contents(store) == before


# -- one answer on every store ------------------------------------------------------------------


def test_every_store_keeps_the_largest_version_and_refuses_one_more(store: Any) -> None:
    big = Ingredient("Salt", version=2**31)
    largest = Ingredient("Pepper", version=MAX_VERSION - 1)
    save(store, big, largest)
    with store.unit_of_work() as uow:
        assert uow.ingredients.get(big.id).version == 2**31
        assert uow.ingredients.update(largest).version == MAX_VERSION
        uow.commit()
    with store.unit_of_work() as uow:
        at_max = uow.ingredients.get(largest.id)
        assert at_max.version == MAX_VERSION
        with pytest.raises(ValidationError, match="version"):
            uow.ingredients.update(at_max)
    with pytest.raises(ValidationError, match="version"):
        Ingredient("x", version=2**63)


def test_an_amount_of_thousands_of_digits_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match=r"IngredientLine\.quantity"):
        IngredientLine(Ingredient("F").id, 10**5000, "g")
    with pytest.raises(ValidationError):
        IngredientLine(Ingredient("F").id, "9" * 5000, "g")


def test_a_key_too_long_for_any_index_is_refused_the_same_on_every_store(store: Any) -> None:
    # 3,000 characters were kept by memory and SQLite and failed on PostgreSQL (index row size)
    event, _ = pie_and_box(store)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    batches = plan_requirements(store.unit_of_work(), plan_id).batches
    pie = next(line.recipe_id for line in batches if line.name == "Pie")
    before = store_contents(store)
    with pytest.raises(ValidationError, match=f"at most {MAX_KEY_LENGTH} characters, not 3000"):
        record_production(store.unit_of_work(), plan_id, pie, 1, key="k" * 3000)
    assert store_contents(store) == before
    longest = "é" * MAX_KEY_LENGTH  # two bytes each in UTF-8: still within every index
    run = record_production(store.unit_of_work(), plan_id, pie, 1, key=longest)
    with store.unit_of_work() as uow:
        assert uow.runs.get(run.id).key == longest


# -- errors where they arise ----------------------------------------------------------------------


def test_a_wrong_argument_is_a_type_error_naming_the_parameter(store: Any) -> None:
    event, _ = pie_and_box(store)
    with pytest.raises(TypeError, match=r"uow must be a unit of work \(call store.unit_of_work"):
        create_plan(store, event.id)
    with pytest.raises(TypeError, match="uow must be a unit of work"):
        create_plan(None, event.id)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="uow must be a unit of work"):
        check_catalog(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="limits"):
        create_plan(store.unit_of_work(), event.id, limits=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="event_id"):
        create_plan(store.unit_of_work(), 42)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="event_id"):
        create_plan(store.unit_of_work(), "not-an-id")


def test_a_clock_that_fails_is_a_validation_error_naming_it(store: Any) -> None:
    event, _ = pie_and_box(store)

    def broken() -> Any:
        raise ZeroDivisionError("tick")

    with pytest.raises(ValidationError, match="clock failed: ZeroDivisionError") as caught:
        create_plan(store.unit_of_work(), event.id, clock=broken)
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


def test_a_bug_inside_snapplan_surfaces_as_itself(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, _ = pie_and_box(store)
    made = create_plan(store.unit_of_work(), event.id)

    def broken(*args: Any) -> Any:
        raise ZeroDivisionError("a bug in the requirement math")

    monkeypatch.setattr("snapplan.services.requirements.compute_requirements", broken)
    with pytest.raises(ZeroDivisionError):
        plan_requirements(store.unit_of_work(), made.plan_id)


# -- limits bound the work -------------------------------------------------------------------------


def goods_chain(length: int) -> list[FinishedGood]:
    ids = [uuid.uuid4() for _ in range(length)]
    return [
        FinishedGood(
            f"Level {i}",
            [Component(ComponentKind.FINISHED_GOOD, ids[i + 1], 1)] if i + 1 < length else [],
            id=ids[i],
        )
        for i in range(length)
    ]


class CountingReads:
    """Counts the finished goods a unit of work reads, through any store."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.goods_read = 0

    def unit_of_work(self) -> Any:
        counter = self
        inner = self.store.unit_of_work()

        class Counting:
            def __getattr__(self, name: str) -> Any:
                value = getattr(inner, name)
                if name != "finished_goods":
                    return value

                class Goods:
                    def __getattr__(self, method: str) -> Any:
                        found = getattr(value, method)
                        if method != "find_many":
                            return found

                        def find_many(ids: Any) -> Any:
                            result = found(list(ids))
                            counter.goods_read += len(result)
                            return result

                        return find_many

                return Goods()

            def __enter__(self) -> Any:
                inner.__enter__()
                return self

            def __exit__(self, *exc: Any) -> None:
                inner.__exit__(*exc)

            def commit(self) -> None:
                inner.commit()

            def savepoint(self) -> Any:
                return inner.savepoint()

        return Counting()


def test_a_refused_runaway_chain_is_read_only_to_the_first_level_past_the_limit(
    store: Any,
) -> None:
    chain = goods_chain(300)
    event = Event("Runaway", [], [AssemblyTarget(chain[0].id, 1)])
    save(store, *chain, event)
    counting = CountingReads(store)
    with pytest.raises(DepthLimitError):
        create_plan(counting.unit_of_work(), event.id, limits=Limits(goods=10))
    assert counting.goods_read == 11  # the root and ten levels below it, not 300


# -- units of work cannot be misused into a stuck state ------------------------------------------


def test_exit_without_enter_is_misuse_and_leaves_the_unit_usable(store: Any) -> None:
    uow = store.unit_of_work()
    with pytest.raises(UnitOfWorkError, match="__exit__ without __enter__"):
        uow.__exit__(None, None, None)
    assert not uow.active
    with uow:
        uow.ingredients.add(Ingredient("Flour"))
        uow.commit()
    with store.unit_of_work() as check:
        assert check.ingredients.count() == 1


def test_a_unit_of_work_belongs_to_the_thread_that_entered_it(store: Any) -> None:
    uow = store.unit_of_work()
    errors: list[BaseException] = []
    with uow:
        uow.ingredients.add(Ingredient("Flour"))

        def intruder() -> None:
            for attempt in (uow.__enter__, lambda: uow.ingredients.count()):  # noqa: PLW0108
                try:
                    attempt()
                except BaseException as error:
                    errors.append(error)

        threads = [threading.Thread(target=intruder) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        uow.commit()
    assert len(errors) == 8
    assert all(isinstance(e, UnitOfWorkError) for e in errors), errors
    with store.unit_of_work() as check:
        assert check.ingredients.count() == 1


def test_a_disposed_sql_store_makes_and_commits_nothing(tmp_path: Any) -> None:
    from snapplan.adapters.sql import SqlStore

    store = SqlStore.from_url(f"sqlite:///{tmp_path / 'disposed.sqlite'}")
    store.create_schema()
    made_before = store.unit_of_work()
    entered = store.unit_of_work()
    entered.__enter__()
    entered.ingredients.add(Ingredient("Flour"))
    store.dispose()
    with pytest.raises(UnitOfWorkError, match="disposed"):
        store.unit_of_work()
    with pytest.raises(UnitOfWorkError, match="disposed"):
        made_before.__enter__()
    with pytest.raises(UnitOfWorkError, match="disposed"):
        entered.commit()
    entered.__exit__(None, None, None)
    fresh = SqlStore.from_url(f"sqlite:///{tmp_path / 'disposed.sqlite'}")
    with fresh.unit_of_work() as uow:
        assert uow.ingredients.count() == 0
    fresh.dispose()


def test_conflict_error_still_names_a_stale_update(store: Any) -> None:
    flour = Ingredient("Flour")
    save(store, flour)
    with store.unit_of_work() as uow:
        uow.ingredients.update(flour)
        uow.commit()
    with store.unit_of_work() as uow, pytest.raises(ConflictError, match="Flour"):
        uow.ingredients.update(flour)
