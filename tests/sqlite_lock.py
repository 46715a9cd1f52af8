"""A second connection holding SQLite's write lock, for tests of writers that must wait."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: How long the holder keeps the lock at most if the test never lets it go (a failing test).
HOLD_AT_MOST_S = 10.0


class WriteLock:
    """A second connection holding SQLite's write lock (``BEGIN IMMEDIATE``) in a thread."""

    def __init__(self, path: str) -> None:
        self._path = path
        self.holding = threading.Event()
        self._release = threading.Event()
        self.released = threading.Event()
        self._thread = threading.Thread(target=self._hold, daemon=True)
        self.error: BaseException | None = None

    def _hold(self) -> None:
        try:
            connection = sqlite3.connect(self._path, isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
                self.holding.set()
                self._release.wait(HOLD_AT_MOST_S)
                self.released.set()
                connection.execute("COMMIT")
            finally:
                connection.close()
        except BaseException as error:
            self.error = error
            self.holding.set()

    def release(self) -> None:
        """Let the lock go (the holder commits)."""
        self._release.set()

    def release_soon(self, delay_s: float = 0.5) -> None:
        """Let the lock go after ``delay_s``, from another thread, while the test waits."""
        threading.Timer(delay_s, self.release).start()

    @contextmanager
    def held(self) -> Iterator[WriteLock]:
        self._thread.start()
        assert self.holding.wait(HOLD_AT_MOST_S)
        assert self.error is None, self.error
        try:
            yield self
        finally:
            self.release()
            self._thread.join(HOLD_AT_MOST_S + 5)
        assert self.error is None, self.error
