"""Syncing a catalog: what makes the stored catalog match a given one, item by item.

:func:`compare_catalog` takes the stored items (definitions and events) and the items a host
wants the store to hold (read from a file, an upload, an admin screen) and says what a sync
does, as a :class:`CatalogSync`: which items are added, which are updated and what changed in
each, field by field, which stay as they are, and which stored items the given catalog does not
have (removed with ``prune``, else kept). It reads and writes nothing; the service
:func:`snapplan.sync_catalog` reads the store, calls it and writes the result.

Matching. Each given item is matched with a stored item of its kind:

- by id, where the store has an item of that kind with the item's id;
- else, unless its id is one of ``explicit_ids`` (an id the caller gave on purpose: such an
  item is new, added under that id), by name: the stored item of its kind with the same name.
  Two stored items with that name are an :class:`~snapplan.errors.AmbiguousNameError`; two
  given items of one kind matched by that name are a ``ValidationError``.

References between the given items (a recipe line's ingredient, a good's components, a
product's item, an event's targets) follow the matches: a given item refers to the stored item
its reference was matched with. A reference to an id that is not among the given items is kept
as it is (an item already in the store, say). An updated event keeps the snapshot its targets
were planned with where the target's recipe or good stays the same, so planning it again
re-uses them.

Measures and products. An ingredient's or material unit's ``measures`` compare as a set (the
order they are listed in is not a change): ``measure added: 1 cup = 120 g``, ``measure: 1 cup =
120 g -> 1 cup = 125 g`` (the same two dimensions), ``measure removed (was ...)``. A product
(:class:`~snapplan.Product`) is a definition of its own kind, matched and changed field by
field like the others (``pack: 250 g -> 500 g``).

Prices. Given the price per pack a catalog lists for some of its products, and the quote in
force in the store for each stored product, the result says which quotes a sync records
(:class:`PriceChange`): one where the listed price or currency differs from the quote in force,
or where the product has none. The history is never rewritten: a new price is a new quote.

The work grows linearly with the number of items (every lookup is by key).
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from snapplan.domain.catalog import (
    CatalogItem,
    Component,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Recipe,
    SubRecipe,
)
from snapplan.domain.catalog_check import DefinitionKind
from snapplan.domain.changes import FieldChange, aligned_changes
from snapplan.domain.events import AssemblyTarget, Event, ProductionTarget
from snapplan.domain.measures import Measure
from snapplan.domain.prices import PriceQuote
from snapplan.domain.products import Product
from snapplan.domain.quantities import canonical_decimal
from snapplan.domain.units import dimension_of
from snapplan.errors import AmbiguousNameError, ValidationError

#: What holds a reference: a recipe line, a sub-recipe, a component, a target.
T = TypeVar("T", IngredientLine, SubRecipe, Component, ProductionTarget, AssemblyTarget)

#: A catalog definition (products included) or an event: what a sync adds, updates or removes.
Item = CatalogItem | Product | Event

#: The kind of each item type, in dependency order (an item refers only to kinds before it).
KINDS: Final[Mapping[type, DefinitionKind]] = {
    Ingredient: DefinitionKind.INGREDIENT,
    Recipe: DefinitionKind.RECIPE,
    FinishedUnit: DefinitionKind.FINISHED_UNIT,
    MaterialUnit: DefinitionKind.MATERIAL_UNIT,
    Product: DefinitionKind.PRODUCT,
    FinishedGood: DefinitionKind.FINISHED_GOOD,
    Event: DefinitionKind.EVENT,
}

#: The kinds a product may be for.
STOCKED: Final = (DefinitionKind.INGREDIENT, DefinitionKind.MATERIAL_UNIT)

#: A listed price: per pack, in a currency (``(Decimal("2.50"), "EUR")``).
ListedPrice = tuple[Decimal, str]


def kind_of(item: object) -> DefinitionKind:
    """The kind of a catalog definition or event; ``TypeError`` for anything else."""
    kind = KINDS.get(type(item))
    if kind is None:
        raise TypeError(
            f"a catalog sync takes catalog definitions and events, not {type(item).__name__}"
        )
    return kind


class SyncAction(enum.StrEnum):
    """What a sync does to one item."""

    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"


@attrs.frozen
class ItemChange:
    """One item a sync adds, updates or removes.

    ``item`` is the item as the store holds it after the sync (added, updated: with its new
    ``version``, one more than ``before``'s) or held before it (removed). ``before`` is the
    stored item an update replaces (None otherwise), and ``fields`` says what the update
    changed, in the baker's words (``line 1 (Butter): 225 g -> 250 g``).
    """

    action: SyncAction
    item: Item
    before: Item | None = None
    fields: tuple[FieldChange, ...] = ()

    @property
    def kind(self) -> DefinitionKind:
        """The kind of item changed (``ingredient``, ``recipe``, ..., ``event``)."""
        return kind_of(self.item)


@attrs.frozen
class SharedName:
    """A name that items of one kind share after a sync, one of them a given item: commands
    and later syncs by name then need an id to tell them apart. ``ids`` lists them all."""

    kind: DefinitionKind
    name: str
    ids: tuple[uuid.UUID, ...]


@attrs.frozen
class PriceChange:
    """A price quote a sync records: one pack of ``product`` (as the store holds it after the
    sync) costs ``price`` ``currency`` from the sync on. ``before`` is the quote in force until
    then (None: the product had no price)."""

    product: Product
    price: Decimal
    currency: str
    before: PriceQuote | None = None

    def __str__(self) -> str:
        after = f"{canonical_decimal(self.price)} {self.currency}"
        if self.before is None:
            return f"price added: {after}"
        return f"price: {canonical_decimal(self.before.price)} {self.before.currency} -> {after}"


@attrs.frozen
class CatalogSync:
    """What a catalog sync did (or, for a dry run, would do).

    - ``changes``: the items added and updated, kind by kind in dependency order (ingredients
      first, events last) and in the order given within a kind; then the items removed.
    - ``unchanged``: the stored items that already matched a given item (not written).
    - ``kept``: the stored items that no given item matched, left in place (without ``prune``).
    - ``ids``: for each given item's id, the id the item has in the store (the matched stored
      item's; its own when it was added).
    - ``shared_names``: names that two or more items of one kind hold after the sync.
    - ``plans``: for each event the sync touched or compared (given, or removed) that has plans,
      their ids, oldest first. A sync never changes a plan: what changed in the definitions it
      captured shows as drift (:func:`snapplan.plan_drift`), and planning the event again with
      ``force_recreate`` captures it.
    - ``prices``: the price quotes the sync records, in the order the products were given.
    """

    changes: tuple[ItemChange, ...] = ()
    unchanged: tuple[Item, ...] = ()
    kept: tuple[Item, ...] = ()
    ids: Mapping[uuid.UUID, uuid.UUID] = attrs.field(factory=dict)
    shared_names: tuple[SharedName, ...] = ()
    plans: Mapping[uuid.UUID, tuple[uuid.UUID, ...]] = attrs.field(factory=dict)
    prices: tuple[PriceChange, ...] = ()

    def of(self, action: SyncAction) -> tuple[ItemChange, ...]:
        """The changes of one action (``SyncAction.ADDED``, ``UPDATED`` or ``REMOVED``)."""
        return tuple(change for change in self.changes if change.action is action)

    @property
    def changed(self) -> bool:
        """Whether the sync writes anything (a change, or a price quote)."""
        return bool(self.changes or self.prices)

    @property
    def definitions_changed(self) -> bool:
        """Whether a definition a plan captures is added, updated or removed: the events' plans
        may have drifted. Events, products and measures are not captured (an event is what is
        planned; products and measures are read live by the pantry and the shopping list)."""
        return any(_may_drift(change) for change in self.changes)


def _may_drift(change: ItemChange) -> bool:
    if change.kind in (DefinitionKind.EVENT, DefinitionKind.PRODUCT):
        return False
    if change.action is SyncAction.UPDATED:
        return any(not field.where.startswith("measure") for field in change.fields)
    return True


def compare_catalog(
    stored: Iterable[Item],
    items: Iterable[Item],
    *,
    explicit_ids: Collection[uuid.UUID] = frozenset(),
    prune: bool = False,
    prices: Mapping[uuid.UUID, ListedPrice] | None = None,
    quotes: Mapping[uuid.UUID, PriceQuote] | None = None,
) -> CatalogSync:
    """What makes ``stored`` match ``items`` (see the module docstring); pure.

    ``prices`` are the prices per pack listed for some of the given products, by the given
    product's id; ``quotes`` the quote in force in the store for each stored product that has
    one. ``plans`` of the result is empty: the service that reads the store fills it in. Raises
    ``TypeError`` for an item that is not a definition or an event, ``ValidationError`` for
    given items that cannot be told apart (two with one id; two of one kind matched by one
    name), an id that the store holds for another kind, a price for an id that is no given
    product, and, with ``prune``, a given item that refers to a stored item the sync would
    remove; :class:`~snapplan.errors.AmbiguousNameError` when a given item's name matches two
    stored items of its kind.
    """
    given = _by_kind(items)
    held = _by_kind(stored)
    _refuse_repeated_ids(given, held)
    matches = {kind: _match(kind, given[kind], held[kind], explicit_ids) for kind in KINDS.values()}
    # given id -> id in the store, per kind: what references follow.
    ids = {
        kind: {item.id: (match.id if match is not None else item.id) for item, match in pairs}
        for kind, pairs in matches.items()
    }
    names = _names(held, matches)
    changes: list[ItemChange] = []
    removals: list[ItemChange] = []
    unchanged: list[Item] = []
    kept: list[Item] = []
    shared: list[SharedName] = []
    for kind, pairs in matches.items():
        final: list[tuple[Item, bool]] = []
        for given_item, match in pairs:
            if match is None:
                item = _remapped(given_item, ids)
                changes.append(ItemChange(SyncAction.ADDED, item))
            else:
                item = _remapped(given_item, ids, id=match.id, version=match.version)
                if isinstance(item, Event) and isinstance(match, Event):
                    item = _keep_snapshot_links(item, match)
                item = _keep_measure_order(item, match)
                if item == match:
                    unchanged.append(match)
                else:
                    fields = _field_changes(match, item, names)
                    after = attrs.evolve(item, version=match.version + 1)
                    changes.append(ItemChange(SyncAction.UPDATED, after, match, fields))
            final.append((item, True))
        matched = {match.id for _, match in pairs if match is not None}
        for stored_item in held[kind]:
            if stored_item.id in matched:
                continue
            if prune:
                removals.append(ItemChange(SyncAction.REMOVED, stored_item))
            else:
                kept.append(stored_item)
                final.append((stored_item, False))
        shared += _shared_names(kind, final)
    if removals:
        _refuse_dangling(changes, unchanged, removals)
    return CatalogSync(
        changes=(*changes, *removals),
        unchanged=tuple(unchanged),
        kept=tuple(kept),
        ids={given: stored for by_id in ids.values() for given, stored in by_id.items()},
        shared_names=tuple(shared),
        prices=_price_changes(changes, unchanged, ids, prices or {}, quotes or {}),
    )


def _price_changes(
    changes: Sequence[ItemChange],
    unchanged: Sequence[Item],
    ids: Mapping[DefinitionKind, Mapping[uuid.UUID, uuid.UUID]],
    prices: Mapping[uuid.UUID, ListedPrice],
    quotes: Mapping[uuid.UUID, PriceQuote],
) -> tuple[PriceChange, ...]:
    """A quote for each listed price that differs from the quote in force (price or
    currency), or whose product has none; in the order the products were given."""
    products = ids[DefinitionKind.PRODUCT]
    strays = [given for given in prices if given not in products]
    if strays:
        raise ValidationError(
            f"a price is listed for {strays[0]}, which is not among the given products"
        )
    after = {
        item.id: item
        for item in (*(change.item for change in changes), *unchanged)
        if isinstance(item, Product)
    }
    found = []
    for given, stored_id in products.items():
        if given not in prices:
            continue
        price, currency = prices[given]
        before = quotes.get(stored_id)
        if before is not None and (before.price, before.currency) == (price, currency):
            continue
        found.append(PriceChange(after[stored_id], price, currency, before))
    return tuple(found)


# -- matching ---------------------------------------------------------------------------------


def _by_kind(items: Iterable[Item]) -> dict[DefinitionKind, list[Item]]:
    grouped: dict[DefinitionKind, list[Item]] = {kind: [] for kind in KINDS.values()}
    for item in items:
        grouped[kind_of(item)].append(item)
    return grouped


def _label(kind: DefinitionKind) -> str:
    return kind.value.replace("_", " ")


def _refuse_repeated_ids(
    given: Mapping[DefinitionKind, Sequence[Item]], held: Mapping[DefinitionKind, Sequence[Item]]
) -> None:
    """Two given items with one id, or a given id the store holds for another kind."""
    seen: dict[uuid.UUID, Item] = {}
    for items in given.values():
        for item in items:
            other = seen.get(item.id)
            if other is not None:
                raise ValidationError(
                    f"two of the items have the id {item.id}: {_label(kind_of(other))} "
                    f"{other.name!r} and {_label(kind_of(item))} {item.name!r}"
                )
            seen[item.id] = item
    for kind, items in held.items():
        for stored in items:
            mine = seen.get(stored.id)
            if mine is not None and kind_of(mine) is not kind:
                raise ValidationError(
                    f"{_label(kind_of(mine))} {mine.name!r} has the id {stored.id}, which the "
                    f"store holds for {_label(kind)} {stored.name!r}"
                )


def _match(
    kind: DefinitionKind,
    given: Sequence[Item],
    held: Sequence[Item],
    explicit_ids: Collection[uuid.UUID],
) -> list[tuple[Item, Item | None]]:
    """Each given item with the stored item it matches (None: it is new)."""
    by_id = {stored.id: stored for stored in held}
    by_name: dict[str, list[Item]] = {}
    for stored in held:
        by_name.setdefault(stored.name, []).append(stored)
    # A stored item that a given item claims by id is not matched by name too.
    claimed = {item.id for item in given if item.id in by_id}
    matched_by_name: dict[str, Item] = {}
    pairs: list[tuple[Item, Item | None]] = []
    for item in given:
        if item.id in by_id:
            pairs.append((item, by_id[item.id]))
            continue
        if item.id in explicit_ids:
            pairs.append((item, None))
            continue
        twin = matched_by_name.setdefault(item.name, item)
        if twin is not item:
            raise ValidationError(
                f"two of the items are {_label(kind)}s named {item.name!r} ({twin.id}, "
                f"{item.id}) and neither has the id of a stored one: one name can match one "
                "stored item only"
            )
        named = [stored for stored in by_name.get(item.name, ()) if stored.id not in claimed]
        if len(named) > 1:
            raise AmbiguousNameError(kind.value, item.name, [stored.id for stored in named])
        pairs.append((item, named[0] if named else None))
    return pairs


def _remapped(
    item: Item, ids: Mapping[DefinitionKind, Mapping[uuid.UUID, uuid.UUID]], **changes: Any
) -> Item:
    """``item`` with every reference to a given item turned into that item's id in the store,
    and ``changes`` (its id and version in the store): one ``evolve``, one validation."""
    if isinstance(item, Recipe):
        changes["lines"] = [
            _follow(x, "ingredient_id", ids[DefinitionKind.INGREDIENT]) for x in item.lines
        ]
        changes["sub_recipes"] = [
            _follow(s, "recipe_id", ids[DefinitionKind.RECIPE]) for s in item.sub_recipes
        ]
    elif isinstance(item, FinishedUnit):
        changes["recipe_id"] = ids[DefinitionKind.RECIPE].get(item.recipe_id, item.recipe_id)
    elif isinstance(item, Product):
        moved = [ids[kind][item.item_id] for kind in STOCKED if item.item_id in ids[kind]]
        if moved and moved[0] != item.item_id:
            changes["item_id"] = moved[0]
    elif isinstance(item, FinishedGood):
        changes["components"] = [
            _follow(c, "ref", ids[DefinitionKind(c.kind.value)]) for c in item.components
        ]
    elif isinstance(item, Event):
        changes["production_targets"] = [
            _follow(t, "recipe_id", ids[DefinitionKind.RECIPE]) for t in item.production_targets
        ]
        changes["assembly_targets"] = [
            _follow(t, "finished_good_id", ids[DefinitionKind.FINISHED_GOOD])
            for t in item.assembly_targets
        ]
    return attrs.evolve(item, **changes) if changes else item


def _follow(value: T, field: str, ids: Mapping[uuid.UUID, uuid.UUID]) -> T:
    """``value`` (a line, sub-recipe, component or target) with its reference in ``field``
    turned into the id the referenced item has in the store."""
    ref = getattr(value, field)
    moved = ids.get(ref, ref)
    return value if moved == ref else attrs.evolve(value, **{field: moved})


def _keep_snapshot_links(event: Event, stored: Event) -> Event:
    """``event`` with the stored snapshot link of each target whose recipe or good the
    stored event targets too (new targets have none): planning again re-uses them."""
    recipes = {t.recipe_id: t.snapshot_id for t in stored.production_targets}
    goods = {t.finished_good_id: t.snapshot_id for t in stored.assembly_targets}
    return attrs.evolve(
        event,
        production_targets=[
            attrs.evolve(t, snapshot_id=recipes.get(t.recipe_id)) for t in event.production_targets
        ],
        assembly_targets=[
            attrs.evolve(t, snapshot_id=goods.get(t.finished_good_id))
            for t in event.assembly_targets
        ],
    )


def _keep_measure_order(item: Item, stored: Item) -> Item:
    """``item`` with the stored item's measures when they are the same measures in another
    order: the order a list is written in is no change."""
    if not isinstance(item, (Ingredient, MaterialUnit)):
        return item
    mine, held = item.measures, getattr(stored, "measures", ())
    if mine == held or sorted(map(_measure_key, mine)) != sorted(map(_measure_key, held)):
        return item
    return attrs.evolve(item, measures=held)


def _measure_key(measure: Measure) -> tuple[str, ...]:
    return (
        canonical_decimal(measure.quantity),
        measure.unit,
        canonical_decimal(measure.equals),
        measure.equals_unit,
        measure.source,
    )


def _references(item: Item) -> Iterable[uuid.UUID]:
    """The ids of what ``item`` refers to."""
    if isinstance(item, Recipe):
        yield from (x.ingredient_id for x in item.lines)
        yield from (s.recipe_id for s in item.sub_recipes)
    elif isinstance(item, FinishedUnit):
        yield item.recipe_id
    elif isinstance(item, Product):
        yield item.item_id
    elif isinstance(item, FinishedGood):
        yield from (c.ref for c in item.components)
    elif isinstance(item, Event):
        yield from (t.recipe_id for t in item.production_targets)
        yield from (t.finished_good_id for t in item.assembly_targets)


def _refuse_dangling(
    changes: Sequence[ItemChange], unchanged: Sequence[Item], removals: Sequence[ItemChange]
) -> None:
    """With ``prune``: no item the store keeps may refer to one the sync removes."""
    removed = {change.item.id: change for change in removals}
    for item in (*(change.item for change in changes), *unchanged):
        for ref in _references(item):
            if ref in removed:
                gone = removed[ref]
                raise ValidationError(
                    f"{_label(kind_of(item))} {item.name!r} uses {_label(gone.kind)} "
                    f"{gone.item.name!r} ({ref}), which the sync would remove "
                    "because it is not among the items: add it to them, or do not prune"
                )


def _shared_names(kind: DefinitionKind, final: Sequence[tuple[Item, bool]]) -> list[SharedName]:
    """The names that the sync leaves on two items of one kind, one of them given."""
    by_name: dict[str, list[tuple[Item, bool]]] = {}
    for item, given in final:
        by_name.setdefault(item.name, []).append((item, given))
    return [
        SharedName(kind, name, tuple(item.id for item, _ in named))
        for name, named in by_name.items()
        if len(named) > 1 and any(given for _, given in named)
    ]


# -- what changed, field by field -------------------------------------------------------------


def _names(
    held: Mapping[DefinitionKind, Sequence[Item]],
    matches: Mapping[DefinitionKind, Sequence[tuple[Item, Item | None]]],
) -> dict[DefinitionKind, dict[uuid.UUID, str]]:
    """Each kind's names by id in the store: the given items' names over the stored ones."""
    names: dict[DefinitionKind, dict[uuid.UUID, str]] = {}
    for kind, items in held.items():
        names[kind] = {stored.id: stored.name for stored in items}
        for item, match in matches[kind]:
            names[kind][match.id if match is not None else item.id] = item.name
    return names


def _amount(value: Decimal) -> str:
    return canonical_decimal(value)


def _batches(value: Decimal) -> str:
    return f"{_amount(value)} batch" + ("" if value == 1 else "es")


def _date(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _field_changes(
    before: Item, after: Item, names: Mapping[DefinitionKind, Mapping[uuid.UUID, str]]
) -> tuple[FieldChange, ...]:
    """What differs between the stored item and the given one, for people."""

    def name(kind: DefinitionKind) -> Callable[[uuid.UUID], str]:
        return lambda item_id: names[kind].get(item_id, str(item_id))

    changes: list[FieldChange] = []
    if before.name != after.name:
        changes.append(FieldChange("name", repr(before.name), repr(after.name)))
    if isinstance(before, (Ingredient, MaterialUnit)) and isinstance(
        after, (Ingredient, MaterialUnit)
    ):
        changes += _measure_changes(before.measures, after.measures)
    elif isinstance(before, Product) and isinstance(after, Product):
        changes += _product_changes(before, after, names)
    elif isinstance(before, Recipe) and isinstance(after, Recipe):
        ingredient = name(DefinitionKind.INGREDIENT)
        changes += aligned_changes(
            "line",
            before.lines,
            after.lines,
            key=lambda x: (x.ingredient_id, x.quantity, x.unit, x.note),
            label=lambda x: ingredient(x.ingredient_id),
            show=lambda x: f"{_amount(x.quantity)} {x.unit}" + (f" ({x.note})" if x.note else ""),
        )
        recipe = name(DefinitionKind.RECIPE)
        changes += aligned_changes(
            "sub-recipe",
            before.sub_recipes,
            after.sub_recipes,
            key=lambda s: (s.recipe_id, s.batches),
            label=lambda s: recipe(s.recipe_id),
            show=lambda s: _batches(s.batches),
        )
    elif isinstance(before, FinishedUnit) and isinstance(after, FinishedUnit):
        if before.items_per_batch != after.items_per_batch:
            changes.append(
                FieldChange(
                    "items per batch",
                    _amount(before.items_per_batch),
                    _amount(after.items_per_batch),
                )
            )
        if before.recipe_id != after.recipe_id:
            recipe = name(DefinitionKind.RECIPE)
            changes.append(
                FieldChange("recipe", repr(recipe(before.recipe_id)), repr(recipe(after.recipe_id)))
            )
    elif isinstance(before, FinishedGood) and isinstance(after, FinishedGood):

        def part(c: Component) -> str:
            return name(DefinitionKind(c.kind.value))(c.ref)

        changes += aligned_changes(
            "component",
            before.components,
            after.components,
            key=lambda c: (c.kind, c.ref, c.quantity),
            label=part,
            show=lambda c: _amount(c.quantity),
        )
    elif isinstance(before, Event) and isinstance(after, Event):
        if before.date != after.date:
            changes.append(FieldChange("date", _date(before.date), _date(after.date)))
        recipe = name(DefinitionKind.RECIPE)
        changes += aligned_changes(
            "production",
            before.production_targets,
            after.production_targets,
            key=lambda t: (t.recipe_id, t.batches),
            label=lambda t: recipe(t.recipe_id),
            show=lambda t: _batches(t.batches),
        )
        good = name(DefinitionKind.FINISHED_GOOD)
        changes += aligned_changes(
            "assembly",
            before.assembly_targets,
            after.assembly_targets,
            key=lambda t: (t.finished_good_id, t.quantity),
            label=lambda t: good(t.finished_good_id),
            show=lambda t: _amount(t.quantity),
        )
    return tuple(changes)


def _measure(measure: Measure) -> str:
    return str(measure) + (f" ({measure.source})" if measure.source else "")


def _measure_changes(before: Sequence[Measure], after: Sequence[Measure]) -> list[FieldChange]:
    """Measures as a set: one that joins the same two dimensions as a stored one changed it;
    any other was added or removed."""

    def joins(measure: Measure) -> frozenset[str]:
        return frozenset((dimension_of(measure.unit), dimension_of(measure.equals_unit)))

    kept = {_measure_key(m) for m in before} & {_measure_key(m) for m in after}
    old = [m for m in before if _measure_key(m) not in kept]
    new = [m for m in after if _measure_key(m) not in kept]
    changes: list[FieldChange] = []
    for measure in new:
        was = next((m for m in old if joins(m) == joins(measure)), None)
        if was is None:
            changes.append(FieldChange("measure", None, _measure(measure)))
        else:
            old.remove(was)
            changes.append(FieldChange("measure", _measure(was), _measure(measure)))
    changes += [FieldChange("measure", _measure(m), None) for m in old]
    return changes


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _product_changes(
    before: Product, after: Product, names: Mapping[DefinitionKind, Mapping[uuid.UUID, str]]
) -> list[FieldChange]:
    """What differs between two products (their names aside)."""

    def item(item_id: uuid.UUID) -> str:
        found = [names[kind][item_id] for kind in STOCKED if item_id in names[kind]]
        return repr(found[0]) if found else str(item_id)

    changes: list[FieldChange] = []
    if before.item_id != after.item_id:
        changes.append(FieldChange("for", item(before.item_id), item(after.item_id)))
    if (before.pack_quantity, before.pack_unit) != (after.pack_quantity, after.pack_unit):
        changes.append(FieldChange("pack", before.pack, after.pack))
    if before.min_packs != after.min_packs:
        changes.append(FieldChange("min packs", str(before.min_packs), str(after.min_packs)))
    if before.preferred != after.preferred:
        changes.append(FieldChange("preferred", _yes(before.preferred), _yes(after.preferred)))
    if before.active != after.active:
        changes.append(FieldChange("active", _yes(before.active), _yes(after.active)))
    return changes
