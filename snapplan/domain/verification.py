"""Integrity of a plan: each snapshot against its digest, and the plan's Merkle root.

A snapshot's digest covers its own content and its children's digests (see
:mod:`snapplan.domain.digests`). Recomputing it from what is *stored* — the snapshot's content
and its children's stored digests — tells whether anything was changed behind snapplan's back:
a tampered amount, a corrupted document, a child swapped for another. The plan's *root digest*
covers its targets, in order, with their amounts and their snapshots' digests; kept outside the
database (printed on the plan sheet, stored by the host elsewhere), it also catches an edit that
recomputed every digest on the way up. Digests are plain sha256: they catch corruption and
edits that do not recompute them; only a root kept elsewhere catches the rest.

The plan's event's ledger is checked too: every run against its link in the event's hash chain
(:func:`snapplan.domain.ledger.chain_breaks`), each break a ``ledger_mismatch`` problem naming
the event and the run number.
"""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping

import attrs

from snapplan.domain import graph
from snapplan.domain.ledger import chain_breaks
from snapplan.domain.plan import Plan
from snapplan.domain.plan_contents import PlanEntry
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.runs import Run
from snapplan.domain.snapshots import FinishedUnitSnapshot, Snapshot
from snapplan.errors import SnapshotIntegrityError


class ProblemKind(enum.StrEnum):
    """What can be wrong with a plan's snapshots or its event's ledger."""

    #: The stored content (with the children's stored digests) does not give the stored digest.
    DIGEST_MISMATCH = "digest_mismatch"
    #: A snapshot a target points at is not stored.
    MISSING_SNAPSHOT = "missing_snapshot"
    #: A snapshot a stored snapshot points at is not stored.
    MISSING_CHILD = "missing_child"
    #: Snapshots point at each other in a loop (only tampering makes one).
    LOOP = "loop"
    #: The plan's root digest differs from the one the caller kept.
    ROOT_MISMATCH = "root_mismatch"
    #: A run of the event's ledger does not match its digest, or a run is missing (a hole).
    LEDGER_MISMATCH = "ledger_mismatch"
    #: The plan's contents (what recorders look snapshots up by) do not list exactly what the
    #: plan reaches: a snapshot left out, one it does not reach, or one listed wrongly.
    CONTENTS_MISMATCH = "contents_mismatch"


@attrs.frozen
class Problem:
    """One thing wrong with a plan: ``snapshot_id`` names the snapshot (for a missing child,
    the child's id; for a root mismatch or a ledger problem, None) and ``detail`` says what is
    wrong. A ledger problem also names the ``event_id``, the run number ``seq`` and the stored
    run's ``run_id`` (None for a missing run)."""

    kind: ProblemKind
    snapshot_id: uuid.UUID | None
    detail: str
    event_id: uuid.UUID | None = None
    seq: int | None = None
    run_id: uuid.UUID | None = None


@attrs.frozen
class Verification:
    """The result of :func:`snapplan.verify_plan`: ``ok`` when ``problems`` is empty.

    ``root_digest`` is the plan's Merkle root as stored now (None when a target's snapshot is
    missing, so no root can be computed).
    """

    plan_id: uuid.UUID
    problems: tuple[Problem, ...]
    root_digest: str | None

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def plan_root_digest(plan: Plan, digests: Mapping[uuid.UUID, str]) -> str:
    """The Merkle root of ``plan``: sha256 over its targets in order, each with its catalog id,
    its amount and its snapshot's digest (``digests`` by snapshot id)."""
    payload = {
        "production": [
            [str(t.recipe_id), canonical_decimal(t.batches), digests[_linked(t.snapshot_id)]]
            for t in plan.production_targets
        ],
        "assembly": [
            [
                str(t.finished_good_id),
                canonical_decimal(t.quantity),
                digests[_linked(t.snapshot_id)],
            ]
            for t in plan.assembly_targets
        ],
    }
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _linked(snapshot_id: uuid.UUID | None) -> uuid.UUID:
    assert snapshot_id is not None  # a plan's targets always carry one
    return snapshot_id


