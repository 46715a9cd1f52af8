"""The tables of the SQL store, as one public :data:`metadata` (for Alembic users too).

Design:

- Every table is prefixed ``snapplan_`` so the store can share a database with its host.
- Catalog tables and events keep their scalar fields as columns and their collections (recipe
  lines, sub-recipes, components, targets) as JSON written by the one configured converter
  (:mod:`snapplan.adapters.converter`); amounts inside JSON are exact strings.
- Snapshots live in one table: the whole snapshot is one JSON ``document`` (tagged with its
  ``kind``) and the columns beside it (kind, source, plan, time, digest) index it. Plans record
  their order per event in an autoincrement ``seq`` column.
- No foreign keys: repositories store what they are given (capture finds dangling references),
  and snapshots and plans are self-contained, so they stay readable whatever happens to the
  live catalog.
- Runs (the execution ledger) live in one table too: each entry a tagged JSON ``document``,
  beside the columns that order it (event, ``seq``) and make it unique (``(event_id, seq)``,
  ``(event_id, key)`` where a key is set).
- Products are catalog definitions (scalar columns, versioned); ingredients and material units
  keep their measures as JSON. Prices and the pantry are ledgers like the runs: a tagged JSON
  ``document`` beside the columns that order it (``seq``, unique) and, for the pantry, its
  idempotency ``key`` (unique where set).
- ``snapplan_schema_versions`` says which version of these tables the database holds
  (:mod:`snapplan.adapters.sql.versions`; :func:`snapplan.adapters.sql.upgrade` moves it on).
- A plan's contents (every snapshot it reaches, with the catalog id it was taken from) live in
  ``snapplan_plan_contents``, beside the plan, so a recorder finds one snapshot of a plan
  without reading the others.
- Snapshots, plans, plans' contents, runs, prices and the pantry are append-only in the
  database itself: :func:`immutability_ddl` is attached to their ``after_create`` events, so
  ``metadata.create_all`` installs the triggers.
- Every id column (``id`` and every column holding an id: ``event_id``, ``plan_id``, ...) admits
  only the canonical spelling of an id, where the engine's uuid type does not ensure it itself
  (SQLite: 32 lower-case hex characters): a ``CHECK`` named ``ck_<table>_<column>_canonical``,
  whose expression the engine's dialect gives and which is created only on such engines.
- Where an engine would not keep a column's values as the others do (MariaDB's native ``UUID``
  type, its 64 KiB ``TEXT``, its case-insensitive default collation), every table carries that
  engine's column type as a variant and its table options
  (:meth:`~snapplan.adapters.sql.dialects.Dialect.column_type`,
  :meth:`~snapplan.adapters.sql.dialects.Dialect.table_options`), set below for every table of
  :data:`metadata`.

Hosts writing Alembic migrations by hand emit the same triggers with::

    for statement in immutability_ddl(op.get_bind().dialect.name):
        op.execute(statement)
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.sql.ddl import BaseDDLElement

from snapplan.adapters.sql.dialects import DIALECTS, dialect_named
from snapplan.adapters.sql.types import BoundedText, ExactDecimal, UtcTimestamp
from snapplan.domain.validators import MAX_KEY_LENGTH

#: Every table of the SQL store. Constraint names follow a convention, for Alembic.
metadata: Final = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_Json = sa.JSON()


def _identity() -> sa.Column[Any]:
    return sa.Column("id", sa.Uuid(), primary_key=True)


def _catalog_table(name: str, *columns: sa.Column[Any]) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        _identity(),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        *columns,
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )


ingredients: Final = _catalog_table(
    "snapplan_ingredients", sa.Column("measures", _Json, nullable=False)
)

recipes: Final = _catalog_table(
    "snapplan_recipes",
    sa.Column("lines", _Json, nullable=False),
    sa.Column("sub_recipes", _Json, nullable=False),
)

finished_units: Final = _catalog_table(
    "snapplan_finished_units",
    sa.Column("recipe_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("items_per_batch", ExactDecimal(), nullable=False),
)

material_units: Final = _catalog_table(
    "snapplan_material_units", sa.Column("measures", _Json, nullable=False)
)

finished_goods: Final = _catalog_table(
    "snapplan_finished_goods",
    sa.Column("components", _Json, nullable=False),
)

events: Final = _catalog_table(
    "snapplan_events",
    sa.Column("date", sa.Date(), nullable=True),
    sa.Column("production_targets", _Json, nullable=False),
    sa.Column("assembly_targets", _Json, nullable=False),
)

snapshots: Final = sa.Table(
    "snapplan_snapshots",
    metadata,
    _identity(),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("source_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("plan_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("captured_at", UtcTimestamp(), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("document", _Json, nullable=False),
)

plans: Final = sa.Table(
    "snapplan_plans",
    metadata,
    # Order of recording; a BIGINT identity on PostgreSQL, the rowid on SQLite.
    sa.Column(
        "seq",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("id", sa.Uuid(), nullable=False, unique=True),
    sa.Column("event_id", sa.Uuid(), nullable=False),
    sa.Column("created_at", UtcTimestamp(), nullable=False),
    sa.Column("supersedes", sa.Uuid(), nullable=True),
    sa.Column("production_targets", _Json, nullable=False),
    sa.Column("assembly_targets", _Json, nullable=False),
    sa.Index("ix_snapplan_plans_event_seq", "event_id", "seq"),
)

# What each plan reaches, one row per snapshot (snapplan.domain.plan_contents): a recorder finds
# the snapshot an id names in a plan, and a recipe's finished units, by an indexed lookup, never
# by reading the whole plan. Written with the plan; a plan without rows (recorded before this
# table existed) is read from its snapshots instead.
plan_contents: Final = sa.Table(
    "snapplan_plan_contents",
    metadata,
    sa.Column("plan_id", sa.Uuid(), primary_key=True),
    sa.Column("snapshot_id", sa.Uuid(), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("source_id", sa.Uuid(), nullable=False),
    sa.Column("made_from", sa.Uuid(), nullable=True),
    sa.Index("ix_snapplan_plan_contents_source", "plan_id", "source_id"),
    sa.Index("ix_snapplan_plan_contents_made_from", "plan_id", "made_from"),
)

runs: Final = sa.Table(
    "snapplan_runs",
    metadata,
    _identity(),
    sa.Column("event_id", sa.Uuid(), nullable=False),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("plan_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("key", BoundedText(MAX_KEY_LENGTH), nullable=True),
    sa.Column("recorded_at", UtcTimestamp(), nullable=False),
    sa.Column("document", _Json, nullable=False),
    # One ledger position per event (two recorders never take the same seq) and one run per
    # idempotency key and event: the database itself enforces both rules.
    sa.UniqueConstraint("event_id", "seq", name="uq_snapplan_runs_event_seq"),
    sa.Index(
        "uq_snapplan_runs_event_key",
        "event_id",
        "key",
        unique=True,
        sqlite_where=sa.text("key IS NOT NULL"),
        postgresql_where=sa.text("key IS NOT NULL"),
    ),
)

products: Final = _catalog_table(
    "snapplan_products",
    sa.Column("item_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("pack_quantity", ExactDecimal(), nullable=False),
    sa.Column("pack_unit", sa.Text(), nullable=False),
    sa.Column("min_packs", sa.BigInteger(), nullable=False),
    sa.Column("preferred", sa.Boolean(), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
)

prices: Final = sa.Table(
    "snapplan_prices",
    metadata,
    _identity(),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("product_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("at", UtcTimestamp(), nullable=False),
    sa.Column("document", _Json, nullable=False),
    # one place in the price history per quote: two writers never take the same seq
    sa.UniqueConstraint("seq", name="uq_snapplan_prices_seq"),
)

pantry: Final = sa.Table(
    "snapplan_pantry",
    metadata,
    _identity(),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("key", BoundedText(MAX_KEY_LENGTH), nullable=True),
    sa.Column("at", UtcTimestamp(), nullable=False),
    sa.Column("document", _Json, nullable=False),
    # one ledger position per entry and one entry per idempotency key, in the database itself
    sa.UniqueConstraint("seq", name="uq_snapplan_pantry_seq"),
    sa.Index(
        "uq_snapplan_pantry_key",
        "key",
        unique=True,
        sqlite_where=sa.text("key IS NOT NULL"),
        postgresql_where=sa.text("key IS NOT NULL"),
    ),
)

#: The schema version of the store's tables, one row per version it was brought to (the
#: highest is the current one): see :mod:`snapplan.adapters.sql.versions`.
schema_versions: Final = sa.Table(
    "snapplan_schema_versions",
    metadata,
    sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
    # the snapplan release that brought the store to it, and when
    sa.Column("release", sa.Text(), nullable=False),
    sa.Column("applied_at", UtcTimestamp(), nullable=False),
)

#: The append-only tables: the database refuses UPDATE, DELETE, replacing inserts and TRUNCATE.
IMMUTABLE_TABLES: Final = (snapshots, plans, plan_contents, runs, prices, pantry)


def immutability_ddl(dialect_name: str) -> list[str]:
    """The SQL that makes the append-only tables refuse UPDATE, DELETE, replacing inserts and
    (on PostgreSQL) TRUNCATE.

    ``dialect_name`` is ``"sqlite"``, ``"postgresql"``, ``"mariadb"`` or ``"mysql"``
    (``engine.dialect.name``; the last two give the same statements); another dialect is a
    ``ValidationError`` (a ``ValueError``) naming the supported ones. MariaDB and MySQL fire
    no trigger on ``TRUNCATE``: there, only privileges keep it from the application's user.
    ``metadata.create_all`` already runs these statements; this function is for hosts that
    manage their schema with Alembic migrations.

    >>> len(immutability_ddl("sqlite"))
    18
    """
    dialect = dialect_named(dialect_name)
    return [
        statement for table in IMMUTABLE_TABLES for statement in dialect.immutability_ddl(table)
    ]


def _install_triggers(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
    for statement in dialect_named(connection.dialect.name).immutability_ddl(target):
        connection.exec_driver_sql(statement)


for _table in IMMUTABLE_TABLES:
    sa.event.listen(_table, "after_create", _install_triggers)


class _CanonicalId(sa.ColumnElement[bool]):
    """The ``CHECK`` expression of one id column, as its engine's dialect spells it."""

    inherit_cache = False

    def __init__(self, column: sa.Column[Any]) -> None:
        self.column = column.name
        self.nullable = bool(column.nullable)


