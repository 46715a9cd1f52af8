"""A ledger entry read back from its stored document is the entry that was written, exactly
(amounts as spelled, times to the microsecond), through the SQL store's own decoder; a
document snapplan would never have written is a ``PersistenceError`` naming what is wrong."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given

from snapplan.adapters.converter import converter
from snapplan.adapters.sql import _decoding as decoding
from snapplan.adapters.sql.rows import CODECS
from snapplan.domain.runs import Run
from snapplan.errors import PersistenceError
from snapplan.testing import strategies as sps
from snapplan.testing.samples import sample_ledger


def stored(entry: Run) -> Any:
    """The entry's document as the JSON column gives it back."""
    return json.loads(json.dumps(converter.unstructure(entry, unstructure_as=Run)))


def read(document: Any) -> Run:
    return decoding.decoded("run", decoding.run, decoding.Reading(), document)


@given(sps.ledgers(max_size=8))
def test_every_entry_reads_back_as_written_and_as_the_converter_reads_it(ledger: list[Run]) -> None:
    reading = decoding.Reading()  # one per transaction: ids and names shared between entries
    for entry in ledger:
        document = stored(entry)
        back = decoding.decoded("run", decoding.run, reading, document)
        assert back == entry
        assert type(back) is type(entry)
        # every amount spelled as the full validators read it (a time's fold, which no ISO
        # text keeps, aside: equal times compare equal whatever their fold)
        assert repr(back) == repr(converter.structure(document, Run))
        assert back.expected_digest(_previous(ledger, entry)) == back.digest


def _previous(ledger: list[Run], entry: Run) -> str:
    if entry.seq == 1:
        return str(entry.event_id)
    return next(e.digest for e in ledger if e.seq == entry.seq - 1)


def _sample() -> dict[str, Any]:
    """The stored documents of one entry of each kind, by kind."""
    return {document["kind"]: document for document in map(stored, sample_ledger(*_ids()))}


def _ids() -> tuple[uuid.UUID, uuid.UUID]:
    return uuid.uuid4(), uuid.uuid4()


@pytest.mark.parametrize(
    ("kind", "field", "value", "says"),
    [
        ("production", "seq", True, "ledger position"),
        ("production", "seq", 0, "ledger position"),
        ("production", "batches", "-1", "must be positive"),
        ("production", "batches", "1E+100000000", r"outside 1E-40 \.\. 1E\+40"),
        ("production", "items", "48." + "0" * 100_000, "not a number: text of 100003"),
        ("production", "items", "1" * 61, "more than 60 digits"),
        ("production", "items", "4_8", "not a number"),
        ("production", "items", None, "come together"),
        ("production", "items", "-2", "zero or more"),
        ("production", "note", "bad\x00note", "NUL"),
        ("production", "note", "bad\ud800note", "lone surrogate"),
        ("production", "key", "k" * 201, "at most 200 characters"),
        ("production", "recorded_at", "2026-12-04T10:00:00", "UTC time"),
        ("production", "event_id", "not an id", "not an id"),
        ("production", "key", " padded", "not a key: must not start or end with white space"),
        ("production", "ingredients", [{"ingredient_id": "x"}], "not an id"),
        ("production", "kind", "baking", "kind of ledger entry"),
        ("assembly", "allow_shortage", "yes", "true or false"),
        ("assembly", "consumed", "none", "list of entries"),
        ("waste", "item_kind", "material_unit", "no stock"),
        ("void", "digest", "abc", "not a digest"),
        ("void", "reason", "", "not a name"),
    ],
)
def test_a_document_snapplan_never_writes_is_a_persistence_error(
    kind: str, field: str, value: Any, says: str
) -> None:
    document = dict(_sample()[kind], **{field: value})
    with pytest.raises(PersistenceError, match=f"a stored run could not be read back: .*{says}"):
        read(document)


def test_a_missing_field_is_named() -> None:
    document = _sample()["waste"]
    del document["reason"]
    with pytest.raises(PersistenceError, match="missing 'reason'"):
        read(document)


def test_an_on_hand_figure_of_any_sign_reads_back() -> None:
    document = _sample()["assembly"]
    shortage = {"kind": "finished_unit", "id": str(uuid.uuid4()), "name": "Cookie"}
    document["allowed_shortages"] = [
        {**shortage, "needed": "6", "on_hand": "-2.50"},
        {**shortage, "needed": "1", "on_hand": "0"},
    ]
    back = read(document)
    assert [str(s.on_hand) for s in back.allowed_shortages] == ["-2.50", "0"]
    document["allowed_shortages"][0]["on_hand"] = "-1E+41"
    with pytest.raises(PersistenceError, match="outside"):
        read(document)


def test_the_sql_store_reads_its_runs_with_this_decoder() -> None:
    """(the runs' codec, not the converter: the decoder's own message)"""
    document = dict(_sample()["void"], reason=" padded")
    row = SimpleNamespace(id=uuid.uuid4(), document=document)
    with pytest.raises(PersistenceError, match="not a name"):
        CODECS["runs"].item(row, decoding.Reading())  # type: ignore[arg-type]
