"""The ledger's hash chain as values: what a run's digest covers, and how a chain is checked.

The canonical form is pinned twice: by a literal (the form of version 1 never changes under
digests already stored) and by a property against a plain implementation written from the
module's description (``json.dumps`` over a dictionary built field by field).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan import (
    AssemblyRun,
    ComponentKind,
    IngredientUse,
    LedgerIntegrityError,
    MadeAlong,
    PersistenceError,
    ProductionRun,
    RunVoid,
    ValidationError,
    WasteRun,
)
from snapplan.domain.chain import chain_start, entry_content, entry_digest
from snapplan.domain.ledger import chain_breaks, check_chain, check_new_links
from snapplan.domain.runs import Run
from snapplan.testing import strategies as sps
from snapplan.testing.samples import sample_ledger


def _id(n: int) -> uuid.UUID:
    return uuid.UUID(f"00000000-0000-4000-8000-{n:012x}")


def pinned_run() -> ProductionRun:
    """One production run of every kind of value: amounts spelled with trailing zeros and an
    exponent, text beyond ASCII, a sub-recipe made along."""
    return ProductionRun.after(
        None,
        id=_id(0x1),
        event_id=_id(0xE1),
        plan_id=_id(0xA1),
        recorded_at=datetime.datetime(2024, 12, 1, 7, 30, tzinfo=datetime.UTC),
        key="tray-1",
        note="one tray burnt",
        by="Ann",
        recipe_id=_id(0xC1),
        recipe_snapshot_id=_id(0xC2),
        name="Sugar Cookies",
        batches=Decimal("2.50"),
        finished_unit_id=_id(0xF1),
        finished_unit_snapshot_id=_id(0xF2),
        items=Decimal("13"),
        sub_recipe_batches=[MadeAlong(_id(0xB1), _id(0xB2), "Glaze", Decimal("1.250"))],
        ingredients=[IngredientUse(_id(0xD1), "Crème fraîche", Decimal("1E+3"), "g")],
    )


PINNED_CONTENT = (
    '{"amends":null,"batches":"2.5","by":"Ann","event_id":"00000000-0000-4000-8000-0000000000e1",'
    '"finished_unit_id":"00000000-0000-4000-8000-0000000000f1",'
    '"finished_unit_snapshot_id":"00000000-0000-4000-8000-0000000000f2",'
    '"id":"00000000-0000-4000-8000-000000000001","ingredients":[{"ingredient_id":'
    '"00000000-0000-4000-8000-0000000000d1","name":"Crème fraîche","quantity":"1000","unit":"g"}],'
    '"items":"13","key":"tray-1","kind":"production","name":"Sugar Cookies",'
    '"note":"one tray burnt","plan_id":"00000000-0000-4000-8000-0000000000a1",'
    '"recipe_id":"00000000-0000-4000-8000-0000000000c1",'
    '"recipe_snapshot_id":"00000000-0000-4000-8000-0000000000c2",'
    '"recorded_at":"2024-12-01T07:30:00.000000Z","seq":1,"sub_recipe_batches":[{"batches":"1.25",'
    '"name":"Glaze","recipe_id":"00000000-0000-4000-8000-0000000000b1",'
    '"recipe_snapshot_id":"00000000-0000-4000-8000-0000000000b2"}]}'
)
PINNED_DIGEST = "058f7f27723f58a0cdd6084862d4e43489edd75ae55b8550a619953a9619f36a"


# -- the canonical form ------------------------------------------------------------------------


def test_the_canonical_form_of_version_1_is_pinned() -> None:
    run = pinned_run()
    assert entry_content(run) == PINNED_CONTENT
    payload = (
        f'{{"content":{PINNED_CONTENT},"previous":"00000000-0000-4000-8000-0000000000e1",'
        '"version":1}'
    )
    assert hashlib.sha256(payload.encode()).hexdigest() == PINNED_DIGEST
    assert run.digest == PINNED_DIGEST


def _plain_value(value: Any) -> Any:  # noqa: PLR0911  (one return per kind, plainly)
    """The module's description of the form, implemented the obvious way."""
    if isinstance(value, ComponentKind):
        return value.value
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    if isinstance(value, tuple):
        return [_plain_value(v) for v in value]
    if attrs.has(type(value)):
        return {f.name: _plain_value(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


def _plain_digest(entry: Run, previous: str) -> str:
    content = _plain_value(entry)
    del content["digest"]
    content["kind"] = entry.kind.value
    payload = {"content": content, "previous": previous, "version": 1}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@given(ledger=sps.ledgers(max_size=8))
def test_every_digest_is_the_plain_implementations(ledger: list[Run]) -> None:
    previous = chain_start(ledger[0].event_id)
    for entry in ledger:
        assert entry.digest == _plain_digest(entry, previous)
        previous = entry.digest


def _respelled(value: Any) -> Any:
    """``value`` with every amount written with two more trailing zeros (``2.5`` → ``2.500``)
    and every time in another UTC zone object: equal values, spelled differently."""
    if isinstance(value, Decimal):
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        return Decimal((sign, (*digits, 0, 0), exponent - 2))
    if isinstance(value, datetime.datetime):
        return value.astimezone(zoneinfo.ZoneInfo("UTC"))
    if isinstance(value, tuple):
        return tuple(_respelled(v) for v in value)
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return attrs.evolve(value, **{f.alias: _respelled(getattr(value, f.name)) for f in fields})
    return value


@given(ledger=sps.ledgers(max_size=4))
def test_equal_values_digest_the_same_however_they_are_spelled(ledger: list[Run]) -> None:
    previous = chain_start(ledger[0].event_id)
    for entry in ledger:
        same = _respelled(entry)
        assert same == entry
        assert repr(same) != repr(entry) or not _has_amount(entry)
        assert same.expected_digest(previous) == entry.digest
        previous = entry.digest
    assert entry_content(_respelled(pinned_run())) == PINNED_CONTENT


def _has_amount(entry: Run) -> bool:
    return "Decimal(" in repr(entry)


def _changed(value: Any) -> Iterator[Any]:
    """Every value that differs from ``value`` in exactly one place (one field, one element,
    one element fewer), as far as the types allow."""
    if isinstance(value, bool):
        yield not value
    elif isinstance(value, ComponentKind):
        yield from (kind for kind in ComponentKind if kind is not value)
    elif isinstance(value, int):
        yield value + 1
    elif isinstance(value, str):
        yield value + "x"
    elif isinstance(value, Decimal):
        yield value + 1
    elif isinstance(value, uuid.UUID):
        yield uuid.UUID(int=value.int ^ 1)
    elif isinstance(value, datetime.datetime):
        yield value + datetime.timedelta(microseconds=1)
    elif value is None:
        yield from ("x", uuid.uuid4(), Decimal(1))
    elif isinstance(value, tuple):
        if value:
            yield value[:-1]
        for i, item in enumerate(value):
            for other in _changed(item):
                yield (*value[:i], other, *value[i + 1 :])
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            if field.name == "digest":
                continue
            for other in _changed(getattr(value, field.name)):
                try:
                    yield attrs.evolve(value, **{field.alias: other})
                except (ValidationError, TypeError):
                    continue  # not a valid value of this field: nothing to compare


@given(ledger=sps.ledgers(max_size=3), other_previous=sps.digests)
def test_any_change_in_any_field_changes_the_digest(ledger: list[Run], other_previous: str) -> None:
    entry = ledger[-1]
    previous = ledger[-2].digest if len(ledger) > 1 else chain_start(entry.event_id)
    assert entry.expected_digest(previous) == entry.digest
    for field in attrs.fields(type(entry)):
        if field.name == "digest":
            continue
        value = getattr(entry, field.name)
        changed = []
        for other in _changed(value):
            try:
                changed.append(attrs.evolve(entry, **{field.alias: other}))
            except (ValidationError, TypeError):
                continue  # not a valid value of this field: nothing to compare
        # every field is changed at least once, but a missing finished unit (its three fields
        # come together) and an empty tuple (no element to change)
        assert changed or value is None or value == (), field.name
        for run in changed:
            assert run != entry
            assert run.expected_digest(previous) != entry.digest, (field.name, run)
    # the link: the same content chained to another previous digest is another digest
    if other_previous != previous:
        assert entry.expected_digest(other_previous) != entry.digest


def test_the_kind_is_part_of_the_content() -> None:
    common: dict[str, Any] = {
        "event_id": _id(0xE1), "plan_id": _id(0xA1), "id": _id(1), "name": "Box",
        "recorded_at": datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC), "quantity": 1,
    }  # fmt: skip
    waste = WasteRun.after(
        None, **common, item_kind=ComponentKind.FINISHED_GOOD, item_id=_id(2),
        item_snapshot_id=_id(3), reason="dropped",
    )  # fmt: skip
    assert '"kind":"waste"' in entry_content(waste)
    assert '"item_kind":"finished_good"' in entry_content(waste)
    void = RunVoid.after(None, **{k: common[k] for k in ("event_id", "plan_id", "recorded_at")},
                         run_id=_id(2), reason="dropped")  # fmt: skip
    assert '"kind":"void"' in entry_content(void)


# -- building entries by hand ----------------------------------------------------------------


def test_after_follows_the_previous_entry_and_refuses_another_place() -> None:
    first = pinned_run()
    second = AssemblyRun.after(
        first, plan_id=_id(0xA1), recorded_at=first.recorded_at, finished_good_id=_id(5),
        finished_good_snapshot_id=_id(6), name="Box", quantity=2,
    )  # fmt: skip
    assert (second.event_id, second.seq) == (first.event_id, 2)
    assert second.digest == entry_digest(second, first.digest)
    fields = {f.name: getattr(second, f.name) for f in attrs.fields(AssemblyRun)}
    del fields["digest"]
    with pytest.raises(ValidationError, match=r"seq 3 of event .* does not follow run 1"):
        AssemblyRun.after(first, **{**fields, "seq": 3})
    with pytest.raises(ValidationError, match="does not follow"):
        AssemblyRun.after(first, **{**fields, "event_id": uuid.uuid4()})
    with pytest.raises(ValidationError, match="seq 2 needs the entry before it"):
        AssemblyRun.after(None, **fields)


def test_a_digest_is_64_lowercase_hex_digits() -> None:
    run = pinned_run()
    for bad in ("", "A" * 64, "0" * 63, run.digest.upper(), None, 1):
        with pytest.raises(ValidationError, match="digest"):
            attrs.evolve(run, digest=bad)


# -- checking a chain ------------------------------------------------------------------------


def _ledger(size: int, event_id: uuid.UUID | None = None) -> list[Run]:
    """``size`` entries of one event, chained (a sample ledger of every kind, repeated)."""
    event_id = event_id or uuid.uuid4()
    entries: list[Run] = []
    while len(entries) < size:
        entries += sample_ledger(event_id, uuid.uuid4(), previous=entries[-1] if entries else None)
    return entries[:size]


@given(ledger=sps.ledgers(max_size=8))
def test_a_chain_built_entry_after_entry_holds_in_any_order(ledger: list[Run]) -> None:
    event_id = ledger[0].event_id
    assert chain_breaks(event_id, reversed(ledger)) == []
    check_chain(event_id, ledger)
    check_new_links(list(reversed(ledger)), lambda _: ())


@given(ledger=sps.ledgers(min_size=3, max_size=6), data=st.data())
def test_a_middle_entry_changed_breaks_the_chain_there_or_just_after(
    ledger: list[Run], data: st.DataObject
) -> None:
    event_id = ledger[0].event_id
    at = data.draw(st.integers(1, len(ledger) - 2), label="index")
    victim = ledger[at]
    edited = attrs.evolve(victim, note=victim.note + " (edited)")
    # content changed, digest kept: the break is at the edited run
    (found,) = chain_breaks(event_id, [*ledger[:at], edited, *ledger[at + 1 :]])
    assert (found.event_id, found.seq, found.run_id) == (event_id, victim.seq, victim.id)
    assert f"run {victim.seq} ({victim.id}) of event {event_id}" in found.detail
    # digest recomputed too: the run after it no longer chains
    forged = attrs.evolve(edited, digest=edited.expected_digest(ledger[at - 1].digest))
    (found,) = chain_breaks(event_id, [*ledger[:at], forged, *ledger[at + 1 :]])
    assert (found.seq, found.run_id) == (victim.seq + 1, ledger[at + 1].id)
    assert f"the digest of run {victim.seq} before it" in found.detail
    # removed: a hole named by its number (the run after it cannot be checked)
    (found,) = chain_breaks(event_id, [*ledger[:at], *ledger[at + 1 :]])
    assert (found.seq, found.run_id) == (victim.seq, None)
    assert f"run {victim.seq} of event {event_id} is missing" in found.detail
    with pytest.raises(LedgerIntegrityError) as caught:
        check_chain(event_id, [*ledger[:at], *ledger[at + 1 :]])
    assert (caught.value.event_id, caught.value.seq) == (event_id, victim.seq)
    assert isinstance(caught.value, PersistenceError)


def test_a_stretch_of_missing_runs_is_one_problem_and_every_break_is_listed() -> None:
    ledger = _ledger(7)
    event_id = ledger[0].event_id
    first = ledger[0]
    broken = [attrs.evolve(first, note=first.note + "!"), ledger[1], *ledger[5:]]
    found = chain_breaks(event_id, broken)
    assert [(b.seq, b.run_id) for b in found] == [(1, first.id), (3, None)]
    assert "runs 3 to 5 of event" in found[1].detail
    assert "its content was changed" in found[0].detail  # the first run has no run before it
    with pytest.raises(LedgerIntegrityError, match=r"run 1 .*\(and 1 more problems\)"):
        check_chain(event_id, broken)


def test_a_copied_run_or_a_run_of_another_event_is_a_break() -> None:
    ledger = _ledger(2)
    event_id = ledger[0].event_id
    twin = attrs.evolve(ledger[1], id=uuid.uuid4())
    (found,) = chain_breaks(event_id, [*ledger, twin])
    assert (found.seq, found.run_id) == (2, twin.id)
    assert "takes the number of run" in found.detail
    stranger = _ledger(1)[0]
    (found,) = chain_breaks(event_id, [ledger[0], stranger])
    assert "says it belongs to event" in found.detail
