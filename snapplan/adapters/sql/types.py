"""Column types that keep snapplan's values exact on every engine.

- :class:`ExactDecimal` stores a ``Decimal`` as its text, ``str(d)``: thirty (or sixty)
  significant digits come back unchanged, and so does the spelling (``2.50`` stays ``2.50``).
  SQLite's REAL and NUMERIC affinities would round to a double; text never does.
- :class:`UtcTimestamp` takes and returns aware UTC datetimes, bound as the engine's dialect
  says (:meth:`~snapplan.adapters.sql.dialects.Dialect.bind_timestamp`): a ``timestamptz`` on
  PostgreSQL (read back in UTC whatever the session's time zone), a naive UTC value on SQLite,
  which has no time zones, and on MariaDB/MySQL, in a ``DATETIME(6)``
  (:meth:`~snapplan.adapters.sql.dialects.Dialect.timestamp_type`).
- :class:`BoundedText` is indexed text of at most a given length (an idempotency key): ``TEXT``
  where the engine indexes that, ``VARCHAR(n)`` where it does not
  (:meth:`~snapplan.adapters.sql.dialects.Dialect.bounded_text_type`).

Identities use SQLAlchemy's own :class:`sqlalchemy.Uuid` (native ``uuid`` on PostgreSQL, 32 hex
characters on SQLite, MariaDB and MySQL, kept to one spelling by a ``CHECK``: see
:mod:`snapplan.adapters.sql.schema`); both sort like :class:`uuid.UUID` does.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from snapplan.adapters.sql.dialects import DIALECTS, dialect_named
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


class BoundedText(sa.types.TypeDecorator[str]):
    """Text of at most ``length`` characters that an index covers (the domain bounds it)."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, length: int) -> None:
        # The bound is the impl's length too, so that repr() (and Alembic's autogenerate, which
        # writes the column type from it) says BoundedText(length=200).
        super().__init__(length)
        self.length = length

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        """The engine's type for it (``TEXT``, or ``VARCHAR(length)``)."""
        engine = DIALECTS.get(dialect.name)
        if engine is None:  # DDL rendered for another engine (SQLAlchemy's default dialect)
            return self.impl_instance
        return engine.bounded_text_type(self.length)


class UtcTimestamp(sa.types.TypeDecorator[datetime.datetime]):
    """An aware UTC ``datetime`` (naive values are refused rather than guessed at)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        """The engine's type for an instant to the microsecond."""
        engine = DIALECTS.get(dialect.name)
        if engine is None:  # DDL rendered for another engine (SQLAlchemy's default dialect)
            return self.impl_instance
        return engine.timestamp_type()

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
