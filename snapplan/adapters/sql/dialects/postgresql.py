"""PostgreSQL (with psycopg 3).

- Transactions run at the engine's isolation level (READ COMMITTED by default); nothing is
  installed on the engine.
- Ids use the native ``uuid`` type, canonical by itself: no ``CHECK`` is needed.
- Times are ``timestamptz``, bound aware.
- Append-only tables: one plpgsql function that raises (``restrict_violation``), a ``BEFORE
  UPDATE OR DELETE ... FOR EACH ROW`` trigger per table, and a ``BEFORE TRUNCATE ... FOR EACH
  STATEMENT`` trigger (row triggers do not fire on ``TRUNCATE``, which would otherwise empty the
  ledger and leave its progress reading "nothing produced"). ``DROP TABLE`` remains possible:
  that is schema management.
- Errors are told apart by SQLSTATE: ``23505`` (unique violation) is a duplicate; serialization
  failures, deadlocks and lock timeouts are lost races.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from snapplan.adapters.sql.dialects.base import Dialect

#: The function every immutability trigger calls.
REFUSE_FUNCTION: Final = "snapplan_refuse_change"

_REFUSE_FUNCTION_DDL: Final = f"""\
CREATE OR REPLACE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'snapplan refuses ' || TG_OP || ' on ' || TG_TABLE_NAME
            || ' (append-only table)',
        ERRCODE = 'restrict_violation';
END;
$$"""

#: The advisory lock key of schema changes ("snap" in ASCII).
UPGRADE_LOCK: Final = 0x736E6170

_UNIQUE_VIOLATION: Final = "23505"
_LOST_RACES: Final = frozenset(
    {
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available
    }
)


class PostgresqlDialect(Dialect):
    """PostgreSQL (see the module docstring)."""

    names = ("postgresql",)
    streams_large_reads = True  # a server-side cursor (psycopg's named cursor)

    def any_of(
        self, column: sa.ColumnElement[Any], ids: Sequence[uuid.UUID]
    ) -> sa.ColumnElement[bool]:
        """``column = ANY(:ids)``, the ids one ``uuid[]``."""
        array = postgresql.ARRAY(sa.Uuid())
        # sa.func.any, not sa.any_: the latter leaves the bound parameter and its comparator
        # pointing at each other, a reference cycle per read (tests/test_reference_cycles.py)
        return column == sa.func.any(sa.bindparam("ids", list(ids), type_=array))

    def immutability_ddl(self, table: sa.Table) -> list[str]:
        """The refusing function, then the row trigger and the ``TRUNCATE`` trigger.

        >>> t = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
        >>> [s.split()[2] for s in PostgresqlDialect().immutability_ddl(t) if "CREATE T" in s]
        ['t_append_only', 't_refuse_truncate']
        """
        name = table.name
        rows, truncate = f"{name}_append_only", f"{name}_refuse_truncate"
        return [
            _REFUSE_FUNCTION_DDL,
            f"DROP TRIGGER IF EXISTS {rows} ON {name}",
            f"CREATE TRIGGER {rows} BEFORE UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {REFUSE_FUNCTION}()",
            f"DROP TRIGGER IF EXISTS {truncate} ON {name}",
            f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {name} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE_FUNCTION}()",
        ]

    def immutability_removal_ddl(self, table: sa.Table) -> list[str]:
        """The two triggers dropped (the function stays: other tables' triggers call it)."""
        name = table.name
        return [
            f"DROP TRIGGER IF EXISTS {name}_append_only ON {name}",
            f"DROP TRIGGER IF EXISTS {name}_refuse_truncate ON {name}",
        ]

    def lock_for_upgrade(self, connection: sa.Connection) -> None:
        """A transaction-level advisory lock (released when the transaction ends): two
        upgrades, or two ``create_schema``, of one database run one after the other."""
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(UPGRADE_LOCK)))

    def is_duplicate(self, driver_error: BaseException | None) -> bool:
        """SQLSTATE ``23505``, unique violation."""
        return bool(getattr(driver_error, "sqlstate", None) == _UNIQUE_VIOLATION)

    def is_lost_race(self, driver_error: BaseException | None) -> bool:
        """A serialization failure, a deadlock or a lock timeout."""
        return getattr(driver_error, "sqlstate", None) in _LOST_RACES
