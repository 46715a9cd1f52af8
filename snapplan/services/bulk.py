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
and dropped on the way never are. Reference counting still frees everything as usual; only the
search for cycles waits until the call returns, and a cycle made meanwhile (an exception's
traceback, say) is collected at the next collection after it.

Threads share one pause: the first bulk call to start pauses the collector, the last one to end
resumes it, and it is never switched back on if the host had switched it off before. So that a
busy host whose calls always overlap (a web application with many threads) never runs long
without its collector, a pause that has lasted :data:`MAX_PAUSE` seconds ends at the next bulk
call that starts or ends, and no new pause begins until every call in progress has ended.
"""

from __future__ import annotations

import functools
import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


#: How long, in seconds, overlapping bulk calls may keep the collector paused.
MAX_PAUSE = 2.0


class _Pause:
    """The collector's state shared by every thread's bulk calls."""

    def __init__(self, max_pause: float = MAX_PAUSE) -> None:
        self._lock = threading.Lock()
        self._max_pause = max_pause
        self._running = 0  # bulk calls in progress, in every thread
        self._restore = False  # whether the collector was on when the first of them started
        self._since: float | None = None  # when the collector was paused (None: it is not)

    def start(self) -> None:
        with self._lock:
            if self._running == 0:
                self._restore = gc.isenabled()
                gc.disable()
                self._since = time.monotonic()
            else:
                self._end_a_long_pause()
            self._running += 1

    def end(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                self._resume()
            else:
                self._end_a_long_pause()

    def _end_a_long_pause(self) -> None:
        if self._since is not None and time.monotonic() - self._since >= self._max_pause:
            self._resume()

    def _resume(self) -> None:
        if self._since is not None and self._restore:
            gc.enable()
        self._since = None


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
