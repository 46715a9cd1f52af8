"""The shopping list's arithmetic, pure: sum, convert, net once, round to packs, last."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan import ValidationError
from snapplan.domain.measures import Measure
from snapplan.domain.pantry import Pantry, PantryItem, StockedItem
from snapplan.domain.prices import PriceQuote
from snapplan.domain.products import Product
from snapplan.domain.shopping import Need, shopping_list

NOW = datetime.datetime(2026, 12, 4, 9, tzinfo=datetime.UTC)
BUTTER = StockedItem(uuid.uuid4(), "Butter")
FLOUR = StockedItem(uuid.uuid4(), "Flour", (Measure(1, "cup", 120, "g"),))
COCOA = StockedItem(uuid.uuid4(), "Cocoa")
ITEMS = {i.item_id: i for i in (BUTTER, FLOUR, COCOA)}
BLOCK = Product(BUTTER.item_id, "Butter 250 g block", 250, "g")
BAG_2 = Product(FLOUR.item_id, "Flour 2 kg bag", 2, "kg")
BAG_15 = Product(FLOUR.item_id, "Flour 1.5 kg bag", "1.5", "kg")
TIN = Product(COCOA.item_id, "Cocoa 250 g tin", 250, "g")
PLAN_A, PLAN_B = uuid.uuid4(), uuid.uuid4()


def quote(product: Product, price: str, currency: str = "EUR", seq: int = 1) -> PriceQuote:
    return PriceQuote(product_id=product.id, price=price, currency=currency, at=NOW, seq=seq)


def need(
    item: StockedItem, quantity: str, unit: str, plan: uuid.UUID = PLAN_A, via: str = "Cake"
) -> Need:
    return Need(
        plan,
        "Market" if plan == PLAN_A else "Fair",
        item.item_id,
        item.name,
        via,
        uuid.uuid4(),
        Decimal(2),
        Decimal(quantity),
        unit,
    )


def pantry(**on_hand: tuple[Any, str]) -> Pantry:
    by_name = {i.name: i for i in ITEMS.values()}
    return Pantry(
        as_of=NOW,
        items=tuple(
            PantryItem(by_name[name].item_id, name, Decimal(q), unit, (), None)
            for name, (q, unit) in on_hand.items()
        ),
    )


def build(needs: list[Need], **options: Any) -> Any:
    defaults: dict[str, Any] = {
        "products": [BLOCK, BAG_2, BAG_15, TIN],
        "quotes": {
            q.product_id: q
            for q in [
                quote(BLOCK, "2.10"),
                quote(BAG_2, "4.00"),
                quote(BAG_15, "3.30"),
                quote(TIN, "5.00"),
            ]
        },
        "pantry": pantry(),
        "policy": "cheapest",
        "use_pantry": True,
        "currency": None,
    }
    defaults.update(options)
    return shopping_list(needs, ITEMS, **defaults)


def line_of(result: Any, item: StockedItem) -> Any:
    return next(line for line in result.lines if line.item_id == item.item_id)


def test_two_events_sharing_butter_are_netted_once_not_per_plan() -> None:
    # 300 g for each event, 100 g in the fridge: summed 600 - 100 = 500 g, two blocks; netting
    # per plan would buy one block for the first (200 g) and two for the second (300 g)
    result = build(
        [need(BUTTER, "300", "g", PLAN_A), need(BUTTER, "300", "g", PLAN_B)],
        pantry=pantry(Butter=(100, "g")),
    )
    butter = line_of(result, BUTTER)
    assert (butter.needed, butter.on_hand, butter.to_buy) == (600, 100, 500)
    assert [(p.name, p.count) for p in butter.packs] == [("Butter 250 g block", 2)]
    assert (butter.bought, butter.left_over, butter.cost) == (500, 0, Decimal("4.20"))
    assert {s.event_name for s in butter.sources} == {"Market", "Fair"}


def test_three_kilos_of_flour_cost_six_sixty() -> None:
    result = build([need(FLOUR, "3", "kg")])
    flour = line_of(result, FLOUR)
    assert [(p.name, p.count) for p in flour.packs] == [("Flour 1.5 kg bag", 2)]
    assert flour.cost == Decimal("6.60")
    assert result.total == Decimal("6.60")
    assert result.currency == "EUR"


def test_cups_and_grams_meet_through_the_density_and_sources_sum_to_needed() -> None:
    result = build([need(FLOUR, "6", "cup"), need(FLOUR, "280", "g", via="Bread")])
    flour = line_of(result, FLOUR)
    assert flour.unit == "g"
    assert flour.needed == 1000  # 6 cups at 120 g + 280 g
    assert sum(s.converted for s in flour.sources) == flour.needed
    assert [(s.quantity, s.unit, s.converted) for s in flour.sources] == [
        (Decimal(6), "cup", Decimal(720)),
        (Decimal(280), "g", Decimal(280)),
    ]


def test_a_cup_of_cocoa_with_no_density_is_listed_unconvertible_and_the_list_incomplete() -> None:
    result = build([need(COCOA, "2", "cup"), need(COCOA, "100", "g")])
    cocoa = line_of(result, COCOA)
    assert cocoa.unconvertible == ((Decimal(2), "cup"),)
    assert cocoa.needed == 100  # the grams still count
    assert not cocoa.complete
    assert not result.complete
    assert [(m.name, m.why) for m in result.missing] == [("Cocoa", "unconvertible")]
    assert cocoa.sources[0].converted is None


def test_an_item_with_no_product_or_no_price_is_marked_never_costed_at_zero() -> None:
    result = build(
        [need(BUTTER, "300", "g"), need(FLOUR, "1", "kg")],
        products=[BAG_2],
        quotes={},
    )
    butter, flour = line_of(result, BUTTER), line_of(result, FLOUR)
    assert (butter.packs, butter.cost, butter.complete) == ((), None, False)
    assert [(p.name, p.count) for p in flour.packs] == [("Flour 2 kg bag", 1)]  # fewest
    assert flour.cost is None
    assert [(m.name, m.why) for m in result.missing] == [
        ("Butter", "no product"),
        ("Flour", "no price"),
    ]
    assert result.total == 0


def test_nothing_to_buy_keeps_its_line_at_no_cost() -> None:
    result = build([need(BUTTER, "200", "g")], pantry=pantry(Butter=(1000, "g")))
    butter = line_of(result, BUTTER)
    assert (butter.to_buy, butter.packs, butter.cost, butter.left_over) == (0, (), 0, 800)
    assert butter.complete


def test_negative_on_hand_nets_as_zero_and_is_shown_as_it_is() -> None:
    result = build([need(BUTTER, "200", "g")], pantry=pantry(Butter=(-50, "g")))
    butter = line_of(result, BUTTER)
    assert (butter.on_hand, butter.to_buy, butter.left_over) == (-50, 200, 50)


def test_without_the_pantry_everything_is_bought() -> None:
    result = build([need(BUTTER, "200", "g")], pantry=pantry(Butter=(1000, "g")), use_pantry=False)
    assert line_of(result, BUTTER).to_buy == 200


def test_several_currencies_need_a_choice() -> None:
    quotes = {BLOCK.id: quote(BLOCK, "2.10", "EUR"), BAG_2.id: quote(BAG_2, "3.50", "GBP")}
    with pytest.raises(ValidationError, match=r"2 currencies \(EUR, GBP\)"):
        build([need(BUTTER, "1", "g"), need(FLOUR, "1", "g")], quotes=quotes)
    result = build([need(BUTTER, "1", "g"), need(FLOUR, "1", "g")], quotes=quotes, currency="GBP")
    assert line_of(result, BUTTER).cost is None  # its only price is in euros
    assert line_of(result, FLOUR).cost == Decimal("3.50")


def test_the_preferred_policy_needs_a_preferred_product() -> None:
    with pytest.raises(ValidationError, match="'Flour' have products but no preferred one"):
        build([need(FLOUR, "1", "kg")], policy="preferred")
    preferred = Product(FLOUR.item_id, "Flour 2 kg bag", 2, "kg", preferred=True, id=BAG_2.id)
    result = build([need(FLOUR, "3", "kg")], policy="preferred", products=[preferred, BAG_15])
    assert [(p.name, p.count) for p in line_of(result, FLOUR).packs] == [("Flour 2 kg bag", 2)]


def test_fractions_stay_exact_to_the_pack() -> None:
    # flour counted in millilitres: 1 ml is 120/236.5882365 g
    result = build([need(FLOUR, "1", "ml")])
    flour = line_of(result, FLOUR)
    assert isinstance(flour.needed, Fraction)
    assert flour.bought + 0 == 1500
    assert flour.left_over == 1500 - flour.needed


@given(
    st.lists(
        st.tuples(
            st.sampled_from([BUTTER, FLOUR]),
            st.integers(1, 3000),
            st.sampled_from(["g", "kg", "cup"]),
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(-500, 3000),
    st.booleans(),
)
def test_the_lists_promises_hold(
    needs: list[tuple[StockedItem, int, str]], fridge: int, reverse: bool
) -> None:
    wanted = [
        need(item, str(q), u if item is FLOUR or u != "cup" else "g", PLAN_A if i % 2 else PLAN_B)
        for i, (item, q, u) in enumerate(needs)
    ]
    result = build(wanted, pantry=pantry(Butter=(fridge, "g"), Flour=(fridge, "g")))
    again = build(
        list(reversed(wanted)) if reverse else wanted,
        pantry=pantry(Butter=(fridge, "g"), Flour=(fridge, "g")),
    )
    assert again == result or reverse  # sources keep the order the needs came in
    assert [line.to_buy for line in again.lines] == [line.to_buy for line in result.lines]
    for line in result.lines:
        assert line.bought >= line.to_buy
        assert sum(s.converted for s in line.sources) == line.needed
        assert line.left_over == max(line.on_hand, 0) + line.bought - line.needed
        assert line.to_buy == max(line.needed - max(line.on_hand, 0), 0)
