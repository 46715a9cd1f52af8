"""Validators for names and other small invariants shared by the domain types."""

from __future__ import annotations

import uuid
from typing import Any

from snapplan.errors import ValidationError


def new_id() -> uuid.UUID:
    """A fresh identity. Ids are made by the domain; adapters never invent them."""
    return uuid.uuid4()


def nonblank_name(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a ``str`` with at least one non-space character."""
    if not isinstance(value, str):
        raise ValidationError(f"{attribute.name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValidationError(f"{attribute.name} must not be blank")
    _no_nul(attribute, value)


def _no_nul(attribute: Any, value: str) -> None:
    # NUL cannot be stored in PostgreSQL text; refusing it here keeps every store equal.
    if "\x00" in value:
        raise ValidationError(f"{attribute.name} must not contain NUL characters")
    # Lone surrogates cannot be encoded as UTF-8: no database stores them, no digest hashes them.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            f"{attribute.name} must be valid Unicode text (it contains a lone surrogate)"
        ) from None


def text(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: any ``str`` (may be empty)."""
    if not isinstance(value, str):
        raise ValidationError(f"{attribute.name} must be a str, not {type(value).__name__}")
    _no_nul(attribute, value)


def identity(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a ``uuid.UUID``."""
    if not isinstance(value, uuid.UUID):
        raise ValidationError(f"{attribute.name} must be a UUID, not {type(value).__name__}")


def optional_identity(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a ``uuid.UUID`` or None."""
    if value is not None:
        identity(instance, attribute, value)


def version_number(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a version is an ``int`` >= 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"{attribute.name} must be an int >= 1, not {value!r}")


def to_uuid(value: Any) -> Any:
    """attrs converter: accept a UUID's string form as well as a UUID."""
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            raise ValidationError(f"not a UUID: {value!r}") from None
    return value


def to_optional_uuid(value: Any) -> Any:
    """attrs converter: None stays None, anything else as :func:`to_uuid`."""
    return None if value is None else to_uuid(value)


def to_tuple(value: Any) -> Any:
    """attrs converter: any iterable (but not a str or a mapping) becomes a tuple."""
    if isinstance(value, (str, bytes, dict)):
        raise ValidationError(f"expected a sequence, not {type(value).__name__}")
    try:
        return tuple(value)
    except TypeError:
        raise ValidationError(f"expected a sequence, not {type(value).__name__}") from None


def elements_of(kind: type) -> Any:
    """attrs validator: every element of the tuple is an instance of ``kind``."""

    def check(instance: Any, attribute: Any, value: Any) -> None:
        for item in value:
            if not isinstance(item, kind):
                raise ValidationError(
                    f"{attribute.name} must hold {kind.__name__}, not {type(item).__name__}"
                )

    return check
