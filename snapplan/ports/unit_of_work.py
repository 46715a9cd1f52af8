"""The unit of work and the store that makes them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol, Self

from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.ports.repositories import CatalogRepository, PlanRepository, SnapshotRepository

#: The repository attributes of every unit of work, in dependency order (catalog first).
REPOSITORY_NAMES = (
    "ingredients",
    "recipes",
    "finished_units",
    "material_units",
    "finished_goods",
    "events",
    "snapshots",
    "plans",
)


class UnitOfWork(Protocol):
    """One transaction over every repository.

    - Nothing is visible to another unit of work until :meth:`commit`; leaving the block without
      it, or by an exception, rolls everything back. A failed commit persists nothing.
    - Entering an entered unit of work joins it: only the outermost block's ``commit()``
      persists; a ``commit()`` in a joined block does nothing, and leaving a joined block (even by
      an exception) leaves the decision to the outermost one.
    - After it exits it may be entered again; each entry is a new transaction.
    - :meth:`savepoint` undoes exactly the work done inside it when an exception leaves it.
    - Reads see committed data plus this unit's own writes. A unit that only reads never blocks
      writers.
    - Repositories used while it is not entered raise ``UnitOfWorkError``.
    """

    @property
    def active(self) -> bool:
        """True while entered."""
        ...

    @property
    def ingredients(self) -> CatalogRepository[Ingredient]: ...

    @property
    def recipes(self) -> CatalogRepository[Recipe]: ...

    @property
    def finished_units(self) -> CatalogRepository[FinishedUnit]: ...

    @property
    def material_units(self) -> CatalogRepository[MaterialUnit]: ...

    @property
    def finished_goods(self) -> CatalogRepository[FinishedGood]: ...

    @property
    def events(self) -> CatalogRepository[Event]: ...

    @property
    def snapshots(self) -> SnapshotRepository: ...

    @property
    def plans(self) -> PlanRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Persist the outermost transaction's work (a no-op inside a joined block)."""

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested transaction: an exception inside it undoes its work and re-raises."""
        ...


class Store(Protocol):
    """Something that makes units of work: ``MemoryStore``, ``SqlStore``, a host's own."""

    def unit_of_work(self) -> UnitOfWork:
        """A new, not yet entered unit of work."""
        ...
