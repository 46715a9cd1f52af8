"""Bulk work without the cyclic garbage collector scanning it over and over.

Capturing a plan or reading one back builds tens of thousands of small immutable values at once
(holiday-10000: 30,000 snapshots and their lines). None of them can form a reference cycle —
frozen values hold tuples of other frozen values — so Python's cyclic collector has nothing to
find in them, yet it runs every few hundred allocations and, as they survive, rescans them in its
older generations: at 30,000 snapshots that is a third of the time, and the work stops growing
linearly with the plan (the benchmark's holiday-10000 took 14 times holiday-1000 with the collector
running, 10 times without).

:func:`bulk` makes a service pause the cyclic collector for the length of one call and restore
it afterwards, on success or failure, once the call's own values are gone: only what the service
returns (a small result) is left for the collector to look at, the thousands of values it built
and dropped on the way never are. Reference counting still frees everything
as usual; only the search for cycles waits until the call returns. It is safe with threads: a
counter shared by all threads pauses the collector when the first bulk call starts and restores
it when the last one ends, and it is never switched back on if the host had switched it off
before. Nothing is kept alive longer than the call: a cycle made meanwhile (an exception's
traceback, say) is collected at the next collection after it.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class _Pause:
    """The collector's state shared by every thread's bulk calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0  # bulk calls in progress, in every thread
        self._restore = False  # whether the collector was on when the first of them started

    def start(self) -> None:
        with self._lock:
            if self._running == 0:
                self._restore = gc.isenabled()
                gc.disable()
            self._running += 1

    def end(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0 and self._restore:
                gc.enable()


_pause = _Pause()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the block runs (see the module docstring)."""
    _pause.start()
    try:
        yield
    finally:
        _pause.end()


def bulk(service: Callable[P, R]) -> Callable[P, R]:
    """Run ``service`` with the collector paused (:func:`collection_paused`): the values it
    builds and drops are freed by reference counting before the collector resumes."""

    @functools.wraps(service)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collection_paused():
            return service(*args, **kwargs)

    return paused
