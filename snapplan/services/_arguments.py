"""The services' boundary: arguments checked before any work, each failure naming its parameter.

A wrong *kind* of argument (a store where a unit of work belongs, None, a ``limits`` that is not
a :class:`~snapplan.Limits`) is a programming error: ``TypeError``. A right kind with a bad
value (an id string that is not a UUID, a clock returning a naive time) is a
``ValidationError``. Either way nothing has been read or written yet.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from snapplan.domain.limits import Limits
from snapplan.domain.quantities import amount_problem, as_decimal
from snapplan.errors import ValidationError
from snapplan.ports.clock import Clock, utc_now
from snapplan.ports.unit_of_work import UnitOfWork


def unit_of_work(uow: Any, parameter: str = "uow") -> UnitOfWork:
    """``uow`` if it is a unit of work (entered or not), else ``TypeError``.

    What is checked is what the object can do: the ``with`` statement looks ``__enter__`` and
    ``__exit__`` up on the type, while ``commit`` and ``savepoint`` are plain calls, so they may
    come from the instance, e.g. a host's wrapper that adds logging, metrics or fault injection
    around a store's unit of work and forwards everything else through ``__getattr__``.
    """
    kind = type(uow)
    if all(hasattr(kind, name) for name in ("__enter__", "__exit__")) and all(
        callable(getattr(uow, name, None)) for name in ("commit", "savepoint")
    ):
        checked: UnitOfWork = uow
        return checked
    hint = " (call store.unit_of_work())" if hasattr(uow, "unit_of_work") else ""
    raise TypeError(f"{parameter} must be a unit of work{hint}, not {kind.__name__}")


def limits(value: Any, parameter: str = "limits") -> Limits:
    """``value`` if it is a :class:`~snapplan.Limits`, else ``TypeError``."""
    if not isinstance(value, Limits):
        raise TypeError(f"{parameter} must be a snapplan.Limits, not {type(value).__name__}")
    return value


def now(clock: Clock | None, parameter: str = "clock") -> datetime.datetime:
    """The time ``clock`` tells (default: now), checked to be an aware UTC ``datetime``."""
    if clock is None:
        return utc_now()
    if not callable(clock):
        raise TypeError(f"{parameter} must be a callable returning a datetime, not {clock!r:.60}")
    try:
        value = clock()
    except Exception as error:
        raise ValidationError(f"{parameter} failed: {type(error).__name__}: {error}") from error
    if not isinstance(value, datetime.datetime) or value.utcoffset() != datetime.timedelta(0):
        raise ValidationError(f"{parameter} must return an aware UTC datetime, not {value!r:.80}")
    return value


def flag(value: Any, parameter: str) -> bool:
    """``value`` if it is a bool, else ``TypeError`` (a truthy string is not a yes)."""
    if not isinstance(value, bool):
        raise TypeError(f"{parameter} must be True or False, not {value!r:.40}")
    return value


def amount(value: Any, parameter: str, *, zero: bool = False) -> Decimal:
    """An exact amount argument (``int``, ``str`` or ``Decimal``; never a float): positive, or
    zero or more with ``zero``. ``ValidationError`` naming the parameter otherwise."""
    converted = as_decimal(value)
    problem = amount_problem(value if converted is None else converted, positive=not zero)
    if problem is not None:
        raise ValidationError(f"{parameter}: {problem}")
    assert converted is not None
    return converted


def moment(value: Any, parameter: str) -> datetime.datetime | None:
    """None, or an aware ``datetime`` (any offset), given back in UTC.

    ``TypeError`` for what is no ``datetime`` at all; ``ValidationError`` for a naive one (a
    time without a zone would be a guess)."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"{parameter} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{parameter} must be an aware datetime (with a time zone), not {value!r:.60}"
        )
    return value.astimezone(datetime.UTC)


def whole(value: Any, parameter: str) -> int:
    """A whole number of 1 or more (packs, a ledger number): an ``int``, or its ASCII digits as
    text (what a web form sends). ``TypeError`` for any other type, ``ValidationError`` for
    text that is no whole number, or for zero or less."""
    if isinstance(value, str):
        digits = value.strip(" \t")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
            raise ValidationError(f"{parameter} must be a whole number, not {value!r:.40}")
        value = int(digits)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{parameter} must be a whole number (int), not {value!r:.40}")
    if value < 1:
        raise ValidationError(f"{parameter} must be 1 or more, not {value}")
    return value
