"""Every rule of EXECUTION.md, on every store: naming things in the plan, bad input, exactly
once, superseded plans, stock, voids, amends, progress matching. Each failure writes nothing.

The edges of counting (one item, waste owed again, packaging, complete) are pinned on a smaller
kitchen in memory (:func:`kitchen`), where the mutation run (``tools/mutation.py``) runs them.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import attrs
import pytest

from snapplan import (
    AssemblyRun,
    AssemblyTarget,
    Component,
    ComponentKind,
    ConflictError,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    KeyReusedError,
    MaterialUnit,
    MemoryStore,
    NotInPlanError,
    ProductionRun,
    ProductionTarget,
    Recipe,
    RunNotFound,
    ShortageError,
    SubRecipe,
    SupersededPlanError,
    ValidationError,
    create_plan,
    plan_progress,
    record_assembly,
    record_production,
    record_waste,
    void_run,
)
from snapplan.testing.catalog import save
from snapplan.testing.contents import store_contents

FIXED = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)


@attrs.frozen
class Box:
    """50 gift boxes of 6 cookies + 1 mini box (2 brownies) + 1 ribbon; cookies 48 a batch,
    two sizes of brownie from one tray (large 12, small 24 a batch)."""

    cookies: Recipe
    brownies: Recipe
    frosting: Recipe
    cookie: FinishedUnit
    large: FinishedUnit
    small: FinishedUnit
    ribbon: MaterialUnit
    mini: FinishedGood
    gift: FinishedGood
    event: Event


def gift_boxes(store: Any) -> Box:
    flour, cocoa, sugar = Ingredient("Flour"), Ingredient("Cocoa"), Ingredient("Sugar")
    frosting = Recipe("Frosting", lines=[IngredientLine(sugar.id, "0.5", "cup")])
    cookies = Recipe(
        "Cookies",
        lines=[IngredientLine(flour.id, 500, "g")],
        sub_recipes=[SubRecipe(frosting.id, 2)],
    )
    brownies = Recipe("Brownies", lines=[IngredientLine(cocoa.id, "0.25", "cup")])
    cookie = FinishedUnit("Cookie", cookies.id, 48)
    large = FinishedUnit("Large brownie", brownies.id, 12)
    small = FinishedUnit("Small brownie", brownies.id, 24)
    ribbon = MaterialUnit("Ribbon")
    mini = FinishedGood("Mini box", [Component(ComponentKind.FINISHED_UNIT, small.id, 2)])
    gift = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.FINISHED_GOOD, mini.id, 1),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event("Market", [ProductionTarget(brownies.id, 1)], [AssemblyTarget(gift.id, 50)])
    save(store, flour, cocoa, sugar, frosting, cookies, brownies, cookie, large, small, ribbon,
         mini, gift, event)  # fmt: skip
    return Box(cookies, brownies, frosting, cookie, large, small, ribbon, mini, gift, event)


def planned(store: Any) -> tuple[Box, uuid.UUID]:
    box = gift_boxes(store)
    return box, create_plan(store.unit_of_work(), box.event.id).plan_id


def unchanged(store: Any) -> Any:
    """``with unchanged(store):`` asserts the block leaves the store exactly as it was."""

    class Check:
        def __enter__(self) -> None:
            self.before = store_contents(store)

        def __exit__(self, *exc: Any) -> None:
            assert store_contents(store) == self.before

    return Check()


@attrs.frozen
class Kitchen:
    """The smaller kitchen of counting's edges: one memory store, its plan, cookies and a box."""

    store: MemoryStore
    plan_id: uuid.UUID
    cookies: Recipe
    cookie: FinishedUnit
    box: FinishedGood


