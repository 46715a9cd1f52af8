"""The unit of work every store shares: life cycle, guards and repositories, written once.

The public, guarded methods live here (a template method, as in *Architecture Patterns with
Python*): ``__enter__`` / ``__exit__`` / ``commit`` / ``savepoint`` check how the unit is used
and call four small hooks an adapter implements:

- ``_begin()``: start a transaction (outermost entry only);
- ``_publish()``: make the transaction's work visible to others, all or nothing;
- ``_rollback(failing=...)``: end the transaction, dropping whatever was not published;
- ``_savepoint()``: a nested transaction that undoes exactly its own work on an exception;

plus ``_table(spec)``, the adapter's storage for one repository. The eight repositories are
built from :data:`snapplan.ports.REPOSITORIES`: adding one is a line there and a table per
adapter.

The rules (DESIGN.md §3 and §9): nothing is visible before ``commit()``; leaving without it, or
by an exception, rolls back; entering an entered unit joins it (only the outermost ``commit()``
counts); after ``commit()`` reads are allowed but writes and a second commit are
``UnitOfWorkError``; a unit of work belongs to the thread that entered it; ``__exit__`` without
``__enter__`` is ``UnitOfWorkError``.
"""

from __future__ import annotations

import abc
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, overload

from snapplan.adapters.base.repositories import (
    RECORD_CLASSES,
    CatalogRecords,
    PlanRecords,
    Records,
    RunRecords,
    SnapshotRecords,
)
from snapplan.adapters.base.table import Table
from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.errors import UnitOfWorkError, ValidationError
from snapplan.ports.unit_of_work import REPOSITORIES, RepositorySpec

R = TypeVar("R", bound=Records[Any])


