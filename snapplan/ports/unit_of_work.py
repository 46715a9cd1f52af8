"""The unit of work and the store that makes them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType
from typing import Final, Protocol, Self

import attrs

from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.domain.plan import Plan
from snapplan.domain.runs import RUN_TYPES
from snapplan.domain.snapshots import SNAPSHOT_TYPES
from snapplan.errors import (
    EventNotFound,
    FinishedGoodNotFound,
    FinishedUnitNotFound,
    IngredientNotFound,
    MaterialUnitNotFound,
    NotFoundError,
    PlanNotFound,
    RecipeNotFound,
    RunNotFound,
    SnapshotNotFound,
)
from snapplan.ports.repositories import (
    CatalogRepository,
    PlanRepository,
    RunRepository,
    SnapshotRepository,
)


@attrs.frozen
class RepositorySpec:
    """One repository of every unit of work: its attribute ``name``, the value types it
    ``holds`` and the error a missing id raises."""

    name: str
    holds: tuple[type, ...]
    not_found: type[NotFoundError]


#: Every repository of a unit of work, in dependency order (catalog first). Adapters build
#: their repositories from this table.
REPOSITORIES: Final = (
    RepositorySpec("ingredients", (Ingredient,), IngredientNotFound),
    RepositorySpec("recipes", (Recipe,), RecipeNotFound),
    RepositorySpec("finished_units", (FinishedUnit,), FinishedUnitNotFound),
    RepositorySpec("material_units", (MaterialUnit,), MaterialUnitNotFound),
    RepositorySpec("finished_goods", (FinishedGood,), FinishedGoodNotFound),
    RepositorySpec("events", (Event,), EventNotFound),
    RepositorySpec("snapshots", SNAPSHOT_TYPES, SnapshotNotFound),
    RepositorySpec("plans", (Plan,), PlanNotFound),
    RepositorySpec("runs", RUN_TYPES, RunNotFound),
)

#: The repository attributes of every unit of work, in dependency order (catalog first).
REPOSITORY_NAMES: Final = tuple(spec.name for spec in REPOSITORIES)

_HOLDER: Final = {kind: spec for spec in REPOSITORIES for kind in spec.holds}


def repository_of(item: object) -> RepositorySpec:
    """The repository that holds ``item``'s type (``TypeError`` if none does)."""
    spec = _HOLDER.get(type(item))
    if spec is None:
        raise TypeError(f"no repository holds {type(item).__name__} values")
    return spec


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
    - Repositories used while it is not entered raise ``UnitOfWorkError``, and so does using
      it from another thread while it is entered: a unit of work belongs to the thread that
      entered it.
    """

    @property
    def active(self) -> bool:
        """True while entered."""
        ...

    @property
    def ingredients(self) -> CatalogRepository[Ingredient]:
        """Ingredients."""
        ...

    @property
    def recipes(self) -> CatalogRepository[Recipe]:
        """Recipes."""
        ...

    @property
    def finished_units(self) -> CatalogRepository[FinishedUnit]:
        """Finished units (what a batch yields)."""
        ...

    @property
    def material_units(self) -> CatalogRepository[MaterialUnit]:
        """Material units (packaging)."""
        ...

    @property
    def finished_goods(self) -> CatalogRepository[FinishedGood]:
        """Finished goods (assemblies)."""
        ...

    @property
    def events(self) -> CatalogRepository[Event]:
        """Events and their targets."""
        ...

    @property
    def snapshots(self) -> SnapshotRepository:
        """Snapshots: append only."""
        ...

    @property
    def plans(self) -> PlanRepository:
        """Plans: append only."""
        ...

    @property
    def runs(self) -> RunRepository:
        """The execution ledger: append only."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Persist the outermost transaction's work (a no-op inside a joined block)."""

    def rollback(self) -> None:
        """Undo the transaction's uncommitted work now and go on in a new transaction."""

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested transaction: an exception inside it undoes its work and re-raises."""
        ...


class Store(Protocol):
    """Something that makes units of work: ``MemoryStore``, ``SqlStore``, a host's own."""

    def unit_of_work(self) -> UnitOfWork:
        """A new, not yet entered unit of work."""
        ...