def kitchen(*, items_per_batch: int = 12, boxes: int = 2, per_box: int = 6) -> Kitchen:
    """Boxes of ``per_box`` cookies and a ribbon; cookies ``items_per_batch`` a batch."""
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    cookie = FinishedUnit("Cookie", cookies.id, items_per_batch)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood(
        "Gift box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, per_box),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event("Market", assembly_targets=[AssemblyTarget(box.id, boxes)])
    store = MemoryStore()
    save(store, flour, cookies, cookie, ribbon, box, event)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    return Kitchen(store, plan_id, cookies, cookie, box)


def produce(k: Kitchen, batches: int) -> ProductionRun:
    return record_production(k.store.unit_of_work(), k.plan_id, k.cookies.id, batches)


# -- naming things in the plan ---------------------------------------------------------------


def test_a_recipe_is_named_by_catalog_id_or_snapshot_id(store: Any) -> None:
    box, plan = planned(store)
    by_catalog = record_production(store.unit_of_work(), plan, box.cookies.id, 1)
    by_snapshot = record_production(store.unit_of_work(), plan, by_catalog.recipe_snapshot_id, 1)
    assert by_snapshot.recipe_snapshot_id == by_catalog.recipe_snapshot_id
    assert (by_catalog.items, by_catalog.finished_unit_id) == (48, box.cookie.id)
    assert str(by_snapshot.plan_id) == str(plan)


def test_a_recipe_or_good_the_plan_does_not_hold_is_not_in_plan(store: Any) -> None:
    _, plan = planned(store)
    stranger = Recipe("Bread")
    save(store, stranger)
    with unchanged(store):
        with pytest.raises(NotInPlanError):
            record_production(store.unit_of_work(), plan, stranger.id, 1)
        with pytest.raises(NotInPlanError):
            record_assembly(store.unit_of_work(), plan, uuid.uuid4(), 1)
        with pytest.raises(NotInPlanError):
            record_waste(store.unit_of_work(), plan, uuid.uuid4(), 1, reason="lost")


def test_several_finished_units_of_one_recipe_must_be_named(store: Any) -> None:
    box, plan = planned(store)
    # the plan holds both brownie sizes only if both are needed: add large to a new good
    with unchanged(store), pytest.raises(NotInPlanError):
        record_production(
            store.unit_of_work(), plan, box.brownies.id, 1, finished_unit_id=box.large.id
        )
    run = record_production(store.unit_of_work(), plan, box.brownies.id, 1)
    assert run.finished_unit_id == box.small.id  # the only one the plan holds
    assert run.items == 24


def test_two_finished_units_of_one_recipe_in_a_plan_need_a_choice(store: Any) -> None:
    box = gift_boxes(store)
    both = FinishedGood(
        "Brownie duo",
        [
            Component(ComponentKind.FINISHED_UNIT, box.large.id, 1),
            Component(ComponentKind.FINISHED_UNIT, box.small.id, 1),
        ],
    )
    event = Event("Duo day", [], [AssemblyTarget(both.id, 10)])
    save(store, both, event)
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    with pytest.raises(ValidationError, match="say which with finished_unit_id"):
        record_production(store.unit_of_work(), plan, box.brownies.id, 1)
    run = record_production(
        store.unit_of_work(), plan, box.brownies.id, 1, finished_unit_id=box.large.id
    )
    assert (run.finished_unit_id, run.items) == (box.large.id, 12)


def test_a_recipe_captured_twice_in_one_plan_is_ambiguous_by_catalog_id(store: Any) -> None:
    box = gift_boxes(store)
    event = Event("Twice", [ProductionTarget(box.cookies.id, 1)])
    save(store, event)
    create_plan(store.unit_of_work(), event.id)
    # a target added later is captured by a second call: a second snapshot of Cookies' frosting
    with store.unit_of_work() as uow:
        current = uow.events.get(event.id)
        more = Recipe("Frosted tray", sub_recipes=[SubRecipe(box.frosting.id, 1)])
        uow.recipes.add(more)
        uow.events.update(
            attrs.evolve(
                current,
                production_targets=(*current.production_targets, ProductionTarget(more.id, 1)),
            )
        )
        uow.commit()
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    with pytest.raises(ValidationError, match="pass the snapshot id"):
        record_production(store.unit_of_work(), plan, box.frosting.id, 1)


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [0, -1, 0.5, "abc", Decimal("NaN"), True])
def test_bad_amounts_are_validation_errors_and_write_nothing(store: Any, amount: Any) -> None:
    box, plan = planned(store)
    with unchanged(store):
        with pytest.raises(ValidationError, match="batches"):
            record_production(store.unit_of_work(), plan, box.cookies.id, amount)
        with pytest.raises(ValidationError, match="quantity"):
            record_assembly(store.unit_of_work(), plan, box.mini.id, amount)
        with pytest.raises(ValidationError, match="quantity"):
            record_waste(store.unit_of_work(), plan, box.cookie.id, amount, reason="x")