class _Repository(Generic[R]):
    """A repository attribute of a unit of work: usable only while the unit is entered."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, uow: None, owner: type) -> Self: ...

    @overload
    def __get__(self, uow: BaseUnitOfWork, owner: type) -> R: ...

    def __get__(self, uow: BaseUnitOfWork | None, owner: type) -> Self | R:
        if uow is None:
            return self
        uow._require_active()
        repository: R = uow._repositories[self._name]
        return repository


class BaseUnitOfWork(abc.ABC):
    """A transaction over every repository (see the module docstring for the rules)."""

    ingredients: _Repository[CatalogRecords[Ingredient]] = _Repository()
    recipes: _Repository[CatalogRecords[Recipe]] = _Repository()
    finished_units: _Repository[CatalogRecords[FinishedUnit]] = _Repository()
    material_units: _Repository[CatalogRecords[MaterialUnit]] = _Repository()
    finished_goods: _Repository[CatalogRecords[FinishedGood]] = _Repository()
    events: _Repository[CatalogRecords[Event]] = _Repository()
    snapshots: _Repository[SnapshotRecords] = _Repository()
    plans: _Repository[PlanRecords] = _Repository()
    runs: _Repository[RunRecords] = _Repository()

    def __init__(self) -> None:
        self._depth = 0
        self._committed = False
        self._thread: int | None = None
        # (snapshot id, plan id) of the snapshots added in this transaction: at commit, every
        # plan must be stored (no snapshot without its plan).
        self._expected_plans: list[tuple[uuid.UUID, uuid.UUID]] = []
        self._repositories: dict[str, Any] = {
            spec.name: RECORD_CLASSES[spec.name](self, spec, self._table(spec))
            for spec in REPOSITORIES
        }

    # -- the hooks an adapter implements --------------------------------------------------------

    @abc.abstractmethod
    def _table(self, spec: RepositorySpec) -> Table[Any]:
        """The adapter's storage for one repository (called once per repository)."""

    @abc.abstractmethod
    def _begin(self) -> None:
        """Start a transaction (outermost entry)."""

    @abc.abstractmethod
    def _publish(self) -> None:
        """Make the transaction's work durable and visible, all or nothing; on failure nothing
        of it is persisted (the transaction is rolled back) and the error is raised."""

    @abc.abstractmethod
    def _rollback(self, *, failing: bool) -> None:
        """End the transaction (outermost exit), dropping what was not published. ``failing``:
        an exception is already leaving the block, so a failed clean-up must not mask it."""

    @abc.abstractmethod
    def _savepoint(self) -> AbstractContextManager[None]:
        """A nested transaction: an exception inside undoes exactly its work and re-raises."""

    # -- the public, guarded life cycle -------------------------------------------------------

    @property
    def active(self) -> bool:
        """True while entered."""
        return self._depth > 0

    def __enter__(self) -> Self:
        me = threading.get_ident()
        if self._depth == 0:
            self._begin()
            self._thread = me
            self._committed = False
            self._expected_plans.clear()
        elif self._thread != me:
            raise UnitOfWorkError(
                "this unit of work is in use by another thread; give each thread its own "
                "(store.unit_of_work())"
            )
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._depth == 0:
            raise UnitOfWorkError("__exit__ without __enter__: use 'with uow:'")
        self._require_own_thread()
        self._depth -= 1
        if self._depth == 0:
            self._thread = None
            self._rollback(failing=exc is not None)

    def commit(self) -> None:
        """Persist the outermost block's work (a no-op inside a joined block).

        A failed commit persists nothing; the unit stays entered and may only read or leave.
        """
        self._require_active()
        if self._depth > 1:
            return
        if self._committed:
            raise UnitOfWorkError("this unit of work already committed; enter it again")
        self._refuse_orphan_snapshots()
        self._committed = True
        self._publish()

    def rollback(self) -> None:
        """Undo the transaction's uncommitted work now; the unit stays entered and goes on in a
        new transaction (leaving the block without ``commit()`` does the same, and ends it).

        Inside a joined block this undoes the outermost block's work too: it is one transaction.
        After ``commit()`` there is nothing to undo.
        """
        self._require_active()
        if self._committed:
            return
        self._rollback(failing=False)
        self._expected_plans.clear()
        self._begin()

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested transaction: an exception inside undoes exactly its work and re-raises."""
        self._require_writable()
        return self._journaled_savepoint()

    @contextmanager
    def _journaled_savepoint(self) -> Iterator[None]:
        mark = len(self._expected_plans)
        try:
            with self._savepoint():
                yield
        except BaseException:
            del self._expected_plans[mark:]
            raise

    def _expect_plans(self, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
        """Note (snapshot id, plan id) pairs whose plan must be stored at commit."""
        self._expected_plans.extend(pairs)

    def _refuse_orphan_snapshots(self) -> None:
        """``ValidationError`` naming a snapshot added without its plan (nothing persisted)."""
        if not self._expected_plans:
            return
        plan_ids = list(dict.fromkeys(plan_id for _, plan_id in self._expected_plans))
        stored = self._repositories["plans"].find_many(plan_ids)
        for snapshot_id, plan_id in self._expected_plans:
            if plan_id not in stored:
                raise ValidationError(
                    f"snapshot {snapshot_id} names plan {plan_id}, which is neither stored nor "
                    "added in this unit of work: nothing was committed (no snapshot without "
                    "its plan)"
                )

    def __repr__(self) -> str:
        state = "entered" if self._depth else "not entered"
        if self._depth and self._committed:
            state = "committed"
        return f"<{type(self).__name__} {state}>"

    # -- guards, used by the repositories -----------------------------------------------------

    def _require_own_thread(self) -> None:
        if self._thread is not None and self._thread != threading.get_ident():
            raise UnitOfWorkError(
                "this unit of work belongs to another thread; give each thread its own "
                "(store.unit_of_work())"
            )

    def _require_active(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered (by this thread)."""
        if self._depth == 0:
            raise UnitOfWorkError(
                "use repositories inside 'with uow:' (the unit of work is closed)"
            )
        self._require_own_thread()

    def _require_writable(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered and not yet committed."""
        self._require_active()
        if self._committed:
            raise UnitOfWorkError("this unit of work already committed; enter it again to write")