def _id_check(dialect: sa.Dialect, column: str, *, nullable: bool) -> str | None:
    engine = DIALECTS.get(dialect.name)
    return None if engine is None else engine.canonical_id_check(column, nullable=nullable)


@compiles(_CanonicalId)
def _compile_canonical_id(element: _CanonicalId, compiler: Any, **_: Any) -> str:
    check = _id_check(
        compiler.dialect, compiler.preparer.quote(element.column), nullable=element.nullable
    )
    # Only an engine that needs the check creates it (_needs_id_checks). "true" is what a tool
    # that renders the constraint for another engine writes instead (Alembic's autogenerate on
    # PostgreSQL, or DDL printed for SQLAlchemy's default dialect): a check that admits all.
    return "true" if check is None else check


def _needs_id_checks(
    ddl: BaseDDLElement,
    target: sa.schema.SchemaItem | str,
    bind: sa.Connection | None,
    tables: list[sa.Table] | None = None,
    state: Any | None = None,
    *,
    dialect: sa.Dialect,
    compiler: DDLCompiler | None = None,
    checkfirst: bool = False,
) -> bool:
    return _id_check(dialect, "id", nullable=False) is not None


for _table in metadata.tables.values():
    for _engine in dict.fromkeys(DIALECTS.values()):
        _table.dialect_kwargs.update(_engine.table_options())
        for _column in _table.columns:
            _variant = _engine.column_type(_column.type)
            if _variant is not None:
                _column.type = _column.type.with_variant(_variant, *_engine.names)
    for _column in _table.columns:
        if isinstance(_column.type, sa.Uuid):
            _table.append_constraint(
                sa.CheckConstraint(_CanonicalId(_column), name=f"{_column.name}_canonical").ddl_if(
                    callable_=_needs_id_checks
                )
            )
