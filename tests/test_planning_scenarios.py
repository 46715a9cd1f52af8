"""DOMAIN.md scenarios: plan creation, nesting, re-planning — on every store (in memory only
where storage is not what is under test)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import attrs
import pytest

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    ConflictError,
    CycleError,
    DepthLimitError,
    Event,
    EventNotFound,
    FinishedGood,
    FinishedGoodSnapshot,
    FinishedUnit,
    FinishedUnitSnapshot,
    Ingredient,
    IngredientLine,
    Limits,
    MaterialUnit,
    MaterialUnitSnapshot,
    NotFoundError,
    ProductionTarget,
    Recipe,
    RecipeNotFound,
    RecipeSnapshot,
    SnapshotNotFound,
    SubRecipe,
    ValidationError,
    create_plan,
    plan_requirements,
)
from snapplan.adapters.memory import MemoryStore
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents

FIXED = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
PARIS = datetime.timezone(datetime.timedelta(hours=1))

FU = ComponentKind.FINISHED_UNIT
FG = ComponentKind.FINISHED_GOOD
MU = ComponentKind.MATERIAL_UNIT


def plan(store: Any, event: Event, **options: Any) -> Any:
    return create_plan(store.unit_of_work(), event.id, clock=lambda: FIXED, **options)


def read(store: Any, repository: str, item_id: uuid.UUID) -> Any:
    with store.unit_of_work() as uow:
        return getattr(uow, repository).get(item_id)


# -- plan creation -------------------------------------------------------------------------------


def test_two_production_targets_get_their_own_snapshots(store: Any) -> None:
    a, b = Recipe("A"), Recipe("B")
    event = Event("Market", [ProductionTarget(a.id, 3), ProductionTarget(b.id, 1)])
    save(store, a, b, event)
    result = plan(store, event)
    assert (result.recipe_snapshots_created, result.finished_good_snapshots_created) == (2, 0)
    assert result.snapshots_written == 2
    linked = read(store, "events", event.id)
    assert linked.version == event.version + 1
    for target, source in zip(linked.production_targets, (a, b), strict=True):
        snapshot = read(store, "snapshots", target.snapshot_id)
        assert isinstance(snapshot, RecipeSnapshot)
        assert snapshot.source_id == source.id
        assert snapshot.plan_id == result.plan_id
        assert snapshot.captured_at == FIXED
    recorded = read(store, "plans", result.plan_id)
    assert recorded.production_targets == linked.production_targets
    assert recorded.supersedes is None


def test_later_edits_never_change_the_snapshot(store: Any) -> None:
    flour = Ingredient("Flour")
    cookies = Recipe("Sugar Cookies", lines=[IngredientLine(flour.id, 2, "cup")])
    event = Event("Market", [ProductionTarget(cookies.id, 1)])
    save(store, flour, cookies, event)
    result = plan(store, event)
    with store.unit_of_work() as uow:
        uow.recipes.update(
            attrs.evolve(cookies, name="Best Cookies", lines=[IngredientLine(flour.id, 3, "cup")])
        )
        uow.ingredients.update(attrs.evolve(flour, name="Bread Flour"))
        uow.commit()
    snapshot_id = read(store, "plans", result.plan_id).production_targets[0].snapshot_id
    snapshot = read(store, "snapshots", snapshot_id)
    assert snapshot.name == "Sugar Cookies"
    assert snapshot.lines[0].quantity == 2
    assert snapshot.lines[0].unit == "cup"
    assert snapshot.lines[0].ingredient_name == "Flour"


def gift_box_catalog() -> dict[str, Any]:
    cookies, brownies = Recipe("Cookie dough"), Recipe("Brownie batter")
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    brownie = FinishedUnit("Brownie", brownies.id, 24)
    ribbon, box = MaterialUnit("Ribbon"), MaterialUnit("Box")
    mini = FinishedGood("Mini Box", [Component(FU, brownie.id, 2)])
    gift = FinishedGood(
        "Gift Box",
        [
            Component(FU, cookie.id, 6),
            Component(MU, ribbon.id, 1),
            Component(FG, mini.id, 1),
            Component(MU, box.id, 1),
        ],
    )
    return locals()


def test_a_gift_box_captures_its_whole_tree_in_order(store: Any) -> None:
    c = gift_box_catalog()
    event = Event("Market", assembly_targets=[AssemblyTarget(c["gift"].id, 10)])
    save(store, *c.values(), event)
    result = plan(store, event)
    assert (result.recipe_snapshots_created, result.finished_good_snapshots_created) == (0, 1)
    # gift box, mini box, 2 finished units, 2 recipes, 2 materials
    assert result.snapshots_written == 8
    gift_id = read(store, "events", event.id).assembly_targets[0].snapshot_id
    gift = read(store, "snapshots", gift_id)
    assert isinstance(gift, FinishedGoodSnapshot)
    assert [(x.kind, x.source_id, x.quantity) for x in gift.components] == [
        (FU, c["cookie"].id, 6),
        (MU, c["ribbon"].id, 1),
        (FG, c["mini"].id, 1),
        (MU, c["box"].id, 1),
    ]
    children = [read(store, "snapshots", x.snapshot_id) for x in gift.components]
    assert [type(s) for s in children] == [
        FinishedUnitSnapshot, MaterialUnitSnapshot, FinishedGoodSnapshot, MaterialUnitSnapshot
    ]  # fmt: skip
    assert [s.source_id for s in children] == [x.source_id for x in gift.components]
    brownie = read(store, "snapshots", children[2].components[0].snapshot_id)
    assert brownie.source_id == c["brownie"].id
    assert read(store, "snapshots", brownie.recipe_snapshot_id).source_id == c["brownies"].id


def test_an_event_without_targets_plans(store: Any) -> None:
    event = Event("Quiet week")
    save(store, event)
    result = plan(store, event)
    assert (result.recipe_snapshots_created, result.finished_good_snapshots_created) == (0, 0)
    assert read(store, "plans", result.plan_id).event_id == event.id


def test_a_missing_event_is_event_not_found(store: Any) -> None:
    missing = uuid.uuid4()
    with pytest.raises(EventNotFound) as caught:
        create_plan(store.unit_of_work(), missing)
    assert caught.value.id == missing


def test_a_removed_recipe_fails_the_whole_plan_and_writes_nothing(store: Any) -> None:
    kept, gone = Recipe("Kept"), Recipe("Gone")
    event = Event("Market", [ProductionTarget(kept.id, 1), ProductionTarget(gone.id, 1)])
    save(store, kept, gone, event)
    with store.unit_of_work() as uow:
        uow.recipes.remove(gone.id)
        uow.commit()
    before = store_contents(store)
    with pytest.raises(RecipeNotFound) as caught:
        plan(store, event)
    assert caught.value.id == gone.id
    assert store_contents(store) == before


def test_a_missing_definition_names_who_refers_to_it() -> None:
    """(mutant: the referrer dropped exactly when one is known)"""
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood("Gift box", [Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1)])
    event = Event("Market", assembly_targets=[AssemblyTarget(box.id, 2)])
    store = MemoryStore()
    save(store, box, event)  # the ribbon is never added
    with pytest.raises(NotFoundError) as caught:
        create_plan(store.unit_of_work(), event.id)
    assert caught.value.referenced_by == "finished good 'Gift box'"


# -- nesting -------------------------------------------------------------------------------------


def test_a_loop_of_two_goods_is_a_cycle_in_order(store: Any) -> None:
    a_id, b_id = uuid.uuid4(), uuid.uuid4()
    a = FinishedGood("A", [Component(FG, b_id, 1)], id=a_id)
    b = FinishedGood("B", [Component(FG, a_id, 1)], id=b_id)
    event = Event("Market", assembly_targets=[AssemblyTarget(a_id, 1)])
    save(store, a, b, event)
    with pytest.raises(CycleError) as caught:
        plan(store, event)
    assert caught.value.path == (a_id, b_id, a_id)
    assert "A (" in str(caught.value)
    assert "B (" in str(caught.value)


def test_a_loop_of_three_recipes_is_a_cycle_and_nothing_is_written(store: Any) -> None:
    ids = [uuid.uuid4() for _ in range(3)]
    recipes = [
        Recipe(name, sub_recipes=[SubRecipe(ids[(i + 1) % 3], 1)], id=ids[i])
        for i, name in enumerate("ABC")
    ]
    innocent = Recipe("Innocent")
    event = Event(
        "Market", [ProductionTarget(innocent.id, 1), ProductionTarget(ids[0], 1)]
    )  # the innocent target is captured before the loop is met
    save(store, *recipes, innocent, event)
    before = store_contents(store)
    with pytest.raises(CycleError) as caught:
        plan(store, event)
    assert caught.value.path == (ids[0], ids[1], ids[2], ids[0])
    assert str(caught.value).index("A (") < str(caught.value).index("B (")
    assert store_contents(store) == before


def test_a_diamond_is_captured_once_and_shared(store: Any) -> None:
    d = FinishedGood("D", [Component(MU, uuid.uuid4(), 1)])
    material = MaterialUnit("Tissue", id=d.components[0].ref)
    b = FinishedGood("B", [Component(FG, d.id, 1)])
    c = FinishedGood("C", [Component(FG, d.id, 2)])
    a = FinishedGood("A", [Component(FG, b.id, 1), Component(FG, c.id, 1)])
    event = Event("Market", assembly_targets=[AssemblyTarget(a.id, 1)])
    save(store, material, d, b, c, a, event)
    result = plan(store, event)
    assert result.snapshots_written == 5  # A, B, C, D once, the tissue once
    a_snap = read(
        store, "snapshots", read(store, "events", event.id).assembly_targets[0].snapshot_id
    )
    b_snap, c_snap = (read(store, "snapshots", x.snapshot_id) for x in a_snap.components)
    assert b_snap.components[0].snapshot_id == c_snap.components[0].snapshot_id


def goods_chain(length: int) -> list[FinishedGood]:
    ids = [uuid.uuid4() for _ in range(length)]
    children = [[Component(FG, child, 1)] for child in ids[1:]] + [[]]
    return [FinishedGood(f"Level {i}", children[i], id=ids[i]) for i in range(length)]


def test_eleven_nested_goods_plan_twelve_exceed_the_limit(store: Any) -> None:
    eleven, twelve = goods_chain(11), goods_chain(12)
    ok = Event("Eleven", assembly_targets=[AssemblyTarget(eleven[0].id, 1)])
    too_deep = Event("Twelve", assembly_targets=[AssemblyTarget(twelve[0].id, 1)])
    save(store, *eleven, *twelve, ok, too_deep)
    assert plan(store, ok).snapshots_written == 11
    before = store_contents(store)
    with pytest.raises(DepthLimitError) as caught:
        plan(store, too_deep)
    assert (caught.value.depth, caught.value.limit) == (11, 10)
    assert store_contents(store) == before


def recipe_chain(length: int) -> list[Recipe]:
    ids = [uuid.uuid4() for _ in range(length)]
    subs = [[SubRecipe(child, 1)] for child in ids[1:]] + [[]]
    return [Recipe(f"R{i}", sub_recipes=subs[i], id=ids[i]) for i in range(length)]


def test_ten_nested_recipes_plan_eleven_exceed_the_default_limit(store: Any) -> None:
    ten, eleven = recipe_chain(10), recipe_chain(11)
    ok = Event("Ten", [ProductionTarget(ten[0].id, 1)])
    too_deep = Event("Eleven", [ProductionTarget(eleven[0].id, 1)])
    save(store, *ten, *eleven, ok, too_deep)
    assert plan(store, ok).snapshots_written == 10
    with pytest.raises(DepthLimitError) as caught:
        plan(store, too_deep)
    assert (caught.value.depth, caught.value.limit) == (11, 10)


def test_a_four_level_kitchen_chain_plans_with_the_default_limits(store: Any) -> None:
    # layer cake -> caramel frosting -> caramel sauce -> simple syrup
    chain = recipe_chain(4)
    event = Event("Cake day", [ProductionTarget(chain[0].id, 1)])
    save(store, *chain, event)
    assert plan(store, event).snapshots_written == 4


def test_with_a_limit_of_three_recipes_abc_plans_and_abcd_fails(store: Any) -> None:
    three, four = recipe_chain(3), recipe_chain(4)
    ok = Event("ABC", [ProductionTarget(three[0].id, 1)])
    too_deep = Event("ABCD", [ProductionTarget(four[0].id, 1)])
    save(store, *three, *four, ok, too_deep)
    assert plan(store, ok, limits=Limits(recipes=3)).snapshots_written == 3
    with pytest.raises(DepthLimitError) as caught:
        plan(store, too_deep, limits=Limits(recipes=3))
    assert (caught.value.depth, caught.value.limit) == (4, 3)


def test_a_shared_child_met_again_deeper_still_counts_its_depth(store: Any) -> None:
    chain = recipe_chain(3)  # R0 -> R1 -> R2
    top = Recipe("Top", sub_recipes=[SubRecipe(chain[1].id, 1)])  # Top -> R1 -> R2 is fine
    deeper = Recipe("Deeper", sub_recipes=[SubRecipe(chain[0].id, 1)])  # 4 recipes
    event = Event("Market", [ProductionTarget(top.id, 1), ProductionTarget(deeper.id, 1)])
    save(store, *chain, top, deeper, event)
    with pytest.raises(DepthLimitError):
        plan(store, event, limits=Limits(recipes=3))


def test_a_recipe_with_300_sub_recipes_plans() -> None:
    flour = Ingredient("Flour")
    parts = [Recipe(f"Part {i}", lines=[IngredientLine(flour.id, 1, "g")]) for i in range(300)]
    whole = Recipe("Whole", sub_recipes=[SubRecipe(p.id, 1) for p in parts])
    event = Event("Market", [ProductionTarget(whole.id, 1)])
    store = MemoryStore()
    save(store, flour, *parts, whole, event)
    assert create_plan(store.unit_of_work(), event.id).snapshots_written == 301


# -- re-planning ---------------------------------------------------------------------------------


def test_a_second_plan_without_force_writes_nothing(store: Any) -> None:
    c = gift_box_catalog()
    event = Event(
        "Market", [ProductionTarget(c["cookies"].id, 2)], [AssemblyTarget(c["gift"].id, 3)]
    )
    save(store, *c.values(), event)
    first = plan(store, event)
    before = store_contents(store)
    again = plan(store, event)
    assert again.plan_id == first.plan_id
    assert (again.recipe_snapshots_created, again.snapshots_written) == (0, 0)
    assert store_contents(store) == before


def test_force_recreate_captures_new_content_and_keeps_the_old_plan(store: Any) -> None:
    sugar = Ingredient("Sugar")
    pie = Recipe("Pie", lines=[IngredientLine(sugar.id, 1, "cup")])
    event = Event("Market", [ProductionTarget(pie.id, 3)])
    save(store, sugar, pie, event)
    first = plan(store, event)
    old = store_contents(store)
    with store.unit_of_work() as uow:
        uow.recipes.update(attrs.evolve(pie, lines=[IngredientLine(sugar.id, 2, "cup")]))
        uow.commit()
    second = plan(store, event, force_recreate=True)
    assert second.plan_id != first.plan_id
    assert second.recipe_snapshots_created == 1
    new_plan = read(store, "plans", second.plan_id)
    assert new_plan.supersedes == first.plan_id
    assert (
        read(store, "snapshots", new_plan.production_targets[0].snapshot_id).lines[0].quantity == 2
    )
    assert read(store, "plans", first.plan_id) == old["plans"][0]
    for snapshot in old["snapshots"]:
        assert read(store, "snapshots", snapshot.id) == snapshot
    old_need = plan_requirements(store.unit_of_work(), first.plan_id).ingredients[0].quantity
    assert old_need == 3
    assert plan_requirements(store.unit_of_work(), second.plan_id).ingredients[0].quantity == 6
    with store.unit_of_work() as uow:
        assert [p.id for p in uow.plans.for_event(event.id)] == [first.plan_id, second.plan_id]
        assert uow.plans.latest(event.id) == new_plan


def test_a_target_added_later_is_captured_alone(store: Any) -> None:
    a, b = Recipe("A"), Recipe("B")
    event = Event("Market", [ProductionTarget(a.id, 1)])
    save(store, a, b, event)
    first = plan(store, event)
    linked = read(store, "events", event.id)
    with store.unit_of_work() as uow:
        uow.events.update(
            attrs.evolve(
                linked, production_targets=(*linked.production_targets, ProductionTarget(b.id, 2))
            )
        )
        uow.commit()
    second = plan(store, event)
    assert (second.recipe_snapshots_created, second.snapshots_written) == (1, 1)
    targets = read(store, "plans", second.plan_id).production_targets
    assert targets[0] == linked.production_targets[0]  # untouched, same snapshot
    assert read(store, "snapshots", targets[1].snapshot_id).source_id == b.id
    assert read(store, "plans", second.plan_id).supersedes == first.plan_id


def test_two_interleaved_forced_replans_of_an_event_without_targets_cannot_both_commit() -> None:
    store = MemoryStore()
    event = Event("Market")  # no targets: nothing is recaptured, only the version serialises
    save(store, event)
    create_plan(store.unit_of_work(), event.id)
    first, second = store.unit_of_work(), store.unit_of_work()
    with first, second:
        first.events.get(event.id)
        second.events.get(event.id)
        create_plan(first, event.id, force_recreate=True)  # joins: does not commit
        create_plan(second, event.id, force_recreate=True)
        first.commit()
        with pytest.raises(ConflictError):
            second.commit()
    with store.unit_of_work() as uow:
        plans = uow.plans.for_event(event.id)
        assert uow.events.get(event.id).version == 3  # saved, planned once, re-planned once
    # one chain: the forced plan supersedes the first, and nothing forks it
    assert [p.supersedes for p in plans] == [None, plans[0].id]


def test_each_plan_of_an_event_bumps_its_version_even_when_nothing_is_captured() -> None:
    store = MemoryStore()
    event = Event("Market")
    save(store, event)
    for expected in (2, 3, 4):
        create_plan(store.unit_of_work(), event.id, force_recreate=True)
        with store.unit_of_work() as uow:
            assert uow.events.get(event.id).version == expected
    assert attrs.evolve(event).version == 1  # the caller's copy is untouched


def test_a_very_deep_chain_plans_with_the_limit_raised() -> None:
    store = MemoryStore()  # depth, not storage, is under test here
    chain = recipe_chain(3000)
    event = Event("Deep", [ProductionTarget(chain[0].id, 1)])
    save(store, *chain, event)
    with pytest.raises(DepthLimitError):
        plan(store, event)
    result = plan(store, event, limits=Limits(recipes=5000))
    assert result.snapshots_written == 3000
    needs = plan_requirements(store.unit_of_work(), result.plan_id)
    assert {r.batches for r in needs.batches} == {Decimal(1)}


# -- targets that carry a snapshot id, clocks, ids ------------------------------------------------


def test_a_target_switched_to_another_recipe_is_captured_again(store: Any) -> None:
    flour = Ingredient("Flour")
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, 500, "g")])
    fudge = Recipe("Fudge")
    event = Event("Market", [ProductionTarget(bread.id, 2)])
    save(store, flour, bread, fudge, event)
    plan(store, event)
    linked = read(store, "events", event.id)
    switched = attrs.evolve(linked.production_targets[0], recipe_id=fudge.id)  # stale snapshot id
    with store.unit_of_work() as uow:
        uow.events.update(attrs.evolve(linked, production_targets=[switched]))
        uow.commit()
    result = plan(store, event)
    assert result.recipe_snapshots_created == 1
    target = read(store, "plans", result.plan_id).production_targets[0]
    assert read(store, "snapshots", target.snapshot_id).source_id == fudge.id
    needs = plan_requirements(store.unit_of_work(), result.plan_id)
    assert [r.name for r in needs.batches] == ["Fudge"]
    assert needs.ingredients == ()


def test_a_target_linked_to_a_missing_snapshot_fails_and_writes_nothing(store: Any) -> None:
    recipe = Recipe("Bread")
    ghost = uuid.uuid4()
    event = Event("Market", [ProductionTarget(recipe.id, 1, snapshot_id=ghost)])
    save(store, recipe, event)
    before = store_contents(store)
    with pytest.raises(SnapshotNotFound) as caught:
        plan(store, event)
    assert caught.value.id == ghost
    assert store_contents(store) == before


@pytest.mark.parametrize(
    "clock",
    [
        lambda: datetime.datetime(2026, 12, 1, 9, 30),  # naive
        lambda: datetime.datetime(2026, 12, 1, 9, 30, tzinfo=PARIS),
        lambda: "yesterday",
    ],
    ids=["naive", "not-utc", "not-a-datetime"],
)  # fmt: skip
def test_a_clock_must_give_aware_utc_times_even_on_a_rerun(store: Any, clock: Any) -> None:
    event = Event("Market")
    save(store, event)
    before = store_contents(store)
    with pytest.raises(ValidationError):
        create_plan(store.unit_of_work(), event.id, clock=clock)
    assert store_contents(store) == before
    plan(store, event)
    with pytest.raises(ValidationError):
        create_plan(store.unit_of_work(), event.id, clock=clock)  # would be the idempotent path


def test_services_accept_ids_in_their_string_form(store: Any) -> None:
    recipe = Recipe("Bread")
    event = Event("Market", [ProductionTarget(recipe.id, 1)])
    save(store, recipe, event)
    result = create_plan(store.unit_of_work(), str(event.id))
    assert plan_requirements(store.unit_of_work(), str(result.plan_id)).batches[0].name == "Bread"
    with pytest.raises(ValidationError):
        plan_requirements(store.unit_of_work(), "not-an-id")


def test_demand_multiplied_down_a_very_deep_chain_stays_exact() -> None:
    store = MemoryStore()
    dough = Recipe("Dough")
    cookie = FinishedUnit("Cookie", dough.id, 1)
    ids = [uuid.uuid4() for _ in range(3000)]
    goods = [
        FinishedGood(f"Level {i}", [Component(FG, ids[i + 1], 7)], id=ids[i]) for i in range(2999)
    ] + [FinishedGood("Bottom", [Component(FU, cookie.id, 7)], id=ids[-1])]
    event = Event("Deep", assembly_targets=[AssemblyTarget(ids[0], 1)])
    save(store, dough, cookie, *goods, event)
    result = plan(store, event, limits=Limits(goods=5000))
    (units,) = plan_requirements(store.unit_of_work(), result.plan_id).finished_units
    assert units.quantity == Decimal(7**3000)
