"""Exact quantities: conversion at the boundary, validation, and exact arithmetic.

Every amount in snapplan is a :class:`decimal.Decimal`. Constructors accept ``int``, ``str`` or
``Decimal`` and convert exactly; ``float`` (and ``bool``) are refused because a float has usually
already lost the value the user meant (``0.1`` is not one tenth). NaN and infinities are refused.

To keep arithmetic exact and bounded, an amount is written with at most :data:`MAX_DIGITS`
digits (trailing zeros count: ``"1.000"`` has four) and its adjusted exponent lies within
``-40 .. 40`` (so ``1E-40 <= |x| < 1E+41``); anything else is a
:class:`~snapplan.errors.ValidationError` rather than a silently rounded number.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction

from snapplan.errors import ValidationError

MAX_DIGITS = 60
MAX_ADJUSTED_EXPONENT = 40
# An int of more bits than this has more than MAX_DIGITS digits (and text longer than
# _MAX_TEXT cannot be a bounded amount): both are refused without converting them.
_MAX_INT_BITS = 256
_MAX_TEXT = 200

#: Type of the values a constructor accepts for an amount.
AmountLike = Decimal | int | str

#: An amount as a person types it: ASCII digits, an optional sign, a decimal point and an
#: exponent, with spaces around it. ``Decimal()`` itself accepts more (``1_000``, digits of
#: other scripts such as ``"١٢"``, ``NaN``): text that reads differently to different people,
#: or to a database, is refused rather than guessed at.
_AMOUNT_TEXT = re.compile(r"[ \t]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*")
_NOT_FINITE_TEXT = re.compile(r"[ \t]*[+-]?(?:inf|infinity|s?nan[0-9]*)[ \t]*", re.IGNORECASE)


def as_decimal(value: object) -> Decimal | None:  # noqa: PLR0911  (one return per type)
    """``value`` as a ``Decimal`` if it is an exact amount type (``Decimal``, ``int``, numeric
    ``str``), else None. Bounds are not checked here (see :func:`amount_problem`)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if value.bit_length() > _MAX_INT_BITS:
            return None  # far beyond MAX_DIGITS; converting would cost time for nothing
        return Decimal(value)
    if isinstance(value, str):
        if len(value) > _MAX_TEXT or not _AMOUNT_TEXT.fullmatch(value):
            return None
        return Decimal(value.strip(" \t"))
    return None


def amount_problem(value: object, *, positive: bool) -> str | None:
    """What is wrong with ``value`` as an amount (None when it is a good one).

    A good amount is a finite ``Decimal`` written with at most :data:`MAX_DIGITS` digits, its
    adjusted exponent within ``-40 .. 40``; ``> 0`` when ``positive``, else ``>= 0``.
    """
    problem = _decimal_problem(value)
    if problem is not None:
        return problem
    assert isinstance(value, Decimal)
    if value.is_zero():
        return f"amount must be positive, not {value}" if positive else None
    if value < 0:
        return f"amount must be {'positive' if positive else 'zero or more'}, not {_shown(value)}"
    return None


