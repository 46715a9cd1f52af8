"""Column types that keep snapplan's values exact on every engine.

- :class:`ExactDecimal` stores a ``Decimal`` as its text, ``str(d)``: thirty (or sixty)
  significant digits come back unchanged, and so does the spelling (``2.50`` stays ``2.50``).
  SQLite's REAL and NUMERIC affinities would round to a double; text never does.
- :class:`UtcTimestamp` takes and returns aware UTC datetimes, bound as the engine's dialect
  says (:meth:`~snapplan.adapters.sql.dialects.Dialect.bind_timestamp`): a ``timestamptz`` on
  PostgreSQL (read back in UTC whatever the session's time zone), a naive UTC value on SQLite,
  which has no time zones.

Identities use SQLAlchemy's own :class:`sqlalchemy.Uuid` (native ``uuid`` on PostgreSQL, 32 hex
characters on SQLite, kept to one spelling by a ``CHECK``: see
:mod:`snapplan.adapters.sql.schema`); both sort like :class:`uuid.UUID` does.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from snapplan.adapters.sql.dialects import dialect_named
from snapplan.domain.quantities import to_decimal


class ExactDecimal(sa.types.TypeDecorator[Decimal]):
    """A ``Decimal`` stored exactly as text (``str(d)``); floats are refused."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: sa.Dialect) -> str | None:
        """``str(d)`` of an exact amount (``to_decimal`` refuses floats, NaN and infinities)."""
        if value is None:
            return None
        return str(to_decimal(value))

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Decimal | None:
        """The ``Decimal`` spelled by the stored text."""
        if value is None:
            return None
        return Decimal(value)


class UtcTimestamp(sa.types.TypeDecorator[datetime.datetime]):
    """An aware UTC ``datetime`` (naive values are refused rather than guessed at)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime.datetime | None, dialect: sa.Dialect
    ) -> datetime.datetime | None:
        """The instant in UTC, as the engine binds it (naive for SQLite, which stores no
        offset)."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"timestamps must be aware, not {value!r}")
        return dialect_named(dialect.name).bind_timestamp(value.astimezone(datetime.UTC))

    def process_result_value(
        self, value: datetime.datetime | None, dialect: sa.Dialect
    ) -> datetime.datetime | None:
        """The stored instant as an aware UTC ``datetime``."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC)
