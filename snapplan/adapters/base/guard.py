"""What the repositories of one unit of work check and note: a small object the unit owns.

A unit of work holds its repositories; if they held the unit in turn, every unit of work would
be a reference cycle that only Python's cyclic garbage collector could free (with everything it
still held: at commit, a note per snapshot written). So the state the repositories need lives
here, shared by the unit and its repositories, with no pointer back to either: when the unit is
dropped, reference counting frees it at once.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable

from snapplan.errors import UnitOfWorkError


class Guard:
    """The life-cycle state of one unit of work, and the checks made against it.

    - ``depth``: how many ``with`` blocks are open (0: not entered);
    - ``thread``: the thread that entered it (None when not entered);
    - ``committed``: whether the outermost block committed;
    - ``expected_plans``: (snapshot id, plan id) for the plans named by snapshots added in this
      transaction (one snapshot each), which must be stored at commit (no snapshot without its
      plan);
    - ``stocked_items``: the ingredients and material units whose products (or measures) this
      transaction touched, whose products must keep the rules at commit (one preferred, packs
      that convert, an item that exists).
    """

    __slots__ = ("committed", "depth", "expected_plans", "stocked_items", "thread")

    def __init__(self) -> None:
        self.depth = 0
        self.committed = False
        self.thread: int | None = None
        self.expected_plans: list[tuple[uuid.UUID, uuid.UUID]] = []
        self.stocked_items: set[uuid.UUID] = set()

    def forget(self) -> None:
        """Drop what the transaction noted for its commit (at its end, or once checked)."""
        self.expected_plans.clear()
        self.stocked_items.clear()

    def expect_plans(self, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
        """Note (snapshot id, plan id) pairs whose plan must be stored at commit."""
        self.expected_plans.extend(pairs)

    def require_own_thread(self) -> None:
        """Raise ``UnitOfWorkError`` if another thread entered the unit."""
        if self.thread is not None and self.thread != threading.get_ident():
            raise UnitOfWorkError(
                "this unit of work belongs to another thread; give each thread its own "
                "(store.unit_of_work())"
            )

    def require_active(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered (by this thread)."""
        if self.depth == 0:
            raise UnitOfWorkError(
                "use repositories inside 'with uow:' (the unit of work is closed)"
            )
        self.require_own_thread()

    def require_writable(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered and not yet committed."""
        self.require_active()
        if self.committed:
            raise UnitOfWorkError("this unit of work already committed; enter it again to write")

    def shown(self) -> str:
        """``entered``, ``committed`` or ``not entered`` (for reprs)."""
        if not self.depth:
            return "not entered"
        return "committed" if self.committed else "entered"
