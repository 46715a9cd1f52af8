"""Domain values to table rows and back, through the one configured converter.

A :class:`RowCodec` maps an attrs class onto a table whose columns are named like its fields:
JSON columns hold the converter's unstructured form of the field, every other column the value
itself (its column type keeps it exact). Reading goes back through ``converter.structure``, so
every domain validator runs again on the way out of the database.

Snapshots are the exception: the whole snapshot is one tagged JSON ``document`` and the other
columns only index it (:func:`snapshot_row`, :func:`snapshot_from_row`).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs
import sqlalchemy as sa

from snapplan.adapters.converter import SNAPSHOT_KINDS, converter
from snapplan.domain.snapshots import Snapshot
from snapplan.errors import PersistenceError, ValidationError

T = TypeVar("T")


class RowCodec(Generic[T]):
    """Converts one attrs class to rows of one table and back."""

    def __init__(self, cls: type[T], table: sa.Table) -> None:
        fields = {f.name for f in attrs.fields(cls)}  # type: ignore[arg-type]  # T is attrs
        missing = fields - set(table.c.keys())
        if missing:
            raise TypeError(f"{table.name} has no column for {sorted(missing)}")
        self.cls = cls
        self.table = table
        self.columns: tuple[sa.Column[Any], ...] = tuple(c for c in table.c if c.name in fields)
        self._json = frozenset(c.name for c in self.columns if isinstance(c.type, sa.JSON))

    def row(self, item: T) -> dict[str, Any]:
        """The column values of ``item``."""
        if not isinstance(item, self.cls):
            raise ValidationError(
                f"{self.table.name} stores {self.cls.__name__}, not {type(item).__name__}"
            )
        values = {}
        for column in self.columns:
            value = getattr(item, column.name)
            values[column.name] = (
                converter.unstructure(value) if column.name in self._json else value
            )
        return values

    def item(self, row: sa.Row[Any]) -> T:
        """The value stored in ``row`` (selected with :attr:`columns`)."""
        mapping = row._mapping
        data = {column.name: mapping[column.name] for column in self.columns}
        item: T = _decoded(data, self.cls)
        return item


def snapshot_row(snapshot: Snapshot) -> dict[str, Any]:
    """The row of one snapshot: its tagged document plus the indexed columns."""
    return {
        "id": snapshot.id,
        "kind": SNAPSHOT_KINDS[type(snapshot)],
        "source_id": snapshot.source_id,
        "plan_id": snapshot.plan_id,
        "captured_at": snapshot.captured_at,
        "digest": snapshot.digest,
        "document": converter.unstructure(snapshot, unstructure_as=Snapshot),
    }


def snapshot_from_row(document: Any) -> Snapshot:
    """The snapshot stored as ``document``."""
    snapshot: Snapshot = _decoded(document, Snapshot)
    return snapshot


def _decoded(data: Any, cls: Any) -> Any:
    try:
        return converter.structure(data, cls)
    except Exception as error:
        raise PersistenceError(f"a stored {cls} could not be read back: {error}") from error