def test_a_blank_reason_or_key_is_a_validation_error(store: Any) -> None:
    box, plan = planned(store)
    record_production(store.unit_of_work(), plan, box.cookies.id, 1)
    with unchanged(store):
        with pytest.raises(ValidationError, match="reason"):
            record_waste(store.unit_of_work(), plan, box.cookie.id, 1, reason=" ")
        with pytest.raises(ValidationError, match="key"):
            record_production(store.unit_of_work(), plan, box.cookies.id, 1, key="")


def test_items_may_be_zero_but_not_for_a_recipe_without_a_finished_unit(store: Any) -> None:
    box, plan = planned(store)
    burnt = record_production(store.unit_of_work(), plan, box.cookies.id, 1, items=0)
    assert burnt.items == 0
    with pytest.raises(ValidationError, match="items"):
        record_production(store.unit_of_work(), plan, box.frosting.id, 1, items=5)


# -- exactly once ----------------------------------------------------------------------------


def test_a_retried_key_returns_the_same_run_whatever_the_note(store: Any) -> None:
    box, plan = planned(store)
    first = record_production(
        store.unit_of_work(), plan, box.cookies.id, 2, key="k", note="first", by="Ann"
    )
    with unchanged(store):
        again = record_production(
            store.unit_of_work(), plan, box.cookies.id, "2.0", key="k", note="retry", by="Bo"
        )
    assert again == first
    with unchanged(store), pytest.raises(KeyReusedError):
        record_production(store.unit_of_work(), plan, box.cookies.id, 3, key="k")
    with unchanged(store), pytest.raises(KeyReusedError):
        record_assembly(store.unit_of_work(), plan, box.mini.id, 1, key="k")


def test_the_key_is_checked_before_the_stock(store: Any) -> None:
    box, plan = planned(store)
    record_production(store.unit_of_work(), plan, box.brownies.id, 1)  # 24 small brownies
    done = record_assembly(store.unit_of_work(), plan, box.mini.id, 12, key="minis")
    # all brownies are boxed now: a fresh request would be short, the retry is not
    with pytest.raises(ShortageError):
        record_assembly(store.unit_of_work(), plan, box.mini.id, 12)
    assert record_assembly(store.unit_of_work(), plan, box.mini.id, 12, key="minis") == done


# -- superseded plans --------------------------------------------------------------------------


def test_recording_against_a_superseded_plan_names_the_latest(store: Any) -> None:
    box, plan = planned(store)
    later = create_plan(store.unit_of_work(), box.event.id, force_recreate=True).plan_id
    for record in (
        lambda: record_production(store.unit_of_work(), plan, box.cookies.id, 1),
        lambda: record_assembly(store.unit_of_work(), plan, box.mini.id, 1, allow_shortage=True),
        lambda: record_waste(store.unit_of_work(), plan, box.cookie.id, 1, reason="x"),
    ):
        with unchanged(store), pytest.raises(SupersededPlanError) as caught:
            record()
        assert caught.value.latest_plan_id == later
        assert isinstance(caught.value, ConflictError)


# -- stock -------------------------------------------------------------------------------------


def test_allow_shortage_records_the_run_and_lets_on_hand_go_negative(store: Any) -> None:
    box, plan = planned(store)
    run = record_assembly(store.unit_of_work(), plan, box.mini.id, 3, allow_shortage=True)
    assert isinstance(run, AssemblyRun)
    assert [(s.name, s.needed, s.on_hand) for s in run.allowed_shortages] == [
        ("Small brownie", 6, 0)
    ]
    progress = plan_progress(store.unit_of_work(), plan)
    (small,) = [u for u in progress.finished_units if u.name == "Small brownie"]
    assert small.on_hand == -6
    (mini,) = [g for g in progress.goods if g.name == "Mini box"]
    assert mini.assemblable == 0  # a stocked component at or below zero