def _decimal_problem(value: object) -> str | None:  # noqa: PLR0911  (one return per problem)
    """What keeps ``value`` from being a finite, bounded ``Decimal`` of either sign."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{_shown(value)} is written with more than {MAX_DIGITS} digits"
    if isinstance(value, str):
        if _NOT_FINITE_TEXT.fullmatch(value):
            return f"amounts must be finite, not {value.strip()}"
        return f"not a number: {_shown(value)}"
    if not isinstance(value, Decimal):
        return f"amounts must be Decimal, int or str, not {_shown(value)}"
    if not value.is_finite():
        return f"amounts must be finite, not {value}"
    if value.is_zero():
        return None
    if len(value.as_tuple().digits) > MAX_DIGITS:
        return f"{_shown(value)} is written with more than {MAX_DIGITS} digits"
    if abs(value.adjusted()) > MAX_ADJUSTED_EXPONENT:
        return f"{_shown(value)} is outside 1E-40 .. 1E+40"
    return None


def _shown(value: object) -> str:  # noqa: PLR0911  (one return per type)
    """A short, safe description of a rejected value (never a huge repr)."""
    if isinstance(value, bool):
        return f"bool ({value})"
    if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
        return f"an int of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, str) and len(value) > 40:
        return f"text of {len(value)} characters ({value[:20]!r}...)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Decimal):
        text = str(value)
        return text if len(text) <= 80 else text[:40] + "..." + text[-20:]
    if isinstance(value, float):
        return f"float ({value!r}); write it as a str or Decimal: '{value!r}'"
    return type(value).__name__


def to_decimal(value: object) -> Decimal:
    """Convert ``value`` to a bounded, finite ``Decimal`` exactly, or raise ``ValidationError``.

    Zero and negative amounts are accepted here; see :func:`positive_amount`.

    >>> to_decimal("0.1")
    Decimal('0.1')
    """
    result = as_decimal(value)
    problem = _decimal_problem(value if result is None else result)
    if problem is not None:
        raise ValidationError(problem)
    assert result is not None
    return result


def positive_amount(value: object) -> Decimal:
    """Convert and require ``> 0`` (batches, quantities, items per batch)."""
    result = as_decimal(value)
    problem = amount_problem(value if result is None else result, positive=True)
    if problem is not None:
        raise ValidationError(problem)
    assert result is not None
    return result


def canonical_decimal(value: Decimal) -> str:
    """A spelling that is equal for equal numbers: ``2``, ``2.0`` and ``2.00`` all give ``"2"``.

    Exact for any number of digits (no context rounding is involved). Digests spell every
    amount this way, so it is on the hot path of every plan: plain notation is read off
    ``str(value)``; only exponent notation is spelled out digit by digit.
    """
    text = str(value)
    if "E" not in text:
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return _spelled_out(value)


def _spelled_out(value: Decimal) -> str:
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    digit_list = list(digits)
    while len(digit_list) > 1 and digit_list[-1] == 0 and exponent < 0:
        digit_list.pop()
        exponent += 1
    if digit_list == [0]:
        return "0"
    text = "".join(map(str, digit_list))
    if exponent >= 0:
        text = text + "0" * exponent
    else:
        point = len(text) + exponent
        text = "0." + "0" * -point + text if point <= 0 else text[:point] + "." + text[point:]
    return ("-" if sign else "") + text


#: The context of :func:`exact_arithmetic`, for a single operation that takes a context.
_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation],
)


@contextmanager
def exact_arithmetic() -> Iterator[decimal.Context]:
    """A local decimal context that raises instead of rounding.

    Only exact operations (``+``, ``-``, ``*``, comparisons) are done on ``Decimal`` here
    (division goes through ``fractions.Fraction``), and their results need at most the sum of
    the operands' digits. A fixed precision (such as 2000) is exceeded by a product along a
    long chain of nested goods (30-digit quantities over 70 levels), so the precision is
    unbounded: libmpdec sizes each result by its digits, not by ``prec``. Should a result
    ever need rounding, ``decimal.Inexact`` is still raised rather than hidden.
    """
    with decimal.localcontext() as ctx:
        ctx.prec = decimal.MAX_PREC
        ctx.Emax = decimal.MAX_EMAX
        ctx.Emin = decimal.MIN_EMIN
        ctx.traps[decimal.Inexact] = True
        ctx.traps[decimal.Rounded] = True
        ctx.traps[decimal.InvalidOperation] = True
        yield ctx


def exact_decimal(value: Fraction) -> Decimal | Fraction:
    """``value`` as a ``Decimal`` if its decimal expansion terminates, else unchanged."""
    denominator = value.denominator
    if denominator == 1:
        return Decimal(value.numerator)
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return value
    scale = max(twos, fives)
    numerator = value.numerator * (10**scale // value.denominator)
    return Decimal(numerator).scaleb(-scale, context=_EXACT)
