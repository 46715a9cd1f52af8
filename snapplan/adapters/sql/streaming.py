"""Large inserts handed to the driver row by row: one ``executemany``, bounded memory.

SQLAlchemy's ``executemany`` builds the parameters of every row before it calls the driver: for
a plan of holiday-10000, its 30,000 snapshot rows with their documents as dicts, then as JSON
text, then two more copies of each row's parameters, all alive at once (about 60 % of the
plan's peak memory). The drivers themselves (``sqlite3``, psycopg, PyMySQL) take an
``executemany``'s rows from an iterator, one at a time.

So :func:`insert_streamed` compiles the ``INSERT`` for the connection's dialect once and sends
it with ``Connection.exec_driver_sql`` (one statement, through SQLAlchemy's events and error
wrapping, in the caller's transaction), its parameters a :class:`StreamedRows`: a list as
SQLAlchemy sees it, whose rows are made (by the very bind processors SQLAlchemy would use) when
the driver reaches them and dropped once sent. The statement count, the stored bytes and
all-or-nothing are those of the plain ``executemany``; only the memory changes.

Compiling costs about a millisecond, so small inserts (fewer than :data:`STREAM_FROM` rows:
a catalog edit, a price) keep SQLAlchemy's ``executemany``, whose compiled form it caches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final, Generic, SupportsIndex, TypeVar, overload

import sqlalchemy as sa

T = TypeVar("T")

#: Inserts of at least this many rows are streamed (see the module docstring).
STREAM_FROM: Final = 500


class StreamedRows(list[Any], Generic[T]):
    """The driver's parameters of ``items``, each made by ``encode`` when it is read.

    A ``list`` for SQLAlchemy's ``exec_driver_sql`` (which hands it to the driver's
    ``executemany`` as it is); its own storage stays empty: length, iteration, indexing and
    ``repr`` (in an error's message) all go through ``items``.
    """

    def __init__(self, items: Sequence[T], encode: Callable[[T], Any]) -> None:
        super().__init__()
        self._items = items
        self._encode = encode

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __iter__(self) -> Iterator[Any]:
        return map(self._encode, self._items)

    @overload
    def __getitem__(self, index: SupportsIndex) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        if isinstance(index, slice):
            return [self._encode(item) for item in self._items[index]]
        return self._encode(self._items[index.__index__()])

    def __repr__(self) -> str:
        return f"<{len(self)} rows, streamed>"


def insert_streamed(
    connection: sa.Connection,
    table: sa.Table,
    items: Sequence[T],
    row: Callable[[T], Mapping[str, Any]],
) -> None:
    """``INSERT`` one row per item (``row(item)``: its column values, the same keys for every
    item) in one ``executemany``, the rows made as the driver takes them."""
    if not items:
        return
    dialect = connection.dialect
    names = list(row(items[0]))
    compiled = table.insert().compile(dialect=dialect, column_keys=names)
    processors: dict[str, Callable[[Any], Any] | None] = {
        name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    }
    if dialect.positional:
        order = [(name, processors[name]) for name in compiled.positiontup or ()]

        def encode(item: T) -> Any:
            values = row(item)
            return tuple(
                values[name] if process is None else process(values[name])
                for name, process in order
            )

    else:
        pairs = list(processors.items())

        def encode(item: T) -> Any:
            values = row(item)
            return {
                name: values[name] if process is None else process(values[name])
                for name, process in pairs
            }

    connection.exec_driver_sql(compiled.string, StreamedRows(items, encode))
