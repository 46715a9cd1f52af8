"""The committed state of a :class:`MemoryStore` and the atomic publication of a change."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from snapplan.errors import ConflictError
from snapplan.ports.unit_of_work import REPOSITORY_NAMES

if TYPE_CHECKING:
    from snapplan.adapters.memory.unit_of_work import MemoryUnitOfWork

#: Marks an id removed in a unit of work's staged changes.
REMOVED: Any = object()


def stored_version(item: object) -> int | None:
    """The version a check compares: an item's ``version``, 0 for append-only records."""
    return getattr(item, "version", 0) if item is not None else None


class MemoryStore:
    """A thread-safe in-memory store. ``unit_of_work()`` makes a new unit of work.

    Committed items are immutable attrs objects, so the store keeps them as they are: a commit
    publishes only the changed entries (its cost follows the change, not the store's size), under
    one lock, after every check (duplicate ids, stale versions) has passed.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._tables: dict[str, dict[uuid.UUID, Any]] = {name: {} for name in REPOSITORY_NAMES}
        self._plans_by_event: dict[uuid.UUID, list[uuid.UUID]] = {}

    def unit_of_work(self) -> MemoryUnitOfWork:
        """A new, not yet entered unit of work on this store."""
        from snapplan.adapters.memory.unit_of_work import MemoryUnitOfWork

        return MemoryUnitOfWork(self)

    # -- used by the unit of work ---------------------------------------------------------------

    @property
    def lock(self) -> threading.RLock:
        """Held while reading or publishing committed state."""
        return self._lock

    def committed(self, table: str) -> Mapping[uuid.UUID, Any]:
        """The committed items of a table (read under :attr:`lock`)."""
        return self._tables[table]

    def committed_plan_ids(self, event_id: uuid.UUID) -> tuple[uuid.UUID, ...]:
        """The committed plans of an event, in the order recorded (read under :attr:`lock`)."""
        return tuple(self._plans_by_event.get(event_id, ()))

    def publish(
        self,
        overlay: Mapping[str, Mapping[uuid.UUID, Any]],
        expected: Mapping[tuple[str, uuid.UUID], int | None],
    ) -> None:
        """Check every expectation, then apply every staged change; all or nothing.

        ``expected`` maps a touched (table, id) to the version the unit of work saw committed
        (None: absent). Any difference means another unit of work committed first.
        """
        with self._lock:
            for (table, item_id), version in expected.items():
                current = stored_version(self._tables[table].get(item_id))
                if current != version:
                    if version is None:
                        raise ConflictError(f"{table}: id {item_id} already exists")
                    raise ConflictError(
                        f"{table}: {item_id} was changed or removed by another unit of work"
                    )
            for table, changes in overlay.items():
                rows = self._tables[table]
                for item_id, item in changes.items():
                    if item is REMOVED:
                        rows.pop(item_id, None)
                    else:
                        rows[item_id] = item
                        if table == "plans":
                            self._plans_by_event.setdefault(item.event_id, []).append(item_id)
