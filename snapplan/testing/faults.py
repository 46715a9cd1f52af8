"""Fault injection: make any store's unit of work fail at the k-th write or at commit.

A *write* is one call of ``add``, ``add_many``, ``update`` or ``remove`` on any repository of
:data:`~snapplan.ports.REPOSITORIES` (the catalog, products, snapshots, plans, runs, the price
history and the pantry): ``record_purchase`` with a price makes two (a receipt and a quote),
every other pantry service one, and a retried entry none.
Proving atomicity is then a loop::

    total = count_writes(store, lambda s: create_plan(s.unit_of_work(), event.id))
    for k in range(1, total + 1):
        before = store_contents(store)
        with pytest.raises(PersistenceError):
            create_plan(FaultyStore(store, fail_at_write=k).unit_of_work(), event.id)
        assert store_contents(store) == before

When the failing write is an ``add_many``, half of its items are passed on before the fault, so
a store that writes batches row by row is caught half-way too.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from snapplan.errors import PersistenceError
from snapplan.ports.unit_of_work import REPOSITORY_NAMES, Store, UnitOfWork

WRITE_METHODS = frozenset({"add", "add_many", "update", "remove"})


class InjectedFault(PersistenceError):
    """The failure a :class:`FaultyStore` raises: an adapter failure, as a real store would
    raise it (a ``PersistenceError``, which the services let through untouched)."""


class FaultyStore:
    """Wraps a store; its units of work fail at write number ``fail_at_write`` (1-based,
    counted over this wrapper's lifetime) or at ``commit`` when ``fail_at_commit``.

    ``on_write(k, name)`` is called before every write (``name`` like ``"snapshots.add_many"``),
    e.g. to pause a process so a test can kill it between two writes.
    """

    def __init__(
        self,
        store: Store,
        *,
        fail_at_write: int | None = None,
        fail_at_commit: bool = False,
        on_write: Callable[[int, str], None] | None = None,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.fail_at_write = fail_at_write
        self.fail_at_commit = fail_at_commit
        self.on_write = on_write
        self.on_commit = on_commit
        self.writes = 0
        self.commits = 0

    def unit_of_work(self, *args: Any, **kwargs: Any) -> FaultyUnitOfWork:
        """A unit of work of the wrapped store, with faults injected."""
        return FaultyUnitOfWork(self, self.store.unit_of_work(*args, **kwargs))

    def before_write(self, name: str, items: list[Any] | None, forward: Callable[..., Any]) -> None:
        """Count a write; raise :class:`InjectedFault` if it is the chosen one."""
        self.writes += 1
        if self.on_write is not None:
            self.on_write(self.writes, name)
        if self.writes == self.fail_at_write:
            if items:
                forward(items[: len(items) // 2])
            raise InjectedFault(f"injected failure at write {self.writes} ({name})")


class _FaultyRepository:
    def __init__(self, owner: FaultyStore, name: str, inner: Any) -> None:
        self._owner = owner
        self._name = name
        self._inner = inner

    def __getattr__(self, attribute: str) -> Any:
        target = getattr(self._inner, attribute)
        if attribute not in WRITE_METHODS:
            return target

        def write(*args: Any, **kwargs: Any) -> Any:
            items = None
            if attribute == "add_many":
                items = list(args[0] if args else kwargs.pop("items"))
                args = (items,)
            self._owner.before_write(f"{self._name}.{attribute}", items, target)
            return target(*args, **kwargs)

        return write


class FaultyUnitOfWork:
    """A unit of work whose repositories count writes and fail where told."""

    def __init__(self, owner: FaultyStore, inner: UnitOfWork) -> None:
        self._owner = owner
        self._inner = inner

    @property
    def active(self) -> bool:
        """As the wrapped unit of work."""
        return bool(self._inner.active)

    def __enter__(self) -> Self:
        self._inner.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._inner.__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        """Fail here when ``fail_at_commit``; otherwise commit the wrapped unit of work."""
        self._owner.commits += 1
        if self._owner.on_commit is not None:
            self._owner.on_commit()
        if self._owner.fail_at_commit:
            raise InjectedFault("injected failure at commit")
        self._inner.commit()

    def rollback(self) -> None:
        """As the wrapped unit of work."""
        self._inner.rollback()

    def savepoint(self) -> Any:
        """As the wrapped unit of work."""
        return self._inner.savepoint()

    def __getattr__(self, attribute: str) -> Any:
        value = getattr(self._inner, attribute)
        if attribute in REPOSITORY_NAMES:
            return _FaultyRepository(self._owner, attribute, value)
        return value


def count_writes(store: Store, action: Callable[[FaultyStore], object]) -> int:
    """How many writes ``action`` makes when run against ``store`` without faults.

    ``action`` receives the counting wrapper and should do its work through it. The work is
    really done (and committed, if ``action`` commits).
    """
    counter = FaultyStore(store)
    action(counter)
    return counter.writes
