"""Pins for behaviours of snapplan/domain that mutation testing (tools/mutation.py) showed
unguarded: each test fails under a small change of the code it names, and says what broke.

Most tests work on the pure domain directly (a :class:`CatalogView` captured by
:class:`Capture`, requirements from :func:`compute_requirements`), so they are fast; the
re-planning pin needs a store and uses the in-memory one.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import inspect
import pkgutil
import typing
import uuid
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

from snapplan import ConflictError, Limits, ValidationError, create_plan
from snapplan.adapters.memory import MemoryStore
from snapplan.domain import graph, units
from snapplan.domain.capture import Capture
from snapplan.domain.catalog import (
    CatalogView,
    Component,
    ComponentKind,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Recipe,
    SubRecipe,
)
from snapplan.domain.catalog_check import (
    DanglingReference,
    DefinitionKind,
    check_definitions,
)
from snapplan.domain.events import AssemblyTarget, Event, ProductionTarget
from snapplan.domain.plan import Plan
from snapplan.domain.quantities import (
    amount_problem,
    exact_arithmetic,
    positive_amount,
    to_decimal,
)
from snapplan.domain.requirements import Requirements, compute_requirements, exact_decimal
from snapplan.domain.validators import non_negative, optional_text
from snapplan.testing.catalog import save

FU = ComponentKind.FINISHED_UNIT
FG = ComponentKind.FINISHED_GOOD
MU = ComponentKind.MATERIAL_UNIT
NOON = datetime.datetime(2024, 12, 1, 12, tzinfo=datetime.UTC)

Definition = Ingredient | Recipe | FinishedUnit | MaterialUnit | FinishedGood


def view(*definitions: Definition) -> CatalogView:
    """A catalog view holding ``definitions``, each in its own table."""
    tables: dict[type, dict[uuid.UUID, Definition]] = {}
    for d in definitions:
        tables.setdefault(type(d), {})[d.id] = d
    return CatalogView(
        ingredients=tables.get(Ingredient, {}),
        recipes=tables.get(Recipe, {}),
        finished_units=tables.get(FinishedUnit, {}),
        material_units=tables.get(MaterialUnit, {}),
        finished_goods=tables.get(FinishedGood, {}),
    )


def capture(
    catalog: CatalogView, recipes: Iterable[Recipe] = (), goods: Iterable[FinishedGood] = ()
):
    """A capture of ``recipes`` and ``goods`` (in that order) from ``catalog``."""
    made = Capture(catalog, plan_id=uuid.uuid4(), captured_at=NOON)
    for recipe in recipes:
        made.recipe(recipe.id)
    for good in goods:
        made.finished_good(good.id)
    return made


def requirements(
    *definitions: Definition,
    production: Iterable[tuple[Recipe, object]] = (),
    assembly: Iterable[tuple[FinishedGood, object]] = (),
) -> Requirements:
    """Capture the targets from ``definitions`` and compute what the plan needs."""
    production, assembly = list(production), list(assembly)
    made = capture(view(*definitions), [r for r, _ in production], [g for g, _ in assembly])
    plan = Plan(
        event_id=uuid.uuid4(),
        created_at=NOON,
        production_targets=[
            ProductionTarget(r.id, n, snapshot_id=made.recipe(r.id).id) for r, n in production
        ],
        assembly_targets=[
            AssemblyTarget(g.id, n, snapshot_id=made.finished_good(g.id).id) for g, n in assembly
        ],
    )
    return compute_requirements(plan, {s.id: s for s in made.snapshots})


def batches_by_name(needs: Requirements) -> dict[str, tuple[Decimal, object]]:
    return {r.name: (r.batches, r.needed_batches) for r in needs.batches}


# -- a. a production target is a floor, also on a diamond ---------------------------------------


def diamond(d_target: object) -> Requirements:
    """B and C (2 batches each, targets) both use 1 batch of D per batch; D is a target too."""
    flour = Ingredient("Flour")
    d = Recipe("D", lines=[IngredientLine(flour.id, 100, "g")])
    b = Recipe("B", sub_recipes=[SubRecipe(d.id, 1)])
    c = Recipe("C", sub_recipes=[SubRecipe(d.id, 1)])
    return requirements(flour, d, b, c, production=[(b, 2), (c, 2), (d, d_target)])


def test_a_diamond_target_above_its_parents_demand_bakes_the_target_not_the_sum() -> None:
    needs = diamond(5)  # parents need 2 + 2 = 4 batches of D
    assert batches_by_name(needs)["D"] == (Decimal(5), Decimal(4))
    assert [(i.quantity, i.unit) for i in needs.ingredients] == [(Decimal(500), "g")]


def test_a_diamond_target_below_its_parents_demand_bakes_the_demand_not_the_sum() -> None:
    needs = diamond(3)  # parents need 4
    assert batches_by_name(needs)["D"] == (Decimal(4), Decimal(4))
    assert [(i.quantity, i.unit) for i in needs.ingredients] == [(Decimal(400), "g")]


def test_a_diamond_target_with_finished_unit_demand_too_gets_the_larger_not_the_sum() -> None:
    # D yields 10 cookies a batch; 15 cookies (1.5 batches) plus 2 + 2 from its parents is
    # 5.5, rounded up to 6; its target of 7 is larger, 5 smaller.
    d = Recipe("D")
    b = Recipe("B", sub_recipes=[SubRecipe(d.id, 1)])
    c = Recipe("C", sub_recipes=[SubRecipe(d.id, 1)])
    cookie = FinishedUnit("Cookie", d.id, items_per_batch=10)
    bag = FinishedGood("Bag", [Component(FU, cookie.id, 15)])
    for target, batches in ((7, Decimal(7)), (5, Decimal(6))):
        needs = requirements(
            d, b, c, cookie, bag, production=[(b, 2), (c, 2), (d, target)], assembly=[(bag, 1)]
        )
        assert batches_by_name(needs)["D"] == (batches, Decimal("5.5"))
        # leftover: what the batches make beyond the cookies and the parents' share
        (line,) = [r for r in needs.batches if r.name == "D"]
        assert line.leftover_units == (batches - Decimal("5.5")) * 10


# -- b. every unit factor exact to its last digit -----------------------------------------------

#: Each unit by its definition: (dimension, size in the base unit, as an exact fraction).
DEFINITIONS = {
    "g": (units.MASS, Fraction(1)),
    "mg": (units.MASS, Fraction(1, 1000)),
    "kg": (units.MASS, Fraction(1000)),
    "lb": (units.MASS, Fraction("453.59237")),  # the international pound
    "oz": (units.MASS, Fraction("453.59237") / 16),
    "ml": (units.VOLUME, Fraction(1)),
    "l": (units.VOLUME, Fraction(1000)),
    "cup": (units.VOLUME, Fraction("236.5882365")),  # US customary cup
    "fl_oz": (units.VOLUME, Fraction("236.5882365") / 8),
    "tbsp": (units.VOLUME, Fraction("236.5882365") / 8 / 2),
    "tsp": (units.VOLUME, Fraction("236.5882365") / 8 / 2 / 3),
    "each": (units.COUNT, Fraction(1)),
    "dozen": (units.COUNT, Fraction(12)),
}


@pytest.mark.parametrize("symbol", sorted(DEFINITIONS))
def test_each_unit_factor_is_exactly_its_definition(symbol: str) -> None:
    unit = units.known_unit(symbol)
    assert unit is not None
    dimension, size = DEFINITIONS[symbol]
    assert (unit.symbol, unit.dimension) == (symbol, dimension)
    assert Fraction(unit.factor) == size, f"{symbol} is {unit.factor}, must be {size}"


def test_the_unit_table_has_a_definition_for_every_unit_and_base_units_are_one() -> None:
    assert set(units._KNOWN) == set(DEFINITIONS)
    assert units.BASE_UNITS == {units.MASS: "g", units.VOLUME: "ml", units.COUNT: "each"}
    for symbol in units.BASE_UNITS.values():
        assert DEFINITIONS[symbol][1] == 1


def test_units_relate_as_a_kitchen_expects() -> None:
    factor = {s: Fraction(units.known_unit(s).factor) for s in DEFINITIONS}  # type: ignore[union-attr]
    assert factor["tbsp"] == 3 * factor["tsp"]
    assert factor["fl_oz"] == 2 * factor["tbsp"]
    assert factor["cup"] == 8 * factor["fl_oz"]
    assert factor["lb"] == 16 * factor["oz"]


def test_mixed_spoons_sum_exactly_in_millilitres() -> None:
    sugar = Ingredient("Sugar")
    syrup = Recipe(
        "Syrup",
        lines=[
            IngredientLine(sugar.id, 1, "tsp"),
            IngredientLine(sugar.id, 1, "tbsp"),
            IngredientLine(sugar.id, 1, "fl oz"),
            IngredientLine(sugar.id, 1, "cups"),
        ],
    )
    (line,) = requirements(sugar, syrup, production=[(syrup, 1)]).ingredients
    # 1 tsp + 3 tsp + 6 tsp + 48 tsp = 58 tsp
    assert (line.quantity, line.unit) == (Decimal("285.8774524375"), "ml")
    assert Fraction(line.quantity) == 58 * DEFINITIONS["tsp"][1]


# -- c. a parent's digest changes when any descendant changes ------------------------------------


def chain_digests(leaf_quantity: object, ribbon: str = "Ribbon") -> dict[str, str]:
    """Digests of a tree whose deepest recipe line is ``leaf_quantity`` g of sugar:
    Hamper ⊃ Tin ⊃ (Wedge → Shortbread → Caramel → Syrup, Ribbon)."""
    sugar = Ingredient("Sugar", id=uuid.UUID(int=1))
    syrup = Recipe(
        "Syrup", lines=[IngredientLine(sugar.id, leaf_quantity, "g")], id=uuid.UUID(int=2)
    )
    caramel = Recipe("Caramel", sub_recipes=[SubRecipe(syrup.id, 1)], id=uuid.UUID(int=3))
    shortbread = Recipe("Shortbread", sub_recipes=[SubRecipe(caramel.id, 1)], id=uuid.UUID(int=4))
    wedge = FinishedUnit("Wedge", shortbread.id, 16, id=uuid.UUID(int=5))
    bow = MaterialUnit(ribbon, id=uuid.UUID(int=6))
    tin = FinishedGood(
        "Tin", [Component(FU, wedge.id, 8), Component(MU, bow.id, 1)], id=uuid.UUID(int=7)
    )
    hamper = FinishedGood("Hamper", [Component(FG, tin.id, 2)], id=uuid.UUID(int=8))
    catalog = view(sugar, syrup, caramel, shortbread, wedge, bow, tin, hamper)
    made = capture(catalog, [shortbread], [hamper])
    label = {
        d.id: type(d).__name__ + " " + d.name
        for d in (syrup, caramel, shortbread, wedge, tin, hamper)
    }
    label[bow.id] = "the material"
    return {label[s.source_id]: s.digest for s in made.snapshots}


def test_the_same_definitions_always_digest_the_same() -> None:
    assert chain_digests(100) == chain_digests(100)
    assert chain_digests(100) == chain_digests("100.00")  # equal amounts, equal digests


def test_a_change_deep_in_a_recipe_chain_changes_every_ancestors_digest() -> None:
    before, after = chain_digests(100), chain_digests(101)
    changed = {name for name in before if before[name] != after[name]}
    # Syrup's own line changed; everything above it differs only through its children.
    assert changed == {
        "Recipe Syrup",
        "Recipe Caramel",
        "Recipe Shortbread",
        "FinishedUnit Wedge",
        "FinishedGood Tin",
        "FinishedGood Hamper",
    }


def test_a_changed_material_changes_the_goods_above_it_only() -> None:
    before, after = chain_digests(100), chain_digests(100, ribbon="Red ribbon")
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"the material", "FinishedGood Tin", "FinishedGood Hamper"}


# -- d. every plan bumps the event's version ---------------------------------------------------


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


# -- amounts: the bounds are where the docs say -------------------------------------------------


def test_an_amount_of_sixty_digits_is_kept_and_one_of_sixty_one_is_refused() -> None:
    sixty = Decimal("1." + "2" * 59)
    assert IngredientLine(uuid.uuid4(), sixty, "g").quantity == sixty
    with pytest.raises(ValidationError, match="written with more than 60 digits"):
        IngredientLine(uuid.uuid4(), Decimal("1." + "2" * 60), "g")


@pytest.mark.parametrize("kept", ["1E+40", "9.99E+40", "1E-40", "-1E+40"])
def test_adjusted_exponents_within_forty_are_kept(kept: str) -> None:
    assert to_decimal(kept) == Decimal(kept)


@pytest.mark.parametrize("refused", ["1E+41", "9E-41", "-1E+41"])
def test_adjusted_exponents_beyond_forty_are_refused(refused: str) -> None:
    with pytest.raises(ValidationError, match=r"is outside 1E-40 \.\. 1E\+40"):
        to_decimal(refused)


def test_a_long_rejected_decimal_is_shown_shortened_in_the_message() -> None:
    digits = "1234567890" * 10
    with pytest.raises(ValidationError) as refused:
        to_decimal(Decimal(digits))
    assert str(refused.value) == (
        f"{digits[:40]}...{digits[-20:]} is written with more than 60 digits"
    )


def test_limits_of_one_are_allowed() -> None:
    assert Limits(goods=1, recipes=1) == Limits(1, 1)


# -- needed batches: a Decimal whenever a decimal says it exactly ------------------------------


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        (Fraction(1, 5), Decimal("0.2")),
        (Fraction(3, 8), Decimal("0.375")),
        (Fraction(7, 40), Decimal("0.175")),
        (Fraction(1, 3125), Decimal("0.00032")),
        (Fraction(12, 1), Decimal(12)),
    ],
)
def test_a_terminating_fraction_becomes_the_exact_decimal(value: Fraction, exact: Decimal) -> None:
    result = exact_decimal(value)
    assert type(result) is Decimal
    assert (result, str(result)) == (exact, str(exact))


@pytest.mark.parametrize("value", [Fraction(1, 3), Fraction(20, 9), Fraction(1, 30)])
def test_a_fraction_no_decimal_can_say_stays_a_fraction(value: Fraction) -> None:
    assert exact_decimal(value) is value


def test_needed_batches_of_one_cookie_at_five_a_batch_is_the_decimal_one_fifth() -> None:
    dough = Recipe("Dough")
    cookie = FinishedUnit("Cookie", dough.id, items_per_batch=5)
    bag = FinishedGood("Bag", [Component(FU, cookie.id, 1)])
    (line,) = requirements(dough, cookie, bag, assembly=[(bag, 1)]).batches
    assert type(line.needed_batches) is Decimal
    assert (line.batches, str(line.needed_batches), line.leftover_units) == (1, "0.2", 4)


# -- annotations ----------------------------------------------------------------------------------


def _annotated() -> Iterable[object]:
    """Every class and function written in snapplan/domain (methods included)."""
    import snapplan.domain

    for info in pkgutil.iter_modules(snapplan.domain.__path__):
        module = importlib.import_module(f"snapplan.domain.{info.name}")
        for value in vars(module).values():
            if getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value):
                yield value
            elif inspect.isclass(value):
                yield value
                for member in vars(value).values():
                    # attrs' generated __init__ is not ours: its file is "<attrs generated ...>"
                    code = getattr(member, "__code__", None)
                    if code is not None and code.co_filename == inspect.getsourcefile(module):
                        yield member


def test_every_annotation_in_the_domain_resolves_at_run_time() -> None:
    # cattrs (the SQL store, the CLI's export) and hosts read these with get_type_hints.
    checked = 0
    for value in _annotated():
        typing.get_type_hints(value)
        checked += 1
    assert checked > 100


@pytest.mark.parametrize(("digits", "shortened"), [(80, False), (81, True)])
def test_a_rejected_decimal_is_shortened_only_past_eighty_characters(
    digits: int, shortened: bool
) -> None:
    text = "7" * digits
    with pytest.raises(ValidationError) as refused:
        to_decimal(Decimal(text))
    shown = f"{text[:40]}...{text[-20:]}" if shortened else text
    assert str(refused.value) == f"{shown} is written with more than 60 digits"


# -- events with many targets, timestamps east and west of UTC -----------------------------------


def test_an_event_may_have_hundreds_of_targets() -> None:
    # the duplicate check compares counts by value (ints above 256 are distinct objects)
    production = [ProductionTarget(uuid.uuid4(), 1) for _ in range(300)]
    assembly = [AssemblyTarget(uuid.uuid4(), 1) for _ in range(300)]
    event = Event("Market", production, assembly)
    assert (len(event.production_targets), len(event.assembly_targets)) == (300, 300)


@pytest.mark.parametrize("hours", [-5, 1])
def test_a_timestamp_with_any_offset_but_zero_is_refused(hours: int) -> None:
    zone = datetime.timezone(datetime.timedelta(hours=hours))
    with pytest.raises(ValidationError, match="must be in UTC"):
        Plan(event_id=uuid.uuid4(), created_at=datetime.datetime(2024, 12, 1, 12, tzinfo=zone))


# -- what a refused amount, version or timestamp is told -----------------------------------------


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (True, "amounts must be Decimal, int or str, not bool (True)"),
        (
            0.5,
            "amounts must be Decimal, int or str, not float (0.5); "
            "write it as a str or Decimal: '0.5'",
        ),
        (None, "amounts must be Decimal, int or str, not NoneType"),
        ("x" * 40, f"not a number: {'x' * 40!r}"),
        ("x" * 41, f"not a number: text of 41 characters ({'x' * 20!r}...)"),
        (2**300, "an int of about 90 digits is written with more than 60 digits"),
        (Decimal("-Infinity"), "amounts must be finite, not -Infinity"),
    ],
)
def test_a_refused_amount_says_what_it_was(given: object, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        to_decimal(given)
    assert str(refused.value) == message


def test_an_int_of_256_bits_is_converted_before_it_is_judged() -> None:
    big = 2**255  # 256 bits, 78 digits: converted, then refused for its digits
    with pytest.raises(ValidationError) as refused:
        to_decimal(big)
    text = str(big)
    assert str(refused.value) == f"{text} is written with more than 60 digits"


@pytest.mark.parametrize(
    ("value", "positive", "problem"),
    [
        (Decimal(0), True, "amount must be positive, not 0"),
        (Decimal(0), False, None),
        (Decimal("-0.5"), True, "amount must be positive, not -0.5"),
        (Decimal("-0.5"), False, "amount must be zero or more, not -0.5"),
        (Decimal("0.5"), False, None),
    ],
)
def test_zero_is_an_amount_only_where_zero_is_allowed(
    value: Decimal, positive: bool, problem: str | None
) -> None:
    assert amount_problem(value, positive=positive) == problem


def test_positive_amount_converts_and_refuses_zero_and_less() -> None:
    assert positive_amount(" 2.50 ") == Decimal("2.50")
    for bad in (0, "-1", "0.0"):
        with pytest.raises(ValidationError, match="must be positive"):
            positive_amount(bad)


@attrs.frozen
class _Ledger:
    """Fields checked by the validators no catalog type uses yet."""

    note: str | None = attrs.field(default=None, validator=optional_text)
    count: Decimal = attrs.field(default=Decimal(0), validator=non_negative)


def test_optional_text_and_non_negative_validators() -> None:
    assert _Ledger(None, Decimal(0)) == _Ledger()
    assert _Ledger("kept", Decimal(3)).note == "kept"
    with pytest.raises(ValidationError, match=r"_Ledger\.note: must be a str, not int"):
        _Ledger(5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"_Ledger\.count: amount must be zero or more"):
        _Ledger(count=Decimal(-1))


@pytest.mark.parametrize("version", [1, 2, 2**63 - 1])
def test_versions_from_one_to_the_largest_signed_64_bit_int_are_kept(version: int) -> None:
    assert Ingredient("Flour", version=version).version == version


@pytest.mark.parametrize(
    ("version", "shown"),
    [(0, "0"), (-1, "-1"), (2**63, str(2**63)), (2**255 - 1, str(2**255 - 1)),
     (2**255, "a larger int"), (2**400, "a larger int")],
)  # fmt: skip
def test_versions_outside_the_store_range_are_refused(version: int, shown: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Ingredient("Flour", version=version)
    assert str(refused.value) == (
        f"Ingredient.version: must be between 1 and 2**63 - 1, not {shown}"
    )


@pytest.mark.parametrize("when", [datetime.datetime(2024, 12, 1, 12), datetime.date(2024, 12, 1)])
def test_a_timestamp_must_be_an_aware_datetime(when: object) -> None:
    with pytest.raises(ValidationError, match="must be an aware datetime"):
        Plan(event_id=uuid.uuid4(), created_at=when)  # type: ignore[arg-type]


def test_a_collection_field_given_no_iterable_says_so() -> None:
    with pytest.raises(ValidationError, match=r"Recipe\.lines: expected a sequence, not int"):
        Recipe("Bread", lines=5)  # type: ignore[arg-type]


def test_exact_arithmetic_traps_rounding_and_invalid_operations() -> None:
    with exact_arithmetic() as context:
        assert context.prec == decimal.MAX_PREC
        assert (context.Emax, context.Emin) == (decimal.MAX_EMAX, decimal.MIN_EMIN)
        with pytest.raises(decimal.InvalidOperation):
            Decimal(0) * Decimal("Infinity")
        assert all(context.traps[t] for t in (decimal.Inexact, decimal.Rounded))
        with pytest.raises(decimal.Inexact):
            Decimal("1.5").quantize(Decimal(1))


# -- graph walks -----------------------------------------------------------------------------


def node(n: int) -> uuid.UUID:
    """A fresh UUID object each call: walks must compare nodes by value, not identity."""
    return uuid.UUID(int=n)


def test_find_loops_compares_nodes_by_value_and_sorts_loops_by_their_first_node() -> None:
    # two tangles: 5 -> 1 -> 5 and 3 -> 9 -> 4 -> 3; each loop starts at its smallest node
    graph_ = {
        node(5): [node(1)],
        node(1): [node(5)],
        node(3): [node(9)],
        node(9): [node(4)],
        node(4): [node(3)],
        node(7): [node(7)],  # a node naming itself is a loop of one
        node(8): [node(3)],  # leads into a tangle without being in it
    }
    assert graph.find_loops(graph_) == [
        (node(1), node(5), node(1)),
        (node(3), node(9), node(4), node(3)),
        (node(7), node(7)),
    ]


def test_find_loops_reports_one_shortest_loop_per_tangle() -> None:
    # 1 -> 2 -> 3 -> 1 and 2 -> 1: one tangle {1, 2, 3}; the shortest loop through 1 is 1, 2, 1
    graph_ = {node(1): [node(2)], node(2): [node(3), node(1)], node(3): [node(1)]}
    assert graph.find_loops(graph_) == [(node(1), node(2), node(1))]


def test_parents_first_puts_every_node_before_its_children() -> None:
    children = {1: [2, 3], 2: [4], 3: [4], 4: [], 5: [3]}
    order = graph.parents_first([1, 5], lambda n: children[n])
    assert sorted(order) == [1, 2, 3, 4, 5]
    for parent, below in children.items():
        for child in below:
            assert order.index(parent) < order.index(child)


def test_children_first_records_heights_and_skips_known_nodes() -> None:
    children = {1: [2, 3], 2: [4], 3: [], 4: []}
    heights: dict[int, int] = {}
    assert graph.children_first(1, lambda n: children[n], heights=heights) == [4, 2, 3, 1]
    assert heights == {4: 1, 2: 2, 3: 1, 1: 3}
    assert graph.children_first(2, lambda n: children[n], heights=heights) == []


@pytest.mark.parametrize(("limit", "fails"), [(3, False), (2, True)])
def test_children_first_allows_exactly_max_nodes_on_a_path(limit: int, fails: bool) -> None:
    children = {1: [2], 2: [3], 3: []}
    if fails:
        with pytest.raises(graph.TooDeep) as deep:
            graph.children_first(1, lambda n: children[n], heights={}, max_nodes=limit)
        assert deep.value.nodes == 3
    else:
        walk = graph.children_first(1, lambda n: children[n], heights={}, max_nodes=limit)
        assert walk == [3, 2, 1]


def test_children_first_counts_a_known_subtree_at_its_full_height() -> None:
    children = {0: [1], 1: [2], 2: [3], 3: []}
    heights: dict[int, int] = {}
    graph.children_first(1, lambda n: children[n], heights=heights)  # heights 3, 2, 1
    with pytest.raises(graph.TooDeep) as deep:
        graph.children_first(0, lambda n: children[n], heights=heights, max_nodes=3)
    assert deep.value.nodes == 4
    assert graph.children_first(0, lambda n: children[n], heights=heights, max_nodes=4) == [0]


def test_a_plan_and_a_capture_take_their_ids_and_times_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        Plan(uuid.uuid4(), NOON)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Capture(view(), uuid.uuid4(), NOON)  # type: ignore[misc]


# -- catalog checks: every kind of dangling reference, with its owner ----------------------------


def test_check_definitions_names_every_dangling_reference_with_its_owner() -> None:
    gone = {name: node(100 + i) for i, name in enumerate(
        ["ingredient", "sub", "unit_recipe", "unit", "material", "good", "target", "assembly"]
    )}  # fmt: skip
    recipe = Recipe(
        "Pie",
        lines=[IngredientLine(gone["ingredient"], 1, "g")],
        sub_recipes=[SubRecipe(gone["sub"], 1)],
    )
    unit = FinishedUnit("Slice", gone["unit_recipe"], 8)
    good = FinishedGood(
        "Box",
        [Component(FU, gone["unit"], 1), Component(MU, gone["material"], 1),
         Component(FG, gone["good"], 1), Component(FU, unit.id, 2)],
    )  # fmt: skip
    event = Event(
        "Market",
        [ProductionTarget(gone["target"], 1), ProductionTarget(recipe.id, 1)],
        [AssemblyTarget(gone["assembly"], 1), AssemblyTarget(good.id, 1)],
    )
    report = check_definitions(view(recipe, unit, good), [event])
    assert report.cycles == ()
    assert not report.ok
    kinds = DefinitionKind
    assert set(report.dangling) == {
        DanglingReference(kinds.RECIPE, recipe.id, kinds.INGREDIENT, gone["ingredient"]),
        DanglingReference(kinds.RECIPE, recipe.id, kinds.RECIPE, gone["sub"]),
        DanglingReference(kinds.FINISHED_UNIT, unit.id, kinds.RECIPE, gone["unit_recipe"]),
        DanglingReference(kinds.FINISHED_GOOD, good.id, kinds.FINISHED_UNIT, gone["unit"]),
        DanglingReference(kinds.FINISHED_GOOD, good.id, kinds.MATERIAL_UNIT, gone["material"]),
        DanglingReference(kinds.FINISHED_GOOD, good.id, kinds.FINISHED_GOOD, gone["good"]),
        DanglingReference(kinds.EVENT, event.id, kinds.RECIPE, gone["target"]),
        DanglingReference(kinds.EVENT, event.id, kinds.FINISHED_GOOD, gone["assembly"]),
    }
    assert len(report.dangling) == 8


def test_check_definitions_follows_only_nested_goods_and_sub_recipes_for_cycles() -> None:
    # a good holding a finished unit whose id equals its own is no loop; a good holding itself is
    shared = node(42)
    dough = Recipe("Dough", id=node(43))
    unit = FinishedUnit("Roll", dough.id, 12, id=shared)
    good = FinishedGood("Basket", [Component(FU, shared, 1)], id=shared)
    assert check_definitions(view(dough, unit, good)).ok
    looped = FinishedGood("Basket", [Component(FG, shared, 1)], id=shared)
    assert check_definitions(view(dough, unit, looped)).cycles == ((shared, shared),)
