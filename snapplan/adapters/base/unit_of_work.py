"""The unit of work every store shares: life cycle, guards and repositories, written once.

The public, guarded methods live here (a template method, as in *Architecture Patterns with
Python*): ``__enter__`` / ``__exit__`` / ``commit`` / ``savepoint`` check how the unit is used
and call four small hooks an adapter implements:

- ``_begin()``: start a transaction (outermost entry only);
- ``_publish()``: make the transaction's work visible to others, all or nothing;
- ``_rollback(failing=...)``: end the transaction, dropping whatever was not published;
- ``_savepoint()``: a nested transaction that undoes exactly its own work on an exception;

plus ``_table(spec)``, the adapter's storage for one repository. The repositories, their
attributes and their classes are all made from :data:`snapplan.ports.REPOSITORIES`: adding one
is an entry there (and its typed property on the ``UnitOfWork`` port) and a table per adapter.

The unit owns its repositories, and they share its :class:`~snapplan.adapters.base.guard.Guard`
(depth, thread, committed, the snapshots' plans to check) instead of pointing back at it: a
unit of work is no reference cycle, and reference counting frees it and all it held as soon as
it is dropped.

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
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import Any, Self

from snapplan.adapters.base.guard import Guard
from snapplan.adapters.base.repositories import Records, records_for
from snapplan.adapters.base.table import Table
from snapplan.domain.products import Product, product_problems
from snapplan.errors import UnitOfWorkError, ValidationError
from snapplan.ports.unit_of_work import REPOSITORIES, RepositorySpec, UnitOfWork


class _Repository:
    """A repository attribute of a unit of work: usable only while the unit is entered."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, uow: BaseUnitOfWork | None, owner: type) -> Any:
        if uow is None:
            return self
        uow._guard.require_active()
        return uow._repositories[self._name]


class BaseUnitOfWork(UnitOfWork, abc.ABC):
    """A transaction over every repository (see the module docstring for the rules).

    It implements :class:`~snapplan.ports.UnitOfWork` explicitly: mypy sees every repository
    with the type the port gives it; the attributes themselves are made from
    :data:`~snapplan.ports.REPOSITORIES` below the class.
    """

    def __init__(self) -> None:
        self._guard = Guard()
        guard = self._guard
        self._repositories: dict[str, Records[Any]] = {
            spec.name: records_for(spec)(guard, spec, self._table(spec)) for spec in REPOSITORIES
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
        return self._guard.depth > 0

    def __enter__(self) -> Self:
        me = threading.get_ident()
        guard = self._guard
        if guard.depth == 0:
            self._begin()
            guard.thread = me
            guard.committed = False
            guard.forget()
        elif guard.thread != me:
            raise UnitOfWorkError(
                "this unit of work is in use by another thread; give each thread its own "
                "(store.unit_of_work())"
            )
        guard.depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        guard = self._guard
        if guard.depth == 0:
            raise UnitOfWorkError("__exit__ without __enter__: use 'with uow:'")
        guard.require_own_thread()
        guard.depth -= 1
        if guard.depth == 0:
            guard.thread = None
            guard.forget()
            self._rollback(failing=exc is not None)

    def commit(self) -> None:
        """Persist the outermost block's work (a no-op inside a joined block).

        A failed commit persists nothing; the unit stays entered and may only read or leave.
        """
        guard = self._guard
        guard.require_active()
        if guard.depth > 1:
            return
        if guard.committed:
            raise UnitOfWorkError("this unit of work already committed; enter it again")
        self._refuse_orphan_snapshots()
        self._refuse_broken_products()
        guard.committed = True
        self._publish()
        guard.forget()  # checked: a commit needs them no more

    def rollback(self) -> None:
        """Undo the transaction's uncommitted work now; the unit stays entered and goes on in a
        new transaction (leaving the block without ``commit()`` does the same, and ends it).

        Inside a joined block this undoes the outermost block's work too: it is one transaction.
        After ``commit()`` there is nothing to undo.
        """
        self._guard.require_active()
        if self._guard.committed:
            return
        self._rollback(failing=False)
        self._guard.forget()
        self._begin()

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested transaction: an exception inside undoes exactly its work and re-raises."""
        self._guard.require_writable()
        return self._journaled_savepoint()

    @contextmanager
    def _journaled_savepoint(self) -> Iterator[None]:
        expected = self._guard.expected_plans
        mark = len(expected)
        try:
            with self._savepoint():
                yield
        except BaseException:
            del expected[mark:]
            raise

    def _refuse_orphan_snapshots(self) -> None:
        """``ValidationError`` naming a snapshot added without its plan (nothing persisted)."""
        expected = self._guard.expected_plans
        if not expected:
            return
        plan_ids = list(dict.fromkeys(plan_id for _, plan_id in expected))
        stored = self._repositories["plans"].find_many(plan_ids)
        for snapshot_id, plan_id in expected:
            if plan_id not in stored:
                raise ValidationError(
                    f"snapshot {snapshot_id} names plan {plan_id}, which is neither stored nor "
                    "added in this unit of work: nothing was committed (no snapshot without "
                    "its plan)"
                )

    def _refuse_broken_products(self) -> None:
        """``ValidationError`` naming the products of an item this transaction touched that
        break the rules across an item's products (nothing persisted): a product of no
        ingredient or material unit, two preferred ones, or a pack that cannot be converted
        to the item's other packs."""
        touched = self._guard.stocked_items
        if not touched:
            return
        products = [p for p in self._repositories["products"].all() if p.item_id in touched]
        if not products:
            return
        wanted = list({p.item_id for p in products})
        items = {
            **self._repositories["ingredients"].find_many(wanted),
            **self._repositories["material_units"].find_many(wanted),
        }
        by_item: dict[uuid.UUID, list[Product]] = {}
        for product in products:
            by_item.setdefault(product.item_id, []).append(product)
        for item_id, held in sorted(by_item.items(), key=lambda kv: str(kv[0])):
            item = items.get(item_id)
            if item is None:
                names = ", ".join(repr(p.name) for p in held)
                raise ValidationError(
                    f"product {names} is for {item_id}, which is no ingredient or material "
                    "unit: nothing was committed (add the item, or remove its products)"
                )
            problems = product_problems(item.name, item.measures, held)
            if problems:
                raise ValidationError("; ".join(problems) + ": nothing was committed")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._guard.shown()}>"

    def _require_active(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered (by this thread)."""
        self._guard.require_active()


# The repository attributes, one per entry of the registry (typed for mypy by the port).
for _spec in REPOSITORIES:
    setattr(BaseUnitOfWork, _spec.name, _Repository(_spec.name))
del _spec
