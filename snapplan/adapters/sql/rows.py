"""Domain values to table rows and back, through the one configured converter.

A :class:`RowCodec` maps an attrs class onto a table whose columns are named like its fields:
JSON columns hold the converter's unstructured form of the field, every other column the value
itself (its column type keeps it exact). Reading goes back through ``converter.structure``, so
every domain validator runs again on the way out of the database; a row that does not make a
valid value (written by someone else into a shared database) is a ``PersistenceError``.

Snapshots are the exception (:class:`SnapshotCodec`): the whole snapshot is one tagged JSON
``document`` and the other columns only index it.

:data:`CODECS` names the codec of every repository: adding a repository to the SQL store is one
line here (and its table in :mod:`snapplan.adapters.sql.schema`).
"""

from __future__ import annotations

from typing import Any, Final, Generic, Protocol, TypeVar

import attrs
import sqlalchemy as sa
from attrs import AttrsInstance

from snapplan.adapters.converter import converter
from snapplan.adapters.sql import schema
from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.domain.plan import Plan
from snapplan.domain.runs import Run
from snapplan.domain.snapshots import Snapshot
from snapplan.errors import PersistenceError

T = TypeVar("T")
A = TypeVar("A", bound=AttrsInstance)
T_co = TypeVar("T_co", covariant=True)


class Codec(Protocol[T]):
    """How one repository's values are stored in one table."""

    @property
    def table(self) -> sa.Table: ...

    @property
    def columns(self) -> tuple[sa.Column[Any], ...]:
        """The columns :meth:`item` reads (``id`` first)."""
        ...

    def row(self, item: T) -> dict[str, Any]:
        """The column values of ``item``."""
        ...

    def item(self, row: sa.Row[Any]) -> T:
        """The value stored in ``row`` (selected with :attr:`columns`)."""
        ...


class RowCodec(Generic[A]):
    """Converts one attrs class to rows of one table and back."""

    def __init__(self, cls: type[A], table: sa.Table) -> None:
        fields = [f.name for f in attrs.fields(cls)]
        missing = set(fields) - set(table.c.keys())
        if missing:
            raise TypeError(f"{table.name} has no column for {sorted(missing)}")
        self.cls = cls
        self.table = table
        ordered = ["id", *(name for name in fields if name != "id")]
        self.columns: tuple[sa.Column[Any], ...] = tuple(table.c[name] for name in ordered)
        self._json = frozenset(c.name for c in self.columns if isinstance(c.type, sa.JSON))

    def row(self, item: A) -> dict[str, Any]:
        """The column values of ``item``."""
        return {
            column.name: (
                converter.unstructure(getattr(item, column.name))
                if column.name in self._json
                else getattr(item, column.name)
            )
            for column in self.columns
        }

    def item(self, row: sa.Row[Any]) -> A:
        """The value stored in ``row``."""
        mapping = row._mapping
        data = {column.name: mapping[column.name] for column in self.columns}
        item: A = _decoded(data, self.cls)
        return item


class SnapshotCodec:
    """Snapshots of every kind in one table: a tagged document plus indexed columns."""

    table = schema.snapshots
    columns: tuple[sa.Column[Any], ...] = (schema.snapshots.c.id, schema.snapshots.c.document)

    def row(self, snapshot: Snapshot) -> dict[str, Any]:
        """The row of one snapshot: its tagged document plus the indexed columns."""
        return {
            "id": snapshot.id,
            "kind": snapshot.kind.value,
            "source_id": snapshot.source_id,
            "plan_id": snapshot.plan_id,
            "captured_at": snapshot.captured_at,
            "digest": snapshot.digest,
            "document": converter.unstructure(snapshot, unstructure_as=Snapshot),
        }

    def item(self, row: sa.Row[Any]) -> Snapshot:
        """The snapshot stored in ``row``."""
        snapshot: Snapshot = _decoded(row.document, Snapshot)
        return snapshot


class RunCodec:
    """Ledger entries of every kind in one table: a tagged document plus the ordering columns."""

    table = schema.runs
    columns: tuple[sa.Column[Any], ...] = (schema.runs.c.id, schema.runs.c.document)

    def row(self, run: Run) -> dict[str, Any]:
        """The row of one ledger entry."""
        return {
            "id": run.id,
            "event_id": run.event_id,
            "seq": run.seq,
            "plan_id": run.plan_id,
            "kind": run.kind.value,
            "key": run.key,
            "recorded_at": run.recorded_at,
            "document": converter.unstructure(run, unstructure_as=Run),
        }

    def item(self, row: sa.Row[Any]) -> Run:
        """The entry stored in ``row``."""
        run: Run = _decoded(row.document, Run)
        return run


def _decoded(data: Any, cls: Any) -> Any:
    try:
        return converter.structure(data, cls)
    except Exception as error:
        name = getattr(cls, "__name__", "snapshot")
        raise PersistenceError(f"a stored {name} could not be read back: {error}") from error


#: The codec of every repository (see ``snapplan.ports.REPOSITORIES``).
CODECS: Final[dict[str, Codec[Any]]] = {
    "ingredients": RowCodec(Ingredient, schema.ingredients),
    "recipes": RowCodec(Recipe, schema.recipes),
    "finished_units": RowCodec(FinishedUnit, schema.finished_units),
    "material_units": RowCodec(MaterialUnit, schema.material_units),
    "finished_goods": RowCodec(FinishedGood, schema.finished_goods),
    "events": RowCodec(Event, schema.events),
    "snapshots": SnapshotCodec(),
    "plans": RowCodec(Plan, schema.plans),
    "runs": RunCodec(),
}