def test_waste_beyond_what_is_on_hand_is_a_shortage(store: Any) -> None:
    box, plan = planned(store)
    record_production(store.unit_of_work(), plan, box.cookies.id, 1)
    with unchanged(store), pytest.raises(ShortageError) as caught:
        record_waste(store.unit_of_work(), plan, box.cookie.id, 49, reason="eaten")
    assert [(s.needed, s.on_hand) for s in caught.value.shortages] == [(49, 48)]
    record_waste(store.unit_of_work(), plan, box.cookie.id, 48, reason="eaten")


def test_a_waste_run_reduces_stock_in_every_check(store: Any) -> None:
    """10 small brownies made and 10 wasted: none on hand for assembling, and none to give back
    when the production run is voided."""
    box, plan = planned(store)
    baked = record_production(store.unit_of_work(), plan, box.brownies.id, 1, items=10)
    record_waste(store.unit_of_work(), plan, box.small.id, 10, reason="dropped the tray")
    with unchanged(store):
        with pytest.raises(ShortageError) as assembling:
            record_assembly(store.unit_of_work(), plan, box.mini.id, 1)
        with pytest.raises(ShortageError) as voiding:
            void_run(store.unit_of_work(), baked.id, reason="wrong recipe")
        with pytest.raises(ShortageError):
            record_waste(store.unit_of_work(), plan, box.small.id, 1, reason="dropped again")
    assert [(s.name, s.needed, s.on_hand) for s in assembling.value.shortages] == [
        ("Small brownie", 2, 0)
    ]
    assert [(s.name, s.needed, s.on_hand) for s in voiding.value.shortages] == [
        ("Small brownie", 10, 0)
    ]


def test_wasted_items_are_owed_again() -> None:
    """remaining = needed - produced + wasted (mutant: - wasted)."""
    k = kitchen()  # 2 boxes of 6: 12 cookies, 1 batch of 12
    produce(k, 1)
    record_waste(k.store.unit_of_work(), k.plan_id, k.cookie.id, 3, reason="dropped tray")
    (unit,) = plan_progress(k.store.unit_of_work(), k.plan_id).finished_units
    assert (unit.produced, unit.wasted, unit.on_hand, unit.remaining) == (12, 3, 9, 3)


# -- voids and amends --------------------------------------------------------------------------


def test_void_reverses_exactly_what_the_run_recorded(store: Any) -> None:
    box, plan = planned(store)
    baked = record_production(store.unit_of_work(), plan, box.cookies.id, 2, items=90)
    void = void_run(store.unit_of_work(), baked.id, reason="counted wrong")
    assert (void.run_id, void.seq) == (baked.id, 2)
    progress = plan_progress(store.unit_of_work(), plan)
    (cookie,) = [u for u in progress.finished_units if u.name == "Cookie"]
    assert (cookie.produced, cookie.on_hand) == (0, 0)
    with unchanged(store):
        assert void_run(store.unit_of_work(), baked.id, reason="again") == void
        with pytest.raises(ValidationError, match="void"):
            void_run(store.unit_of_work(), void.id, reason="undo the undo")
        with pytest.raises(RunNotFound):
            void_run(store.unit_of_work(), uuid.uuid4(), reason="?")
    fixed = record_production(
        store.unit_of_work(), plan, box.cookies.id, 2, items=96, amends=baked.id
    )
    assert fixed.amends == baked.id
    progress = plan_progress(store.unit_of_work(), plan)
    assert progress.unmatched == ()


