"""Domain values to table rows and back, through the one configured converter.

A :class:`RowCodec` maps an attrs class onto a table whose columns are named like its fields:
JSON columns hold the converter's unstructured form of the field, every other column the value
itself (its column type keeps it exact). The store's own rows are read back without the full
validators, with the constant-time checks of :mod:`snapplan.adapters.sql._decoding`: a row that
does not make a valid value (written by someone else into a shared database) is a
``PersistenceError``.

Snapshots are the exception (:class:`SnapshotCodec`): the whole snapshot is one tagged JSON
``document`` and the other columns only index it.

:data:`CODECS` names the codec of every repository: adding a repository to the SQL store is one
line here (and its table in :mod:`snapplan.adapters.sql.schema`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Generic, Protocol, TypeVar

import attrs
import sqlalchemy as sa
from attrs import AttrsInstance

from snapplan.adapters.converter import converter
from snapplan.adapters.sql import _decoding as decoding
from snapplan.adapters.sql import schema
from snapplan.adapters.sql._decoding import Reading, decoded
from snapplan.adapters.sql.encoding import snapshot_document
from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.domain.pantry_entries import PantryRecord
from snapplan.domain.plan import Plan
from snapplan.domain.prices import PriceQuote
from snapplan.domain.products import Product
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

    def item(self, row: sa.Row[Any], reading: Reading) -> T:
        """The value stored in ``row`` (selected with :attr:`columns`), read with the cheap
        checks of :mod:`snapplan.adapters.sql._decoding` (``reading`` lasts one fetch)."""
        ...


class RowCodec(Generic[A]):
    """Converts one attrs class to rows of one table and back (``decode``: the fast reader of
    :mod:`snapplan.adapters.sql._decoding` for it)."""

    def __init__(
        self,
        cls: type[A],
        table: sa.Table,
        decode: Callable[[Reading, Mapping[str, Any]], A],
    ) -> None:
        fields = [f.name for f in attrs.fields(cls)]
        missing = set(fields) - set(table.c.keys())
        if missing:
            raise TypeError(f"{table.name} has no column for {sorted(missing)}")
        self.cls = cls
        self.table = table
        ordered = ["id", *(name for name in fields if name != "id")]
        self.columns: tuple[sa.Column[Any], ...] = tuple(table.c[name] for name in ordered)
        self._json = frozenset(c.name for c in self.columns if isinstance(c.type, sa.JSON))
        self._decode = decode
        self._name = cls.__name__

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

    def item(self, row: sa.Row[Any], reading: Reading) -> A:
        """The value stored in ``row``."""
        return decoded(self._name, self._decode, reading, row._mapping)


class SnapshotCodec:
    """Snapshots of every kind in one table: a tagged document plus indexed columns."""

    table = schema.snapshots
    columns: tuple[sa.Column[Any], ...] = (schema.snapshots.c.id, schema.snapshots.c.document)

    def row(self, snapshot: Snapshot) -> dict[str, Any]:
        """The row of one snapshot: its tagged document plus the indexed columns."""
        return {
            "id": snapshot.id,
            "kind": snapshot.kind,
            "source_id": snapshot.source_id,
            "plan_id": snapshot.plan_id,
            "captured_at": snapshot.captured_at,
            "digest": snapshot.digest,
            "document": snapshot_document(snapshot),
        }

    def item(self, row: sa.Row[Any], reading: Reading) -> Snapshot:
        """The snapshot stored in ``row``."""
        return decoded("snapshot", decoding.snapshot, reading, row.document)


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

    def item(self, row: sa.Row[Any], reading: Reading) -> Run:
        """The entry stored in ``row``, decoded with the checks of :mod:`._decoding` rather than
        every validator (an event's ledger is read whole to record in it: a busy event's
        hundreds of entries for every run); whether the content is what was recorded is the
        hash chain's to say. A run without a ``digest`` was written by snapplan 0.1.0, before
        the ledger was hash-chained: a ``PersistenceError`` says the store must be upgraded."""
        document = row.document
        if isinstance(document, dict) and "digest" not in document:
            raise PersistenceError(
                f"run {document.get('seq')} ({row.id}) of event {document.get('event_id')} has "
                "no digest: the ledger was written by snapplan 0.1.0 and the store must be "
                "upgraded to this version before it is used"
            )
        return decoding.decoded("run", decoding.run, reading, document)


class LedgerCodec:
    """Entries of one append-only ledger (prices, the pantry) in one table: a tagged document
    (the converter's form of the entry) plus the columns that order and index it. Read back
    through the converter, every validator run (these ledgers are small)."""

    def __init__(self, table: sa.Table, union: Any, name: str) -> None:
        self.table = table
        self.columns: tuple[sa.Column[Any], ...] = (table.c.id, table.c.document)
        self._union = union
        self._name = name
        self._indexed = [c.name for c in table.columns if c.name not in ("id", "document")]

    def row(self, entry: Any) -> dict[str, Any]:
        """The row of one entry: its indexed fields beside its document."""
        values = {
            "id": entry.id,
            "document": converter.unstructure(entry, unstructure_as=self._union),
        }
        for name in self._indexed:
            value = getattr(entry, name)
            values[name] = value.value if name == "kind" else value
        return values

    def item(self, row: sa.Row[Any], reading: Reading) -> Any:
        """The entry stored in ``row``."""
        return _decoded(row.document, self._union, self._name)


def _decoded(data: Any, cls: Any, name: str | None = None) -> Any:
    try:
        return converter.structure(data, cls)
    except Exception as error:
        name = name or getattr(cls, "__name__", "snapshot")
        raise PersistenceError(f"a stored {name} could not be read back: {error}") from error


#: The codec of every repository (see ``snapplan.ports.REPOSITORIES``).
CODECS: Final[dict[str, Codec[Any]]] = {
    "ingredients": RowCodec(Ingredient, schema.ingredients, decoding.ingredient),
    "recipes": RowCodec(Recipe, schema.recipes, decoding.recipe),
    "finished_units": RowCodec(FinishedUnit, schema.finished_units, decoding.finished_unit),
    "material_units": RowCodec(MaterialUnit, schema.material_units, decoding.material_unit),
    "products": RowCodec(Product, schema.products, decoding.product),
    "finished_goods": RowCodec(FinishedGood, schema.finished_goods, decoding.finished_good),
    "events": RowCodec(Event, schema.events, decoding.event),
    "snapshots": SnapshotCodec(),
    "plans": RowCodec(Plan, schema.plans, decoding.plan),
    "runs": RunCodec(),
    "prices": LedgerCodec(schema.prices, PriceQuote, "price quote"),
    "pantry": LedgerCodec(schema.pantry, PantryRecord, "pantry entry"),
}
