"""Merkle digests of captured content.

A snapshot's digest is the sha256 of its canonical *own content* (names, amounts, units, the
catalog ids it refers to) followed by its children's digests in order. Snapshot ids, plan ids and
timestamps never enter it, so the same definition always digests the same, and any change in a
name, amount, unit or child changes it (and every ancestor's digest with it).

The own content can be computed from a snapshot (``snapshot.content()``) and from a live
definition (``definition.content(ingredient_names)``) alike, which is how drift is detected
without capturing anything; both go through the functions of this module.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from snapplan.domain.quantities import canonical_decimal

#: Canonical own content: its canonical JSON text (sorted keys, compact separators, no ASCII
#: escaping, as ``json.dumps(..., sort_keys=True, separators=(",", ":"),
#: ensure_ascii=False)`` writes the dictionary it stands for), equal for equal definitions.
Content = str

# JSON's own string quoting for ensure_ascii=False (the C implementation when available).
_quoted: Callable[[str], str] = json.encoder.encode_basestring


def _text(value: str | None) -> str:
    return "null" if value is None else _quoted(value)


def recipe_content(
    name: str,
    lines: Iterable[tuple[uuid.UUID, str | None, Decimal, str, str]],
    sub_recipes: Iterable[tuple[uuid.UUID, Decimal]],
) -> Content:
    """Own content of a recipe: its name, its lines (ingredient names included), its sub-recipes.

    ``{"kind": "recipe", "lines": [[ingredient id, ingredient name, quantity, unit, note]...],
    "name": ..., "sub_recipes": [[recipe id, batches]...]}``, amounts canonical.
    """
    line_text = ",".join(
        f'["{i}",{_text(ingredient_name)},"{canonical_decimal(q)}",{_quoted(unit)},{_quoted(note)}]'
        for i, ingredient_name, q, unit, note in lines
    )
    sub_text = ",".join(f'["{r}","{canonical_decimal(b)}"]' for r, b in sub_recipes)
    return (
        f'{{"kind":"recipe","lines":[{line_text}],"name":{_quoted(name)},'
        f'"sub_recipes":[{sub_text}]}}'
    )


def finished_unit_content(name: str, recipe_id: uuid.UUID, items_per_batch: Decimal) -> Content:
    """Own content of a finished unit: its name, recipe and items per batch."""
    return (
        f'{{"items_per_batch":"{canonical_decimal(items_per_batch)}","kind":"finished_unit",'
        f'"name":{_quoted(name)},"recipe_id":"{recipe_id}"}}'
    )


def material_unit_content(name: str) -> Content:
    """Own content of a material unit: its name."""
    return f'{{"kind":"material_unit","name":{_quoted(name)}}}'


def finished_good_content(
    name: str, components: Iterable[tuple[str, uuid.UUID, Decimal]]
) -> Content:
    """Own content of a finished good: its name and its components (kind, catalog id,
    quantity) in order."""
    parts = ",".join(
        f'[{_quoted(kind)},"{ref}","{canonical_decimal(q)}"]' for kind, ref, q in components
    )
    return f'{{"components":[{parts}],"kind":"finished_good","name":{_quoted(name)}}}'


def merkle_digest(content: Content, child_digests: Sequence[str]) -> str:
    """sha256 hex of ``{"children": [...], "content": {...}}`` in the canonical JSON form (see
    :data:`Content`): the content followed by the children's digests."""
    return digest_of(content, child_digests)


def digest_of(content_json: str, child_digests: Sequence[str]) -> str:
    """:func:`merkle_digest` from a content's :func:`canonical_json`, built without encoding
    the content again: byte for byte the payload ``json.dumps`` would write ("children" sorts
    before "content"; digests are lowercase hex, which JSON never escapes)."""
    children = ",".join(f'"{digest}"' for digest in child_digests)
    payload = f'{{"children":[{children}],"content":{content_json}}}'
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
