"""What every ``record_*`` service does the same way: read the plan's event and its ledger, name
things in the plan (reading only what the run needs: see :class:`Recording`), replay a retried
request, refuse a superseded plan, check ``amends``.

The order of the checks is the contract's (EXECUTION.md): the idempotency key first (a retry
whose first attempt committed returns that run and writes nothing, even if the plan was
superseded since), then a superseded plan, then ``amends``, then stock. The stock a recorder
checks and the ``seq`` it writes come from the one read of the ledger made here, so a rival that
commits in between makes this write conflict (a taken ``seq``) instead of overselling.

The ledger is checked against its hash chain as it is read (``LedgerIntegrityError`` naming the
event and the run number, before anything else), and every new entry's ``digest`` chains from
the last entry read (:meth:`Recording.draft`), which is the entry at ``seq`` - 1.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from snapplan.domain.ledger import check_chain, live_runs, next_seq, on_hand, voids_by_run
from snapplan.domain.runs import AssemblyRun, ProductionRun, Run, RunVoid, WasteRun
from snapplan.domain.snapshots import (
    CapturedSnapshot,
    FinishedUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)
from snapplan.domain.validators import parse_id
from snapplan.domain.verification import check_read
from snapplan.errors import (
    KeyReusedError,
    NotInPlanError,
    RunNotFound,
    SupersededPlanError,
    ValidationError,
)
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services._loading import load_plan_snapshots

S = TypeVar("S", bound=CapturedSnapshot)
R = TypeVar("R", ProductionRun, AssemblyRun, WasteRun)


class Recording:
    """One recording against a plan: the plan's event and its ledger, read once, and the part
    of the plan the run needs, read when it is named.

    What the run names is found in the plan's contents
    (:meth:`~snapplan.ports.PlanRepository.contents`, one indexed lookup) and read with the
    snapshots below it (one bulk read per level), each checked against its digest: the cost of
    a recording follows the run's subtree and the event's ledger, never the size of the plan.
    A plan without contents (recorded before they were kept) is read whole, as it used to be.
    """

    def __init__(self, uow: UnitOfWork, plan_id: uuid.UUID) -> None:
        self.uow = uow
        self.plan_id = plan_id
        self.event_id = uow.plans.event_of(plan_id)
        self.ledger: tuple[Run, ...] = uow.runs.for_event(self.event_id)
        check_chain(self.event_id, self.ledger)
        #: Every snapshot read so far (checked against its digest), by id.
        self.snapshots: dict[uuid.UUID, Snapshot] = {}
        # the whole plan, for a plan without contents (None: not read)
        self._whole: dict[uuid.UUID, Snapshot] | None = None

    # -- naming things in the plan -------------------------------------------------------------

    def find(self, value: uuid.UUID | str, parameter: str, *kinds: type[S]) -> S:
        """The snapshot of the plan ``value`` names: a snapshot id of one of ``kinds``, or a
        catalog id that exactly one such snapshot of the plan was taken from."""
        wanted = parse_id(value, parameter)
        entries = self.uow.plans.contents(self.plan_id, [wanted])
        if entries is None:
            whole = self._read_whole()
            snapshot = whole.get(wanted)
            if isinstance(snapshot, kinds):
                return snapshot
            taken: list[S] = [
                s for s in whole.values() if isinstance(s, kinds) and s.source_id == wanted
            ]
            return self._only(wanted, parameter, kinds, taken)
        ours = {kind.kind for kind in kinds}
        named = [e for e in entries if e.kind in ours and e.snapshot_id == wanted]
        if not named:
            named = [e for e in entries if e.kind in ours and e.source_id == wanted]
        found = self.read([entry.snapshot_id for entry in named])
        held: list[S] = [s for s in found if isinstance(s, kinds)]
        return self._only(wanted, parameter, kinds, held)

    def finished_units(self, recipe: RecipeSnapshot) -> list[FinishedUnitSnapshot]:
        """The plan's finished unit snapshots made from ``recipe``'s snapshot."""
        entries = self.uow.plans.contents(self.plan_id, [recipe.id])
        if entries is None:
            held: Iterable[Snapshot] = self._read_whole().values()
        else:
            held = self.read([e.snapshot_id for e in entries if e.made_from == recipe.id])
        return [
            s
            for s in held
            if isinstance(s, FinishedUnitSnapshot) and s.recipe_snapshot_id == recipe.id
        ]

    def read(self, snapshot_ids: Sequence[uuid.UUID]) -> list[Snapshot]:
        """The snapshots ``snapshot_ids`` name, read with everything below them (one bulk read
        per level, whatever was read already left out), each checked against its digest."""
        new: dict[uuid.UUID, Snapshot] = {}
        known = self.snapshots
        todo = [i for i in dict.fromkeys(snapshot_ids) if i not in known]
        while todo:
            level = self.uow.snapshots.get_many(todo)
            new.update((snapshot.id, snapshot) for snapshot in level)
            below = (child for snapshot in level for child in snapshot.children())
            todo = [c for c in dict.fromkeys(below) if c not in known and c not in new]
        if new:
            check_read({**known, **new}, f"plan {self.plan_id}")
            known.update(new)
        return [known[i] for i in snapshot_ids]

    def _read_whole(self) -> dict[uuid.UUID, Snapshot]:
        """Every snapshot of a plan without contents (checked as every service checks them)."""
        if self._whole is None:
            self._whole = load_plan_snapshots(self.uow, self.uow.plans.get(self.plan_id))
            self.snapshots.update(self._whole)
        return self._whole

    def _only(
        self, wanted: uuid.UUID, parameter: str, kinds: tuple[type[S], ...], taken: list[S]
    ) -> S:
        if not taken:
            what = " or ".join(kind.kind.value.replace("_", " ") for kind in kinds)
            raise NotInPlanError(
                wanted, f"plan {self.plan_id} holds no {what} {wanted} ({parameter})"
            )
        if len(taken) > 1:
            listed = ", ".join(f"{s.name!r} {s.id}" for s in taken)
            raise ValidationError(
                f"{parameter}: the plan holds {len(taken)} snapshots of {wanted} ({listed}), "
                "captured by different calls: pass the snapshot id"
            )
        return taken[0]

    # -- the checks, in the contract's order -------------------------------------------------

    def replay(self, candidate: R) -> R | None:
        """The run already recorded with ``candidate``'s key, if it has the same content (a
        retry); ``KeyReusedError`` if the key names a different run; None if it is new."""
        if candidate.key is None:
            return None
        for entry in self.ledger:
            if entry.key == candidate.key:
                # (the content starts with the kind: an equal one is a run of the same class)
                if isinstance(entry, type(candidate)) and content(entry) == content(candidate):
                    return entry
                raise KeyReusedError(
                    f"key {candidate.key!r} already names run {entry.seq} ({entry.id}) of this "
                    "event, with other content: use a new key (never retry this request)"
                )
        return None

    def require_latest(self) -> None:
        """``SupersededPlanError`` unless the plan is its event's latest."""
        latest = self.uow.plans.latest_id(self.event_id)
        if latest is not None and latest != self.plan_id:
            raise SupersededPlanError(self.plan_id, latest)

    def check_amends(self, amends: uuid.UUID | None) -> None:
        """``amends`` must name a voided run of this event."""
        if amends is None:
            return
        ours = {entry.id: entry for entry in self.ledger}
        if amends not in ours:
            raise RunNotFound(amends, f"run {amends} (amends) is not in this event's ledger")
        if isinstance(ours[amends], RunVoid):
            raise ValidationError(f"amends: {amends} is a void, not a run")
        if amends not in voids_by_run(self.ledger):
            raise ValidationError(
                f"amends: run {amends} is not voided: void it first, then record the right one"
            )

    def stock(self) -> dict[tuple[Any, uuid.UUID], Decimal]:
        """On hand now, from the ledger as read (see :mod:`snapplan.domain.ledger`)."""
        return on_hand(live_runs(self.ledger))

    def draft(
        self,
        kind: type[R],
        *,
        now: datetime.datetime,
        key: str | None,
        note: str,
        by: str | None,
        amends: uuid.UUID | None,
        **fields: Any,
    ) -> R:
        """A new entry of ``kind`` with ``fields`` and the header every entry of this recording
        carries: the next ``seq``, and its ``digest`` chained to the last entry read."""
        return kind.after(
            self.ledger[-1] if self.ledger else None,
            event_id=self.event_id,
            plan_id=self.plan_id,
            seq=next_seq(self.ledger),
            recorded_at=now,
            key=key,
            note=note,
            by=by,
            amends=amends,
            **fields,
        )

    def write(self, entry: Run) -> Run:
        """Add ``entry`` to the ledger."""
        self.uow.runs.add(entry)
        return entry


