"""The execution ledger's hash chain: what a ledger entry's ``digest`` is.

Every entry of an event's ledger (a production, assembly or waste run, or a void) carries a
``digest``: the sha256 of its canonical content — every field but ``digest`` — together with the
digest of the entry before it in the event's ledger (``seq`` - 1). The first entry chains from
the event id. So changing any stored entry, or removing one, breaks the chain at that entry or
at the next, as in a transparency log; an edit goes unnoticed only if it recomputes the digest
of every later entry of the event too (see ``docs/explanation/integrity.md``).

The payload hashed is canonical JSON text (sorted keys, compact separators, no ASCII escaping,
exactly as ``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` writes
it), version :data:`CHAIN_VERSION`::

    {"content": {...}, "previous": "<the previous digest, or the event id>", "version": 1}

The content is an object of the entry's fields by name plus ``"kind"`` (``"production"``,
``"assembly"``, ``"waste"`` or ``"void"``), each value spelled one way for equal values, never
through Python's ``repr``:

- an amount (``Decimal``) as a string in its canonical spelling (``"2.50"`` and ``"2.5"`` are
  equal values and both give ``"2.5"``; see
  :func:`~snapplan.domain.quantities.canonical_decimal`);
- an id (``UUID``) as its lower-case hyphenated string;
- a time as ``"YYYY-MM-DDTHH:MM:SS.ffffffZ"`` in UTC (microseconds always written);
- a component kind as its value (``"finished_unit"``...);
- text as a JSON string, ``seq`` as a JSON number, a flag as ``true``/``false``, None as
  ``null``;
- a tuple of values (ingredients used, consumption, sub-recipes made along, shortages) as an
  array in order, each value an object of its fields by name.

Nothing here depends on dictionary order or on how Python prints a value, and the same content
always digests the same, on every store and every Python version. Stored digests are checked
against this form, so it never changes silently: it is pinned by tests
(``tests/test_ledger_chain.py``), and a different form would be a new :data:`CHAIN_VERSION` that
readers know alongside this one.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any, Final

import attrs

from snapplan.domain.catalog import ComponentKind
from snapplan.domain.quantities import canonical_decimal

#: The version of the canonical form (written into every payload hashed).
CHAIN_VERSION: Final = 1

#: The name of the field that holds an entry's digest (left out of its content).
DIGEST_FIELD: Final = "digest"


def chain_start(event_id: uuid.UUID) -> str:
    """What the first entry of an event's ledger chains from: the event id, as text."""
    return str(event_id)


def entry_content(entry: Any) -> str:
    """The canonical JSON text of a ledger entry's content: every field but ``digest``, and
    its ``"kind"`` (see the module docstring)."""
    content = _fields(entry, skip=DIGEST_FIELD)
    content["kind"] = entry.kind.value
    return _canonical_json(content)


def chain_digest(content: str, previous: str) -> str:
    """sha256 hex of ``{"content": ..., "previous": ..., "version": 1}``: ``content`` (an
    :func:`entry_content`) chained to ``previous`` (the digest of the entry before it, or
    :func:`chain_start` of the event for the first entry)."""
    payload = f'{{"content":{content},"previous":{_quoted(previous)},"version":{CHAIN_VERSION}}}'
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_digest(entry: Any, previous: str) -> str:
    """The digest ``entry`` must carry when the entry before it has digest ``previous`` (or is
    the event's :func:`chain_start`)."""
    return chain_digest(entry_content(entry), previous)


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_quoted = json.encoder.encode_basestring


def _fields(value: Any, skip: str | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for field in type(value).__attrs_attrs__:
        name = field.name
        if name != skip:
            item = getattr(value, name)
            # text, numbers, flags and None are JSON already (the common case: no call)
            fields[name] = item if type(item) in _AS_IS else _plain(item)
    return fields


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready primitives, spelled canonically."""
    spell = _SPELLING.get(type(value))
    if spell is None:
        if attrs.has(type(value)):  # a nested value: an ingredient used, a shortage...
            return _fields(value)
        spell = next((s for kind, s in _SPELLING_OF_KINDS if isinstance(value, kind)), None)
        if spell is None:
            raise TypeError(f"a ledger entry holds no {type(value).__name__}")
    return spell(value)


def _as_is(value: Any) -> Any:
    return value


def _enum_value(value: enum.Enum) -> Any:
    return _plain(value.value)


def _timestamp(value: datetime.datetime) -> str:
    utc = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def _array(values: tuple[Any, ...]) -> list[Any]:
    return [_plain(item) for item in values]


_AS_IS: Final = frozenset({str, int, bool, type(None)})

# How each kind of value a ledger entry holds is spelled, in the order a subclass is matched
# (an enum before str and int: a StrEnum is a str; bool before int). Exact types are looked up
# directly (_SPELLING), so the common case costs one dictionary lookup.
_SPELLING_OF_KINDS: Final[tuple[tuple[type, Any], ...]] = (
    (enum.Enum, _enum_value),
    (bool, _as_is),
    (int, _as_is),
    (str, _as_is),
    (type(None), _as_is),
    (Decimal, canonical_decimal),
    (uuid.UUID, str),
    (datetime.datetime, _timestamp),
    (tuple, _array),
)
_SPELLING: Final[dict[type, Any]] = {**dict(_SPELLING_OF_KINDS), ComponentKind: _enum_value}
