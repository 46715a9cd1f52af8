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

References between the given items (a recipe line's ingredient, a good's components, an
event's targets) follow the matches: a given item refers to the stored item its reference was
matched with. A reference to an id that is not among the given items is kept as it is (an item
already in the store, say). An updated event keeps the snapshot its targets were planned with
where the target's recipe or good stays the same, so planning it again re-uses them.

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
from snapplan.domain.quantities import canonical_decimal
from snapplan.errors import AmbiguousNameError, ValidationError

#: What holds a reference: a recipe line, a sub-recipe, a component, a target.
T = TypeVar("T", IngredientLine, SubRecipe, Component, ProductionTarget, AssemblyTarget)

#: A catalog definition or an event: what a sync adds, updates or removes.
Item = CatalogItem | Event

#: The kind of each item type, in dependency order (an item refers only to kinds before it).
KINDS: Final[Mapping[type, DefinitionKind]] = {
    Ingredient: DefinitionKind.INGREDIENT,
    Recipe: DefinitionKind.RECIPE,
    FinishedUnit: DefinitionKind.FINISHED_UNIT,
    MaterialUnit: DefinitionKind.MATERIAL_UNIT,
    FinishedGood: DefinitionKind.FINISHED_GOOD,
    Event: DefinitionKind.EVENT,
}


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
    """

    changes: tuple[ItemChange, ...] = ()
    unchanged: tuple[Item, ...] = ()
    kept: tuple[Item, ...] = ()
    ids: Mapping[uuid.UUID, uuid.UUID] = attrs.field(factory=dict)
    shared_names: tuple[SharedName, ...] = ()
    plans: Mapping[uuid.UUID, tuple[uuid.UUID, ...]] = attrs.field(factory=dict)

    def of(self, action: SyncAction) -> tuple[ItemChange, ...]:
        """The changes of one action (``SyncAction.ADDED``, ``UPDATED`` or ``REMOVED``)."""
        return tuple(change for change in self.changes if change.action is action)

    @property
    def changed(self) -> bool:
        """Whether the sync writes anything."""
        return bool(self.changes)

    @property
    def definitions_changed(self) -> bool:
        """Whether a catalog definition (not only an event) is added, updated or removed: the
        events' plans may have drifted."""
        return any(change.kind is not DefinitionKind.EVENT for change in self.changes)


def compare_catalog(
    stored: Iterable[Item],
    items: Iterable[Item],
    *,
    explicit_ids: Collection[uuid.UUID] = frozenset(),
    prune: bool = False,
) -> CatalogSync:
    """What makes ``stored`` match ``items`` (see the module docstring); pure.

    ``plans`` of the result is empty: the service that reads the store fills it in. Raises
    ``TypeError`` for an item that is not a definition or an event, ``ValidationError`` for
    given items that cannot be told apart (two with one id; two of one kind matched by one
    name), an id that the store holds for another kind, and, with ``prune``, a given item that
    refers to a stored item the sync would remove; :class:`~snapplan.errors.AmbiguousNameError`
    when a given item's name matches two stored items of its kind.
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
        _refuse_dangling(changes, unchanged, removals, names)
    return CatalogSync(
        changes=(*changes, *removals),
        unchanged=tuple(unchanged),
        kept=tuple(kept),
        ids={given: stored for by_id in ids.values() for given, stored in by_id.items()},
        shared_names=tuple(shared),
    )


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


def _references(item: Item) -> Iterable[tuple[DefinitionKind, uuid.UUID]]:
    """What ``item`` refers to: (kind, id) pairs."""
    if isinstance(item, Recipe):
        yield from ((DefinitionKind.INGREDIENT, x.ingredient_id) for x in item.lines)
        yield from ((DefinitionKind.RECIPE, s.recipe_id) for s in item.sub_recipes)
    elif isinstance(item, FinishedUnit):
        yield DefinitionKind.RECIPE, item.recipe_id
    elif isinstance(item, FinishedGood):
        yield from ((DefinitionKind(c.kind.value), c.ref) for c in item.components)
    elif isinstance(item, Event):
        yield from ((DefinitionKind.RECIPE, t.recipe_id) for t in item.production_targets)
        yield from (
            (DefinitionKind.FINISHED_GOOD, t.finished_good_id) for t in item.assembly_targets
        )


def _refuse_dangling(
    changes: Sequence[ItemChange],
    unchanged: Sequence[Item],
    removals: Sequence[ItemChange],
    names: Mapping[DefinitionKind, Mapping[uuid.UUID, str]],
) -> None:
    """With ``prune``: no item the store keeps may refer to one the sync removes."""
    removed = {change.item.id for change in removals}
    for item in (*(change.item for change in changes), *unchanged):
        for kind, ref in _references(item):
            if ref in removed:
                raise ValidationError(
                    f"{_label(kind_of(item))} {item.name!r} uses {_label(kind)} "
                    f"{names[kind].get(ref, str(ref))!r} ({ref}), which the sync would remove "
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
    if isinstance(before, Recipe) and isinstance(after, Recipe):
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
