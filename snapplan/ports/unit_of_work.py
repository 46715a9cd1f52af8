"""The unit of work and the store that makes them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType
from typing import Final, Protocol, Self

import attrs

from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.domain.pantry_entries import PANTRY_TYPES
from snapplan.domain.plan import Plan
from snapplan.domain.prices import PriceQuote
from snapplan.domain.products import Product
from snapplan.domain.runs import RUN_TYPES
from snapplan.domain.snapshots import SNAPSHOT_TYPES
from snapplan.errors import (
    EventNotFound,
    FinishedGoodNotFound,
    FinishedUnitNotFound,
    IngredientNotFound,
    MaterialUnitNotFound,
    NotFoundError,
    PantryEntryNotFound,
    PlanNotFound,
    PriceNotFound,
    ProductNotFound,
    RecipeNotFound,
    RunNotFound,
    SnapshotNotFound,
)
from snapplan.ports.repositories import (
    CatalogRepository,
    PantryRepository,
    PlanRepository,
    PriceRepository,
    RunRepository,
    SnapshotRepository,
)


@attrs.frozen
class RepositorySpec:
    """One repository of every unit of work, everything a store needs to know about it.

    - ``name``: its attribute on a unit of work;
    - ``holds``: the value types it stores;
    - ``not_found``: the error a missing id raises;
    - ``port``: the protocol it implements (:class:`~snapplan.ports.CatalogRepository`,
      :class:`~snapplan.ports.SnapshotRepository`, :class:`~snapplan.ports.PlanRepository` or
      :class:`~snapplan.ports.RunRepository`), which says what it can do;
    - ``indexed``: the columns its queries look records up by (``for_event`` reads
      ``event_id``), in recording order;
    - ``unique``: groups of columns that no two of its records share (a group holding a None is
      not counted), such as one ledger position per event.

    The shared repositories, the memory store and the lockstep machine are built from these;
    the SQL store has a table and a codec per repository, checked against them by the tests.
    """

    name: str
    holds: tuple[type, ...]
    not_found: type[NotFoundError]
    port: type
    indexed: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()


#: Every repository of a unit of work, in dependency order (catalog first). Adding one is an
#: entry here and its typed property on :class:`UnitOfWork`, plus a table per adapter that
#: keeps its records (on a SQL store: an ``sa.Table`` and a codec).
REPOSITORIES: Final = (
    RepositorySpec("ingredients", (Ingredient,), IngredientNotFound, CatalogRepository),
    RepositorySpec("recipes", (Recipe,), RecipeNotFound, CatalogRepository),
    RepositorySpec("finished_units", (FinishedUnit,), FinishedUnitNotFound, CatalogRepository),
    RepositorySpec("material_units", (MaterialUnit,), MaterialUnitNotFound, CatalogRepository),
    RepositorySpec("products", (Product,), ProductNotFound, CatalogRepository),
    RepositorySpec("finished_goods", (FinishedGood,), FinishedGoodNotFound, CatalogRepository),
    RepositorySpec("events", (Event,), EventNotFound, CatalogRepository),
    RepositorySpec("snapshots", SNAPSHOT_TYPES, SnapshotNotFound, SnapshotRepository),
    RepositorySpec("plans", (Plan,), PlanNotFound, PlanRepository, indexed=("event_id",)),
    RepositorySpec(
        "runs",
        RUN_TYPES,
        RunNotFound,
        RunRepository,
        indexed=("event_id", "plan_id"),
        # one ledger position and one idempotency key per event
        unique=(("event_id", "seq"), ("event_id", "key")),
    ),
    # one place in the price history per quote
    RepositorySpec("prices", (PriceQuote,), PriceNotFound, PriceRepository, unique=(("seq",),)),
    RepositorySpec(
        "pantry",
        PANTRY_TYPES,
        PantryEntryNotFound,
        PantryRepository,
        # one ledger position and one idempotency key for the whole pantry
        unique=(("seq",), ("key",)),
    ),
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

    Repositories: one typed property per entry of :data:`REPOSITORIES`, in its order. A class
    that subclasses this protocol explicitly (as the shared
    :class:`~snapplan.adapters.base.BaseUnitOfWork` does) provides them itself; the bodies here
    only say that one it does not provide is missing.
    """

    @property
    def active(self) -> bool:
        """True while entered."""
        ...

    @property
    def ingredients(self) -> CatalogRepository[Ingredient]:
        """Ingredients."""
        raise AttributeError("ingredients")

    @property
    def recipes(self) -> CatalogRepository[Recipe]:
        """Recipes."""
        raise AttributeError("recipes")

    @property
    def finished_units(self) -> CatalogRepository[FinishedUnit]:
        """Finished units (what a batch yields)."""
        raise AttributeError("finished_units")

    @property
    def material_units(self) -> CatalogRepository[MaterialUnit]:
        """Material units (packaging)."""
        raise AttributeError("material_units")

    @property
    def products(self) -> CatalogRepository[Product]:
        """Products: the packs a shop sells of an ingredient or a material unit."""
        raise AttributeError("products")

    @property
    def finished_goods(self) -> CatalogRepository[FinishedGood]:
        """Finished goods (assemblies)."""
        raise AttributeError("finished_goods")

    @property
    def events(self) -> CatalogRepository[Event]:
        """Events and their targets."""
        raise AttributeError("events")

    @property
    def snapshots(self) -> SnapshotRepository:
        """Snapshots: append only."""
        raise AttributeError("snapshots")

    @property
    def plans(self) -> PlanRepository:
        """Plans: append only."""
        raise AttributeError("plans")

    @property
    def runs(self) -> RunRepository:
        """The execution ledger: append only."""
        raise AttributeError("runs")

    @property
    def prices(self) -> PriceRepository:
        """The price history: append only."""
        raise AttributeError("prices")

    @property
    def pantry(self) -> PantryRepository:
        """The pantry ledger: append only."""
        raise AttributeError("pantry")

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
