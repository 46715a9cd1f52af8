"""Properties of the pantry over random histories (:func:`snapplan.testing.strategies.
pantry_histories`), recorded through the services on a MemoryStore and a SQLite store alike:

- on hand equals the last count plus receipts, minus uses, minus what live bakes used, exactly,
  as of every moment of the history: checked against a model written here, with its own table
  of unit factors, never the library's conversions or pantry function;
- ``seq`` is 1, 2, 3 … in both ledgers, a retry returns the first entry, the price as of any
  moment is the latest quote;
- a failure at every write (and at commit) of the next step, or of adding a product, leaves the
  store exactly as it was.

Budgets follow the hypothesis profile (quick: a few seconds; thorough: more examples).
"""

from __future__ import annotations

import datetime
import os
import uuid
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snapplan import (
    Event,
    Ingredient,
    IngredientLine,
    MemoryStore,
    PriceQuote,
    Product,
    ProductionTarget,
    Receipt,
    Recipe,
    SnapplanError,
    add_catalog,
    pantry,
)
from snapplan.domain.prices import price_as_of
from snapplan.testing import strategies as sps
from snapplan.testing.contents import store_contents
from snapplan.testing.faults import FaultyStore

PROFILE = os.environ.get("SNAPPLAN_HYPOTHESIS_PROFILE", "quick")
#: Examples per profile (CI runs thorough): each records a history on a MemoryStore and on a
#: SQLite store (a copied template file) and reads the pantry at every moment it names, about
#: 0.3 s an example on a shared 2-core box.
EXAMPLES = {"quick": 6, "thorough": 12}.get(PROFILE, 6)
budget = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- the model: its own factors, its own rules ------------------------------------------------

#: Grams per unit, each per unit: written out here, not taken from snapplan.domain.units.
MASS = {"g": Fraction(1), "kg": Fraction(1000), "lb": Fraction("453.59237"),
        "oz": Fraction("28.349523125")}  # fmt: skip
COUNT = {"each": Fraction(1), "dozen": Fraction(12)}


def factors(history: sps.PantryHistory, item_id: uuid.UUID) -> dict[str, Fraction]:
    """How many of the item's stock unit one of each unit it is written in is."""
    item = next(i for i in history.items if i.id == item_id)
    if not isinstance(item, Ingredient):
        return dict(COUNT)
    table = dict(MASS)
    for measure in item.measures:  # the strategy joins every measure to grams
        assert measure.equals_unit == "g"
        table[measure.unit] = Fraction(measure.equals) / Fraction(measure.quantity)
    return table


@attrs.frozen
class Move:
    """One amount that moved an item's stock: from the pantry ledger or a bake."""

    kind: str  # receipt, count, use, kitchen
    item_id: uuid.UUID
    quantity: Fraction
    unit: str
    at: datetime.datetime
    seq: int  # the pantry's seq, or the bake's step number for a kitchen use
    voided_at: datetime.datetime | None = None


def model(history: sps.PantryHistory) -> tuple[list[Move], dict[int, int]]:
    """Every move of the history (voids folded in as ``voided_at``), and the seq each pantry
    step should get (by step number)."""
    moves: dict[int, list[Move]] = {}
    seqs: dict[int, int] = {}
    products = {p.id: p for p in history.products}
    for number, step in enumerate(history.steps):
        if step.writes_entry:
            seqs[number] = len(seqs) + 1
        if step.kind == "purchase":
            assert step.product_id is not None
            assert step.packs is not None
            product = products[step.product_id]
            quantity = Fraction(product.pack_quantity) * step.packs
            moves[number] = [
                Move("receipt", product.item_id, quantity, product.pack_unit, step.at, seqs[number])
            ]
        elif step.kind in ("count", "use"):
            assert step.item_id is not None
            assert step.quantity is not None
            assert step.unit is not None
            moves[number] = [
                Move(step.kind, step.item_id, Fraction(step.quantity), step.unit, step.at,
                     seqs[number])
            ]  # fmt: skip
        elif step.kind == "bake":
            assert step.quantity is not None
            moves[number] = [
                Move("kitchen", line.ingredient_id,
                     Fraction(line.quantity) * Fraction(step.quantity), line.unit, step.at, number)
                for line in history.recipe.lines
            ]  # fmt: skip
        elif step.kind in ("void", "unbake"):
            assert step.target is not None
            moves[step.target] = [attrs.evolve(m, voided_at=step.at) for m in moves[step.target]]
    return [m for listed in moves.values() for m in listed], seqs


