"""The pantry on every store: purchases, prices, counts, uses and voids; on hand as of a time,
from the pantry ledger and the kitchen's runs; bad input refused, nothing half-written."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from snapplan import (
    ConflictError,
    Event,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    ItemNotFound,
    KeyReusedError,
    MaterialUnit,
    Measure,
    PantryEntryNotFound,
    PersistenceError,
    Product,
    ProductionTarget,
    ProductNotFound,
    Recipe,
    ValidationError,
    add_catalog,
    create_plan,
    pantry,
    record_price,
    record_production,
    record_purchase,
    record_stock_count,
    record_stock_use,
    void_pantry_entry,
    void_run,
)
from snapplan.testing.contents import store_contents
from snapplan.testing.faults import FaultyStore, InjectedFault, count_writes

T0 = datetime.datetime(2026, 12, 5, 7, 0, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def clock(minutes: int) -> Callable[[], datetime.datetime]:
    return lambda: at(minutes)


@attrs.frozen
class Bakery:
    flour: Ingredient
    butter: Ingredient
    ribbon: MaterialUnit
    bag: Product
    block: Product
    shortbread: Recipe
    plan_id: Any


def bakery(store: Any) -> Bakery:
    """Flour (1 cup = 120 g) sold in 1 kg bags; butter in 250 g blocks; Shortbread uses 3 cups
    of flour and 250 g of butter a batch; a plan of 4 batches."""
    flour = Ingredient("Flour", measures=[Measure(1, "cup", 120, "g", source="King Arthur")])
    butter = Ingredient("Butter")
    ribbon = MaterialUnit("Ribbon")
    bag = Product(flour.id, "Flour 1 kg bag", 1, "kg", preferred=True)
    block = Product(butter.id, "Butter 250 g block", 250, "g")
    shortbread = Recipe(
        "Shortbread",
        lines=[IngredientLine(flour.id, 3, "cup"), IngredientLine(butter.id, 250, "g")],
    )
    wedge = FinishedUnit("Wedge", shortbread.id, 16)
    event = Event("Market", [ProductionTarget(shortbread.id, 4)])
    add_catalog(store.unit_of_work(), [flour, butter, ribbon, bag, block, shortbread, wedge, event])
    plan_id = create_plan(store.unit_of_work(), event.id, clock=clock(0)).plan_id
    return Bakery(flour, butter, ribbon, bag, block, shortbread, plan_id)


def on_hand(store: Any, item: Any, minutes: int = 10_000) -> tuple[Any, str]:
    line = pantry(store.unit_of_work(), as_of=at(minutes)).item(item.id)
    assert line is not None
    return line.on_hand, line.unit


def test_a_morning_of_baking_in_the_pantry(store: Any) -> None:
    b = bakery(store)
    receipt = record_purchase(store.unit_of_work(), b.bag.id, 2, clock=clock(10))
    assert (receipt.quantity, receipt.unit, receipt.packs, receipt.seq) == (2, "kg", 2, 1)
    assert on_hand(store, b.flour) == (2000, "g")
    # two batches at 3 cups of flour each, 120 g a cup: 720 g off the shelf
    bake = record_production(store.unit_of_work(), b.plan_id, b.shortbread.id, 2, clock=clock(60))
    assert on_hand(store, b.flour) == (1280, "g")
    assert on_hand(store, b.butter) == (-500, "g")  # no receipt of butter yet: shown as it is
    # the baker counts 1.25 kg at 9:00: the count already includes the bake
    record_stock_count(store.unit_of_work(), b.flour.id, "1.25", "kg", clock=clock(120))
    assert on_hand(store, b.flour) == (1250, "g")
    # voiding the bake (made before the count) changes nothing on the shelf
    void_run(store.unit_of_work(), bake.id, reason="counted twice", clock=clock(130))
    assert on_hand(store, b.flour) == (1250, "g")
    # a bake after the count comes off it; voiding it gives back exactly the 720 g
    later = record_production(store.unit_of_work(), b.plan_id, b.shortbread.id, 2, clock=clock(180))
    assert on_hand(store, b.flour) == (530, "g")
    void_run(store.unit_of_work(), later.id, reason="burnt, never happened", clock=clock(200))
    assert on_hand(store, b.flour) == (1250, "g")
    assert on_hand(store, b.flour, minutes=190) == (530, "g")  # as it was before the void
    # a snack (in cups) comes off too
    record_stock_use(
        store.unit_of_work(), b.flour.id, "0.5", "cup", reason="gravy", clock=clock(210)
    )
    assert on_hand(store, b.flour) == (1190, "g")
    line = pantry(store.unit_of_work(), as_of=at(300)).item(b.flour.id)
    assert line is not None
    assert line.counted_at == at(120)
    assert line.unconvertible == ()


def test_an_amount_that_cannot_be_converted_is_listed_never_dropped(store: Any) -> None:
    b = bakery(store)
    record_stock_count(store.unit_of_work(), b.butter.id, 500, "g", clock=clock(1))
    record_stock_use(store.unit_of_work(), b.butter.id, 1, "stick", reason="toast", clock=clock(2))
    line = pantry(store.unit_of_work(), as_of=at(5)).item(b.butter.id)
    assert line is not None
    assert (line.on_hand, line.unit) == (500, "g")
    assert line.unconvertible == ((Decimal(-1), "stick"),)
    # once the baker says what a stick weighs, it converts
    with store.unit_of_work() as uow:
        butter = uow.ingredients.get(b.butter.id)
        uow.ingredients.update(attrs.evolve(butter, measures=[Measure(1, "stick", 113, "g")]))
        uow.commit()
    line = pantry(store.unit_of_work(), as_of=at(5)).item(b.butter.id)
    assert line is not None
    assert (line.on_hand, line.unconvertible) == (387, ())


def test_a_price_comes_with_a_purchase_or_on_its_own(store: Any) -> None:
    b = bakery(store)
    record_purchase(
        store.unit_of_work(), b.block.id, 4, price="2.10", currency="EUR", clock=clock(5)
    )
    quote = record_price(store.unit_of_work(), b.block.id, "2.25", currency="EUR", clock=clock(9))
    with store.unit_of_work() as uow:
        quotes = sorted(uow.prices.all(), key=lambda q: q.seq)
        receipts = uow.pantry.all()
    assert [(q.seq, q.price, q.at) for q in quotes] == [
        (1, Decimal("2.10"), at(5)),
        (2, Decimal("2.25"), at(9)),
    ]
    assert quote == quotes[1]
    assert receipts[0].price == Decimal("2.10")
    assert record_price(store.unit_of_work(), b.bag.id, 0, currency="EUR").price == 0  # a gift


def test_a_retried_purchase_writes_nothing_and_a_reused_key_is_refused(store: Any) -> None:
    b = bakery(store)
    first = record_purchase(
        store.unit_of_work(), b.bag.id, 2, price="1.80", currency="EUR", key="r-1", clock=clock(1)
    )
    before = store_contents(store)
    again = record_purchase(
        store.unit_of_work(), b.bag.id, 2, price="1.80", currency="EUR", key="r-1", clock=clock(9),
        note="the form was sent twice",
    )  # fmt: skip
    assert again == first
    assert store_contents(store) == before  # no second receipt, no second quote
    with pytest.raises(KeyReusedError, match="already names pantry entry 1"):
        record_purchase(store.unit_of_work(), b.bag.id, 3, key="r-1")
    # one key space for every kind of entry
    with pytest.raises(KeyReusedError):
        record_stock_count(store.unit_of_work(), b.flour.id, 1, "kg", key="r-1")
    assert store_contents(store) == before


def test_voids_of_pantry_entries(store: Any) -> None:
    b = bakery(store)
    record_purchase(store.unit_of_work(), b.bag.id, 3, clock=clock(1))
    void = void_pantry_entry(store.unit_of_work(), 1, reason="it was rye", clock=clock(5))
    assert (void.seq, void.entry_seq) == (2, 1)
    assert on_hand(store, b.flour) == (0, "g")
    assert on_hand(store, b.flour, minutes=3) == (3000, "g")  # before the void
    assert void_pantry_entry(store.unit_of_work(), 1, reason="again") == void
    with pytest.raises(ValidationError, match="a void cannot be voided"):
        void_pantry_entry(store.unit_of_work(), 2, reason="undo the undo")
    with pytest.raises(PantryEntryNotFound, match="pantry entry 9 not found"):
        void_pantry_entry(store.unit_of_work(), 9, reason="?")


def test_nothing_in_the_kitchen_is_refused_for_lack_of_pantry_stock(store: Any) -> None:
    b = bakery(store)
    run = record_production(store.unit_of_work(), b.plan_id, b.shortbread.id, 4, clock=clock(1))
    assert run.batches == 4
    assert on_hand(store, b.flour) == (-1440, "g")


# -- bad input: a typed error naming the item, nothing written -----------------------------------


def test_measures_between_one_dimension_or_that_contradict_are_refused() -> None:
    with pytest.raises(ValidationError, match="two units of one dimension"):
        Measure(1, "cup", 16, "tbsp")
    with pytest.raises(
        ValidationError, match=r"^Ingredient\.measures: measures .* of 'Flour' give two ways"
    ):
        Ingredient("Flour", measures=[Measure(1, "cup", 120, "g"), Measure(1, "cup", 125, "g")])


def test_a_product_for_a_missing_item_is_refused_at_commit(store: Any) -> None:
    bakery(store)
    before = store_contents(store)
    stray = Product(Ingredient("Nothing").id, "Mystery 1 kg", 1, "kg")
    with pytest.raises(
        ValidationError, match=rf"^product 'Mystery 1 kg' is for {stray.item_id}, which is no ingr"
    ):
        add_catalog(store.unit_of_work(), [stray])
    assert store_contents(store) == before


def test_removing_an_item_its_products_need_is_refused_at_commit(store: Any) -> None:
    b = bakery(store)
    before = store_contents(store)
    with pytest.raises(ValidationError, match="Butter 250 g block"), store.unit_of_work() as uow:
        uow.ingredients.remove(b.butter.id)
        uow.commit()
    assert store_contents(store) == before


def test_a_pack_unit_that_cannot_convert_is_refused_naming_both(store: Any) -> None:
    b = bakery(store)
    before = store_contents(store)
    eggs_box = Product(b.butter.id, "Butter, a box of 4 sticks", 4, "stick")
    with pytest.raises(
        ValidationError,
        match=r"'Butter, a box of 4 sticks' \(4 stick\) cannot be converted to product "
        r"'Butter 250 g block' \(250 g\) of 'Butter'",
    ):
        add_catalog(store.unit_of_work(), [eggs_box])
    assert store_contents(store) == before
    # with a measure for the stick it can
    with store.unit_of_work() as uow:
        butter = uow.ingredients.get(b.butter.id)
        uow.ingredients.update(attrs.evolve(butter, measures=[Measure(1, "stick", 113, "g")]))
        uow.products.add(eggs_box)
        uow.commit()
    # and taking the measure away again would strand it: refused
    with (
        pytest.raises(ValidationError, match=r"'Butter 250 g block' \(250 g\) of 'Butter'"),
        store.unit_of_work() as uow,
    ):
        butter = uow.ingredients.get(b.butter.id)
        uow.ingredients.update(attrs.evolve(butter, measures=[]))
        uow.commit()


def test_at_most_one_preferred_active_product_per_item(store: Any) -> None:
    b = bakery(store)
    second = Product(b.flour.id, "Flour 2 kg bag", 2, "kg", preferred=True)
    with pytest.raises(ValidationError, match="'Flour' has 2 preferred products"):
        add_catalog(store.unit_of_work(), [second])
    retired = attrs.evolve(second, active=False)
    add_catalog(store.unit_of_work(), [retired])  # an inactive one does not count


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda s, b: record_price(s.unit_of_work(), b.bag.id, -1, currency="EUR"), ValidationError,
         "^product 'Flour 1 kg bag', price: amount must be zero or more, not -1$"),
        (lambda s, b: record_price(s.unit_of_work(), b.bag.id, 1, currency="EURO"), ValidationError,
         "^product 'Flour 1 kg bag', currency: must be three upper-case letters"),
        (lambda s, b: record_price(s.unit_of_work(), b.bag.id, 1, currency="ABC"), ValidationError,
         "^product 'Flour 1 kg bag', currency: 'ABC' is not a currency code of ISO 4217$"),
        (lambda s, b: record_purchase(s.unit_of_work(), b.bag.id, 1, price=2), ValidationError,
         "^product 'Flour 1 kg bag': price and currency come together"),
        (lambda s, b: record_purchase(s.unit_of_work(), b.bag.id, 0), ValidationError,
         "packs must be 1 or more"),
        (lambda s, b: record_purchase(s.unit_of_work(), b.bag.id, 1.5), TypeError,
         "packs must be a whole number"),
        (lambda s, b: record_purchase(s.unit_of_work(), b.bag.id, "2.5"), ValidationError,
         "packs must be a whole number, not '2.5'"),
        (lambda s, b: record_purchase(s.unit_of_work(), b.shortbread.id, 1), ProductNotFound,
         r"^product [0-9a-f-]{36} not found$"),
        (lambda s, b: record_stock_count(s.unit_of_work(), b.shortbread.id, 1, "kg"),
         ItemNotFound, "ingredient or material unit"),
        (lambda s, b: record_stock_count(s.unit_of_work(), b.flour.id, 0.5, "kg"),
         ValidationError, "float"),
        (lambda s, b: record_stock_use(s.unit_of_work(), b.flour.id, 1, "kg", reason=" "),
         ValidationError, "reason"),
        (lambda s, b: record_stock_count(s.unit_of_work(), b.flour.id, 1, "kg",
                                         at=datetime.datetime(2026, 1, 1)),
         ValidationError, "aware datetime"),
    ],
)  # fmt: skip
def test_bad_input_is_a_typed_error_and_nothing_is_written(
    store: Any, call: Callable[[Any, Bakery], object], error: type[Exception], message: str
) -> None:
    b = bakery(store)
    before = store_contents(store)
    with pytest.raises(error, match=message):
        call(store, b)
    assert store_contents(store) == before


# -- atomic at every write -----------------------------------------------------------------------

WRITERS: dict[str, Callable[[Any, Bakery], object]] = {
    "purchase with a price": lambda s, b: record_purchase(
        s.unit_of_work(), b.block.id, 2, price="2.10", currency="EUR", key="k"
    ),
    "price": lambda s, b: record_price(s.unit_of_work(), b.block.id, "2.10", currency="EUR"),
    "count": lambda s, b: record_stock_count(s.unit_of_work(), b.flour.id, 3, "kg"),
    "use": lambda s, b: record_stock_use(s.unit_of_work(), b.flour.id, 3, "cup", reason="x"),
    "void": lambda s, b: void_pantry_entry(s.unit_of_work(), 1, reason="wrong shelf"),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_failure_at_every_write_and_at_commit_changes_nothing(
    store_factory: Callable[[], Any], writer: str
) -> None:
    counted = store_factory()
    counted_bakery = bakery(counted)
    record_stock_count(counted.unit_of_work(), counted_bakery.flour.id, 1, "kg")
    writes = count_writes(counted, lambda counting: WRITERS[writer](counting, counted_bakery))
    assert writes == (2 if writer == "purchase with a price" else 1)
    store = store_factory()
    b = bakery(store)
    record_stock_count(store.unit_of_work(), b.flour.id, 1, "kg")
    before = store_contents(store)
    for failing in range(1, writes + 1):
        with pytest.raises(PersistenceError) as caught:
            WRITERS[writer](FaultyStore(store, fail_at_write=failing), b)
        assert isinstance(caught.value, InjectedFault)
        assert store_contents(store) == before
    with pytest.raises(InjectedFault):
        WRITERS[writer](FaultyStore(store, fail_at_commit=True), b)
    assert store_contents(store) == before
    WRITERS[writer](store, b)
    assert store_contents(store) != before


def test_inside_a_callers_transaction_a_purchase_waits_for_the_callers_commit(store: Any) -> None:
    b = bakery(store)
    before = store_contents(store)
    with store.unit_of_work() as uow:
        record_purchase(uow, b.bag.id, 1, price="1.50", currency="EUR")
        assert len(uow.pantry.all()) == 1
    assert store_contents(store) == before


def test_two_entries_never_share_a_seq(store: Any) -> None:
    b = bakery(store)
    record_stock_count(store.unit_of_work(), b.flour.id, 1, "kg")
    with store.unit_of_work() as uow:
        taken = uow.pantry.all()[0]
        with pytest.raises(ConflictError):
            uow.pantry.add(attrs.evolve(taken, id=Ingredient("x").id, key=None))


def test_packs_from_a_web_form_come_as_digits(store: Any) -> None:
    b = bakery(store)
    receipt = record_purchase(store.unit_of_work(), b.bag.id, " 3 ", clock=clock(1))
    assert (receipt.packs, receipt.quantity) == (3, 3)


def test_the_stock_unit_is_the_unit_of_the_oldest_thing_the_ledgers_say_of_an_item(
    store: Any,
) -> None:
    # butter has no product and no measure: a bake took 250 g at 8:00, then a slice of toast
    # took a stick at 9:00; the figures stay in grams (the older of the two), the stick listed
    b = bakery(store)
    with store.unit_of_work() as uow:
        uow.products.remove(b.block.id)
        uow.commit()
    record_production(store.unit_of_work(), b.plan_id, b.shortbread.id, 1, clock=clock(60))
    before = pantry(store.unit_of_work(), as_of=at(61)).item(b.butter.id)
    record_stock_use(
        store.unit_of_work(), b.butter.id, 1, "stick", reason="toast", clock=clock(120)
    )
    after = pantry(store.unit_of_work(), as_of=at(61)).item(b.butter.id)
    now = pantry(store.unit_of_work(), as_of=at(121)).item(b.butter.id)
    assert before is not None
    assert after is not None
    assert now is not None
    assert (before.on_hand, before.unit) == (after.on_hand, after.unit) == (-250, "g")
    assert (now.on_hand, now.unit, now.unconvertible) == (-250, "g", ((Decimal(-1), "stick"),))


def test_the_memory_store_takes_writing_like_the_sql_store() -> None:
    from snapplan import MemoryStore

    store = MemoryStore()
    with store.unit_of_work(writing=True) as uow:
        uow.ingredients.add(Ingredient("Flour"))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.ingredients.count() == 1
