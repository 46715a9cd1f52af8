"""Choosing packs exactly: the optimiser against hand-worked cases and against brute force."""

from __future__ import annotations

import itertools
import math
import uuid
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan.domain.packs import Choice, PackOption, choose_packs


def option(name: str, size: str | int, price: str | None, min_packs: int = 1) -> PackOption:
    return PackOption(
        uuid.uuid4(), name, Decimal(size), min_packs, None if price is None else Decimal(price)
    )


def shown(choice: Choice) -> list[tuple[str, int]]:
    return [(o.name, count) for o, count in choice.counts]


def test_three_kilos_from_two_and_one_and_a_half_kilo_bags_cost_six_sixty_not_seven_thirty() -> (
    None
):
    two = option("Flour 2 kg", 2000, "4.00")  # 2.00 a kilo
    one_half = option("Flour 1.5 kg", 1500, "3.30")  # 2.20 a kilo
    choice = choose_packs(Decimal(3000), [two, one_half], "cheapest")
    assert shown(choice) == [("Flour 1.5 kg", 2)]
    assert choice.cost == Decimal("6.60")
    assert choice.bought == 3000
    # greedy by unit price would take 2 kg first and pay 4.00 + 3.30 = 7.30, or 8.00 for two
    assert choose_packs(Decimal(3000), [two], "cheapest").cost == Decimal("8.00")


def test_fewest_packs_then_less_left_over_then_cheaper() -> None:
    two = option("Flour 2 kg", 2000, "4.00")
    one_half = option("Flour 1.5 kg", 1500, "3.30")
    choice = choose_packs(Decimal(3000), [two, one_half], "fewest")
    assert shown(choice) == [("Flour 1.5 kg", 2)]  # two packs either way; nothing left over
    assert shown(choose_packs(Decimal(3500), [two, one_half], "fewest")) == [
        ("Flour 1.5 kg", 1),
        ("Flour 2 kg", 1),
    ]


def test_min_packs_are_honoured_by_every_policy() -> None:
    # the wholesaler sells tins at 2.00 but six at least; the shop sells one at 2.50
    wholesale = option("Gift tin, wholesale", 1, "2.00", min_packs=6)
    single = option("Gift tin", 1, "2.50")
    assert shown(choose_packs(Decimal(4), [wholesale, single], "cheapest")) == [("Gift tin", 4)]
    # five: 12.00 for six beats 12.50 for five, one tin left over
    five = choose_packs(Decimal(5), [wholesale, single], "cheapest")
    assert shown(five) == [("Gift tin, wholesale", 6)]
    assert five.cost == Decimal("12.00")
    assert shown(choose_packs(Decimal(8), [wholesale, single], "cheapest")) == [
        ("Gift tin, wholesale", 8)
    ]
    assert shown(choose_packs(Decimal(2), [wholesale], "preferred")) == [("Gift tin, wholesale", 6)]


def test_nothing_to_buy_buys_nothing() -> None:
    assert choose_packs(Decimal(0), [option("Butter", 250, "2")], "cheapest").counts == ()
    assert choose_packs(Decimal(-5), [option("Butter", 250, "2")], "fewest").counts == ()


def test_a_zero_price_is_a_real_price_and_wins() -> None:
    gift = option("Sample bag", 100, "0")
    bought = option("Bag", 1000, "1.50")
    choice = choose_packs(Decimal(300), [gift, bought], "cheapest")
    assert shown(choice) == [("Sample bag", 3)]
    assert choice.cost == 0


def test_the_cheapest_choice_needs_every_price() -> None:
    with pytest.raises(ValueError, match="needs a price"):
        choose_packs(Decimal(1), [option("A", 1, None)], "cheapest")


def test_fractional_sizes_are_exact() -> None:
    # a pack whose size in the stock unit does not terminate (a cup pack counted in grams)
    third = PackOption(uuid.uuid4(), "Third", Fraction(1, 3), 1, Decimal("0.10"))
    choice = choose_packs(Decimal(1), [third], "cheapest")
    assert shown(choice) == [("Third", 3)]
    assert choice.bought == 1