def on_hand_by_model(
    history: sps.PantryHistory, moves: list[Move], item_id: uuid.UUID, when: datetime.datetime
) -> tuple[Fraction, dict[str, Fraction]]:
    """(on hand in the stock unit, unconvertible amounts by unit) as of ``when``."""
    table = factors(history, item_id)
    live = [
        m for m in moves
        if m.item_id == item_id and m.at <= when and (m.voided_at is None or m.voided_at > when)
    ]  # fmt: skip
    counts = [m for m in live if m.kind == "count"]
    last = max(counts, key=lambda m: (m.at, m.seq)) if counts else None
    total, lost = Fraction(0), defaultdict[str, Fraction](Fraction)
    for m in live:
        if m.kind == "count" and m is not last:
            continue  # replaced by the last count
        if last is not None and m is not last:
            # after the count: in the pantry's order; a bake strictly after the count's time
            after = m.at > last.at if m.kind == "kitchen" else (m.at, m.seq) > (last.at, last.seq)
            if not after:
                continue
        sign = -1 if m.kind in ("use", "kitchen") else 1
        if m.unit in table:
            total += sign * m.quantity * table[m.unit]
        else:
            lost[m.unit] += sign * m.quantity
    return total, {unit: amount for unit, amount in lost.items() if amount != 0}


def moments(history: sps.PantryHistory) -> list[datetime.datetime]:
    """Every moment the history names, and one before and after it all."""
    minute = datetime.timedelta(minutes=1)
    named = {step.at for step in history.steps}
    return sorted({sps.PANTRY_START - minute, sps.PANTRY_START + 41 * minute, *named})


# -- on hand, exactly -----------------------------------------------------------------------------


@pytest.fixture
def sqlite_store_maker(make_store: Any) -> Any:
    return lambda: make_store("sqlite")


@budget
@given(history=sps.pantry_histories())
def test_on_hand_is_receipts_minus_uses_minus_bakes_after_the_last_count(
    sqlite_store_maker: Any, history: sps.PantryHistory
) -> None:
    moves, seqs = model(history)
    for store in (MemoryStore(), sqlite_store_maker()):
        results = history.record(store)
        # the ledgers: seq as the model says, a retry gives back the first entry
        for number, step in enumerate(history.steps):
            result: Any = results[number]
            if step.writes_entry:
                assert result.seq == seqs[number]
            if step.kind == "retry":
                assert step.target is not None
                assert result == results[step.target]
        contents = store_contents(store)
        assert sorted(e.seq for e in contents["pantry"]) == list(range(1, len(seqs) + 1))
        quotes: tuple[PriceQuote, ...] = contents["prices"]
        assert sorted(q.seq for q in quotes) == list(range(1, len(quotes) + 1))
        expected_quotes = [
            step for step in history.steps if step.kind == "price" or (
                step.kind == "purchase" and step.price is not None)
        ]  # fmt: skip
        assert len(quotes) == len(expected_quotes)
        # on hand of every item, as of every moment
        for when in moments(history):
            shown = pantry(store.unit_of_work(), as_of=when)
            assert {line.item_id for line in shown.items} == {i.id for i in history.items}
            for item in history.items:
                line = shown.item(item.id)
                assert line is not None
                total, lost = on_hand_by_model(history, moves, item.id, when)
                assert line.unit == history.stock_unit(item.id)
                assert line.on_hand == total, (item.name, when)
                assert {u: Fraction(q) for q, u in line.unconvertible} == lost
            for product in history.products:
                latest = [s for s in expected_quotes if s.product_id == product.id and s.at <= when]
                found = price_as_of(quotes, product.id, when)
                if not latest:
                    assert found is None
                else:
                    assert found is not None
                    assert found.at == max(s.at for s in latest)