def find_problems(plan: Plan, snapshots: Mapping[uuid.UUID, Snapshot]) -> list[Problem]:
    """Everything wrong with ``plan``'s snapshots (``snapshots``: what is stored of them).

    Every snapshot is checked against its digest, given its children's *stored* digests (a
    child that is missing makes its parent's digest unverifiable, reported as the missing
    child). The answer does not depend on the order of ``snapshots``.
    """
    problems: list[Problem] = []
    roots = plan.snapshot_ids()
    for snapshot_id in roots:
        if snapshot_id not in snapshots:
            problems.append(
                Problem(ProblemKind.MISSING_SNAPSHOT, snapshot_id, "a target's snapshot is missing")
            )
    reported_missing: set[uuid.UUID] = set()
    # each snapshot's children that are stored, for the walk below (each read once)
    present: dict[uuid.UUID, tuple[uuid.UUID, ...] | list[uuid.UUID]] = {}
    for key, snapshot in snapshots.items():
        children = snapshot.children()
        digests = []
        missing = []
        for child in children:
            found = snapshots.get(child)
            if found is None:
                missing.append(child)
            else:
                digests.append(found.digest)
        if not missing:
            present[key] = children
            if snapshot.checked_digest(digests) != snapshot.digest:
                problems.append(
                    Problem(
                        ProblemKind.DIGEST_MISMATCH,
                        snapshot.id,
                        f"{_label(snapshot)} does not match its digest: its content was changed "
                        "after it was captured",
                    )
                )
            continue
        present[key] = [child for child in children if child in snapshots]
        for child in missing:
            if child not in reported_missing:
                reported_missing.add(child)
                problems.append(
                    Problem(
                        ProblemKind.MISSING_CHILD,
                        child,
                        f"snapshot {child}, a child of {_label(snapshot)}, is missing",
                    )
                )
    try:
        graph.parents_first([i for i in roots if i in snapshots], present.__getitem__)
    except graph.LoopFound as loop:
        problems.append(
            Problem(ProblemKind.LOOP, loop.path[0], "snapshots point at each other in a loop")
        )
    return problems


def contents_problems(
    plan: Plan, snapshots: Mapping[uuid.UUID, Snapshot], listed: Iterable[PlanEntry]
) -> list[Problem]:
    """Where a plan's stored contents (``listed``) differ from what it reaches (``snapshots``:
    what is stored of them; a missing snapshot is reported as such, not here)."""
    # what each entry must say, by snapshot id (as plan_entries lists them: the first of an id)
    expected: dict[uuid.UUID, tuple[object, ...]] = {}
    for snapshot in snapshots.values():
        if snapshot.id not in expected:
            made_from = (
                snapshot.recipe_snapshot_id if isinstance(snapshot, FinishedUnitSnapshot) else None
            )
            expected[snapshot.id] = (snapshot.kind, snapshot.source_id, made_from)
    reached: set[uuid.UUID] | None = None  # built only if an entry lists an unexpected id
    problems: list[Problem] = []
    seen: set[uuid.UUID] = set()
    for entry in listed:
        snapshot_id = entry.snapshot_id
        seen.add(snapshot_id)
        wanted = expected.get(snapshot_id)
        if wanted is not None:
            listed_as = (entry.kind, entry.source_id, entry.made_from)
            if type(entry) is PlanEntry and wanted == listed_as:
                continue
            detail = f"the plan's contents list snapshot {snapshot_id} wrongly: {entry}"
        else:
            if reached is None:
                reached = set(plan.snapshot_ids())
                reached.update(c for s in snapshots.values() for c in s.children())
            if snapshot_id in reached:
                continue
            detail = f"the plan's contents list snapshot {snapshot_id}, which it does not reach"
        problems.append(Problem(ProblemKind.CONTENTS_MISMATCH, snapshot_id, detail))
    for snapshot_id in expected:
        if snapshot_id not in seen:
            problems.append(
                Problem(
                    ProblemKind.CONTENTS_MISMATCH,
                    snapshot_id,
                    f"the plan's contents leave out snapshot {snapshot_id}, which it reaches",
                )
            )
    return problems


def ledger_problems(event_id: uuid.UUID, ledger: Iterable[Run]) -> list[Problem]:
    """Every break of an event's hash chain (``ledger``: its entries as stored), as problems of
    kind ``ledger_mismatch``, by run number."""
    return [
        Problem(
            ProblemKind.LEDGER_MISMATCH,
            None,
            found.detail,
            event_id=found.event_id,
            seq=found.seq,
            run_id=found.run_id,
        )
        for found in chain_breaks(event_id, ledger)
    ]


def check_snapshots(plan: Plan, snapshots: Mapping[uuid.UUID, Snapshot]) -> None:
    """Raise ``SnapshotIntegrityError`` naming the first problem of ``plan``'s snapshots."""
    problems = find_problems(plan, snapshots)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise SnapshotIntegrityError(
            first.snapshot_id, f"plan {plan.id}: {first.detail}{more}; run verify_plan"
        )


def check_read(snapshots: Mapping[uuid.UUID, Snapshot], where: str) -> None:
    """Raise ``SnapshotIntegrityError`` naming the first of ``snapshots`` (a part of a plan
    read whole: every child of each is among them) that does not match its digest, given its
    children's stored digests, or whose child is missing. ``where`` says what was read (for
    the message)."""
    for snapshot in snapshots.values():
        children = snapshot.children()
        for child in children:
            if child not in snapshots:
                raise SnapshotIntegrityError(
                    child,
                    f"{where}: snapshot {child}, a child of {_label(snapshot)}, is missing; "
                    "run verify_plan",
                )
        expected = snapshot.checked_digest([snapshots[child].digest for child in children])
        if expected != snapshot.digest:
            raise SnapshotIntegrityError(
                snapshot.id,
                f"{where}: {_label(snapshot)} does not match its digest: its content was "
                "changed after it was captured; run verify_plan",
            )


def _label(snapshot: Snapshot) -> str:
    return f"{snapshot.kind.value.replace('_', ' ')} snapshot {snapshot.name!r} ({snapshot.id})"
