"""A product of flour whose price history and pantry already hold some entries: for the tests
that recording one more costs the same however many there are."""

from __future__ import annotations

from typing import Any

from snapplan import Ingredient, Product, record_price, record_stock_count
from snapplan.testing.catalog import save


def stocked(store: Any, earlier: int) -> Product:
    """A bag of flour saved in ``store``, with ``earlier`` prices and ``earlier`` keyed counts
    (``count-0`` ...) already recorded."""
    flour = Ingredient("Flour")
    bag = Product(flour.id, "Flour 1 kg bag", 1000, "g")
    save(store, flour, bag)
    for n in range(earlier):
        record_price(store.unit_of_work(), bag.id, n + 1, currency="EUR")
        record_stock_count(store.unit_of_work(), flour.id, n, "g", key=f"count-{n}")
    return bag
