"""``sync_catalog``: make the stored catalog match a given one, and say what changed."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping

import attrs

from snapplan.domain.catalog_sync import (
    KINDS,
    CatalogSync,
    Item,
    ListedPrice,
    SyncAction,
    compare_catalog,
    kind_of,
)
from snapplan.domain.events import Event
from snapplan.domain.prices import PriceQuote, prices_as_of
from snapplan.domain.quantities import AmountLike
from snapplan.ports.clock import Clock
from snapplan.ports.unit_of_work import REPOSITORIES, UnitOfWork, repository_of
from snapplan.services import _arguments as arguments
from snapplan.services._atomic import atomic

#: The repositories a sync reads and writes, in dependency order.
_SYNCED = tuple(spec.name for spec in REPOSITORIES if set(spec.holds) & set(KINDS))


def sync_catalog(
    uow: UnitOfWork,
    items: Iterable[Item],
    *,
    explicit_ids: Iterable[uuid.UUID] = (),
    prune: bool = False,
    dry_run: bool = False,
    prices: Mapping[uuid.UUID, tuple[AmountLike, str]] | None = None,
    clock: Clock | None = None,
) -> CatalogSync:
    """Make the store's catalog match ``items`` (definitions and events): add what is new,
    update what changed, leave the rest alone; with ``prune``, remove the stored items that no
    given item matches. Returns what changed, field by field (:class:`~snapplan.CatalogSync`).

    Each given item is matched with a stored item of its kind: the one with its id if the
    store has it, else the one with its name, unless its id is one of ``explicit_ids`` (ids
    given on purpose, such as a catalog file's ``id = "..."``: such an item is added under that
    id when the store does not have it). References between the given items follow the
    matches, so items made with fresh ids (``Ingredient("Flour")``) refer to the stored items
    they matched. Plans and snapshots are never touched. See
    :mod:`snapplan.domain.catalog_sync` for the details.

    ``prices`` lists the price of one pack of some of the given products (``{product.id:
    (Decimal("2.50"), "EUR")}``, by the given product's id), as a catalog file's ``price`` and
    ``currency`` do: for each one that differs from the product's quote in force (price or
    currency), or whose product has none, the sync records a price quote as of now (the
    ``clock``'s time), in the same commit; an equal price records nothing, so syncing the same
    catalog again leaves the price history as it is. Quotes recorded otherwise (a purchase's
    price) stay in the history: a later sync of an unchanged file records its price again only
    if it is no longer the one in force.

    An updated item is written on the version it was read at (its version goes up by one): an
    item someone else changed meanwhile is a :class:`~snapplan.ConflictError`. All or nothing:
    a failure writes nothing. With ``dry_run``, nothing is written and the result says what
    the sync would do. Given a fresh unit of work this enters it (and commits unless
    ``dry_run``); given an entered one it joins it through a savepoint and does not commit.

    Raises :class:`~snapplan.AmbiguousNameError` when a given item's name matches two stored
    items of its kind, ``ValidationError`` for items that cannot be told apart (see
    :func:`~snapplan.domain.catalog_sync.compare_catalog`), ``TypeError`` for an item that is
    not a catalog definition or event.

    >>> from snapplan import Ingredient, IngredientLine, MemoryStore, Recipe, sync_catalog
    >>> store = MemoryStore()
    >>> flour = Ingredient("Flour")
    >>> bread = Recipe("Bread", lines=[IngredientLine(flour.id, 500, "g")])
    >>> first = sync_catalog(store.unit_of_work(), [flour, bread])
    >>> [(change.action.value, change.item.name) for change in first.changes]
    [('added', 'Flour'), ('added', 'Bread')]
    >>> flour = Ingredient("Flour")  # a fresh id: matched by name
    >>> bread = Recipe("Bread", lines=[IngredientLine(flour.id, 550, "g")])
    >>> again = sync_catalog(store.unit_of_work(), [flour, bread])
    >>> [str(field) for change in again.changes for field in change.fields]
    ['line 1 (Flour): 500 g -> 550 g']
    """
    uow = arguments.unit_of_work(uow)
    given = tuple(items)
    for item in given:
        kind_of(item)  # a TypeError before any work
    explicit = frozenset(explicit_ids)
    for item_id in explicit:
        if not isinstance(item_id, uuid.UUID):
            raise TypeError(f"explicit_ids must hold UUIDs, not {type(item_id).__name__}")
    prune = arguments.flag(prune, "prune")
    dry_run = arguments.flag(dry_run, "dry_run")
    listed = _listed_prices(prices or {})
    when = arguments.now(clock)
    with atomic(uow):
        stored = [item for name in _SYNCED for item in getattr(uow, name).all()]
        history = uow.prices.all() if listed else ()
        result = compare_catalog(
            stored,
            given,
            explicit_ids=explicit,
            prune=prune,
            prices=listed,
            quotes=prices_as_of(history, when),
        )
        result = attrs.evolve(result, plans=_plans(uow, result, given))
        if not dry_run:
            _write(uow, result)
            _record_prices(uow, result, when, next_seq=uow.prices.last_seq() + 1)
            uow.commit()
    return result


def _listed_prices(
    prices: Mapping[uuid.UUID, tuple[AmountLike, str]],
) -> dict[uuid.UUID, ListedPrice]:
    """The listed prices, checked before any work: an exact amount of 0 or more, and a currency
    code (``ValidationError`` naming the product id otherwise)."""
    checked: dict[uuid.UUID, ListedPrice] = {}
    for product_id, listed in prices.items():
        if not isinstance(product_id, uuid.UUID):
            raise TypeError(f"prices must be keyed by product ids (UUID), not {product_id!r:.40}")
        price, currency = listed
        amount = arguments.amount(price, f"prices[{product_id}]", zero=True)
        # A quote made only to check the currency the way every quote is checked.
        PriceQuote(product_id=product_id, price=amount, currency=currency, at=_EPOCH, seq=1)
        checked[product_id] = (amount, currency)
    return checked


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _record_prices(
    uow: UnitOfWork, result: CatalogSync, when: datetime.datetime, *, next_seq: int
) -> None:
    """A quote per price that changed, in the price history's order."""
    for seq, change in enumerate(result.prices, start=next_seq):
        uow.prices.add(
            PriceQuote(
                product_id=change.product.id,
                price=change.price,
                currency=change.currency,
                at=when,
                seq=seq,
                note="catalog sync",
            )
        )


def _plans(
    uow: UnitOfWork, result: CatalogSync, given: Iterable[Item]
) -> dict[uuid.UUID, tuple[uuid.UUID, ...]]:
    """The plans of each given or removed event that has any, by the event's id in the store."""
    events = [result.ids[item.id] for item in given if isinstance(item, Event)]
    events += [c.item.id for c in result.of(SyncAction.REMOVED) if isinstance(c.item, Event)]
    found = {event: tuple(plan.id for plan in uow.plans.for_event(event)) for event in events}
    return {event: plans for event, plans in found.items() if plans}


def _write(uow: UnitOfWork, result: CatalogSync) -> None:
    """Adds (one ``add_many`` per repository, in dependency order), then updates (each on the
    version read), then removals (dependents first)."""
    added: dict[str, list[Item]] = {}
    for change in result.of(SyncAction.ADDED):
        added.setdefault(repository_of(change.item).name, []).append(change.item)
    for name in _SYNCED:
        if name in added:
            getattr(uow, name).add_many(added[name])
    for change in result.of(SyncAction.UPDATED):
        assert change.before is not None
        # The version read: a concurrent change since is a conflict, not a lost update.
        read = attrs.evolve(change.item, version=change.before.version)
        getattr(uow, repository_of(change.item).name).update(read)
    for change in reversed(result.of(SyncAction.REMOVED)):
        getattr(uow, repository_of(change.item).name).remove(change.item.id)