def test_a_large_need_is_still_answered_exactly() -> None:
    # 100 kg of butter from three block sizes: the search stays small
    blocks = [
        option("Butter 250 g", 250, "2.10"),
        option("Butter 500 g", 500, "4.05"),
        option("Butter 1 kg", 1000, "8.30"),
    ]
    choice = choose_packs(Decimal(100_001), blocks, "cheapest")
    assert choice.cost == Decimal("4.05") * 200 + Decimal("2.10")
    assert choice.bought >= 100_001


# -- against brute force ------------------------------------------------------------------------


def brute_force(need: Decimal, options: list[PackOption], policy: str) -> tuple[object, ...]:
    """The best key over every feasible choice within the documented bound.

    Every count of every option but the last is tried; of the last, only the fewest packs that
    cover what is still short (none if nothing is): more of it never costs less (prices are
    not negative), and it is more packs and more left over, so it is never better under
    either policy. That keeps the search at a few thousand choices where trying every count of
    three options of a third of a unit each up to the bound took millions (a minute a run).
    """
    largest = max(max(Fraction(o.size), o.min_packs * Fraction(o.size)) for o in options)
    ceiling = Fraction(need) + largest
    most = [math.floor(ceiling / Fraction(o.size)) for o in options]
    *others, last = options
    best: tuple[object, ...] | None = None
    for counts in itertools.product(*(range(m + 1) for m in most[:-1])):
        if any(0 < c < o.min_packs for o, c in zip(others, counts, strict=True)):
            continue
        short = Fraction(need) - sum(
            (Fraction(o.size) * c for o, c in zip(others, counts, strict=True)), Fraction()
        )
        fewest = 0 if short <= 0 else max(last.min_packs, math.ceil(short / Fraction(last.size)))
        if fewest > most[-1]:
            continue  # no count of the last option within the bound covers the need
        chosen = (*counts, fewest)
        bought = sum(
            (Fraction(o.size) * c for o, c in zip(options, chosen, strict=True)), Fraction()
        )
        cost = sum((o.price * c for o, c in zip(options, chosen, strict=True) if c), Decimal(0))  # type: ignore[operator]
        packs = sum(chosen)
        key: tuple[object, ...] = (
            (cost, packs, bought - Fraction(need))
            if policy == "cheapest"
            else (packs, bought - Fraction(need), cost)
        )
        if best is None or key < best:
            best = key
    assert best is not None
    return best


def key_of(choice: Choice, need: Decimal, policy: str) -> tuple[object, ...]:
    left = choice.bought - Fraction(need)
    if policy == "cheapest":
        return (choice.cost, choice.packs, left)
    return (choice.packs, left, choice.cost)


options_strategy = st.lists(
    st.builds(
        PackOption,
        product_id=st.uuids(),
        name=st.sampled_from(["A", "B", "C", "D"]),
        # whole sizes, and sizes that do not terminate (a cup pack counted in millilitres)
        size=st.builds(
            Fraction,
            st.integers(min_value=1, max_value=12),
            st.sampled_from([1, 1, 1, 2, 3]),
        ),
        min_packs=st.integers(min_value=1, max_value=3),
        price=st.integers(min_value=0, max_value=40).map(lambda c: Decimal(c) / 4),
    ),
    min_size=1,
    max_size=3,
)


@given(
    st.integers(min_value=1, max_value=30),
    options_strategy,
    st.sampled_from(["cheapest", "fewest"]),
)
def test_the_choice_is_as_good_as_any_feasible_one_within_the_bound(
    need: int, options: list[PackOption], policy: str
) -> None:
    choice = choose_packs(Decimal(need), options, policy)  # type: ignore[arg-type]
    assert choice.bought >= need  # bought >= to buy
    for chosen, count in choice.counts:
        assert count >= chosen.min_packs
    largest = max(max(Fraction(o.size), o.min_packs * Fraction(o.size)) for o in options)
    assert choice.bought <= need + largest  # within the documented bound
    assert key_of(choice, Decimal(need), policy) == brute_force(Decimal(need), options, policy)
