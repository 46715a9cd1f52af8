"""``MemoryStore``: a thread-safe, transactional store in memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from snapplan.adapters.memory.state import CommittedState
from snapplan.adapters.memory.unit_of_work import MemoryUnitOfWork


class MemoryStore:
    """A thread-safe in-memory store; ``unit_of_work()`` makes a new unit of work.

    A real transactional adapter, not a fake: writes are staged per unit of work and published
    atomically at commit, under a lock, after every check has passed; a failed commit publishes
    nothing. Commit cost follows the size of the change, not of the store.
    """

    def __init__(self) -> None:
        self._state = CommittedState()

    def unit_of_work(self, *, writing: bool = False) -> MemoryUnitOfWork:
        """A new, not yet entered unit of work on this store.

        ``writing`` is accepted for code written against
        :meth:`SqlStore.unit_of_work <snapplan.adapters.sql.SqlStore.unit_of_work>` (where it
        makes a writer wait for SQLite's write lock): the memory store has no lock to wait for,
        so a host's tests can run the same code on it.
        """
        del writing
        return MemoryUnitOfWork(self._state)

    def __repr__(self) -> str:
        with self._state.lock:
            sizes = {name: len(rows) for name, rows in self._state.tables.items()}
        held = ", ".join(f"{n} {name}" for name, n in sizes.items() if n) or "empty"
        return f"<MemoryStore: {held}>"


if TYPE_CHECKING:
    from snapplan.ports.unit_of_work import Store

    def _conforms_to_the_store_port(store: MemoryStore) -> Store:
        # mypy checks MemoryStore, its unit of work and every repository against the ports.
        return store
