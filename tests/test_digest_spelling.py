"""Digests are computed over content spelled by hand for speed; pinned here, byte for byte, to
the plain spelling: ``json.dumps`` of the documented dictionaries with sorted keys, compact
separators and no ASCII escaping. Any difference would change every digest ever stored."""

from __future__ import annotations

import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from snapplan.domain.digests import (
    finished_good_content,
    finished_unit_content,
    material_unit_content,
    merkle_digest,
    recipe_content,
)
from snapplan.domain.quantities import canonical_decimal

# Any text at all: quotes, backslashes, control characters, astral characters.
texts = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12)
amounts = st.decimals(min_value=Decimal("1e-20"), max_value=Decimal("1e20"), places=8)
ids = st.uuids()


def plain(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@given(
    name=texts,
    lines=st.lists(st.tuples(ids, texts | st.none(), amounts, texts, texts), max_size=4),
    subs=st.lists(st.tuples(ids, amounts), max_size=3),
)
def test_a_recipe_is_spelled_as_json_dumps_spells_it(
    name: str, lines: list[Any], subs: list[Any]
) -> None:
    expected = {
        "kind": "recipe",
        "name": name,
        "lines": [[str(i), n, canonical_decimal(q), u, note] for i, n, q, u, note in lines],
        "sub_recipes": [[str(r), canonical_decimal(b)] for r, b in subs],
    }
    assert recipe_content(name, lines, subs) == plain(expected)


@given(name=texts, recipe_id=ids, per_batch=amounts)
def test_a_finished_unit_is_spelled_as_json_dumps_spells_it(
    name: str, recipe_id: uuid.UUID, per_batch: Decimal
) -> None:
    expected = {"kind": "finished_unit", "name": name, "recipe_id": str(recipe_id),
                "items_per_batch": canonical_decimal(per_batch)}  # fmt: skip
    assert finished_unit_content(name, recipe_id, per_batch) == plain(expected)


@given(name=texts, parts=st.lists(st.tuples(texts, ids, amounts), max_size=4))
def test_goods_and_materials_are_spelled_as_json_dumps_spells_them(
    name: str, parts: list[Any]
) -> None:
    expected = {"kind": "finished_good", "name": name,
                "components": [[k, str(r), canonical_decimal(q)] for k, r, q in parts]}  # fmt: skip
    assert finished_good_content(name, parts) == plain(expected)
    assert material_unit_content(name) == plain({"kind": "material_unit", "name": name})


@given(name=texts, children=st.lists(st.binary(min_size=32, max_size=32).map(bytes.hex)))
def test_the_digest_payload_is_the_plain_one(name: str, children: list[str]) -> None:
    content = material_unit_content(name)
    payload = json.dumps(
        {"content": json.loads(content), "children": children},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )  # fmt: skip
    assert merkle_digest(content, children) == hashlib.sha256(payload.encode()).hexdigest()


def test_a_known_digest_never_changes() -> None:
    # Computed with the plain json.dumps spelling before the fast one existed.
    content = recipe_content(
        "Sugar Cookies",
        [(uuid.UUID(int=1), "Flour", Decimal("0.50"), "kg", "sifted")],
        [(uuid.UUID(int=2), Decimal("0.5"))],
    )
    expected = {
        "kind": "recipe", "name": "Sugar Cookies",
        "lines": [[str(uuid.UUID(int=1)), "Flour", "0.5", "kg", "sifted"]],
        "sub_recipes": [[str(uuid.UUID(int=2)), "0.5"]],
    }  # fmt: skip
    assert content == plain(expected)
    digest = merkle_digest(content, ["ab" * 32])
    payload = plain({"content": expected, "children": ["ab" * 32]})
    assert digest == hashlib.sha256(payload.encode()).hexdigest()
