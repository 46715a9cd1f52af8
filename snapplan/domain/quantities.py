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
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from snapplan.errors import ValidationError

MAX_DIGITS = 60
MAX_ADJUSTED_EXPONENT = 40

#: Type of the values a constructor accepts for an amount.
AmountLike = Decimal | int | str


def to_decimal(value: Any) -> Decimal:
    """Convert ``value`` to a finite ``Decimal`` exactly, or raise ``ValidationError``.

    >>> to_decimal("0.1")
    Decimal('0.1')
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise ValidationError(
            f"amounts must be Decimal, int or str, not {type(value).__name__} ({value!r})"
        )
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except decimal.InvalidOperation:
            raise ValidationError(f"not a number: {value!r}") from None
    else:
        result = Decimal(value)
    if not result.is_finite():
        raise ValidationError(f"amounts must be finite, not {value!r}")
    if result.is_zero():
        return result
    digits = len(result.as_tuple().digits)
    if digits > MAX_DIGITS:
        raise ValidationError(f"{value!r} is written with more than {MAX_DIGITS} digits")
    if abs(result.adjusted()) > MAX_ADJUSTED_EXPONENT:
        raise ValidationError(f"{value!r} is outside 1E-40 .. 1E+40")
    return result


def positive_amount(value: Any) -> Decimal:
    """Convert and require ``> 0`` (batches, quantities, items per batch)."""
    result = to_decimal(value)
    if result <= 0:
        raise ValidationError(f"amount must be positive, not {value!r}")
    return result


def canonical_decimal(value: Decimal) -> str:
    """A spelling that is equal for equal numbers: ``2``, ``2.0`` and ``2.00`` all give ``"2"``.

    Exact for any number of digits (no context rounding is involved).
    """
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
