"""``sync_catalog``: the stored catalog made to match a given one, on every store.

Adds what is new, updates what changed (field by field, on the version read), leaves the rest
alone, removes with ``prune``; a dry run writes nothing; all or nothing; a fresh or an entered
unit of work, like every service.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given

from snapplan import (
    AmbiguousNameError,
    AssemblyTarget,
    CatalogSync,
    Component,
    ComponentKind,
    ConflictError,
    DefinitionKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    PersistenceError,
    Plan,
    ProductionTarget,
    Recipe,
    SharedName,
    SubRecipe,
    SyncAction,
    ValidationError,
    create_plan,
    sync_catalog,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents
from snapplan.testing.faults import FaultyStore, InjectedFault, count_writes
from snapplan.testing.strategies import CatalogCase, catalogs

CATALOG = ("ingredients", "recipes", "finished_units", "material_units", "finished_goods", "events")


def catalog(
    *,
    butter: int = 225,
    per_batch: int = 12,
    box_name: str = "Box",
    date: datetime.date = datetime.date(2026, 6, 1),
) -> list[Any]:
    """The bakery of the sync tests, with fresh ids each time (as a file read anew gives)."""
    butter_item, sugar, eggs = Ingredient("Butter"), Ingredient("Sugar"), Ingredient("Eggs")
    frosting = Recipe(
        "Vanilla Buttercream",
        lines=[IngredientLine(butter_item.id, butter, "g"), IngredientLine(sugar.id, 2, "cup")],
    )
    sponge = Recipe(
        "Sponge",
        lines=[IngredientLine(eggs.id, 4, "each")],
        sub_recipes=[SubRecipe(frosting.id, "0.5")],
    )
    cupcake = FinishedUnit("Cupcake", sponge.id, per_batch)
    box = MaterialUnit(box_name)
    good = FinishedGood(
        "Cupcake Box",
        [
            Component(ComponentKind.FINISHED_UNIT, cupcake.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, box.id, 1),
        ],
    )
    fair = Event("Fair", [ProductionTarget(sponge.id, 2)], [AssemblyTarget(good.id, 10)], date=date)
    return [butter_item, sugar, eggs, frosting, sponge, cupcake, box, good, fair]


def named(store: Any, repository: str) -> dict[str, Any]:
    with store.unit_of_work() as uow:
        return {item.name: item for item in getattr(uow, repository).all()}


def summary(result: CatalogSync) -> tuple[int, int, int, int, int]:
    return (
        len(result.of(SyncAction.ADDED)),
        len(result.of(SyncAction.UPDATED)),
        len(result.of(SyncAction.REMOVED)),
        len(result.unchanged),
        len(result.kept),
    )


@pytest.fixture
def synced(store: Any) -> Any:
    """The store with the bakery synced into it."""
    sync_catalog(store.unit_of_work(), catalog())
    return store


# -- adding, updating, leaving alone ------------------------------------------------------------


def test_into_an_empty_store_everything_is_added_with_its_own_id(store: Any) -> None:
    items = catalog()

    result = sync_catalog(store.unit_of_work(), items)

    assert summary(result) == (9, 0, 0, 0, 0)
    assert [change.item for change in result.changes] == items
    assert [change.kind for change in result.changes] == [
        DefinitionKind.INGREDIENT, DefinitionKind.INGREDIENT, DefinitionKind.INGREDIENT,
        DefinitionKind.RECIPE, DefinitionKind.RECIPE, DefinitionKind.FINISHED_UNIT,
        DefinitionKind.MATERIAL_UNIT, DefinitionKind.FINISHED_GOOD, DefinitionKind.EVENT,
    ]  # fmt: skip
    assert result.ids == {item.id: item.id for item in items}
    assert sorted(everything(store), key=lambda i: i.id) == sorted(items, key=lambda i: i.id)


def test_a_second_sync_of_the_same_catalog_writes_nothing(synced: Any) -> None:
    before = store_contents(synced)
    again = catalog()  # fresh ids: matched by name

    writes = count_writes(synced, lambda s: sync_catalog(s.unit_of_work(), again))
    result = sync_catalog(synced.unit_of_work(), again)

    assert writes == 0
    assert summary(result) == (0, 0, 0, 9, 0)
    assert not result.changed
    assert store_contents(synced) == before
    assert set(result.ids.values()) == {item.id for item in result.unchanged}


def test_every_changed_field_is_said_and_only_changed_items_get_a_new_version(
    synced: Any,
) -> None:
    before = named(synced, "recipes")

    result = sync_catalog(
        synced.unit_of_work(),
        catalog(butter=250, per_batch=10, date=datetime.date(2026, 6, 2)),
    )

    assert summary(result) == (0, 3, 0, 6, 0)
    said = {(change.item.name, str(field)) for change in result.changes for field in change.fields}
    assert said == {
        ("Vanilla Buttercream", "line 1 (Butter): 225 g -> 250 g"),
        ("Cupcake", "items per batch: 12 -> 10"),
        ("Fair", "date: 2026-06-01 -> 2026-06-02"),
    }
    frosting = named(synced, "recipes")["Vanilla Buttercream"]
    assert frosting.id == before["Vanilla Buttercream"].id
    assert frosting.version == 2
    assert frosting.lines[0].quantity == 250
    # The result's items are what the store now holds.
    (change,) = [c for c in result.changes if c.item.name == "Vanilla Buttercream"]
    assert change.item == frosting
    assert change.before == before["Vanilla Buttercream"]
    assert named(synced, "recipes")["Sponge"] == before["Sponge"]
    assert {i.version for i in named(synced, "ingredients").values()} == {1}


def test_references_follow_the_matches(synced: Any) -> None:
    stored = named(synced, "ingredients")
    items = catalog()
    sponge = next(item for item in items if item.name == "Sponge")
    items[items.index(sponge)] = attrs.evolve(
        sponge, lines=[IngredientLine(sponge.lines[0].ingredient_id, 5, "each")]
    )

    result = sync_catalog(synced.unit_of_work(), items)

    (change,) = result.changes
    assert [str(field) for field in change.fields] == ["line 1 (Eggs): 4 each -> 5 each"]
    recipes = named(synced, "recipes")
    assert recipes["Sponge"].lines[0].ingredient_id == stored["Eggs"].id
    assert recipes["Sponge"].sub_recipes[0].recipe_id == recipes["Vanilla Buttercream"].id
    assert named(synced, "ingredients") == stored  # no fresh copies


def test_an_item_with_a_stored_id_is_renamed(synced: Any) -> None:
    sugar = named(synced, "ingredients")["Sugar"]
    items = [attrs.evolve(sugar, name="Caster Sugar")]

    result = sync_catalog(synced.unit_of_work(), items)

    (change,) = result.changes
    assert (change.action, [str(f) for f in change.fields]) == (
        SyncAction.UPDATED,
        ["name: 'Sugar' -> 'Caster Sugar'"],
    )
    assert named(synced, "ingredients")["Caster Sugar"].id == sugar.id
    assert len(result.kept) == 8  # the rest was not given: kept


def test_an_explicit_new_id_adds_an_item_even_when_its_name_is_stored(synced: Any) -> None:
    chosen = uuid.uuid4()
    butter = Ingredient("Butter", id=chosen)

    result = sync_catalog(synced.unit_of_work(), [butter], explicit_ids=[chosen])

    (change,) = result.changes
    assert (change.action, change.item) == (SyncAction.ADDED, butter)
    old = next(item for item in result.kept if item.name == "Butter")
    assert result.shared_names == (
        SharedName(DefinitionKind.INGREDIENT, "Butter", (chosen, old.id)),
    )
    # Without it, the name matches the stored Butter.
    again = sync_catalog(synced.unit_of_work(), [Ingredient("Sugar")])
    assert again.unchanged[0].name == "Sugar"


def test_an_updated_event_keeps_the_snapshots_its_unchanged_targets_were_planned_with(
    synced: Any,
) -> None:
    event = named(synced, "events")["Fair"]
    plan = create_plan(synced.unit_of_work(), event.id)
    planned = named(synced, "events")["Fair"]
    assert planned.assembly_targets[0].snapshot_id is not None

    result = sync_catalog(synced.unit_of_work(), catalog(date=datetime.date(2026, 7, 1)))

    (change,) = result.changes
    assert [str(f) for f in change.fields] == ["date: 2026-06-01 -> 2026-07-01"]
    stored = named(synced, "events")["Fair"]
    assert stored.production_targets == planned.production_targets
    assert stored.assembly_targets == planned.assembly_targets
    assert result.plans == {event.id: (plan.plan_id,)}


# -- pruning ------------------------------------------------------------------------------------


def test_without_prune_what_is_not_given_is_kept(synced: Any) -> None:
    items = catalog(box_name="Bag")

    result = sync_catalog(synced.unit_of_work(), items)

    assert summary(result) == (1, 1, 0, 7, 1)
    assert [item.name for item in result.kept] == ["Box"]
    assert set(named(synced, "material_units")) == {"Box", "Bag"}


def test_prune_removes_what_is_not_given_and_plans_stay(synced: Any) -> None:
    event = named(synced, "events")["Fair"]
    plan = create_plan(synced.unit_of_work(), event.id)
    items = [item for item in catalog() if not isinstance(item, Event)]

    result = sync_catalog(synced.unit_of_work(), items, prune=True)

    assert summary(result) == (0, 0, 1, 8, 0)
    (removal,) = result.of(SyncAction.REMOVED)
    assert removal.item.id == event.id
    assert result.plans == {event.id: (plan.plan_id,)}
    with synced.unit_of_work() as uow:
        assert uow.events.count() == 0
        assert uow.plans.get(plan.plan_id).event_id == event.id


def test_prune_refuses_to_remove_what_a_kept_item_refers_to(synced: Any) -> None:
    before = store_contents(synced)
    sponge = named(synced, "recipes")["Sponge"]  # refers to Eggs and the buttercream

    with pytest.raises(ValidationError, match="recipe 'Sponge' uses ingredient 'Eggs'"):
        sync_catalog(synced.unit_of_work(), [sponge], prune=True)

    assert store_contents(synced) == before


# -- dry run ------------------------------------------------------------------------------------


def test_a_dry_run_writes_nothing_and_says_what_a_sync_would_do(synced: Any) -> None:
    before = store_contents(synced)
    items = catalog(butter=250, box_name="Bag")

    writes = count_writes(
        synced, lambda s: sync_catalog(s.unit_of_work(), items, prune=True, dry_run=True)
    )
    dry = sync_catalog(synced.unit_of_work(), items, prune=True, dry_run=True)

    assert writes == 0
    assert store_contents(synced) == before
    real = sync_catalog(synced.unit_of_work(), items, prune=True)
    assert summary(dry) == summary(real) == (1, 2, 1, 6, 0)
    assert dry == real


def test_a_dry_run_in_the_callers_transaction_leaves_it_as_it_was(synced: Any) -> None:
    flour = Ingredient("Flour")
    with synced.unit_of_work() as uow:
        uow.ingredients.add(flour)
        result = sync_catalog(uow, catalog(butter=300), dry_run=True)
        assert len(result.of(SyncAction.UPDATED)) == 1
        assert uow.ingredients.get(flour.id) == flour
        uow.commit()
    assert named(synced, "recipes")["Vanilla Buttercream"].lines[0].quantity == 225
    assert "Flour" in named(synced, "ingredients")


# -- errors: all or nothing ---------------------------------------------------------------------


def test_a_name_two_stored_items_share_is_ambiguous(synced: Any) -> None:
    other = Ingredient("Butter")
    save(synced, other)
    before = store_contents(synced)

    with pytest.raises(AmbiguousNameError) as caught:
        sync_catalog(synced.unit_of_work(), catalog(butter=250))

    error = caught.value
    assert (error.kind, error.name) == ("ingredient", "Butter")
    assert set(error.ids) == {item.id for item in before["ingredients"] if item.name == "Butter"}
    assert "2 ingredients in the store are named 'Butter'" in str(error)
    assert isinstance(error, ValidationError)
    assert store_contents(synced) == before


def test_the_stored_id_settles_an_ambiguous_name(synced: Any) -> None:
    butter = named(synced, "ingredients")["Butter"]
    save(synced, Ingredient("Butter"))
    items = [butter if item.name == "Butter" else item for item in catalog(butter=250)]

    result = sync_catalog(synced.unit_of_work(), items)

    assert [c.item.name for c in result.of(SyncAction.UPDATED)] == ["Vanilla Buttercream"]
    assert result.shared_names[0].name == "Butter"


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (lambda: [Ingredient("Salt"), Ingredient("Salt")], "two of the items are ingredients"),
        (
            lambda: [Ingredient("Salt", id=uuid.UUID(int=7)), Recipe("Salt", id=uuid.UUID(int=7))],
            "two of the items have the id",
        ),
    ],
)
def test_given_items_that_cannot_be_told_apart_are_refused(
    synced: Any, items: Any, message: str
) -> None:
    before = store_contents(synced)

    with pytest.raises(ValidationError, match=message):
        sync_catalog(synced.unit_of_work(), items())

    assert store_contents(synced) == before


def test_an_id_the_store_holds_for_another_kind_is_refused(synced: Any) -> None:
    sugar = named(synced, "ingredients")["Sugar"]

    with pytest.raises(ValidationError, match="which the store holds for ingredient 'Sugar'"):
        sync_catalog(synced.unit_of_work(), [MaterialUnit("Sugar Bag", id=sugar.id)])


def test_a_failure_at_any_write_writes_nothing(synced: Any) -> None:
    before = store_contents(synced)
    items = catalog(butter=250, per_batch=10, box_name="Bag")
    # Add the bag; update the buttercream, the cupcake and the box of cupcakes; remove the box.
    writes = 5

    for k in range(1, writes + 1):
        with pytest.raises(InjectedFault):
            sync_catalog(FaultyStore(synced, fail_at_write=k).unit_of_work(), items, prune=True)
        assert store_contents(synced) == before
    with pytest.raises(PersistenceError):
        sync_catalog(FaultyStore(synced, fail_at_commit=True).unit_of_work(), items, prune=True)
    assert store_contents(synced) == before
    assert count_writes(synced, lambda s: sync_catalog(s.unit_of_work(), items, prune=True)) == 5


def test_a_failure_inside_the_callers_transaction_undoes_only_the_sync(synced: Any) -> None:
    flour = Ingredient("Flour")
    faulty = FaultyStore(synced, fail_at_write=3)  # the sync's second write
    with faulty.unit_of_work() as uow:
        uow.ingredients.add(flour)  # write 1
        with pytest.raises(InjectedFault):
            sync_catalog(uow, catalog(butter=250, per_batch=10))
        assert uow.recipes.count() == 2
        uow.commit()
    assert named(synced, "recipes")["Vanilla Buttercream"].lines[0].quantity == 225
    assert named(synced, "finished_units")["Cupcake"].items_per_batch == 12
    assert "Flour" in named(synced, "ingredients")


def test_a_sync_in_the_callers_transaction_waits_for_the_callers_commit(synced: Any) -> None:
    before = store_contents(synced)
    with synced.unit_of_work() as uow:
        sync_catalog(uow, catalog(butter=250))
        assert uow.recipes.get(named(synced, "recipes")["Vanilla Buttercream"].id).version == 2
    assert store_contents(synced) == before  # never committed


def test_an_item_changed_by_someone_else_meanwhile_is_a_conflict(synced: Any) -> None:
    # Either the rival's edit lands between the sync's read and its write and the sync is a
    # ConflictError that wrote nothing (memory, PostgreSQL: optimistic versions), or the sync
    # holds the write lock from its start and the rival is the ConflictError (SQLite: writers
    # begin IMMEDIATE). Never both, never a sync made against a catalog that changed under it.
    rival: list[Exception] = []

    def someone_else_edits(write_number: int, _: str) -> None:
        if write_number == 1:  # after the sync read the catalog, before it writes
            try:
                with synced.unit_of_work() as uow:
                    frosting = next(r for r in uow.recipes.all() if r.name == "Vanilla Buttercream")
                    uow.recipes.update(attrs.evolve(frosting, name="Frosting"))
                    uow.commit()
            except ConflictError as error:
                rival.append(error)

    racing = FaultyStore(synced, on_write=someone_else_edits)

    try:
        sync_catalog(racing.unit_of_work(), catalog(butter=250, box_name="Bag"))
    except ConflictError:
        assert not rival  # the rival won
        recipes = named(synced, "recipes")
        assert recipes["Frosting"].version == 2
        assert recipes["Frosting"].lines[0].quantity == 225
        assert "Bag" not in named(synced, "material_units")
    else:
        assert len(rival) == 1  # the sync won
        recipes = named(synced, "recipes")
        assert recipes["Vanilla Buttercream"].version == 2
        assert recipes["Vanilla Buttercream"].lines[0].quantity == 250
        assert "Bag" in named(synced, "material_units")


# -- arguments ----------------------------------------------------------------------------------


def test_wrong_arguments_are_type_errors_before_any_work() -> None:
    store = MemoryStore()
    plan = Plan(event_id=uuid.uuid4(), created_at=datetime.datetime.now(datetime.UTC))
    with pytest.raises(TypeError, match="not Plan"):
        sync_catalog(store.unit_of_work(), [plan])
    with pytest.raises(TypeError, match=r"call store\.unit_of_work"):
        sync_catalog(store, [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="prune must be True or False"):
        sync_catalog(store.unit_of_work(), [], prune="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="explicit_ids must hold UUIDs"):
        sync_catalog(store.unit_of_work(), [], explicit_ids=["6f0d"])  # type: ignore[list-item]
    assert store_contents(store) == store_contents(MemoryStore())


# -- the invariant ------------------------------------------------------------------------------


def numbered(case: CatalogCase) -> list[Any]:
    """The drawn catalog with its items named by kind and position (``recipe 2``): two drawn
    catalogs then share names, which the sync matches."""
    items = []
    for group in (case.ingredients, case.recipes, case.finished_units, case.material_units,
                  case.finished_goods, case.events):  # fmt: skip
        for n, item in enumerate(group):
            items.append(attrs.evolve(item, name=f"{type(item).__name__} {n}"))
    return items


def by_names(items: Sequence[Any]) -> set[tuple[Any, ...]]:
    """The catalog with every id replaced by the (type, name) of what it names: what a sync
    must make equal, whatever the ids."""
    names = {item.id: (type(item).__name__, item.name) for item in items}

    def ref(item_id: uuid.UUID) -> Any:
        return names.get(item_id, item_id)

    shown: set[tuple[Any, ...]] = set()
    for item in items:
        fields: tuple[Any, ...] = ()
        if isinstance(item, Recipe):
            fields = (
                tuple((ref(x.ingredient_id), x.quantity, x.unit, x.note) for x in item.lines),
                tuple((ref(s.recipe_id), s.batches) for s in item.sub_recipes),
            )
        elif isinstance(item, FinishedUnit):
            fields = (ref(item.recipe_id), item.items_per_batch)
        elif isinstance(item, FinishedGood):
            fields = tuple((c.kind, ref(c.ref), c.quantity) for c in item.components)
        elif isinstance(item, Event):
            fields = (
                item.date,
                tuple((ref(t.recipe_id), t.batches) for t in item.production_targets),
                tuple((ref(t.finished_good_id), t.quantity) for t in item.assembly_targets),
            )
        shown.add((type(item).__name__, item.name, fields))
    return shown


def everything(store: Any) -> list[Any]:
    with store.unit_of_work() as uow:
        return [item for name in CATALOG for item in getattr(uow, name).all()]


@given(before=catalogs(), after=catalogs())
def test_after_a_sync_with_prune_the_store_holds_the_given_catalog_and_a_second_changes_nothing(
    before: CatalogCase, after: CatalogCase
) -> None:
    store = MemoryStore()
    sync_catalog(store.unit_of_work(), numbered(before))
    given = numbered(after)

    result = sync_catalog(store.unit_of_work(), given, prune=True)

    stored = everything(store)
    assert by_names(stored) == by_names(given)
    assert {item.id for item in stored} == set(result.ids.values())
    assert len(result.changes) + len(result.unchanged) == len(given) + len(
        result.of(SyncAction.REMOVED)
    )
    again = count_writes(store, lambda s: sync_catalog(s.unit_of_work(), given, prune=True))
    assert again == 0
