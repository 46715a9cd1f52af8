"""Recording a run reads its event's ledger once (the recorder: the chain check and the stock),
not twice: the check that the new entry chains onto the one before it looks that one entry up
(``RunTable.numbered``) instead of reading the event's ledger again, on every store; a host's
plain table still works, by reading the ledger."""

from __future__ import annotations

import uuid
from typing import Any

import attrs
import pytest
from market import market

from snapplan import RunVoid, ValidationError, add_catalog, create_plan, record_production
from snapplan.adapters.base.repositories import RunRecords


@pytest.fixture
def ledger_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many entries each read of a whole event's ledger handed out (a ``where`` on the runs'
    ``event_id`` by the shared repository)."""
    reads: list[int] = []
    real = RunRecords.for_event

    def for_event(self: Any, event_id: Any) -> Any:
        found = real(self, event_id)
        reads.append(len(found))
        return found

    monkeypatch.setattr(RunRecords, "for_event", for_event)
    real_numbered = RunRecords._numbered

    def numbered(self: Any, event_id: Any, seqs: list[int]) -> Any:
        found = real_numbered(self, event_id, seqs)
        reads.append(-len(found))  # a lookup: negative, to tell it apart
        return found

    monkeypatch.setattr(RunRecords, "_numbered", numbered)
    return reads


def test_recording_reads_the_ledger_once_and_looks_up_the_entry_before(
    store: Any, ledger_reads: list[int]
) -> None:
    m = market(3)
    add_catalog(store.unit_of_work(), m.items)
    plan_id = create_plan(store.unit_of_work(), m.event.id).plan_id
    for _ in range(12):
        record_production(store.unit_of_work(), plan_id, m.recipes[0].id, 1)
    ledger_reads.clear()
    record_production(store.unit_of_work(), plan_id, m.recipes[1].id, 1)
    assert ledger_reads == [12, -1]  # the ledger once, then the one entry it chains from


def test_a_run_that_does_not_chain_onto_the_stored_entry_before_it_is_refused(
    store: Any,
) -> None:
    m = market(2)
    add_catalog(store.unit_of_work(), m.items)
    plan_id = create_plan(store.unit_of_work(), m.event.id).plan_id
    first = record_production(store.unit_of_work(), plan_id, m.recipes[0].id, 1)
    second = record_production(store.unit_of_work(), plan_id, m.recipes[0].id, 1)
    with store.unit_of_work() as uow:
        # a third entry carrying a digest that chains from the first run, not the second
        wrong = attrs.evolve(second, id=uuid.uuid4(), seq=3)
        with pytest.raises(ValidationError, match="does not chain"):
            uow.runs.add(wrong)
        # an entry two places on, with nothing in between, leaves a hole
        gap = RunVoid.after(
            second, plan_id=plan_id, recorded_at=second.recorded_at, run_id=first.id, reason="x"
        )
        with pytest.raises(ValidationError, match="hole"):
            uow.runs.add(attrs.evolve(gap, id=uuid.uuid4(), seq=4))
    with store.unit_of_work() as uow:
        assert [run.seq for run in uow.runs.for_event(m.event.id)] == [1, 2]
