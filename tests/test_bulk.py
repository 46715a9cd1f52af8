"""The services pause the cyclic garbage collector for one call and put it back as it was
(snapplan.services.bulk)."""

from __future__ import annotations

import gc
import inspect
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import snapplan
import snapplan.services.bulk as bulk_module
from snapplan import Event, MemoryStore, add_catalog, create_plan
from snapplan.errors import NotFoundError
from snapplan.services.bulk import _Pause, bulk, collection_paused


@pytest.fixture(autouse=True)
def collector_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with the collector on and a pause of its own (no 2-second limit to race
    on a busy machine), and leaves the collector as it found it."""
    was = gc.isenabled()
    gc.enable()
    monkeypatch.setattr(bulk_module, "_pause", _Pause(max_pause=3600.0))
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_a_service_runs_with_the_collector_paused_and_resumes_it() -> None:
    seen: list[bool] = []

    @bulk
    def service(value: int) -> int:
        seen.append(gc.isenabled())
        return value * 2

    assert service(21) == 42
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_resumes_after_a_failure_too() -> None:
    store = MemoryStore()
    with pytest.raises(NotFoundError):
        create_plan(store.unit_of_work(), Event("Nowhere").id)
    assert gc.isenabled()


def test_a_collector_the_host_switched_off_stays_off() -> None:
    gc.disable()
    store = MemoryStore()
    event = Event("Fair")
    add_catalog(store.unit_of_work(), [event])
    create_plan(store.unit_of_work(), event.id)
    assert not gc.isenabled()


def test_nested_and_overlapping_calls_resume_it_once_the_last_one_ends() -> None:
    inside = threading.Event()
    release = threading.Event()

    def other_thread() -> None:
        with collection_paused():
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=other_thread)
    worker.start()
    assert inside.wait(10)
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's call is still running
    release.set()
    worker.join(10)
    assert gc.isenabled()


def test_a_bulk_service_keeps_its_name_signature_and_docstring() -> None:
    assert create_plan.__name__ == "create_plan"
    assert create_plan.__doc__ is not None
    assert "Capture every definition" in create_plan.__doc__
    assert list(inspect.signature(create_plan).parameters) == [
        "uow",
        "event_id",
        "force_recreate",
        "clock",
        "limits",
    ]


@pytest.mark.parametrize(
    "service",
    [
        snapplan.create_plan,
        snapplan.plan_requirements,
        snapplan.verify_plan,
        snapplan.plan_progress,
        snapplan.plan_drift,
        snapplan.plan_snapshots,
        snapplan.record_production,
        snapplan.record_assembly,
        snapplan.record_waste,
        snapplan.void_run,
    ],
    ids=lambda service: service.__name__,
)
def test_every_service_that_builds_many_values_pauses_the_collector(service: Any) -> None:
    assert service.__wrapped__.__name__ == service.__name__  # functools.wraps over bulk's


def test_a_generator_or_a_coroutine_cannot_be_a_bulk_service() -> None:
    def trays() -> Iterator[int]:
        yield 1

    async def later() -> None:
        return None

    for wrong in (trays, later):
        with pytest.raises(TypeError, match="must be a plain function"):
            bulk(wrong)


def test_a_child_forked_during_a_call_starts_with_the_collector_on() -> None:
    with collection_paused():
        assert not gc.isenabled()
        child = os.fork()
        if child == 0:  # the child: report the collector's state and leave at once
            os._exit(0 if gc.isenabled() else 1)
        _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_an_interrupted_start_does_not_lose_the_hosts_setting() -> None:
    pause = _Pause(max_pause=3600.0)
    pause.start()
    pause._running = 0  # as if interrupted after pausing and before counting the call
    pause.start()  # the next call must not take "paused" for the host's own setting
    pause.end()
    assert gc.isenabled()


def test_calls_that_keep_overlapping_do_not_keep_the_collector_paused() -> None:
    pause = _Pause(max_pause=0.0)  # every pause is already long enough to end
    pause.start()
    assert not gc.isenabled()
    pause.start()  # a second call while the first runs: the long pause ends
    assert gc.isenabled()
    pause.start()  # and no new pause begins while calls are still running
    assert gc.isenabled()
    for _ in range(3):
        pause.end()
    assert gc.isenabled()
    pause.start()  # every call ended: the next one pauses again
    assert not gc.isenabled()
    pause.end()
    assert gc.isenabled()


def test_a_long_pause_ends_when_an_overlapping_call_ends_too() -> None:
    pause = _Pause(max_pause=3600.0)
    pause.start()
    pause.start()
    assert not gc.isenabled()  # not long yet
    pause._max_pause = 0.0  # an hour later
    pause.end()
    assert gc.isenabled()
    pause.end()
    assert gc.isenabled()
