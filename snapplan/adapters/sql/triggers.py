"""Database triggers that make a table append-only: UPDATE, DELETE and replacing inserts are
refused.

Snapshots and plans are immutable records. The repositories never change them, and these
triggers make the database itself refuse to, so the guarantee also holds against raw SQL,
a host's own code or a careless migration.

- SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers that ``RAISE(ABORT, ...)``, and a
  ``BEFORE INSERT`` trigger that refuses a row whose key is taken (``REPLACE`` would otherwise
  delete the old row silently).
- PostgreSQL: one plpgsql function that raises, and a ``BEFORE UPDATE OR DELETE ... FOR EACH
  ROW`` trigger per table. ``TRUNCATE`` and ``DROP TABLE`` remain possible: they are schema
  management, which a host's migrations and test fixtures need.

The statements are idempotent (``IF NOT EXISTS`` / ``CREATE OR REPLACE`` / ``DROP ... IF
EXISTS``), so they may be emitted again safely. They contain no ``%`` and no ``:name``, so
they pass unchanged through DB-API parameter styles and ``sqlalchemy.text`` (Alembic's
``op.execute``).
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

#: How the SQLite trigger that refuses replacing inserts starts its message (the SQL store
#: recognises it to report a duplicate id as ``ConflictError``).
DUPLICATE_MARK: Final = "snapplan: a row with this key already exists in"

#: The PostgreSQL function every immutability trigger calls.
POSTGRES_FUNCTION: Final = "snapplan_refuse_change"

_POSTGRES_FUNCTION_DDL: Final = f"""\
CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'snapplan refuses ' || TG_OP || ' on ' || TG_TABLE_NAME
            || ' (append-only table)',
        ERRCODE = 'restrict_violation';
END;
$$"""


def table_trigger_ddl(dialect_name: str, table: sa.Table) -> list[str]:
    """The statements that make ``table`` append-only on a dialect.

    Refused: ``UPDATE``, ``DELETE`` and replacing inserts. SQLite's ``REPLACE`` / ``INSERT OR
    REPLACE`` delete the conflicting row without firing DELETE triggers (unless
    ``recursive_triggers`` is on), so a ``BEFORE INSERT`` trigger refuses any insert whose
    primary key or unique key is already taken; that is also what a plain duplicate insert
    meets first (the SQL store translates it to ``ConflictError``). An upsert (``ON CONFLICT DO
    UPDATE``) fires the UPDATE trigger on both engines.

    >>> import sqlalchemy as sa
    >>> t = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
    >>> [s.split()[5] for s in table_trigger_ddl("sqlite", t)]
    ['t_refuse_update', 't_refuse_delete', 't_refuse_replace']

    Raises ``ValueError`` for a dialect other than ``sqlite`` and ``postgresql``.
    """
    name = table.name
    if dialect_name == "sqlite":
        taken = " OR ".join(
            f"EXISTS (SELECT 1 FROM {name} WHERE "
            + " AND ".join(f"{column} = NEW.{column}" for column in key)
            + ")"
            for key in unique_keys(table)
        )
        return [
            *(
                f"CREATE TRIGGER IF NOT EXISTS {name}_refuse_{op.lower()} "
                f"BEFORE {op} ON {name} "
                f"BEGIN SELECT RAISE(ABORT, "
                f"'snapplan refuses {op} on {name} (append-only table)'); END"
                for op in ("UPDATE", "DELETE")
            ),
            f"CREATE TRIGGER IF NOT EXISTS {name}_refuse_replace "
            f"BEFORE INSERT ON {name} WHEN {taken} "
            f"BEGIN SELECT RAISE(ABORT, "
            f"'{DUPLICATE_MARK} {name} (append-only table: no replacing insert)'); END",
        ]
    if dialect_name == "postgresql":
        trigger = f"{name}_append_only"
        return [
            _POSTGRES_FUNCTION_DDL,
            f"DROP TRIGGER IF EXISTS {trigger} ON {name}",
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {POSTGRES_FUNCTION}()",
        ]
    raise ValueError(
        f"snapplan has no immutability triggers for the {dialect_name!r} dialect "
        "(supported: sqlite, postgresql)"
    )


def unique_keys(table: sa.Table) -> list[tuple[str, ...]]:
    """The column groups that identify a row: the primary key and every unique constraint or
    unique index."""
    keys = [tuple(column.name for column in table.primary_key.columns)]
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            keys.append(tuple(column.name for column in constraint.columns))
    for index in table.indexes:
        if index.unique:
            keys.append(tuple(column.name for column in index.columns))
    for column in table.columns:
        if column.unique:
            keys.append((column.name,))
    return list(dict.fromkeys(key for key in keys if key))
