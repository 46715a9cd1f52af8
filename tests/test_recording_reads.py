"""Recording a run reads what the run needs, never the rest of the plan (the performance issue's
goal 5, by rows read: see ``tests/sql/test_recording_statements.py`` for the statements).

A plan's contents (``uow.plans.contents``) say which snapshot an id names; the recorder then
reads that snapshot's subtree and the event's ledger. These tests count the snapshots every
store hands out while a run is recorded, with a spy on the shared repositories.
"""

from __future__ import annotations

import uuid
from typing import Any

import attrs
import pytest
from market import Market, market

from snapplan import (
    NotInPlanError,
    PlanNotFound,
    ProductionTarget,
    Recipe,
    SupersededPlanError,
    ValidationError,
    create_plan,
    plan_snapshots,
    record_assembly,
    record_production,
    record_waste,
    void_run,
)
from snapplan.adapters.base.repositories import PlanRecords, SnapshotRecords
from snapplan.domain.plan_contents import PlanEntry, plan_entries
from snapplan.domain.snapshots import SnapshotKind
from snapplan.errors import ConflictError
from snapplan.testing.catalog import save


@attrs.define
class Spy:
    """The snapshots the repositories handed out, and the plans read whole, while on."""

    snapshots: list[uuid.UUID] = attrs.Factory(list)
    plans_read: list[uuid.UUID] = attrs.Factory(list)
    on: bool = False


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    seen = Spy()
    get, get_many, find_many = (
        SnapshotRecords.get,
        SnapshotRecords.get_many,
        SnapshotRecords.find_many,
    )
    plan_get, for_event = PlanRecords.get, PlanRecords.for_event

    def note(found: Any) -> Any:
        if seen.on:
            seen.snapshots += [s.id for s in found]
        return found

    monkeypatch.setattr(SnapshotRecords, "get", lambda self, i: note([get(self, i)])[0])
    monkeypatch.setattr(SnapshotRecords, "get_many", lambda self, ids: note(get_many(self, ids)))
    monkeypatch.setattr(
        SnapshotRecords,
        "find_many",
        lambda self, ids: {s.id: s for s in note(list(find_many(self, ids).values()))},
    )

    def whole_plan(self: Any, plan_id: uuid.UUID) -> Any:
        if seen.on:
            seen.plans_read.append(plan_id)
        return plan_get(self, plan_id)

    def plans_of(self: Any, event_id: uuid.UUID) -> Any:
        plans = for_event(self, event_id)
        if seen.on:
            seen.plans_read += [plan.id for plan in plans]
        return plans

    monkeypatch.setattr(PlanRecords, "get", whole_plan)
    monkeypatch.setattr(PlanRecords, "for_event", plans_of)
    return seen


def planned(store: Any, count: int) -> tuple[Market, uuid.UUID]:
    m = market(count)
    save(store, *m.items)
    return m, create_plan(store.unit_of_work(), m.event.id).plan_id


def record_stall_zero(store: Any, m: Market, plan_id: uuid.UUID) -> None:
    """A batch of stall 0 with its frosting, a box of it, a wasted cookie, and its void."""
    record_production(store.unit_of_work(), plan_id, m.recipes[0].id, 1, with_sub_recipes=True)
    record_assembly(store.unit_of_work(), plan_id, m.boxes[0].id, 1)
    waste = record_waste(store.unit_of_work(), plan_id, m.cookies[0].id, 1, reason="dropped")
    void_run(store.unit_of_work(), waste.id, reason="found it")


