"""``verify_plan``: every integrity problem of a plan at once, and its Merkle root."""

from __future__ import annotations

import re
import uuid

from snapplan.domain.validators import parse_id
from snapplan.domain.verification import (
    Problem,
    ProblemKind,
    Verification,
    contents_problems,
    find_problems,
    ledger_problems,
    plan_root_digest,
)
from snapplan.errors import ValidationError
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._loading import load_plan_snapshots

_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def verify_plan(
    uow: UnitOfWork, plan_id: uuid.UUID | str, *, expected_root: str | None = None
) -> Verification:
    """Check a whole plan: every snapshot against its digest, every snapshot and child present,
    its contents listing exactly what it reaches (``contents_mismatch``), and every run of its
    event's ledger against its link in the hash chain, none missing.

    Reports every problem at once (``.ok``, ``.problems``) instead of stopping at the first,
    as the other services do (``SnapshotIntegrityError``, ``LedgerIntegrityError``): a ledger
    problem is of kind ``ledger_mismatch`` and names the event and the run number.

    ``.root_digest`` is the plan's Merkle root over its targets, in order, with their amounts
    and their snapshots' digests; keep it outside the database (``PlanResult.root_digest`` gives
    it when the plan is made) and pass it back as ``expected_root`` to catch even an edit that
    recomputed every digest. Never commits; ``PlanNotFound`` for an unknown plan.

    >>> from snapplan import Event, MemoryStore, add_catalog, create_plan
    >>> store = MemoryStore()
    >>> event = Event("Market")
    >>> add_catalog(store.unit_of_work(), [event])
    >>> made = create_plan(store.unit_of_work(), event.id)
    >>> checked = verify_plan(store.unit_of_work(), made.plan_id, expected_root=made.root_digest)
    >>> checked.ok
    True
    """
    uow = arguments.unit_of_work(uow)
    plan_id = parse_id(plan_id, "plan_id")
    if expected_root is not None and (
        not isinstance(expected_root, str) or not _HEX_DIGEST.fullmatch(expected_root)
    ):
        raise ValidationError(
            f"expected_root must be 64 lowercase hex digits, not {expected_root!r:.80}"
        )
    with uow:
        plan = uow.plans.get(plan_id)
        snapshots = load_plan_snapshots(uow, plan, verify=False)
        listed = uow.plans.contents(plan.id)
        ledger = uow.runs.for_event(plan.event_id)
    problems = find_problems(plan, snapshots)
    if listed is not None:  # (a plan made before plans kept their contents has none)
        problems.extend(contents_problems(plan, snapshots, listed))
    root = None
    roots = plan.snapshot_ids()
    if all(i in snapshots for i in roots):
        root = plan_root_digest(plan, {i: snapshots[i].digest for i in roots})
    if expected_root is not None and root != expected_root:
        problems.append(
            Problem(
                ProblemKind.ROOT_MISMATCH,
                None,
                f"the plan's root digest is {root}, not the {expected_root} kept for it: "
                "the plan or its snapshots were changed",
            )
        )
    problems.extend(ledger_problems(plan.event_id, ledger))
    return Verification(plan.id, tuple(problems), root)