def test_amends_must_name_a_voided_run_of_the_event(store: Any) -> None:
    box, plan = planned(store)
    live = record_production(store.unit_of_work(), plan, box.cookies.id, 1)
    with unchanged(store):
        with pytest.raises(RunNotFound):
            record_production(store.unit_of_work(), plan, box.cookies.id, 1, amends=uuid.uuid4())
        with pytest.raises(ValidationError, match="not voided"):
            record_production(store.unit_of_work(), plan, box.cookies.id, 1, amends=live.id)


def test_a_void_that_would_leave_negative_stock_is_refused_unless_allowed(store: Any) -> None:
    box, plan = planned(store)
    bake = record_production(store.unit_of_work(), plan, box.brownies.id, 1)  # 24 small
    minis = record_assembly(store.unit_of_work(), plan, box.mini.id, 10)  # 20 used, 4 left
    with unchanged(store), pytest.raises(ShortageError) as caught:
        void_run(store.unit_of_work(), bake.id, reason="wrong recipe")
    assert [(s.name, s.needed, s.on_hand) for s in caught.value.shortages] == [
        ("Small brownie", 24, 4)
    ]
    void_run(store.unit_of_work(), minis.id, reason="boxes were empty")  # the later run first
    void_run(store.unit_of_work(), bake.id, reason="wrong recipe")
    forced = record_production(store.unit_of_work(), plan, box.brownies.id, 1)
    record_assembly(store.unit_of_work(), plan, box.mini.id, 12)
    void_run(store.unit_of_work(), forced.id, reason="audit", allow_shortage=True)
    progress = plan_progress(store.unit_of_work(), plan)
    (small,) = [u for u in progress.finished_units if u.name == "Small brownie"]
    assert small.on_hand == -24


def test_voiding_a_run_of_one_item_already_boxed_is_a_shortage() -> None:
    """A void takes back every positive effect, 1 item included (mutant: change > 1)."""
    k = kitchen(items_per_batch=1, boxes=1, per_box=1)
    run = produce(k, 1)
    assert run.items == 1
    record_assembly(k.store.unit_of_work(), k.plan_id, k.box.id, 1)
    with pytest.raises(ShortageError) as caught:
        void_run(k.store.unit_of_work(), run.id, reason="wrong tray")
    (short,) = caught.value.shortages
    assert (short.needed, short.on_hand) == (1, 0)


# -- sub-recipes made along, and progress ------------------------------------------------------


def test_sub_recipes_made_along_count_for_their_own_recipe(store: Any) -> None:
    box, plan = planned(store)
    run = record_production(store.unit_of_work(), plan, box.cookies.id, 3, with_sub_recipes=True)
    assert isinstance(run, ProductionRun)
    assert [(a.name, a.batches) for a in run.sub_recipe_batches] == [("Frosting", 6)]
    used = {u.name: (u.quantity, u.unit) for u in run.ingredients}
    assert used == {"Flour": (1500, "g"), "Sugar": (3, "cup")}
    progress = plan_progress(store.unit_of_work(), plan)
    recipes = {r.name: r for r in progress.recipes}
    assert recipes["Frosting"].produced_batches == 6
    assert recipes["Cookies"].produced_batches == 3


def test_progress_counts_earlier_plans_and_lists_what_it_cannot_match(store: Any) -> None:
    box, plan = planned(store)
    record_production(store.unit_of_work(), plan, box.brownies.id, 1)
    # the event drops the brownie target: a re-plan no longer needs Brownies for production...
    with store.unit_of_work() as uow:
        event = uow.events.get(box.event.id)
        uow.events.update(attrs.evolve(event, production_targets=()))
        stale = uow.recipes.get(box.cookies.id)
        uow.commit()
    cookies_run = record_production(store.unit_of_work(), plan, stale.id, 1)
    later = create_plan(store.unit_of_work(), box.event.id, force_recreate=True).plan_id
    progress = plan_progress(store.unit_of_work(), later)
    # ...but the mini boxes still need small brownies: the run matches by catalog id
    assert {r.name: r.produced_batches for r in progress.recipes}["Brownies"] == 1
    assert {r.name: r.produced_batches for r in progress.recipes}["Cookies"] == 1
    assert progress.unmatched == ()
    assert cookies_run.plan_id == plan


