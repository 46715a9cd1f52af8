"""``pantry``: what is on hand, as of a time; and the live facts every buying question reads.

The pantry, the shopping list and a plan's cost all read today's catalog of buying (measures,
products, the price history) and the two ledgers (the pantry's and the kitchen's runs): never a
plan's snapshots for those, since the plan freezes what to make, and the shop is today's.
"""

from __future__ import annotations

import datetime
import uuid

import attrs

from snapplan.domain.pantry import Pantry, StockedItem, compute_pantry
from snapplan.domain.pantry_entries import PantryRecord
from snapplan.domain.prices import PriceQuote, prices_as_of
from snapplan.domain.products import Product
from snapplan.domain.runs import Run
from snapplan.ports.clock import utc_now
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments


@attrs.frozen
class StockFacts:
    """The live facts about buying, read once: items (ingredients and material units, with
    their measures), products, the price history and both ledgers."""

    items: dict[uuid.UUID, StockedItem]
    products: tuple[Product, ...]
    quotes: tuple[PriceQuote, ...]
    entries: tuple[PantryRecord, ...]
    runs: tuple[Run, ...]

    @classmethod
    def read(cls, uow: UnitOfWork) -> StockFacts:
        """Everything, from one unit of work (entered by the caller)."""
        items = {
            item.id: StockedItem(item.id, item.name, item.measures)
            for repository in (uow.ingredients, uow.material_units)
            for item in repository.all()
        }
        return cls(
            items=items,
            products=tuple(uow.products.all()),
            quotes=tuple(uow.prices.all()),
            entries=tuple(sorted(uow.pantry.all(), key=lambda e: e.seq)),
            runs=tuple(uow.runs.all()),
        )

    def pantry(self, as_of: datetime.datetime) -> Pantry:
        """On hand as of ``as_of``."""
        return compute_pantry(self.items, self.products, self.entries, self.runs, as_of)

    def prices(self, as_of: datetime.datetime) -> dict[uuid.UUID, PriceQuote]:
        """The quote in force at ``as_of`` of every product that has one."""
        return prices_as_of(self.quotes, as_of)


def pantry(uow: UnitOfWork, *, as_of: datetime.datetime | None = None) -> Pantry:
    """What the pantry holds of every item, as of ``as_of`` (default: now).

    One :class:`~snapplan.PantryItem` per item that has a product, a pantry entry or a run's
    use, by name: on hand (exact, in the item's stock unit; it may be negative), the amounts
    that could not be put in that unit (listed, never dropped), and when it was last counted.
    From the latest count on, receipts come in and uses go out, and so does what the kitchen's
    production and assembly runs used (of every event); a voided run gives back exactly what it
    used. Never commits.

    >>> from snapplan import Ingredient, MemoryStore, add_catalog, record_stock_count
    >>> store = MemoryStore()
    >>> flour = Ingredient("Flour")
    >>> add_catalog(store.unit_of_work(), [flour])
    >>> _ = record_stock_count(store.unit_of_work(), flour.id, "1.5", "kg")
    >>> line = pantry(store.unit_of_work()).items[0]
    >>> (line.name, line.on_hand, line.unit)
    ('Flour', Decimal('1500'), 'g')
    """
    uow = arguments.unit_of_work(uow)
    when = arguments.moment(as_of, "as_of") or utc_now()
    with uow:
        facts = StockFacts.read(uow)
    return facts.pantry(when)