# -- atomic at every write ------------------------------------------------------------------------


@st.composite
def next_steps(draw: st.DrawFn) -> tuple[sps.PantryHistory, int | Product]:
    """A history and what to do after all but its last step: that step, or adding a product
    of one of its items (in a unit that may not convert: refused at commit)."""
    history = draw(sps.pantry_histories(max_steps=5).filter(lambda h: bool(h.steps)))
    if draw(st.booleans()):
        return history, len(history.steps) - 1
    item = draw(st.sampled_from(history.items))
    unit = draw(st.sampled_from([*history.units_of(item.id), "cup"]))
    return history, Product(item.id, draw(sps.names), draw(sps.amounts()), unit)


def _do(history: sps.PantryHistory, step: int | Product, results: list[object]) -> Any:
    def action(store: Any) -> object:
        if isinstance(step, Product):
            add_catalog(store.unit_of_work(), [step])
            return step
        return history.record_step(store, step, results)

    return action


@budget
@given(case=next_steps())
def test_a_failure_at_every_write_of_a_pantry_step_changes_nothing(
    sqlite_store_maker: Any, case: tuple[sps.PantryHistory, int | Product]
) -> None:
    history, step = case
    until = len(history.steps) - 1
    reference = MemoryStore()
    results = history.record(reference, until=until)
    counter = FaultyStore(reference)
    try:
        _do(history, step, results)(counter)
        failed = False
    except SnapplanError:  # a product refused at commit: still atomic at every write
        failed = True
    kind = "product" if isinstance(step, Product) else history.steps[step].kind
    writes = {"purchase": (1, 2), "retry": (0,)}.get(kind, (1,))
    assert counter.writes in writes
    for store in (MemoryStore(), sqlite_store_maker()):
        results = history.record(store, until=until)
        before = store_contents(store)
        for k in range(1, counter.writes + 1):
            with pytest.raises(SnapplanError):
                _do(history, step, results)(FaultyStore(store, fail_at_write=k))
            assert store_contents(store) == before, (kind, k)
        if kind == "retry":  # nothing to write, nothing to commit: a fault never fires
            _do(history, step, results)(FaultyStore(store, fail_at_commit=True))
        else:
            with pytest.raises(SnapplanError):
                _do(history, step, results)(FaultyStore(store, fail_at_commit=True))
        assert store_contents(store) == before, (kind, "commit")
        if not failed:
            _do(history, step, results)(store)
            assert (store_contents(store) != before) == (kind != "retry")


def test_ties_on_the_moment_of_a_count() -> None:
    """At one moment: a receipt recorded after the count comes on top of it (the pantry's
    order is ``at``, then ``seq``), a bake does not come off it (the count includes it)."""
    flour = Ingredient("Flour")
    bag = Product(flour.id, "Flour 1 kg", 1, "kg", preferred=True)
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, 300, "g")])
    moment = sps.PANTRY_START
    steps = (
        sps.PantryStep("purchase", moment, product_id=bag.id, packs=2),
        sps.PantryStep("bake", moment, quantity=Decimal(1)),
        sps.PantryStep("count", moment, item_id=flour.id, quantity=Decimal(1500), unit="g"),
        sps.PantryStep("purchase", moment, product_id=bag.id, packs=1),
    )
    history = sps.PantryHistory(
        (flour,), (bag,), bread, Event("Market", [ProductionTarget(bread.id, 1)]), steps
    )
    store = MemoryStore()
    results = history.record(store)
    assert [type(r) for r in results[::3]] == [Receipt, Receipt]
    moves, _ = model(history)
    line = pantry(store.unit_of_work(), as_of=moment).item(flour.id)
    assert line is not None
    assert line.on_hand == 2500 == on_hand_by_model(history, moves, flour.id, moment)[0]
