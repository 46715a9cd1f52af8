"""The memory store's unit of work: staged writes, savepoints, atomic commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from snapplan.adapters.memory.repositories import (
    MemoryCatalogRepository,
    MemoryPlanRepository,
    MemorySnapshotRepository,
)
from snapplan.adapters.memory.store import REMOVED, stored_version
from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.errors import (
    EventNotFound,
    FinishedGoodNotFound,
    FinishedUnitNotFound,
    IngredientNotFound,
    MaterialUnitNotFound,
    RecipeNotFound,
    UnitOfWorkError,
)
from snapplan.ports.unit_of_work import REPOSITORY_NAMES

if TYPE_CHECKING:
    from snapplan.adapters.memory.store import MemoryStore

_MISSING: Any = object()


class MemoryUnitOfWork:
    """A transaction on a :class:`~snapplan.adapters.memory.MemoryStore`.

    Writes are staged in an overlay (id → new item, or removed) and published by :meth:`commit`.
    For every id it touches, the unit remembers the version it saw committed; commit re-checks
    those under the store's lock, so a concurrent writer that got there first makes this commit
    fail with ``ConflictError`` and publish nothing.
    """

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._depth = 0
        self._finished = False
        self._overlay: dict[str, dict[uuid.UUID, Any]] = {t: {} for t in REPOSITORY_NAMES}
        self._expected: dict[tuple[str, uuid.UUID], int | None] = {}
        # undo journal for savepoints: (table, id, previous overlay entry, had expectation)
        self._journal: list[tuple[str, uuid.UUID, Any, bool]] = []
        self._ingredients = MemoryCatalogRepository[Ingredient](
            self, "ingredients", IngredientNotFound, Ingredient
        )
        self._recipes = MemoryCatalogRepository[Recipe](self, "recipes", RecipeNotFound, Recipe)
        self._finished_units = MemoryCatalogRepository[FinishedUnit](
            self, "finished_units", FinishedUnitNotFound, FinishedUnit
        )
        self._material_units = MemoryCatalogRepository[MaterialUnit](
            self, "material_units", MaterialUnitNotFound, MaterialUnit
        )
        self._finished_goods = MemoryCatalogRepository[FinishedGood](
            self, "finished_goods", FinishedGoodNotFound, FinishedGood
        )
        self._events = MemoryCatalogRepository[Event](self, "events", EventNotFound, Event)
        self._snapshots = MemorySnapshotRepository(self)
        self._plans = MemoryPlanRepository(self)

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """True while entered."""
        return self._depth > 0

    def __enter__(self) -> Self:
        if self._depth == 0:
            self._reset()
            self._finished = False
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._reset()  # roll back whatever was not committed

    def commit(self) -> None:
        """Publish the staged work (outermost block only; a joined block's commit does nothing)."""
        self.check_active()
        if self._depth > 1:
            return
        if self._finished:
            raise UnitOfWorkError("this unit of work already committed; enter it again")
        self._finished = True
        try:
            self.store.publish(self._overlay, self._expected)
        finally:
            self._reset()

    def rollback(self) -> None:
        """Drop the staged work now (leaving the block does this too)."""
        self.check_active()
        self._reset()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo exactly the work done inside the block if an exception leaves it."""
        self.check_writable()
        mark = len(self._journal)
        try:
            yield
        except BaseException:
            self._undo_to(mark)
            raise

    def _reset(self) -> None:
        for changes in self._overlay.values():
            changes.clear()
        self._expected.clear()
        self._journal.clear()

    def _undo_to(self, mark: int) -> None:
        while len(self._journal) > mark:
            table, item_id, previous, had_expectation = self._journal.pop()
            if previous is _MISSING:
                del self._overlay[table][item_id]
            else:
                self._overlay[table][item_id] = previous
            if not had_expectation:
                del self._expected[table, item_id]

    # -- used by the repositories -----------------------------------------------------------------

    def check_active(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered."""
        if self._depth == 0:
            raise UnitOfWorkError(
                "use repositories inside 'with uow:' (the unit of work is closed)"
            )

    def check_writable(self) -> None:
        """Raise ``UnitOfWorkError`` unless entered and not yet committed."""
        self.check_active()
        if self._finished:
            raise UnitOfWorkError("this unit of work already committed; enter it again to write")

    def current(self, table: str, item_id: uuid.UUID) -> Any:
        """The item as this unit sees it (staged over committed), or None."""
        staged = self._overlay[table].get(item_id, _MISSING)
        if staged is not _MISSING:
            return None if staged is REMOVED else staged
        with self.store.lock:
            return self.store.committed(table).get(item_id)

    def stage(self, table: str, item_id: uuid.UUID, item: Any) -> None:
        """Stage ``item`` (or ``REMOVED``) for ``item_id``, journaled for savepoints."""
        key = (table, item_id)
        had_expectation = key in self._expected
        if not had_expectation:
            with self.store.lock:
                self._expected[key] = stored_version(self.store.committed(table).get(item_id))
        self._journal.append(
            (table, item_id, self._overlay[table].get(item_id, _MISSING), had_expectation)
        )
        self._overlay[table][item_id] = item

    def staged(self, table: str) -> dict[uuid.UUID, Any]:
        """This unit's staged entries of a table (read only, please)."""
        return self._overlay[table]

    # -- repositories ---------------------------------------------------------------------------

    @property
    def ingredients(self) -> MemoryCatalogRepository[Ingredient]:
        """Ingredients."""
        self.check_active()
        return self._ingredients

    @property
    def recipes(self) -> MemoryCatalogRepository[Recipe]:
        """Recipes."""
        self.check_active()
        return self._recipes

    @property
    def finished_units(self) -> MemoryCatalogRepository[FinishedUnit]:
        """Finished units."""
        self.check_active()
        return self._finished_units

    @property
    def material_units(self) -> MemoryCatalogRepository[MaterialUnit]:
        """Material units (packaging)."""
        self.check_active()
        return self._material_units

    @property
    def finished_goods(self) -> MemoryCatalogRepository[FinishedGood]:
        """Finished goods."""
        self.check_active()
        return self._finished_goods

    @property
    def events(self) -> MemoryCatalogRepository[Event]:
        """Events."""
        self.check_active()
        return self._events

    @property
    def snapshots(self) -> MemorySnapshotRepository:
        """Snapshots (append only)."""
        self.check_active()
        return self._snapshots

    @property
    def plans(self) -> MemoryPlanRepository:
        """Plans (append only)."""
        self.check_active()
        return self._plans
