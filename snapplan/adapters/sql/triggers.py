"""Database triggers that make a table append-only: UPDATE and DELETE are refused.

Snapshots and plans are immutable records. The repositories never change them, and these
triggers make the database itself refuse to, so the guarantee also holds against raw SQL,
a host's own code or a careless migration.

- SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers that ``RAISE(ABORT, ...)``.
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


def table_trigger_ddl(dialect_name: str, table_name: str) -> list[str]:
    """The statements that make ``table_name`` refuse UPDATE and DELETE on a dialect.

    >>> table_trigger_ddl("sqlite", "t")[0].split()[:6]
    ['CREATE', 'TRIGGER', 'IF', 'NOT', 'EXISTS', 't_refuse_update']

    Raises ``ValueError`` for a dialect other than ``sqlite`` and ``postgresql``.
    """
    if dialect_name == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table_name}_refuse_{op.lower()} "
            f"BEFORE {op} ON {table_name} "
            f"BEGIN SELECT RAISE(ABORT, "
            f"'snapplan refuses {op} on {table_name} (append-only table)'); END"
            for op in ("UPDATE", "DELETE")
        ]
    if dialect_name == "postgresql":
        trigger = f"{table_name}_append_only"
        return [
            _POSTGRES_FUNCTION_DDL,
            f"DROP TRIGGER IF EXISTS {trigger} ON {table_name}",
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table_name} "
            f"FOR EACH ROW EXECUTE FUNCTION {POSTGRES_FUNCTION}()",
        ]
    raise ValueError(
        f"snapplan has no immutability triggers for the {dialect_name!r} dialect "
        "(supported: sqlite, postgresql)"
    )
