"""``create_plan``: capture, link and record a plan for an event, all or nothing."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence

import attrs

from snapplan.domain._trusted import trusted
from snapplan.domain.capture import Capture
from snapplan.domain.events import AssemblyTarget, Event, ProductionTarget
from snapplan.domain.limits import Limits
from snapplan.domain.plan import Plan
from snapplan.domain.plan_contents import PlanEntry, plan_entries
from snapplan.domain.snapshots import FinishedGoodSnapshot, RecipeSnapshot, Snapshot
from snapplan.domain.validators import new_id, parse_id
from snapplan.domain.verification import plan_root_digest
from snapplan.ports.clock import Clock
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._atomic import atomic
from snapplan.services._loading import load_for_capture, load_subtrees


@attrs.frozen
class PlanResult:
    """What one ``create_plan`` call did.

    ``recipe_snapshots_created`` and ``finished_good_snapshots_created`` count the top-level
    targets captured by this call (production targets and assembly targets, respectively);
    ``snapshots_written`` counts every snapshot record written, nested ones included (the
    recipes behind finished units, sub-recipes, packaging...). An idempotent re-run reports
    0, 0, 0 and the existing plan's id (and root digest).
    """

    plan_id: uuid.UUID
    recipe_snapshots_created: int
    finished_good_snapshots_created: int
    snapshots_written: int
    #: The plan's Merkle root (see :func:`snapplan.verify_plan`): keep it outside the database
    #: to prove later that the plan was not changed.
    root_digest: str | None = None


def create_plan(
    uow: UnitOfWork,
    event_id: uuid.UUID | str,
    *,
    force_recreate: bool = False,
    clock: Clock | None = None,
    limits: Limits = Limits(),
) -> PlanResult:
    """Capture every definition the event's targets need, link the targets, record the plan.

    - Targets without a snapshot are captured (every target with ``force_recreate``), each
      definition once per call, however often it is reached.
    - The event is stored with each target's ``snapshot_id`` set (optimistic on its version, so
      two concurrent planners of one event cannot both win: the loser gets ``ConflictError``).
    - A :class:`~snapplan.Plan` records the targets; it ``supersedes`` the event's previous plan.
    - If nothing needs capturing and the latest plan already lists exactly these targets, nothing
      is written and that plan is returned (a re-run is idempotent).

    Given a fresh unit of work, ``create_plan`` enters and commits it. Given an entered one, it
    works in a savepoint of the caller's transaction and does not commit. Either way a failure
    leaves no snapshot, no plan and no link behind.

    >>> from snapplan import Event, MemoryStore, add_catalog
    >>> store = MemoryStore()
    >>> event = Event("Holiday market")
    >>> add_catalog(store.unit_of_work(), [event])
    >>> create_plan(store.unit_of_work(), event.id).snapshots_written
    0
    """
    uow = arguments.unit_of_work(uow)
    event_id = parse_id(event_id, "event_id")
    arguments.flag(force_recreate, "force_recreate")
    limits = arguments.limits(limits)
    now = arguments.now(clock)  # checked up front: the idempotent path refuses a bad clock too
    with atomic(uow):
        event = uow.events.get(event_id)
        latest = uow.plans.latest(event.id)
        linked = {} if force_recreate else _linked_snapshots(uow, event)
        production, assembly = _targets_to_capture(event, linked, force_recreate)
        if not (production or assembly or force_recreate) and _lists_targets_of(latest, event):
            assert latest is not None
            digests = {i: snapshot.digest for i, snapshot in linked.items()}
            return PlanResult(latest.id, 0, 0, 0, plan_root_digest(latest, digests))
        plan_id = new_id()
        # the catalog read for the capture is dropped here: only the snapshots are written
        linked_event, captured = _capture_and_link(
            uow, event, production, assembly, plan_id=plan_id, now=now, limits=limits
        )
        plan = Plan(
            id=plan_id,
            event_id=event.id,
            created_at=now,
            production_targets=linked_event.production_targets,
            assembly_targets=linked_event.assembly_targets,
            supersedes=latest.id if latest is not None else None,
        )
        uow.snapshots.add_many(captured)
        # Always bump the event's version: it serialises planners of one event even when no
        # target changed, so two concurrent re-plans cannot both record a plan.
        uow.events.update(linked_event)
        uow.plans.add(plan)
        uow.plans.add_contents(plan.id, _contents(uow, plan, captured))
        uow.commit()
    digests = {s.id: s.digest for s in (*linked.values(), *captured)}
    return PlanResult(
        plan.id,
        len(production),
        len(assembly),
        len(captured),
        plan_root_digest(plan, digests),
    )


def _contents(uow: UnitOfWork, plan: Plan, captured: Sequence[Snapshot]) -> tuple[PlanEntry, ...]:
    """Every snapshot ``plan`` reaches, listed (its contents, for the recorders): the ones this
    call captured, and those below the targets it kept linked (read level by level)."""
    new = {snapshot.id for snapshot in captured}
    kept = [i for i in plan.snapshot_ids() if i not in new]
    below = load_subtrees(uow, kept, verify=False) if kept else {}
    return plan_entries([*captured, *below.values()])


def _linked_snapshots(uow: UnitOfWork, event: Event) -> dict[uuid.UUID, Snapshot]:
    """The snapshots the event's targets already point at (``SnapshotNotFound`` if one is
    gone): one bulk read."""
    linked_ids = [t.snapshot_id for t in event.production_targets if t.snapshot_id is not None]
    linked_ids += [t.snapshot_id for t in event.assembly_targets if t.snapshot_id is not None]
    return {snapshot.id: snapshot for snapshot in uow.snapshots.get_many(linked_ids)}


def _targets_to_capture(
    event: Event, linked: Mapping[uuid.UUID, Snapshot], force_recreate: bool
) -> tuple[list[ProductionTarget], list[AssemblyTarget]]:
    """The targets this call captures: all with ``force_recreate``, else those not linked.

    A linked target keeps its snapshot only if it was taken from the target's own definition:
    a target whose recipe or good was switched with ``attrs.evolve`` keeps a stale
    ``snapshot_id``.
    """
    if force_recreate:
        return list(event.production_targets), list(event.assembly_targets)
    sources = {s.id: (type(s), s.source_id) for s in linked.values()}
    production = [
        t
        for t in event.production_targets
        if t.snapshot_id is None or sources[t.snapshot_id] != (RecipeSnapshot, t.recipe_id)
    ]
    assembly = [
        t
        for t in event.assembly_targets
        if t.snapshot_id is None
        or sources[t.snapshot_id] != (FinishedGoodSnapshot, t.finished_good_id)
    ]
    return production, assembly


def _capture_and_link(
    uow: UnitOfWork,
    event: Event,
    production: list[ProductionTarget],
    assembly: list[AssemblyTarget],
    *,
    plan_id: uuid.UUID,
    now: datetime.datetime,
    limits: Limits,
) -> tuple[Event, list[Snapshot]]:
    """Read what the targets need (bulk, bounded by ``limits``), capture it, and return the
    event linked to its new snapshots and those snapshots (children first). The catalog read
    for the capture does not outlive this call: at holiday-10000 it is about as large as the
    snapshots, and the plan's peak memory is when both are alive."""
    catalog = load_for_capture(
        uow, [t.recipe_id for t in production], [t.finished_good_id for t in assembly], limits
    )
    capture = Capture(catalog, plan_id=plan_id, captured_at=now, limits=limits)
    for production_target in production:
        capture.referred(production_target.recipe_id, "event", event.name)
    for assembly_target in assembly:
        capture.referred(assembly_target.finished_good_id, "event", event.name)
    for production_target in production:
        capture.recipe(production_target.recipe_id)
    for assembly_target in assembly:
        capture.finished_good(assembly_target.finished_good_id)
    return _link(event, capture, production, assembly), capture.snapshots


def _link(
    event: Event,
    capture: Capture,
    production: list[ProductionTarget],
    assembly: list[AssemblyTarget],
) -> Event:
    """The event with every captured target pointing at its new snapshot."""
    recaptured = {t.recipe_id for t in production}
    reassembled = {t.finished_good_id for t in assembly}
    return attrs.evolve(
        event,
        # the targets are valid already: only their snapshot id changes (domain/trusted.py)
        production_targets=[
            trusted(
                ProductionTarget,
                recipe_id=t.recipe_id,
                batches=t.batches,
                snapshot_id=capture.recipe(t.recipe_id).id,
            )
            if t.recipe_id in recaptured
            else t
            for t in event.production_targets
        ],
        assembly_targets=[
            trusted(
                AssemblyTarget,
                finished_good_id=t.finished_good_id,
                quantity=t.quantity,
                snapshot_id=capture.finished_good(t.finished_good_id).id,
            )
            if t.finished_good_id in reassembled
            else t
            for t in event.assembly_targets
        ],
    )


def _lists_targets_of(plan: Plan | None, event: Event) -> bool:
    return (
        plan is not None
        and set(plan.production_targets) == set(event.production_targets)
        and set(plan.assembly_targets) == set(event.assembly_targets)
    )
