"""Converters and validators shared by the domain values, and id parsing for the services.

Converters normalise what a constructor accepts (an id's string form, any iterable for a
collection, an ``int`` or ``str`` amount); validators judge the result and, knowing the class
and the field, say which one is wrong::

    FinishedUnit.items_per_batch: amount must be positive, not 0

A converter never raises for a value it does not understand: it hands it on unchanged, so that
the validator (which knows the field's name) reports it.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Final

from snapplan.domain.quantities import AmountLike, amount_problem, as_decimal
from snapplan.errors import ValidationError

#: The largest version a store keeps (a signed 64-bit integer, every engine alike).
MAX_VERSION: Final = 2**63 - 1

#: The longest idempotency key (in characters) any store accepts.
MAX_KEY_LENGTH: Final = 200

_HEX_DIGEST: Final = re.compile(r"[0-9a-f]{64}")


def new_id() -> uuid.UUID:
    """A fresh identity. Ids are made by the domain; adapters never invent them."""
    return uuid.uuid4()


def fail(instance: Any, attribute: Any, message: str) -> ValidationError:
    """The error for a bad field value, named ``Class.field``."""
    return ValidationError(f"{type(instance).__name__}.{attribute.name}: {message}")


# -- converters -------------------------------------------------------------------------------


def to_id(value: uuid.UUID | str) -> Any:
    """attrs converter: an id's string form becomes a ``UUID``; anything else is handed on
    unchanged for :func:`is_id` to judge (hence ``Any``: the validator guarantees the type)."""
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    return value


def to_optional_id(value: uuid.UUID | str | None) -> Any:
    """attrs converter: None stays None, anything else as :func:`to_id`."""
    return None if value is None else to_id(value)


def to_amount(value: AmountLike) -> Any:
    """attrs converter: an ``int``, ``str`` or ``Decimal`` amount becomes a ``Decimal``.

    A value that is no exact amount (a float, a bool, text that is not a number) is handed on
    unchanged for :func:`positive` to report.
    """
    converted = as_decimal(value)
    return value if converted is None else converted


def to_tuple(value: Iterable[Any]) -> Any:
    """attrs converter: any iterable (but not a str, bytes or a mapping) becomes a tuple."""
    if isinstance(value, (str, bytes, dict)):
        return value  # reported by elements_of
    try:
        return tuple(value)
    except TypeError:
        return value


# -- validators -------------------------------------------------------------------------------


def is_id(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a ``uuid.UUID``."""
    if not isinstance(value, uuid.UUID):
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        raise fail(instance, attribute, f"not a UUID: {shown}")


def is_optional_id(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a ``uuid.UUID`` or None."""
    if value is not None:
        is_id(instance, attribute, value)


def nonblank_name(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a ``str`` with at least one non-space character and none at either end.

    ``"Butter"`` and ``"Butter "`` look the same on every screen and on a printed sheet; were
    both accepted they would be two ingredients that nobody can tell apart. A name, a unit, a
    reason or a key is therefore refused when it starts or ends with white space.
    """
    text(instance, attribute, value)
    problem = name_problem(value)
    if problem is not None:
        raise fail(instance, attribute, problem)


def name_problem(value: str) -> str | None:
    """What keeps the text ``value`` from being a name (None when it is one)."""
    if not value.strip():
        return "must not be blank"
    if value != value.strip():
        return f"must not start or end with white space: {value!r:.80}"
    return None


def idempotency_key(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: None, or a name of at most :data:`MAX_KEY_LENGTH` characters.

    Keys are indexed by every store; a bound keeps them within every engine's index limits
    (PostgreSQL refuses index entries over 2,704 bytes, MariaDB over 3,072), so that the same
    key gets the same answer on every store.
    """
    if value is None:
        return
    if not isinstance(value, str):
        raise fail(instance, attribute, f"must be a str, not {type(value).__name__}")
    problem = key_problem(value)
    if problem is not None:
        raise fail(instance, attribute, problem)


def key_problem(value: str) -> str | None:
    """What keeps the text ``value`` from being an idempotency key (None when it is one): the
    rules of :func:`idempotency_key`, for code that looks a key up or reads one back."""
    problem = text_problem(value) or name_problem(value)
    if problem is None and len(value) > MAX_KEY_LENGTH:
        return f"must be at most {MAX_KEY_LENGTH} characters, not {len(value)}"
    return problem


def text(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: any ``str`` (may be empty) that every store can keep."""
    if not isinstance(value, str):
        raise fail(instance, attribute, f"must be a str, not {type(value).__name__}")
    problem = text_problem(value)
    if problem is not None:
        raise fail(instance, attribute, problem)


def text_problem(value: str) -> str | None:
    """What keeps the ``str`` ``value`` from being text every store keeps (None when it is)."""
    # NUL cannot be stored in PostgreSQL text; refusing it here keeps every store equal.
    if "\x00" in value:
        return "must not contain NUL characters"
    # Lone surrogates cannot be encoded as UTF-8: no database stores them, no digest hashes them.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (it contains a lone surrogate)"
    return None


def optional_text(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: None, or text as :func:`text`."""
    if value is not None:
        text(instance, attribute, value)


def version_number(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a version is an ``int`` in 1 ... 2**63 - 1 (what every store keeps)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(instance, attribute, f"must be an int, not {type(value).__name__}")
    if not 1 <= value <= MAX_VERSION:
        shown = value if value.bit_length() < 256 else "a larger int"
        raise fail(instance, attribute, f"must be between 1 and 2**63 - 1, not {shown}")


def sequence_number(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a place in a ledger, an ``int`` in 1 ... 2**63 - 1."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VERSION:
        raise fail(instance, attribute, f"must be an int from 1, not {value!r:.40}")


def positive(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: an exact, finite, bounded ``Decimal`` greater than zero."""
    problem = amount_problem(value, positive=True)
    if problem is not None:
        raise fail(instance, attribute, problem)


def non_negative(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: an exact, finite, bounded ``Decimal`` of zero or more."""
    problem = amount_problem(value, positive=False)
    if problem is not None:
        raise fail(instance, attribute, problem)


def utc_timestamp(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: an aware ``datetime`` in UTC."""
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        raise fail(instance, attribute, f"must be an aware datetime, not {value!r}")
    if value.utcoffset() != datetime.timedelta(0):
        raise fail(instance, attribute, f"must be in UTC, not {value!r}")


def digest_hex(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a sha256 digest, 64 lowercase hex digits."""
    if not isinstance(value, str) or not _HEX_DIGEST.fullmatch(value):
        raise fail(instance, attribute, f"must be 64 lowercase hex digits, not {value!r:.80}")


def elements_of(*kinds: type) -> Callable[[Any, Any, Any], None]:
    """attrs validator: a tuple whose every element is an instance of one of ``kinds``."""
    names = " or ".join(kind.__name__ for kind in kinds)

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, tuple):
            raise fail(instance, attribute, f"expected a sequence, not {type(value).__name__}")
        for item in value:
            if not isinstance(item, kinds):
                raise fail(instance, attribute, f"must hold {names}, not {type(item).__name__}")

    return check


# -- the services' boundary -------------------------------------------------------------------


def parse_id(value: uuid.UUID | str, parameter: str) -> uuid.UUID:
    """A service's id argument as a ``UUID`` (its string form is accepted too).

    >>> parse_id("5b7f8e1c-3d3c-4d55-9c57-0f5a2f1a6d10", "plan_id").version
    4
    """
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            raise ValidationError(f"{parameter}: not a UUID: {value!r:.80}") from None
    raise TypeError(f"{parameter} must be a UUID or its string form, not {type(value).__name__}")