def test_a_run_for_a_definition_the_plan_no_longer_needs_is_unmatched(store: Any) -> None:
    box = gift_boxes(store)
    extra = Recipe("Shortbread")
    event = Event("Fair", [ProductionTarget(extra.id, 1)])
    save(store, extra, event)
    first = create_plan(store.unit_of_work(), event.id).plan_id
    run = record_production(store.unit_of_work(), first, extra.id, 1)
    with store.unit_of_work() as uow:
        current = uow.events.get(event.id)
        uow.events.update(
            attrs.evolve(current, production_targets=[ProductionTarget(box.cookies.id, 1)])
        )
        uow.commit()
    second = create_plan(store.unit_of_work(), event.id).plan_id
    progress = plan_progress(store.unit_of_work(), second)
    assert progress.unmatched == (run,)
    assert [r.name for r in progress.recipes] == ["Cookies", "Frosting"]


def test_a_run_reads_back_equal_to_what_the_service_returned(store: Any) -> None:
    box, plan = planned(store)
    runs = [
        record_production(store.unit_of_work(), plan, box.brownies.id, 2, clock=lambda: FIXED),
        record_assembly(store.unit_of_work(), plan, box.mini.id, 5, key="m", by="Ann"),
        record_waste(store.unit_of_work(), plan, box.mini.id, 1, reason="dropped"),
    ]
    runs.append(void_run(store.unit_of_work(), runs[2].id, reason="found it"))
    with store.unit_of_work() as uow:
        assert uow.runs.for_event(box.event.id) == tuple(runs)
        assert uow.runs.for_plan(plan) == tuple(runs)
        for run in runs:
            assert uow.runs.get(run.id) == run
        assert uow.runs.count() == 4
    assert [r.seq for r in runs] == [1, 2, 3, 4]


def test_progress_is_complete_when_everything_is_made_and_boxed(store: Any) -> None:
    box = gift_boxes(store)
    event = Event("Small", [], [AssemblyTarget(box.mini.id, 12)])
    save(store, event)
    plan = create_plan(store.unit_of_work(), event.id).plan_id
    assert not plan_progress(store.unit_of_work(), plan).complete
    record_production(store.unit_of_work(), plan, box.brownies.id, 1)
    record_assembly(store.unit_of_work(), plan, box.mini.id, 12)
    progress = plan_progress(store.unit_of_work(), plan)
    assert progress.complete
    (mini,) = progress.goods
    assert (mini.planned, mini.assembled, mini.remaining, mini.assemblable) == (12, 12, 0, 0)


def test_a_box_with_packaging_is_assemblable_from_the_cookies_on_hand() -> None:
    """Packaging is not stock: it never limits ``assemblable`` (mutant: kind > MATERIAL_UNIT)."""
    k = kitchen()
    produce(k, 1)
    (good,) = plan_progress(k.store.unit_of_work(), k.plan_id).goods
    assert good.assemblable == 2


def test_a_plan_is_complete_only_when_no_finished_unit_remains() -> None:
    """``complete`` asks every finished unit for remaining == 0 (mutant: >= 0)."""
    k = kitchen()
    produce(k, 1)
    record_assembly(k.store.unit_of_work(), k.plan_id, k.box.id, 2)
    progress = plan_progress(k.store.unit_of_work(), k.plan_id)
    assert progress.complete
    (unit,) = progress.finished_units
    owed = attrs.evolve(progress, finished_units=(attrs.evolve(unit, remaining=Decimal(3)),))
    assert not owed.complete


def test_complete_means_exactly_nothing_remains() -> None:
    """(mutant: remaining == 0 as <= 0; ``Progress`` is a public value a host may build)"""
    k = kitchen()
    produce(k, 1)
    record_assembly(k.store.unit_of_work(), k.plan_id, k.box.id, 2)
    progress = plan_progress(k.store.unit_of_work(), k.plan_id)
    (unit,) = progress.finished_units
    odd = attrs.evolve(progress, finished_units=(attrs.evolve(unit, remaining=Decimal(-1)),))
    assert not odd.complete
