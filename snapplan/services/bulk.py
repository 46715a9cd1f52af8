"""Bulk work without the cyclic garbage collector scanning it over and over.

Capturing a plan or reading one back builds tens of thousands of small immutable values at once
(holiday-10000: 30,000 snapshots and their lines). None of them can form a reference cycle —
frozen values hold tuples of other frozen values — so Python's cyclic collector has nothing to
find in them, yet it runs every few hundred allocations and, as they survive, rescans them in its
older generations: at 30,000 snapshots that is a third of the time, and the work stops growing
linearly with the plan (on SQLite the benchmark's holiday-10000 took 12.6 times holiday-1000 with
the collector running, 10.9 times with it paused during the call).

:func:`bulk` makes a service pause the cyclic collector for the length of one call and restore
it afterwards, on success or failure, once the call's own values are gone: only what the service
returns is left for the collector to look at, the thousands of values it built and dropped on
the way never are. Reference counting still frees everything as usual; only the
search for cycles waits until the call returns, and a cycle made meanwhile (an exception's
traceback, say) is collected at the next collection after it.

Threads share one pause: the first bulk call to start pauses the collector, the last one to end
resumes it, and it is never switched back on if the host had switched it off before. So that a
busy host whose calls always overlap (a web application with many threads) does not go on
without its collector, a pause that has lasted :data:`MAX_PAUSE` seconds ends at the next bulk
call that starts or ends after that, and no new pause begins until every call in progress has
ended. (One long call alone, holiday-10000 for instance, keeps it paused for the whole call.) A
child process forked while a call runs starts with the collector as the host had it.

Only plain functions can be bulk services: a generator or a coroutine would pause the
collector for the time it takes to create it, not to run it, and is refused.
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
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
            if self._running == 0 and self._since is None:
                self._restore = gc.isenabled()
                self._since = time.monotonic()
                gc.disable()
            else:  # (``_since`` without a call running: a start interrupted before it counted)
                self._end_a_long_pause()
            self._running += 1

    def end(self) -> None:
        with self._lock:
            self._running = max(0, self._running - 1)
            if self._running == 0:
                self._resume()
            else:
                self._end_a_long_pause()

    def after_fork_in_child(self) -> None:
        """In a child process: no call of the parent's threads runs here; resume the collector
        if a call had paused it, and start with a fresh lock."""
        self._lock = threading.Lock()
        self._running = 0
        self._resume()

    def _end_a_long_pause(self) -> None:
        if self._since is not None and time.monotonic() - self._since >= self._max_pause:
            self._resume()

    def _resume(self) -> None:
        if self._since is not None and self._restore:
            gc.enable()
        self._since = None


_pause = _Pause()


def _after_fork_in_child() -> None:
    _pause.after_fork_in_child()


if hasattr(os, "register_at_fork"):  # (not on Windows)
    os.register_at_fork(after_in_child=_after_fork_in_child)


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
    if inspect.isgeneratorfunction(service) or inspect.iscoroutinefunction(service):
        raise TypeError(f"{service.__qualname__}: a bulk service must be a plain function")

    @functools.wraps(service)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collection_paused():
            return service(*args, **kwargs)

    return paused
