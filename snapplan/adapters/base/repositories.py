"""The repositories of every store, written once over an adapter's :class:`Table`.

- :class:`Records`: reads (``get``, ``get_many``, ``find_many``, ``count``, ``all``);
- :class:`AppendOnlyRecords`: adds ``add`` and ``add_many`` (snapshots and plans stop here);
- :class:`CatalogRecords`: adds the optimistic ``update`` and ``remove``;
- :class:`PlanRecords`: adds ``for_event`` and ``latest``.

Every call checks the unit of work first (entered, in its own thread, writable for writes), and
every value added is checked against the repository's types, the same way on every store.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from snapplan.adapters.base.table import Table
from snapplan.domain.catalog import Definition
from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import Snapshot
from snapplan.errors import ConflictError, ValidationError
from snapplan.ports.unit_of_work import RepositorySpec

if TYPE_CHECKING:
    from snapplan.adapters.base.unit_of_work import BaseUnitOfWork

T = TypeVar("T")
V = TypeVar("V", bound=Definition)


class Records(Generic[T]):
    """Reads of one repository."""

    def __init__(self, uow: BaseUnitOfWork, spec: RepositorySpec, table: Table[T]) -> None:
        self._uow = uow
        self._spec = spec
        self._table = table

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._spec.name} of {self._uow!r}>"

    def get(self, item_id: uuid.UUID) -> T:
        """The item, or the repository's ``NotFoundError``."""
        self._uow._require_active()
        found = self._table.fetch([item_id])
        if item_id not in found:
            raise self._spec.not_found(item_id)
        return found[item_id]

    def get_many(self, item_ids: Iterable[uuid.UUID]) -> tuple[T, ...]:
        """The items in the order asked; the first missing id raises."""
        self._uow._require_active()
        wanted = list(item_ids)
        found = self._table.fetch(list(dict.fromkeys(wanted)))
        for item_id in wanted:
            if item_id not in found:
                raise self._spec.not_found(item_id)
        return tuple(found[item_id] for item_id in wanted)

    def find_many(self, item_ids: Iterable[uuid.UUID]) -> Mapping[uuid.UUID, T]:
        """The items that exist among ``item_ids``, by id, in the order asked."""
        self._uow._require_active()
        wanted = list(dict.fromkeys(item_ids))
        found = self._table.fetch(wanted)
        return {item_id: found[item_id] for item_id in wanted if item_id in found}

    def count(self) -> int:
        """How many items this unit of work sees."""
        self._uow._require_active()
        return self._table.count()

    def all(self) -> tuple[T, ...]:
        """Every item, ordered by id."""
        self._uow._require_active()
        return tuple(self._table.scan())

    def _check_type(self, item: object) -> None:
        if not isinstance(item, self._spec.holds):
            names = " or ".join(kind.__name__ for kind in self._spec.holds)
            if len(self._spec.holds) > 1:
                names = "snapshots"
            raise ValidationError(f"{self._spec.name} stores {names}, not {type(item).__name__}")


class AppendOnlyRecords(Records[T]):
    """Reads, plus adding new items."""

    def add(self, item: T) -> None:
        """Stage a new item; a duplicate id raises ``ConflictError`` (now or at commit)."""
        self.add_many((item,))

    def add_many(self, items: Iterable[T]) -> None:
        """Stage many new items in one write; if any is refused, none is staged."""
        self._uow._require_writable()
        batch = list(items)
        for item in batch:
            self._check_type(item)
        self._before_adding(batch)
        if batch:
            self._table.insert(batch)

    def _before_adding(self, items: list[T]) -> None:
        """Checks a repository makes on new items (none here)."""


class CatalogRecords(AppendOnlyRecords[V]):
    """Catalog definitions or events, with optimistic versions."""

    def update(self, item: V) -> V:
        """Replace an item whose ``version`` is current; the stored version becomes ``+1``."""
        self._uow._require_writable()
        self._check_type(item)
        stored = attrs.evolve(item, version=item.version + 1)
        if not self._table.replace(stored, item.version):
            current = self._table.fetch([item.id]).get(item.id)
            if current is None:
                raise self._spec.not_found(item.id)
            raise ConflictError(
                f"{_label(item)} was changed by someone else: it is at version "
                f"{current.version}, not {item.version} (read it again and retry)"
            )
        return stored

    def remove(self, item_id: uuid.UUID) -> None:
        """Remove an item; a missing id raises the repository's ``NotFoundError``."""
        self._uow._require_writable()
        if not self._table.delete(item_id):
            raise self._spec.not_found(item_id)


class SnapshotRecords(AppendOnlyRecords[Snapshot]):
    """Snapshots: append only."""


class PlanRecords(AppendOnlyRecords[Plan]):
    """Plans: append only, in the order recorded per event."""

    def for_event(self, event_id: uuid.UUID) -> tuple[Plan, ...]:
        """The event's plans in the order recorded."""
        self._uow._require_active()
        return tuple(self._table.where("event_id", event_id))

    def latest(self, event_id: uuid.UUID) -> Plan | None:
        """The event's last recorded plan, or None."""
        plans = self.for_event(event_id)
        return plans[-1] if plans else None


def _label(item: Any) -> str:
    name = getattr(item, "name", None)
    kind = type(item).__name__
    return f"{kind} {name!r} ({item.id})" if name else f"{kind} {item.id}"


#: The repository class of each repository name (see ``ports.REPOSITORIES``).
RECORD_CLASSES: dict[str, type[Records[Any]]] = {
    "ingredients": CatalogRecords,
    "recipes": CatalogRecords,
    "finished_units": CatalogRecords,
    "material_units": CatalogRecords,
    "finished_goods": CatalogRecords,
    "events": CatalogRecords,
    "snapshots": SnapshotRecords,
    "plans": PlanRecords,
}
