"""Choosing packs: how many of which product cover what is to buy, exactly and optimally.

The last step of a shopping list (SHOPPING.md): once every plan's needs are summed, converted
and netted against the pantry, the amount *to buy* of an item is covered by whole packs of its
products. Three policies:

- ``cheapest``: the least total price with bought >= to buy; ties: fewer packs, then less left
  over, then product names;
- ``fewest``: the fewest packs; ties: less left over, then the lower price, then names;
- ``preferred``: the preferred product only (as many packs as it takes, at least its
  ``min_packs``).

A product that is used at all is used at least its ``min_packs`` times. The search is exact,
never greedy by unit price: 3 kg from 2 kg bags at 4.00 and 1.5 kg bags at 3.30 costs 6.60 (two
1.5 kg bags), where taking the cheaper-per-kilo bag first pays 7.30 (2 kg + 1.5 kg) or 8.00.

Why the search is finite: an optimal choice never holds a pack it could drop and still cover
what is to buy (dropping it costs no more, and has fewer packs), unless that pack is needed to
reach a product's ``min_packs``. So a product's count is 0, or between its ``min_packs`` and
the packs of it alone that cover what the others leave; the most ever bought is to buy plus the
largest pack (or the largest ``min_packs`` x pack, when that is more). The search runs over
those counts, depth first, and drops a branch only when even its best conceivable completion
(what is left, at the cheapest price per unit still available) is worse than the best choice
found: exact, and quick for the handful of products a shop sells of one thing.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import attrs

from snapplan.domain.quantities import exact_arithmetic

#: The pack policies of a shopping list.
Policy = Literal["cheapest", "fewest", "preferred"]
POLICIES: tuple[Policy, ...] = ("cheapest", "fewest", "preferred")


@attrs.frozen
class PackOption:
    """A product that may cover the need: its ``size`` in the item's stock unit (exact),
    its ``min_packs``, and its ``price`` per pack (None: unknown)."""

    product_id: uuid.UUID
    name: str
    size: Decimal | Fraction
    min_packs: int = 1
    price: Decimal | None = None


@attrs.frozen
class Choice:
    """How many packs of which option (in the order of the options given; counts > 0)."""

    counts: tuple[tuple[PackOption, int], ...]

    @property
    def packs(self) -> int:
        """How many packs in all."""
        return sum(count for _, count in self.counts)

    @property
    def bought(self) -> Fraction:
        """How much they hold, in the stock unit."""
        return sum((Fraction(o.size) * count for o, count in self.counts), Fraction(0))

    @property
    def cost(self) -> Decimal | None:
        """What they cost; None when a price is unknown."""
        total = Decimal(0)
        with exact_arithmetic():
            for option, count in self.counts:
                if option.price is None:
                    return None
                total += option.price * count
        return total


def choose_packs(
    to_buy: Decimal | Fraction, options: Sequence[PackOption], policy: Policy
) -> Choice:
    """The packs ``policy`` chooses to cover ``to_buy`` (in the options' unit); nothing when
    there is nothing to buy. ``cheapest`` needs a price on every option (the caller leaves the
    unpriced ones out, or falls back to ``fewest``); ``preferred`` takes exactly one option."""
    need = Fraction(to_buy)
    if need <= 0 or not options:
        return Choice(())
    if policy == "cheapest" and any(o.price is None for o in options):
        raise ValueError("the cheapest choice needs a price for every option")
    if policy == "preferred" or len(options) == 1:
        # one pack to choose from: just enough of it, and at least its min_packs (what the
        # search below would find, without scaling anything)
        (only,) = options
        count = max(only.min_packs, math.ceil(need / Fraction(only.size)))
        return Choice(((only, count),))
    # Every amount and price is made a whole number of one common fraction of a unit (of a
    # currency unit): the search then adds and compares Python ints, exactly and quickly.
    sizes = [Fraction(o.size) for o in options]
    prices = [None if o.price is None else Fraction(o.price) for o in options]
    amount_scale = math.lcm(need.denominator, *(size.denominator for size in sizes))
    money_scale = math.lcm(*(price.denominator for price in prices if price is not None))
    scaled = [
        _Scaled(
            option,
            int(size * amount_scale),
            None if price is None else int(price * money_scale),
        )
        for option, size, price in zip(options, sizes, prices, strict=True)
    ]
    return _best(int(need * amount_scale), scaled, policy)[1]


@attrs.frozen
class _Scaled:
    """An option with its size and price as whole numbers of the search's common units."""

    option: PackOption
    size: int
    price: int | None

    @property
    def min_packs(self) -> int:
        return self.option.min_packs

    @property
    def tie(self) -> tuple[str, str]:
        return (self.option.name, str(self.option.product_id))


def _best(
    need: int, options: Sequence[_Scaled], policy: Policy
) -> tuple[tuple[object, ...], Choice]:
    """The best choice of ``options`` and its rank (see :class:`_Search`)."""
    anchor = _anchor(options, policy)
    if anchor.min_packs == 1:
        return _Search(need, options, anchor, policy, anchor_base=0).best()
    # An anchor sold by several packs at least is either not used at all, or used from its
    # min_packs on (the swaps of the bound then only add to a count already at its minimum).
    used = _Search(need, options, anchor, policy, anchor_base=anchor.min_packs).best()
    others = [o for o in options if o is not anchor]
    if not others:
        return used
    unused = _best(need, others, policy)
    return min(used, unused, key=lambda ranked: ranked[0])


def _anchor(options: Sequence[_Scaled], policy: Policy) -> _Scaled:
    """The option the search leaves for last: the cheapest per unit (``cheapest``; the largest
    on a tie), or the largest (``fewest``; the cheapest on a tie)."""
    if policy == "cheapest":
        return min(options, key=lambda o: (Fraction(o.price or 0, o.size), -o.size, o.tie))
    return min(options, key=lambda o: (-o.size, o.price is None, o.price or 0, o.tie))


class _Search:
    """Depth-first search over pack counts with exact bounds (see the module docstring).

    One option, the *anchor*, is left for last: the cheapest per unit for ``cheapest`` (the
    largest of those on a tie), the largest for ``fewest`` (the cheapest of those on a tie).
    Its count is then simply what covers the rest. The other options are bounded twice:

    - a branch is dropped when even its best conceivable completion is worse than the best
      choice found (the rest at the cheapest price per unit still available; the rest in the
      largest pack still available);
    - the packs of the other options beyond their ``min_packs`` number fewer than ``anchor /
      g`` in all, ``g`` the greatest common divisor of every pack size: among that many packs
      some run of them always adds up to a whole number of anchor packs (the pigeonhole
      principle over their sums modulo the anchor), and swapping that run for anchor packs
      would hold as much for no more money and no more packs, so an optimal choice needs no
      such run. (An anchor with a ``min_packs`` of its own is searched twice: unused, and used
      from its minimum on, so that a swap only ever adds to a count already at its minimum.)

    Sizes, prices and the need are whole numbers (see :func:`choose_packs`).
    """

    def __init__(
        self,
        need: int,
        options: Sequence[_Scaled],
        anchor: _Scaled,
        policy: Policy,
        *,
        anchor_base: int,
    ) -> None:
        self.need = need
        self.policy = policy
        # anchor_base packs of the anchor are bought in any case (its min_packs, when the
        # search is for a choice that uses it); the search chooses how many more
        self.anchor_base = anchor_base
        others = [o for o in options if o is not anchor]
        # larger packs first: good choices are found early and the bounds prune the rest
        others.sort(key=lambda o: (-o.size, o.tie))
        self.options = [*others, anchor]
        self.sizes = [o.size for o in self.options]
        self.prices = [o.price for o in self.options]
        self.spare = _anchor_bound(self.sizes)
        self.best_key: tuple[int | bool, ...] | None = None
        self.best_counts: list[int] = []
        # the least price per unit (as price, size) and the largest size among options i..
        self.cheapest_rate: list[tuple[int, int]] = []
        self.largest_from: list[int] = []
        floor: tuple[int, int] | None = None
        biggest = 0
        for price, size in zip(reversed(self.prices), reversed(self.sizes), strict=True):
            if price is not None and (floor is None or price * floor[1] < floor[0] * size):
                floor = (price, size)
            self.cheapest_rate.append(floor if floor is not None else (0, 1))
            biggest = max(biggest, size)
            self.largest_from.append(biggest)
        self.cheapest_rate.reverse()
        self.largest_from.reverse()

    def best(self) -> tuple[tuple[object, ...], Choice]:
        """The best choice found, with its rank (lower is better)."""
        base = self.anchor_base
        anchor_price = self.prices[-1] or 0
        self._walk(0, [], self.sizes[-1] * base, anchor_price * base, base, self.spare)
        chosen = tuple(
            (scaled.option, count)
            for scaled, count in zip(self.options, self.best_counts, strict=True)
            if count
        )
        assert self.best_key is not None  # the anchor alone always covers
        ordered = sorted(chosen, key=lambda oc: (oc[0].name, str(oc[0].product_id)))
        return (*self.best_key, self._names(self.best_counts)), Choice(tuple(ordered))

    def _names(self, counts: list[int]) -> tuple[tuple[str, int], ...]:
        """The last tie-break: the products' names (asked only on a tie)."""
        return tuple(
            sorted(
                (o.option.name, count)
                for o, count in zip(self.options, counts, strict=True)
                if count
            )
        )

    def _offer(self, counts: list[int], bought: int, cost: int) -> None:
        full = counts + [0] * (len(self.options) - len(counts))
        full[-1] += self.anchor_base
        packs = sum(full)
        left = bought - self.need
        key: tuple[int | bool, ...]
        if self.policy == "cheapest":
            key = (cost, packs, left)
        else:
            known = all(p is not None for p, c in zip(self.prices, full, strict=True) if c)
            key = (packs, left, not known, cost if known else 0)
        best = self.best_key
        if (
            best is None
            or key < best
            or (key == best and self._names(full) < self._names(self.best_counts))
        ):
            self.best_key, self.best_counts = key, full

    def _walk(  # noqa: PLR0917  (the search's state, passed down)
        self,
        index: int,
        counts: list[int],
        bought: int,
        cost: int,
        packs: int,
        spare: int | None,
    ) -> None:
        if bought >= self.need:  # covered: any more packs could only make it worse
            self._offer(counts, bought, cost)
            return
        if self.best_key is not None and self._hopeless(index, bought, cost, packs):
            return
        option, size = self.options[index], self.sizes[index]
        price = self.prices[index] or 0
        remaining = self.need - bought
        alone = -(-remaining // size)  # the packs of this size that cover the rest
        if index == len(self.options) - 1:  # the anchor covers the rest
            more = alone if self.anchor_base else max(option.min_packs, alone)
            self._offer([*counts, more], bought + size * more, cost + price * more)
            return
        most = max(option.min_packs, alone)
        if spare is not None:
            most = min(most, option.min_packs + spare)
        for count in range(most, option.min_packs - 1, -1):
            left_over = None if spare is None else spare - (count - option.min_packs)
            self._walk(
                index + 1,
                [*counts, count],
                bought + size * count,
                cost + price * count,
                packs + count,
                left_over,
            )
        self._walk(index + 1, [*counts, 0], bought, cost, packs, spare)

    def _hopeless(self, index: int, bought: int, cost: int, packs: int) -> bool:
        """True when no completion from option ``index`` on can beat the best choice found."""
        assert self.best_key is not None
        remaining = self.need - bought
        fewest_more = -(-remaining // self.largest_from[index])
        if self.policy == "cheapest":
            # the floor: the rest at the cheapest price per unit still available, compared
            # without dividing (floor = cost + remaining * price / size)
            price, size = self.cheapest_rate[index]
            best_cost, best_packs = self.best_key[0], self.best_key[1]
            floor, best = cost * size + remaining * price, best_cost * size
            # no completion costs less than the floor; at the floor, none has fewer packs
            return floor > best or (floor == best and packs + fewest_more > best_packs)
        best_packs = self.best_key[0]
        return packs + fewest_more > best_packs


#: Above this many anchor-sized steps the pigeonhole bound is not worth tracking.
_MAX_SPARE = 1_000_000


def _anchor_bound(sizes: Sequence[int]) -> int | None:
    """How many packs beyond their ``min_packs`` the options other than the anchor (the last
    size) may hold in all, at most: one less than ``anchor / gcd(sizes)`` (None: too many to
    be a useful bound)."""
    steps = sizes[-1] // math.gcd(*sizes)
    return steps - 1 if steps <= _MAX_SPARE else None
