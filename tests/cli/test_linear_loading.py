"""Loading and syncing a catalog grow linearly with its size.

Time is not asserted (performance goals live in ``bench/``): the work is counted instead, as
the number of Python function calls (``cProfile``'s total) that reading, checking, loading and
syncing a catalog of N items make, at N and at 2N. Linear work doubles; the old reader, which
looked for a duplicate id among every id seen so far, made 49,995,000 ``UUID.__eq__`` calls for
10,000 ingredients and grew fourfold.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable

from snapplan import MemoryStore, sync_catalog
from snapplan.cli.catalog_file import parse_catalog
from snapplan.cli.catalog_warnings import catalog_warnings

#: Items (of every kind) in the smaller catalog; the larger one has twice as many. Fewer to
#: sync, which does more per item (a quadratic step shows at any size: it is the ratio).
N = 2_000
N_SYNCED = 1_000
#: At most this many times the work for twice the items (linear: 2; quadratic: 4).
GROWTH = 2.5


def catalog_text(n: int) -> str:
    """A catalog of about ``n`` items of every kind: groups of an ingredient, a recipe (with
    a sub-recipe on the previous one, in chains of three), a finished unit, a material unit and
    a good (nesting the previous good, in pairs), and an event per 50 groups."""
    parts: list[str] = []
    groups = n // 5
    for i in range(groups):
        parts.append(f'[[ingredient]]\nname = "Ingredient {i}"\n')
        sub = f'sub_recipes = [{{ recipe = "Recipe {i - 1}", batches = 0.5 }}]\n' if i % 3 else ""
        parts.append(
            f'[[recipe]]\nname = "Recipe {i}"\n'
            f'lines = [{{ ingredient = "Ingredient {i}", quantity = 1.5, unit = "cup" }},'
            f' {{ ingredient = "Ingredient {i // 2}", quantity = 2, unit = "g" }}]\n{sub}'
        )
        parts.append(
            f'[[finished_unit]]\nname = "Unit {i}"\nrecipe = "Recipe {i}"\nitems_per_batch = 12\n'
        )
        parts.append(f'[[material_unit]]\nname = "Box {i}"\n')
        nested = f', {{ finished_good = "Good {i - 1}", quantity = 1 }}' if i % 2 else ""
        parts.append(
            f'[[finished_good]]\nname = "Good {i}"\ncomponents = ['
            f'{{ finished_unit = "Unit {i}", quantity = 6 }}, '
            f'{{ material_unit = "Box {i}", quantity = 1 }}{nested}]\n'
        )
        if i % 50 == 49:
            parts.append(
                f'[[event]]\nname = "Event {i}"\n'
                f'production = [{{ recipe = "Recipe {i}", batches = 2 }}]\n'
                f'assembly = [{{ finished_good = "Good {i}", quantity = 10 }}]\n'
            )
    return "\n".join(parts)


def calls(work: Callable[[], object]) -> int:
    """How many function calls ``work()`` makes."""
    profile = cProfile.Profile()
    profile.runcall(work)
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined, no-any-return]


def growth(work: Callable[[str], object], n: int = N) -> float:
    small, large = catalog_text(n), catalog_text(2 * n)
    return calls(lambda: work(large)) / calls(lambda: work(small))


def test_reading_and_checking_a_catalog_file_is_linear() -> None:
    def read_and_check(text: str) -> None:
        catalog_warnings(parse_catalog(text))

    assert growth(read_and_check) <= GROWTH


def test_syncing_a_catalog_into_a_store_and_again_is_linear() -> None:
    def sync_twice(text: str) -> None:
        store = MemoryStore()
        first = parse_catalog(text)
        sync_catalog(store.unit_of_work(), first.items(), explicit_ids=first.explicit_ids)
        # Read anew (fresh ids: matched by name), with every recipe changed.
        again = parse_catalog(text.replace("quantity = 1.5", "quantity = 1.75"))
        result = sync_catalog(store.unit_of_work(), again.items(), explicit_ids=again.explicit_ids)
        assert len(result.changes) == len(again.recipes)

    assert growth(sync_twice, N_SYNCED) <= GROWTH


def test_a_catalog_of_ten_thousand_ingredients_compares_ids_a_bounded_number_of_times() -> None:
    text = "\n".join(f'[[ingredient]]\nname = "Ingredient {i}"\n' for i in range(10_000))
    profile = cProfile.Profile()
    profile.runcall(parse_catalog, text)
    uuid_comparisons = sum(
        count
        for (path, _, function), (_, count, *_) in pstats.Stats(profile).stats.items()  # type: ignore[attr-defined]
        if path.endswith("uuid.py") and function == "__eq__"
    )
    assert uuid_comparisons <= 10_000
