"""The services pause the cyclic garbage collector for one call and put it back as it was
(snapplan.services.bulk)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from snapplan import Event, MemoryStore, add_catalog, create_plan
from snapplan.errors import NotFoundError
from snapplan.services.bulk import _Pause, bulk, collection_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
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
