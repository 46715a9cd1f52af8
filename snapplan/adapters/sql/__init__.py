"""The SQL store: SQLAlchemy 2 Core on SQLite (the embedded default), PostgreSQL, MariaDB and
MySQL.

An engine of another dialect is refused by name (``ValidationError``); each supported engine is
one module of :mod:`snapplan.adapters.sql.dialects`.

>>> from snapplan.adapters.sql import SqlStore
>>> store = SqlStore.from_url("sqlite:///bakery.sqlite")  # doctest: +SKIP
>>> store.create_schema()  # doctest: +SKIP

The database records the version of snapplan's tables (:data:`SCHEMA_VERSION`); a store refuses
one written by another release with ``SchemaVersionError``, and :func:`upgrade` (or
``snapplan upgrade --db URL``) brings one of an earlier release to this version, all or nothing.

Hosts that manage their schema with Alembic include snapplan's revisions
(``snapplan.adapters.sql:migrations`` in ``version_locations``) and use :data:`metadata` as
part of their target metadata.
Importing this package imports SQLAlchemy; ``import snapplan`` alone does not.
"""

from snapplan.adapters.sql.dialects.sqlite import configure_sqlite_engine
from snapplan.adapters.sql.schema import IMMUTABLE_TABLES, immutability_ddl, metadata
from snapplan.adapters.sql.store import SqlStore
from snapplan.adapters.sql.unit_of_work import SqlUnitOfWork
from snapplan.adapters.sql.upgrading import SchemaUpgrade, upgrade, upgrade_connection
from snapplan.adapters.sql.versions import SCHEMA_VERSION

__all__ = [
    "IMMUTABLE_TABLES",
    "SCHEMA_VERSION",
    "SchemaUpgrade",
    "SqlStore",
    "SqlUnitOfWork",
    "configure_sqlite_engine",
    "immutability_ddl",
    "metadata",
    "upgrade",
    "upgrade_connection",
]
