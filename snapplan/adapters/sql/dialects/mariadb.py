"""MariaDB (10.6 and later) and MySQL (8.0 and later), with PyMySQL.

SQLAlchemy calls the engine ``mariadb`` or ``mysql`` after the URL's spelling
(``mariadb+pymysql://``, ``mysql+pymysql://``); both are this one dialect and make the same
tables, so a database created through one URL is read through the other.

- **Transactions** run at the engine's isolation level (InnoDB's REPEATABLE READ by default);
  nothing is installed on the engine. A consistent read takes no locks; the ledger's rules hold
  because every rule the database enforces is a unique key, checked against committed rows
  whatever a transaction's snapshot says: of two recorders that read the ledger at ``seq`` n,
  the second to write n + 1 waits for the first and then meets a duplicate key.
- **Text** is ``utf8mb4`` with the binary collation ``utf8mb4_bin`` for every snapplan table
  (table options), so names compare as on PostgreSQL and SQLite: "Flour" and "flour", "Creme"
  and "Crème" are different names, in unique keys and in lookups alike, and an emoji is a
  character like any other. (``utf8mb4_bin`` pads with spaces when it compares; no name or key
  the domain accepts ends with one.) Unbounded text is ``LONGTEXT`` (``TEXT`` stops at 64 KiB);
  indexed text of a known bound (an idempotency key) is ``VARCHAR(n)``.
- **Ids** are ``CHAR(32)``, 32 lower-case hexadecimal characters (``uuid.UUID.hex``) under both
  URL spellings (SQLAlchemy's ``mariadb`` dialect would otherwise choose MariaDB's native
  ``UUID`` type, which the ``mysql`` spelling does not read), kept to that one spelling by a
  ``CHECK``.
- **Times** are ``DATETIME(6)``: the UTC instant, naive, to the microsecond, whatever the
  session's ``time_zone`` (a ``TIMESTAMP`` would convert, and stops in 2038).
- **Amounts** are text, as on every engine (``DECIMAL`` stops at 65 digits).
- **Bulk reads** bind the ids as one JSON array and read it with ``JSON_TABLE``.
- **Append-only tables**: ``BEFORE UPDATE`` and ``BEFORE DELETE`` row triggers that ``SIGNAL
  SQLSTATE '45000'``. ``REPLACE`` deletes the row it replaces (the ``DELETE`` trigger refuses
  it) and ``INSERT ... ON DUPLICATE KEY UPDATE`` updates it (the ``UPDATE`` trigger refuses
  it). ``TRUNCATE`` fires no trigger on these engines, and they have no statement triggers:
  it needs the ``DROP`` privilege, which the application's database user must not have (see
  the how-to "MariaDB or MySQL").
- **Errors** are told apart by the server's error number: 1062 (and 1022, 1586) is a
  duplicate key; 1213 (deadlock), 1205 (lock wait timeout) and 1020 (a record changed since
  the transaction's snapshot, under ``innodb_snapshot_isolation``) are lost races.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from snapplan.adapters.sql.dialects.base import Dialect

#: Character set and collation of every snapplan table: binary comparison of UTF-8 text.
CHARSET: Final = "utf8mb4"
COLLATION: Final = "utf8mb4_bin"

# Server error numbers (the first argument of the driver's error).
_DUPLICATES: Final = frozenset(
    {
        1022,  # ER_DUP_KEY
        1062,  # ER_DUP_ENTRY
        1586,  # ER_DUP_ENTRY_WITH_KEY_NAME
    }
)
_LOST_RACES: Final = frozenset(
    {
        1020,  # ER_CHECKREAD: record changed since the snapshot (innodb_snapshot_isolation)
        1205,  # ER_LOCK_WAIT_TIMEOUT
        1213,  # ER_LOCK_DEADLOCK
    }
)


class MariadbDialect(Dialect):
    """MariaDB and MySQL (see the module docstring)."""

    names = ("mariadb", "mysql")
    #: DDL commits at once: an upgrade could stop half done. No release before schema
    #: version 2 ran on these engines, so none has anything to upgrade but the version record.
    transactional_ddl = False

    def any_of(
        self, column: sa.ColumnElement[Any], ids: Sequence[uuid.UUID]
    ) -> sa.ColumnElement[bool]:
        """``column IN (SELECT id FROM JSON_TABLE(:ids, ...))``, the ids a JSON array of their
        stored 32-hex form (the optimiser looks each one up in the column's index)."""
        hexes = json.dumps([i.hex for i in ids])
        listed = sa.text("JSON_TABLE(:ids, '$[*]' COLUMNS (id CHAR(32) PATH '$')) AS listed")
        values: sa.Select[Any] = sa.select(sa.literal_column("listed.id")).select_from(
            listed.bindparams(sa.bindparam("ids", hexes, type_=sa.String()))
        )
        return column.in_(values)

    def bind_timestamp(self, utc: datetime.datetime) -> datetime.datetime:
        """``DATETIME`` keeps no offset: the UTC instant, naive."""
        return utc.replace(tzinfo=None)

    def table_options(self) -> Mapping[str, str]:
        """InnoDB, ``utf8mb4``, ``utf8mb4_bin``, under both SQLAlchemy names.

        >>> MariadbDialect().table_options()["mariadb_collate"]
        'utf8mb4_bin'
        """
        options = {"engine": "InnoDB", "charset": CHARSET, "collate": COLLATION}
        return {f"{name}_{key}": value for name in self.names for key, value in options.items()}

    def column_type(self, generic: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any] | None:
        """Ids as ``CHAR(32)`` (never MariaDB's native ``UUID``), unbounded text as
        ``LONGTEXT``."""
        if isinstance(generic, sa.Uuid):
            return sa.Uuid(native_uuid=False)
        if isinstance(generic, sa.Text) and generic.length is None:
            return mysql.LONGTEXT()
        return None

    def timestamp_type(self) -> sa.types.TypeEngine[Any]:
        """``DATETIME(6)``."""
        return mysql.DATETIME(fsp=6)

    def bounded_text_type(self, length: int) -> sa.types.TypeEngine[Any]:
        """``VARCHAR(length)``: InnoDB indexes no unbounded text."""
        return sa.String(length)

    def immutability_ddl(self, table: sa.Table) -> list[str]:
        """A row trigger refusing ``UPDATE`` and one refusing ``DELETE`` (dropped first, so that
        the statements can be emitted again).

        >>> t = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
        >>> [s.split()[2] for s in MariadbDialect().immutability_ddl(t) if "CREATE" in s]
        ['t_refuse_update', 't_refuse_delete']
        """
        name = table.name
        statements = []
        for op in ("UPDATE", "DELETE"):
            trigger = f"{name}_refuse_{op.lower()}"
            statements += [
                f"DROP TRIGGER IF EXISTS {trigger}",
                f"CREATE TRIGGER {trigger} BEFORE {op} ON {name} FOR EACH ROW "
                f"SIGNAL SQLSTATE '45000' "
                f"SET MESSAGE_TEXT = 'snapplan refuses {op} on {name} (append-only table)'",
            ]
        return statements

    def canonical_id_check(self, column: str, *, nullable: bool) -> str | None:
        """32 lower-case hexadecimal characters (case-sensitive: the column is ``utf8mb4_bin``).

        >>> MariadbDialect().canonical_id_check("id", nullable=True)
        "id IS NULL OR (CHAR_LENGTH(id) = 32 AND id NOT REGEXP '[^0-9a-f]')"
        """
        check = f"CHAR_LENGTH({column}) = 32 AND {column} NOT REGEXP '[^0-9a-f]'"
        return f"{column} IS NULL OR ({check})" if nullable else check

    def immutability_removal_ddl(self, table: sa.Table) -> list[str]:
        """The two triggers dropped."""
        return [f"DROP TRIGGER IF EXISTS {table.name}_refuse_{op}" for op in ("update", "delete")]

    def is_duplicate(self, driver_error: BaseException | None) -> bool:
        """Error 1062 (or 1022, 1586): a duplicate key."""
        return _error_number(driver_error) in _DUPLICATES

    def is_lost_race(self, driver_error: BaseException | None) -> bool:
        """A deadlock (1213), a lock wait timeout (1205) or a record changed since the
        transaction's snapshot (1020)."""
        return _error_number(driver_error) in _LOST_RACES


def _error_number(driver_error: BaseException | None) -> int | None:
    """The server's error number: PyMySQL and mysqlclient give it as the first argument."""
    number = getattr(driver_error, "errno", None)
    if isinstance(number, int):
        return number
    args = getattr(driver_error, "args", ())
    return args[0] if args and isinstance(args[0], int) else None
