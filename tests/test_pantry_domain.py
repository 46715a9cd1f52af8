"""The pantry's arithmetic, pure: on hand from the pantry ledger and the kitchen's runs."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan import ValidationError
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.measures import Measure
from snapplan.domain.pantry import StockedItem, compute_pantry, stock_unit
from snapplan.domain.pantry_entries import (
    PantryVoid,
    Receipt,
    StockCount,
    StockUse,
    entry_content,
)
from snapplan.domain.prices import PriceQuote, price_as_of
from snapplan.domain.products import Product, product_problems
from snapplan.domain.runs import AssemblyRun, Consumption, IngredientUse, ProductionRun, RunVoid

T0 = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


FLOUR = StockedItem(uuid.uuid4(), "Flour", (Measure(1, "cup", 120, "g"),))
RIBBON = StockedItem(uuid.uuid4(), "Ribbon")
BAG = Product(FLOUR.item_id, "Flour 1 kg bag", 1, "kg")
EVENT, PLAN = uuid.uuid4(), uuid.uuid4()
#: The pantry reads what runs used; their chain is the ledger's business, not checked here.
UNCHAINED = "0" * 64


def bake(seq: int, minutes: int, cups: int) -> ProductionRun:
    """A production run that used ``cups`` cups of flour."""
    return ProductionRun(
        event_id=EVENT,
        plan_id=PLAN,
        seq=seq,
        recorded_at=at(minutes),
        recipe_id=uuid.uuid4(),
        recipe_snapshot_id=uuid.uuid4(),
        name="Shortbread",
        batches=2,
        ingredients=[IngredientUse(FLOUR.item_id, "Flour", cups, "cup")],
        digest=UNCHAINED,
    )


def void(seq: int, minutes: int, run: Any) -> RunVoid:
    return RunVoid(
        event_id=EVENT,
        plan_id=PLAN,
        seq=seq,
        recorded_at=at(minutes),
        run_id=run.id,
        reason="no",
        digest=UNCHAINED,
    )


def on_hand(entries: list[Any], runs: list[Any], as_of: int = 10_000) -> Any:
    pantry = compute_pantry(
        {FLOUR.item_id: FLOUR, RIBBON.item_id: RIBBON}, [BAG], entries, runs, at(as_of)
    )
    line = pantry.item(FLOUR.item_id)
    assert line is not None
    return line


RECEIPT = Receipt(
    seq=1, at=at(0), item_id=FLOUR.item_id, quantity=2, unit="kg", product_id=BAG.id, packs=2
)


def test_a_morning_of_baking_in_the_pantry() -> None:
    # 2 x 1 kg flour bought; 2 batches used 3 cups each at 120 g a cup: 720 g off
    bake_at_9 = bake(1, 60, 6)
    assert on_hand([RECEIPT], []).on_hand == 2000
    assert on_hand([RECEIPT], [bake_at_9]).on_hand == 1280
    assert on_hand([RECEIPT], [bake_at_9]).unit == "g"
    # the baker counts 1.2 kg at 10: the count already includes the bake
    count = StockCount(seq=2, at=at(120), item_id=FLOUR.item_id, quantity="1.2", unit="kg")
    line = on_hand([RECEIPT, count], [bake_at_9])
    assert line.on_hand == 1200
    assert line.counted_at == at(120)
    # voiding the bake after the count changes nothing: the count is what is on the shelf
    assert on_hand([RECEIPT, count], [bake_at_9, void(2, 180, bake_at_9)]).on_hand == 1200
    # a bake after the count comes off it, and voiding it gives back exactly the 720 g
    bake_at_11 = bake(3, 180, 6)
    assert on_hand([RECEIPT, count], [bake_at_9, bake_at_11]).on_hand == 480
    voided = [bake_at_9, bake_at_11, void(4, 240, bake_at_11)]
    assert on_hand([RECEIPT, count], voided).on_hand == 1200
    # as of before the void, the bake still counted
    assert on_hand([RECEIPT, count], voided, as_of=200).on_hand == 480


def test_voids_count_from_their_own_time_on() -> None:
    use = StockUse(seq=2, at=at(10), item_id=FLOUR.item_id, quantity=100, unit="g", reason="spill")
    undo = PantryVoid(seq=3, at=at(30), entry_seq=2, reason="it was sugar")
    assert on_hand([RECEIPT, use, undo], [], as_of=20).on_hand == 1900
    assert on_hand([RECEIPT, use, undo], [], as_of=30).on_hand == 2000
    assert on_hand([RECEIPT, use, undo], [], as_of=-1).on_hand == 0


def test_an_amount_that_cannot_be_converted_is_listed_signed_never_dropped() -> None:
    use = StockUse(seq=2, at=at(10), item_id=FLOUR.item_id, quantity=2, unit="scoop", reason="x")
    bake_in_eaches = attrs.evolve(
        bake(1, 20, 1), ingredients=[IngredientUse(FLOUR.item_id, "Flour", 3, "each")]
    )
    line = on_hand([RECEIPT, use], [bake_in_eaches])
    assert line.on_hand == 2000
    assert line.unconvertible == ((Decimal(-2), "scoop"), (Decimal(-3), "each"))


def test_on_hand_may_go_negative_and_is_shown_as_it_is() -> None:
    assert on_hand([], [bake(1, 5, 10)]).on_hand == -1200


def test_a_conversion_that_does_not_terminate_is_kept_as_a_fraction() -> None:
    count = StockCount(seq=1, at=at(0), item_id=FLOUR.item_id, quantity=1, unit="ml")
    assert on_hand([count], []).on_hand == Fraction(120) / Fraction(Decimal("236.5882365"))


def test_packaging_used_by_assembly_runs_comes_off_the_shelf() -> None:
    ribbons = Receipt(seq=1, at=at(0), item_id=RIBBON.item_id, quantity=50, unit="each")
    boxed = AssemblyRun(
        event_id=EVENT,
        plan_id=PLAN,
        seq=1,
        recorded_at=at(5),
        finished_good_id=uuid.uuid4(),
        finished_good_snapshot_id=uuid.uuid4(),
        name="Gift box",
        quantity=12,
        consumed=[
            Consumption(ComponentKind.MATERIAL_UNIT, RIBBON.item_id, uuid.uuid4(), "Ribbon", 12)
        ],
        digest=UNCHAINED,
    )
    pantry = compute_pantry({RIBBON.item_id: RIBBON}, [], [ribbons], [boxed], at(10))
    line = pantry.item(RIBBON.item_id)
    assert line is not None
    assert (line.on_hand, line.unit) == (38, "each")


def test_the_stock_unit_follows_the_preferred_pack_then_measures_then_the_oldest_entry() -> None:
    litre = Product(FLOUR.item_id, "Flour by the litre", 1, "l", preferred=True)
    assert stock_unit(FLOUR.measures, [BAG, litre]) == "ml"
    assert stock_unit(FLOUR.measures, [BAG]) == "g"
    assert stock_unit(FLOUR.measures, [Product(FLOUR.item_id, "old", 1, "l", active=False)]) == "g"
    assert stock_unit((), [], "cups") == "ml"
    assert stock_unit((), [], None, "stick") == "stick"
    assert stock_unit((), []) is None


def test_products_of_one_item_follow_the_rules() -> None:
    gram = Product(FLOUR.item_id, "A", 1, "kg", preferred=True)
    cup = Product(FLOUR.item_id, "B", 10, "cup", preferred=True)
    assert len(product_problems("Flour", FLOUR.measures, [gram, cup])) == 1
    assert "2 preferred products" in product_problems("Flour", FLOUR.measures, [gram, cup])[0]
    problems = product_problems("Flour", (), [gram, Product(FLOUR.item_id, "C", 2, "each")])
    assert problems == [
        "product 'C' (2 each) cannot be converted to product 'A' (1 kg) of 'Flour': give "
        "'Flour' a measure between each and kg"
    ]
    inactive = Product(FLOUR.item_id, "B", 10, "cup", preferred=True, active=False)
    assert product_problems("Flour", FLOUR.measures, [gram, inactive]) == []


def test_prices_as_of_a_time_and_ties() -> None:
    product = BAG.id
    quotes = [
        PriceQuote(product_id=product, price="1.20", currency="EUR", at=at(0), seq=1),
        PriceQuote(product_id=product, price="1.30", currency="EUR", at=at(60), seq=2),
        PriceQuote(product_id=product, price="1.25", currency="EUR", at=at(60), seq=3),
        PriceQuote(product_id=uuid.uuid4(), price=0, currency="EUR", at=at(0), seq=4),
    ]
    assert price_as_of(quotes, product, at(-1)) is None
    assert price_as_of(quotes, product, at(59)).price == Decimal("1.20")  # type: ignore[union-attr]
    assert price_as_of(quotes, product, at(60)).seq == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"price": -1, "currency": "EUR"}, "zero or more"),
        ({"price": 1, "currency": "eur"}, "three upper-case letters"),
        ({"price": 1, "currency": "ABC"}, "not a currency code of ISO 4217"),
        ({"price": "0.5", "currency": "XXX"}, "not a currency code"),
    ],
)
def test_a_price_is_zero_or_more_in_a_known_currency(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PriceQuote(product_id=uuid.uuid4(), at=T0, seq=1, **fields)
    assert PriceQuote(product_id=uuid.uuid4(), price=0, currency="USD", at=T0, seq=1).price == 0


def test_receipt_fields_come_together() -> None:
    with pytest.raises(ValidationError, match="product_id and packs"):
        Receipt(seq=1, at=T0, item_id=FLOUR.item_id, quantity=1, unit="kg", packs=1)
    with pytest.raises(ValidationError, match="price comes with its currency"):
        Receipt(
            seq=1, at=T0, item_id=FLOUR.item_id, quantity=1, unit="kg", product_id=BAG.id,
            packs=1, price=1,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="needs product_id"):
        Receipt(seq=1, at=T0, item_id=FLOUR.item_id, quantity=1, unit="kg", price=1, currency="EUR")


def test_content_compares_amounts_by_value_and_units_by_meaning() -> None:
    first = StockCount(seq=1, at=at(0), item_id=FLOUR.item_id, quantity="2.50", unit="cups")
    again = StockCount(seq=9, at=at(5), item_id=FLOUR.item_id, quantity="2.5", unit="cup", note="x")
    other = StockCount(seq=9, at=at(5), item_id=FLOUR.item_id, quantity="2.6", unit="cup")
    assert entry_content(first) == entry_content(again)
    assert entry_content(first) != entry_content(other)


# -- the figure against a plain model --------------------------------------------------------

moves = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "use", "count", "bake", "void-entry", "void-run"]),
        st.integers(min_value=0, max_value=20),  # amount
        st.integers(min_value=0, max_value=30),  # minutes
    ),
    max_size=14,
)


@given(moves, st.integers(min_value=0, max_value=31))
def test_on_hand_is_the_last_count_plus_what_came_and_went_after_it(
    history: list[tuple[str, int, int]], as_of: int
) -> None:
    entries: list[Any] = []
    runs: list[Any] = []
    for kind, amount, minutes in history:
        seq = len(entries) + 1
        grams = amount + 1
        if kind == "receipt":
            entries.append(
                Receipt(seq=seq, at=at(minutes), item_id=FLOUR.item_id, quantity=grams, unit="g")
            )
        elif kind == "use":
            entries.append(
                StockUse(
                    seq=seq, at=at(minutes), item_id=FLOUR.item_id, quantity=grams, unit="g",
                    reason="snack",
                )
            )  # fmt: skip
        elif kind == "count":
            entries.append(
                StockCount(
                    seq=seq, at=at(minutes), item_id=FLOUR.item_id, quantity=amount, unit="kg"
                )
            )
        elif kind == "bake":
            runs.append(bake(len(runs) + 1, minutes, grams))
        elif kind == "void-entry" and entries:
            target = entries[amount % len(entries)]
            if not isinstance(target, PantryVoid):
                entries.append(
                    PantryVoid(seq=seq, at=at(minutes), entry_seq=target.seq, reason="x")
                )
        elif kind == "void-run" and runs:
            target = runs[amount % len(runs)]
            if isinstance(target, ProductionRun):
                runs.append(void(len(runs) + 1, minutes, target))
    # the plain model
    when = at(as_of)
    voided = {e.entry_seq for e in entries if isinstance(e, PantryVoid) and e.at <= when}
    live = [
        e for e in entries if not isinstance(e, PantryVoid) and e.at <= when and e.seq not in voided
    ]
    counts = [e for e in live if isinstance(e, StockCount)]
    last = max(counts, key=lambda e: (e.at, e.seq)) if counts else None
    expected = Decimal(0) if last is None else last.quantity * 1000
    for e in live:
        if last is None or (e.at, e.seq) > (last.at, last.seq):
            if isinstance(e, Receipt):
                expected += e.quantity
            elif isinstance(e, StockUse):
                expected -= e.quantity
    dead_runs = {r.run_id for r in runs if isinstance(r, RunVoid) and r.recorded_at <= when}
    for r in runs:
        counted = isinstance(r, ProductionRun) and r.id not in dead_runs and r.recorded_at <= when
        if counted and (last is None or r.recorded_at > last.at):
            expected -= r.ingredients[0].quantity * 120
    line = on_hand(entries, runs, as_of)
    assert line.on_hand == expected
    assert line.unconvertible == ()