def content(entry: Run) -> tuple[object, ...]:
    """What makes two requests the same (EXECUTION.md, exactly once): the kind, the resolved
    catalog ids, the amounts by value, sub-recipes made along, ``allow_shortage`` and a waste's
    reason; not the note, who, when, the plan it was recorded against, nor the ``digest`` (a
    retry's chains from a later entry than the run it repeats)."""
    if isinstance(entry, ProductionRun):
        along = tuple((a.recipe_id, a.batches) for a in entry.sub_recipe_batches)
        return (
            entry.kind,
            entry.recipe_id,
            entry.batches,
            entry.finished_unit_id,
            entry.items,
            along,
        )
    if isinstance(entry, AssemblyRun):
        return (entry.kind, entry.finished_good_id, entry.quantity, entry.allow_shortage)
    if isinstance(entry, WasteRun):
        return (entry.kind, entry.item_kind, entry.item_id, entry.quantity, entry.reason)
    return (entry.kind, entry.run_id)


def optional_id(value: uuid.UUID | str | None, parameter: str) -> uuid.UUID | None:
    """An optional id argument."""
    return None if value is None else parse_id(value, parameter)


def first(items: Sequence[S]) -> S:
    """The one item of a sequence known to hold exactly one."""
    (item,) = items
    return item