def subtree(snapshots: dict[uuid.UUID, Any], roots: list[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    todo = list(roots)
    while todo:
        snapshot_id = todo.pop()
        if snapshot_id not in found:
            found.add(snapshot_id)
            todo += snapshots[snapshot_id].children()
    return found


def test_recording_reads_no_snapshot_outside_the_runs_subtree(store: Any, spy: Spy) -> None:
    m, plan_id = planned(store, 40)
    plan, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    box = next(t.snapshot_id for t in plan.assembly_targets if t.finished_good_id == m.boxes[0].id)
    recipe = next(t.snapshot_id for t in plan.production_targets if t.recipe_id == m.recipes[0].id)
    assert box is not None
    assert recipe is not None
    allowed = subtree(snapshots, [box, recipe])
    assert len(allowed) == 5  # box, cookie, its recipe, frosting, ribbon
    assert len(snapshots) == 3 * 40 + 2
    spy.on = True
    record_stall_zero(store, m, plan_id)
    assert spy.snapshots, "recording read no snapshot at all?"
    assert set(spy.snapshots) <= allowed
    assert spy.plans_read == []  # no plan's targets read


def test_what_recording_reads_does_not_grow_with_the_plan(store_factory: Any) -> None:
    counts = []
    get_many = SnapshotRecords.get_many
    for count in (3, 60):
        store = store_factory()
        with pytest.MonkeyPatch.context() as patch:
            seen = Spy()

            def counted(self: Any, ids: Any, seen: Spy = seen) -> Any:
                found = get_many(self, ids)
                seen.snapshots += [s.id for s in found] if seen.on else []
                return found

            patch.setattr(SnapshotRecords, "get_many", counted)
            m, plan_id = planned(store, count)
            seen.on = True
            record_stall_zero(store, m, plan_id)
        counts.append(len(seen.snapshots))
    assert counts[0] == counts[1]


def test_a_plan_without_contents_is_read_whole_and_recording_still_works(
    store: Any, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a plan recorded before plans kept their contents
    with monkeypatch.context() as patch:
        patch.setattr(PlanRecords, "add_contents", lambda self, plan_id, entries: None)
        m, plan_id = planned(store, 4)
    with store.unit_of_work() as uow:
        assert uow.plans.contents(plan_id, [m.recipes[0].id]) is None
    spy.on = True
    run = record_production(store.unit_of_work(), plan_id, m.recipes[0].id, 1)
    assert (run.finished_unit_id, run.items) == (m.cookies[0].id, 36)
    assert len(set(spy.snapshots)) == 3 * 4 + 2  # the whole plan, as before
    with pytest.raises(NotInPlanError):
        record_production(store.unit_of_work(), plan_id, uuid.uuid4(), 1)
    record_stall_zero(store, m, plan_id)


def test_a_replan_lists_what_its_linked_targets_reach(store: Any, spy: Spy) -> None:
    m, first = planned(store, 3)
    with store.unit_of_work() as uow:
        current = uow.events.get(m.event.id)
        more = Recipe("Shortbread")
        uow.recipes.add(more)
        uow.events.update(
            attrs.evolve(
                current,
                production_targets=(*current.production_targets, ProductionTarget(more.id, 1)),
            )
        )
        uow.commit()
    second = create_plan(store.unit_of_work(), m.event.id)
    assert second.snapshots_written == 1  # the three stalls stay linked
    spy.on = True
    # the frosting and the cookies are reached only through targets the first plan captured
    along = record_production(store.unit_of_work(), second.plan_id, m.frosting.id, 2)
    assert along.plan_id == second.plan_id
    record_stall_zero(store, m, second.plan_id)
    assert spy.plans_read == []
    with pytest.raises(SupersededPlanError):
        record_production(store.unit_of_work(), first, m.recipes[1].id, 1)


def test_a_plans_contents_name_each_snapshot_by_its_ids(store: Any) -> None:
    m, plan_id = planned(store, 2)
    _, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    recipe = next(s for s in snapshots.values() if s.source_id == m.recipes[0].id)
    cookie = next(s for s in snapshots.values() if s.source_id == m.cookies[0].id)
    with store.unit_of_work() as uow:
        by_catalog = uow.plans.contents(plan_id, [m.cookies[0].id])
        assert by_catalog == (
            PlanEntry(cookie.id, SnapshotKind.FINISHED_UNIT, m.cookies[0].id, recipe.id),
        )
        # a recipe snapshot's id names it, and the finished units made from it
        by_snapshot = uow.plans.contents(plan_id, [recipe.id])
        assert by_snapshot is not None
        assert {e.snapshot_id for e in by_snapshot} == {recipe.id, cookie.id}
        assert uow.plans.contents(plan_id, [uuid.uuid4()]) == ()
        assert uow.plans.contents(uuid.uuid4(), [recipe.id]) is None
        assert uow.plans.event_of(plan_id) == m.event.id
        assert uow.plans.latest_id(m.event.id) == plan_id
        assert uow.plans.latest_id(uuid.uuid4()) is None
        with pytest.raises(PlanNotFound):
            uow.plans.event_of(uuid.uuid4())
        with pytest.raises(TypeError):
            uow.plans.contents(str(plan_id), [recipe.id])  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            uow.plans.contents(plan_id, str(recipe.id))  # type: ignore[arg-type]
    assert set(plan_entries(snapshots.values())) == _every_entry(store, plan_id, snapshots)


def _every_entry(store: Any, plan_id: uuid.UUID, snapshots: dict[uuid.UUID, Any]) -> set[Any]:
    with store.unit_of_work() as uow:
        found = uow.plans.contents(plan_id, list(snapshots))
    assert found is not None
    return set(found)


def test_a_plans_contents_are_written_once(store: Any) -> None:
    _, plan_id = planned(store, 1)
    _, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    entries = plan_entries(snapshots.values())
    with pytest.raises(ConflictError), store.unit_of_work() as uow:
        uow.plans.add_contents(plan_id, entries)
        uow.commit()
    with store.unit_of_work() as uow:
        with pytest.raises(ValidationError, match="listed twice"):
            uow.plans.add_contents(uuid.uuid4(), [entries[0], entries[0]])
        with pytest.raises(ValidationError, match="PlanEntry"):
            uow.plans.add_contents(uuid.uuid4(), [snapshots[entries[0].snapshot_id]])
        with pytest.raises(ValidationError, match="unknown snapshot kind"):
            PlanEntry(uuid.uuid4(), "cake", uuid.uuid4())


def test_a_store_whose_plans_table_keeps_no_contents_still_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a host's own store built on BaseUnitOfWork before plans kept their contents: its plans'
    # Table has no contents, lookups by plan fall back to what a Table does
    from snapplan.adapters.memory import MemoryStore
    from snapplan.adapters.memory.staging import MemoryTable
    from snapplan.adapters.memory.unit_of_work import MemoryUnitOfWork

    monkeypatch.setattr(
        MemoryUnitOfWork, "_table", lambda self, spec: MemoryTable(self._staging, spec)
    )
    store = MemoryStore()
    m, plan_id = planned(store, 3)
    with store.unit_of_work() as uow:
        assert uow.plans.contents(plan_id, [m.recipes[0].id]) is None
        assert uow.plans.event_of(plan_id) == m.event.id
        assert uow.plans.latest_id(m.event.id) == plan_id
    run = record_production(store.unit_of_work(), plan_id, m.recipes[0].id, 1)
    assert run.finished_unit_id == m.cookies[0].id
    record_stall_zero(store, m, plan_id)


def test_verify_plan_finds_contents_that_do_not_list_what_the_plan_reaches(
    sql_store: Any,
) -> None:
    import sqlalchemy as sa

    from snapplan import ProblemKind, verify_plan

    _, plan_id = planned(sql_store, 2)
    assert verify_plan(sql_store.unit_of_work(), plan_id).ok
    stranger = uuid.uuid4()
    # a row written behind snapplan's back: a catalog id of nothing the plan holds, naming a
    # snapshot the plan does not reach
    with sql_store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO snapplan_plan_contents (plan_id, snapshot_id, kind, source_id) "
                "VALUES (:plan, :snapshot, 'recipe', :source)"
            ),
            {
                "plan": _stored(sql_store, plan_id),
                "snapshot": _stored(sql_store, uuid.uuid4()),
                "source": _stored(sql_store, stranger),
            },
        )
    checked = verify_plan(sql_store.unit_of_work(), plan_id)
    assert [p.kind for p in checked.problems] == [ProblemKind.CONTENTS_MISMATCH]
    assert "does not reach" in checked.problems[0].detail


def _stored(store: Any, value: uuid.UUID) -> Any:
    """An id as the engine's uuid column stores it (raw SQL binds it itself)."""
    return value.hex if store.engine.dialect.name in ("sqlite", "mariadb", "mysql") else value


def test_contents_problems_name_what_is_left_out_and_what_is_listed_wrongly() -> None:
    from snapplan.domain.verification import ProblemKind, contents_problems
    from snapplan.testing.samples import planned_snapshots

    sample = planned_snapshots()
    snapshots = {s.id: s for s in sample.snapshots}
    entries = list(plan_entries(snapshots.values()))
    assert contents_problems(sample.plan, snapshots, entries) == []
    left_out, changed = entries[0], entries[1]
    wrong = attrs.evolve(changed, source_id=uuid.uuid4())
    problems = contents_problems(sample.plan, snapshots, [wrong, *entries[2:]])
    assert {(p.kind, p.snapshot_id) for p in problems} == {
        (ProblemKind.CONTENTS_MISMATCH, left_out.snapshot_id),
        (ProblemKind.CONTENTS_MISMATCH, changed.snapshot_id),
    }


def test_contents_problems_name_an_entry_the_plan_does_not_reach_and_a_wrong_kind() -> None:
    from snapplan.domain.verification import ProblemKind, contents_problems
    from snapplan.testing.samples import planned_snapshots

    sample = planned_snapshots()
    snapshots = {s.id: s for s in sample.snapshots}
    entries = list(plan_entries(snapshots.values()))
    stranger = PlanEntry(uuid.uuid4(), SnapshotKind.MATERIAL_UNIT, uuid.uuid4())
    first = entries[0]
    other = next(k for k in SnapshotKind if k is not first.kind)
    mistyped = attrs.evolve(first, kind=other)
    problems = contents_problems(sample.plan, snapshots, [stranger, mistyped, *entries[1:]])
    assert [(p.kind, p.snapshot_id) for p in problems] == [
        (ProblemKind.CONTENTS_MISMATCH, stranger.snapshot_id),
        (ProblemKind.CONTENTS_MISMATCH, first.snapshot_id),
    ]
    assert "does not reach" in problems[0].detail
    assert "wrongly" in problems[1].detail
    # a child the plan reaches but that is not stored is the missing snapshot's problem only
    child = next(c for s in snapshots.values() for c in s.children())
    kept = {i: s for i, s in snapshots.items() if i != child}
    listed = [e for e in entries if e.snapshot_id != child]
    listed.append(next(e for e in entries if e.snapshot_id == child))
    assert contents_problems(sample.plan, kept, listed) == []
