"""The database engines the SQL store runs on: one module each, one :class:`Dialect` interface.

Every difference between engines lives in that engine's module (``sqlite.py``,
``postgresql.py``, ``mariadb.py`` for MariaDB and MySQL), behind
:class:`~snapplan.adapters.sql.dialects.base.Dialect`: how a list of ids is bound as one
parameter, the DDL that makes a table append-only, the ``CHECK`` that keeps ids in one spelling,
how a driver error is classified (duplicate key, lost race), how an upgrade reshapes a table
of an earlier release and locks out a concurrent one, how a time is bound, what the
engine's connections need on connect and on begin, the column types and table options that keep
values the same on every engine.

Adding an engine is one module with a ``Dialect`` subclass, and one entry in :data:`DIALECTS`.
An engine that is not there is refused by name (:func:`dialect_named`): ``SqlStore(engine)``,
``immutability_ddl(name)`` and ``metadata.create_all`` raise ``ValidationError`` (a
``ValueError``) rather than treat it as another engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from snapplan.adapters.sql.dialects.base import WRITING, Dialect
from snapplan.adapters.sql.dialects.mariadb import MariadbDialect
from snapplan.adapters.sql.dialects.postgresql import PostgresqlDialect
from snapplan.adapters.sql.dialects.sqlite import SqliteDialect
from snapplan.errors import ValidationError

#: The supported engines, by SQLAlchemy dialect name (``engine.dialect.name``).
DIALECTS: Final[Mapping[str, Dialect]] = MappingProxyType(
    {
        name: dialect
        for dialect in (SqliteDialect(), PostgresqlDialect(), MariadbDialect())
        for name in dialect.names
    }
)


def dialect_named(name: str) -> Dialect:
    """The engine SQLAlchemy calls ``name``; ``ValidationError`` naming the supported ones when
    snapplan does not run on it.

    >>> dialect_named("sqlite").name
    'sqlite'
    >>> dialect_named("oracle")
    Traceback (most recent call last):
    ...
    snapplan.errors.ValidationError: snapplan's SQL store does not run on the 'oracle' database \
(SQLAlchemy dialect); it runs on: mariadb, mysql, postgresql, sqlite
    """
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValidationError(
            f"snapplan's SQL store does not run on the {name!r} database (SQLAlchemy dialect); "
            f"it runs on: {', '.join(sorted(DIALECTS))}"
        ) from None


__all__ = ["DIALECTS", "WRITING", "Dialect", "dialect_named"]
