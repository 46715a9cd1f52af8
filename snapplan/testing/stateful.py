"""Lockstep stateful testing: drive any store and a ``MemoryStore`` with the same operations.

A hypothesis :class:`~hypothesis.stateful.RuleBasedStateMachine` starts both stores from one
drawn catalog and then applies the same random operations to a fresh
:class:`~snapplan.adapters.memory.MemoryStore` (the *reference*) and to the store under test
(the *subject*): adding catalog items, events and whole drawn catalogs (some with a loop),
updating at the current version and at a stale one, adding duplicates, removing items (present
and missing), reading in bulk, ``create_plan`` with and without ``force_recreate`` (now and then
with small depth limits) and inside a caller's transaction that commits or not, and the
execution ledger: production, assembly and waste runs against an event's latest plan (with
idempotency keys that get retried and reused, shortages, burnt trays) and voids; and buying:
products (of missing items, second preferred ones and packs that cannot convert among them),
measures edited under them, purchases with and without a price, price quotes, stock counts and
uses in any unit (back-dated now and then, keys retried and reused) and voids of pantry entries
(of a void, of a voided entry, of a number not yet taken). Writes go, now
and then, through :class:`~snapplan.testing.faults.FaultyStore` failing at the k-th write or at
commit, on both stores alike. After every step the machine checks:

- the outcome is of one kind on both stores (the same exception class, or a value of the same
  type), and a returned value is equal once ids are mapped: the domain makes catalog ids, so they
  are equal on both stores, while ``create_plan`` makes plan and snapshot ids, which differ and
  are matched (plans by event and recording order, snapshots by plan, kind and source);
- an operation that failed changed nothing (:func:`~snapplan.testing.contents.store_contents`
  before and after, on each store);
- both stores hold the same contents modulo those ids: the same counts, every item equal,
  ``all()`` ordered by id, each event's plans in the same order, no snapshot without its plan;
- ``plan_requirements`` of every plan is equal on both stores and equal to what it was when the
  plan was first seen, whatever the catalog edits since; ``plan_drift`` and ``plan_progress`` of
  each event's latest plan are equal on both stores; each event's ledger is 1, 2, 3 … on both
  (runs matched by event and position), and holds together by its digests on each store (a run's
  digest covers its own id and plan id, which differ between the stores, so digests are
  compared by the chain each store keeps, not with each other);
- the price history and the pantry ledger are each 1, 2, 3 … on both stores (quotes and entries
  matched by ``seq``), and ``pantry()`` as of now is equal on both: the same items, on hand,
  stock units, unconvertible amounts and count times.

A disagreement raises :class:`Discrepancy` (an ``AssertionError``) saying what differs, and
hypothesis shrinks it to a short sequence of steps.

A host tests its own store in a few lines::

    from hypothesis import settings
    from snapplan.testing.stateful import lockstep_machine

    MyStoreLockstep = lockstep_machine(MyStore, close_store=MyStore.close)
    TestMyStoreLockstep = MyStoreLockstep.TestCase          # collected by pytest / unittest
    TestMyStoreLockstep.settings = settings(
        max_examples=20, stateful_step_count=30, deadline=None
    )

or subclasses :class:`LockstepMachine` and overrides :meth:`~LockstepMachine.make_store` (and
:meth:`~LockstepMachine.close_store`, called in teardown). A new operation is one more rule that
hands :meth:`LockstepMachine.lockstep` a function of a store::

    class MyLockstep(LockstepMachine):
        @rule(fault=faults())
        def my_operation(self, fault: Fault | None) -> None:
            self.lockstep("my operation", lambda store: my_service(store.unit_of_work()), fault)

Every ``create_plan`` gets the same clock on both stores, so timestamps are compared too.
After each step that changed something both stores are read whole (a few dozen statements on a
SQL store, about 30 ms a step on SQLite), so ``max_examples * stateful_step_count`` is the
budget; a failing run shrinks for up to a few minutes before it reports.
Needs ``pip install snapplan[testing]``; importing :mod:`snapplan.testing` does not import this
module.
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, localcontext
from typing import Any, Final, cast

import attrs
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from snapplan.adapters.memory import MemoryStore
from snapplan.domain.catalog import (
    CatalogItem,
    Component,
    ComponentKind,
    FinishedGood,
    FinishedUnit,
    IngredientLine,
    Recipe,
    SubRecipe,
)
from snapplan.domain.events import AssemblyTarget, Event, ProductionTarget
from snapplan.domain.ledger import chain_breaks
from snapplan.domain.limits import Limits
from snapplan.domain.products import Product
from snapplan.domain.requirements import Requirements
from snapplan.domain.runs import LedgerEntry, Run
from snapplan.errors import ConflictError, NotFoundError, SnapplanError
from snapplan.ports.repositories import CatalogRepository
from snapplan.ports.unit_of_work import REPOSITORIES, REPOSITORY_NAMES, Store, repository_of
from snapplan.services import (
    PlanResult,
    add_catalog,
    create_plan,
    pantry,
    plan_drift,
    plan_progress,
    plan_requirements,
    record_assembly,
    record_price,
    record_production,
    record_purchase,
    record_stock_count,
    record_stock_use,
    record_waste,
    void_pantry_entry,
    void_run,
)
from snapplan.testing import strategies as sps
from snapplan.testing.contents import store_contents
from snapplan.testing.faults import FaultyStore

__all__ = [
    "CATALOG_KINDS",
    "Discrepancy",
    "Fault",
    "LockstepMachine",
    "Outcome",
    "faults",
    "lockstep_machine",
    "translate",
]

#: The repositories whose items a host edits (catalog definitions and events): those whose
#: port is ``CatalogRepository``.
CATALOG_KINDS: Final = tuple(spec.name for spec in REPOSITORIES if spec.port is CatalogRepository)
_NOT_FOUND: Final = {spec.name: spec.not_found for spec in REPOSITORIES}
#: Any item of each kind (references need not exist), for items that are not stored: the
#: strategy of :mod:`snapplan.testing.strategies` named like its repository.
_ANY: Final[dict[str, st.SearchStrategy[Any]]] = {
    kind: getattr(sps, kind)() for kind in CATALOG_KINDS
}
_START: Final = datetime.datetime(2024, 12, 1, 9, 0, tzinfo=datetime.UTC)
#: How the shared clock moves between two plans: forward (by a second and a microsecond, so
#: a store that drops microseconds is caught), not at all, or backwards (clocks do that).
_TICKS: Final = (
    datetime.timedelta(seconds=1, microseconds=1),
    datetime.timedelta(0),
    datetime.timedelta(hours=-1),
)

#: Amounts at the edges of what the domain accepts (60 digits, adjusted exponent within ±40)
#: and with trailing zeros, which every store must give back as written.
_EXTREMES: Final = st.sampled_from(
    [Decimal(x) for x in ("1E-40", "1E+40", "9." + "9" * 59 + "E+40", "123.4560", "48.00")]
)
_AMOUNTS: Final = st.one_of(sps.amounts(max_value=60), _EXTREMES)
_MULTIPLIERS: Final = st.one_of(sps.multipliers, _EXTREMES)

_DATES: Final = st.none() | st.dates()
_NOTES: Final = st.just("") | sps.names
_FACTORS: Final = (Decimal(1), Decimal(2), Decimal("0.5"))
_TARGET_FIELDS: Final = ("production_targets", "assembly_targets")

#: Stands for a plan id that a rolled-back transaction returned.
_UNSTORED: Final = uuid.UUID(int=0)

#: Depth limits for a plan: the defaults, or small ones that small catalogs reach.
_LIMITS: Final = st.one_of(
    st.just(Limits()), st.builds(Limits, goods=st.integers(1, 3), recipes=st.integers(1, 3))
)

#: The repositories whose ids the services make (plans, snapshots, runs), hence differ from one
#: store to the other: matched by :func:`_match_ids`, compared in the order of the matched ids.
_STORE_MADE: Final = frozenset(set(REPOSITORY_NAMES) - set(CATALOG_KINDS))
#: Where such ids can appear in store contents: those repositories, the events' targets
#: (snapshot ids) and the plans' order per event.
_STORE_MADE_IDS: Final = _STORE_MADE | {"events", "plan_order"}
#: Idempotency keys the ledger rules draw from: few, so that retries and reuses happen.
_KEYS: Final = st.none() | st.sampled_from(["tray-1", "tray-2", "boxes-1"])
#: Idempotency keys of the pantry (one key space for every kind of entry): few, likewise.
_PANTRY_KEYS: Final = st.none() | st.sampled_from(["bag-1", "bag-2", "count-1"])
#: Units the pantry and products are written in: convertible or not, by an item's measures.
_PANTRY_UNITS: Final = st.sampled_from(
    ["g", "kg", "lb", "each", "dozen", "cup", "tbsp", "stick", "pinch"]
)
_PRICES: Final = st.decimals(min_value=0, max_value=50, places=2) | st.just(Decimal("1.50"))
_CURRENCIES: Final = st.sampled_from(["EUR", "EUR", "USD"])
#: Where the ids of the products the machine starts with come from (derived, so reproducible).
_SEEDED: Final = uuid.UUID("5eed0000-0000-4000-8000-000000000000")
#: The stocked repositories: what products, counts and uses are of.
_STOCKED: Final = ("ingredients", "material_units")
#: Amounts the kitchen records: mostly ordinary, now and then with trailing zeros.
_RUN_AMOUNTS: Final = sps.amounts(max_value=20) | st.sampled_from(
    [Decimal("0.5"), Decimal("24.00")]
)

REFERENCE: Final = "reference"
SUBJECT: Final = "subject"

Contents = dict[str, tuple[Any, ...]]
Operation = Callable[[Store], object]


class Discrepancy(AssertionError):
    """The store under test and the reference ``MemoryStore`` disagree (or one of them broke a
    rule every store keeps, such as changing something in a failed operation)."""


@attrs.frozen
class Outcome:
    """What one operation did on one store: returned ``value``, or raised ``error``."""

    value: object = None
    error: SnapplanError | None = None

    @property
    def kind(self) -> type:
        """The exception class raised, or the type of the value returned."""
        return type(self.error) if self.error is not None else type(self.value)

    def __str__(self) -> str:
        if self.error is not None:
            return f"raised {type(self.error).__name__}: {self.error}"
        return f"returned {_short(self.value)}"


def _run(operation: Operation, store: Store) -> Outcome:
    """Run ``operation``; a snapplan error is an outcome, anything else a bug that surfaces."""
    try:
        return Outcome(value=operation(store))
    except SnapplanError as error:
        return Outcome(error=error)


@attrs.frozen
class Fault:
    """Where an operation is made to fail, on both stores alike: at write ``at_write``
    (1-based) or at ``commit``. A fault beyond the operation's last write never fires."""

    at_write: int | None = None
    at_commit: bool = False

    def wrap(self, store: Store) -> Store:
        """``store`` behind a :class:`~snapplan.testing.faults.FaultyStore` failing here."""
        faulty = FaultyStore(store, fail_at_write=self.at_write, fail_at_commit=self.at_commit)
        return cast(Store, faulty)


@st.composite
def faults(draw: st.DrawFn, *, max_write: int = 4) -> Fault | None:
    """No fault half of the time (and when shrinking); else a fault at a write or at commit."""
    roll = draw(st.integers(0, 5))
    if roll <= 2:
        return None
    if roll == 5:
        return Fault(at_commit=True)
    return Fault(at_write=draw(st.integers(1, max_write)))


# -- edits an update applies to each store's own current item ------------------------------------


@attrs.frozen
class Edit:
    """Set ``field`` to ``value``."""

    field: str
    value: Any

    def apply(self, item: Any) -> Any:
        """The changed copy of ``item``."""
        return attrs.evolve(item, **{self.field: self.value})


@attrs.frozen
class Append:
    """Append ``value`` to the tuple ``field`` (a line, a sub-recipe, a component, a target)."""

    field: str
    value: Any

    def apply(self, item: Any) -> Any:
        """The changed copy of ``item``."""
        return attrs.evolve(item, **{self.field: (*getattr(item, self.field), self.value)})


@attrs.frozen
class Rescale:
    """Multiply every target of an event by ``factor``, keeping each target's snapshot id (the
    store's own): the next plan then reuses the snapshots with new amounts."""

    factor: Any

    def apply(self, item: Any) -> Any:
        """The changed copy of the event ``item`` (exact: no rounding to 28 digits)."""
        with localcontext(prec=200):
            production = [
                attrs.evolve(t, batches=t.batches * self.factor) for t in item.production_targets
            ]
            assembly = [
                attrs.evolve(t, quantity=t.quantity * self.factor) for t in item.assembly_targets
            ]
        return attrs.evolve(item, production_targets=production, assembly_targets=assembly)


Change = Edit | Append | Rescale


# -- comparing the two stores -------------------------------------------------------------------


def translate(
    value: Any, ids: Mapping[uuid.UUID, uuid.UUID], digests: Mapping[str, str] | None = None
) -> Any:
    """``value`` with every id found in ``ids`` replaced by its image, through attrs classes,
    tuples, lists, sets and dicts (for comparing the subject's plans and snapshots, whose ids
    ``create_plan`` made, with the reference's); and the ``digest`` of every ledger entry found
    in ``digests`` replaced by its image (the counterpart's digest, matched by event and
    position)."""
    if isinstance(value, uuid.UUID):
        return ids.get(value, value)
    if isinstance(value, tuple | list | frozenset | set):
        items = [translate(v, ids, digests) for v in value]
        same = all(a is b for a, b in zip(items, value, strict=True))
        return value if same else type(value)(items)
    if isinstance(value, dict):
        return {translate(k, ids, digests): translate(v, ids, digests) for k, v in value.items()}
    if attrs.has(type(value)):
        changes = {}
        for field in attrs.fields(type(value)):
            if field.init:
                old = getattr(value, field.name)
                if field.name == "digest" and isinstance(value, LedgerEntry):
                    new = (digests or {}).get(old, old)
                else:
                    new = translate(old, ids, digests)
                if new is not old:
                    changes[field.alias] = new
        return attrs.evolve(value, **changes) if changes else value
    return value


def _short(value: object, limit: int = 600) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + " …"


@attrs.frozen
class PlanReads:
    """What one store answers about its plans, read in one unit of work (the services join
    it): each event's plan ids in recording order (``for_event``, removed events included),
    the outcomes of ``plan_requirements`` and of ``plan_drift``."""

    order: dict[uuid.UUID, tuple[uuid.UUID, ...]]
    #: every plan's requirements; the drift of each event's latest plan (so each plan's drift
    #: is compared at least when it is recorded)
    requirements: dict[uuid.UUID, Outcome]
    drift: dict[uuid.UUID, Outcome]
    #: the progress of each event's latest plan (what its ledger says was done)
    progress: dict[uuid.UUID, Outcome] = attrs.field(factory=dict)

    @classmethod
    def read(cls, store: Store, plans: Iterable[Any]) -> PlanReads:
        """Read them for ``plans`` (the store's own plan records)."""
        plans = tuple(plans)
        with store.unit_of_work() as uow:
            order = {
                e: tuple(p.id for p in uow.plans.for_event(e)) for e in {p.event_id for p in plans}
            }
            return cls(
                order=order,
                requirements={p.id: _ask(plan_requirements, uow, p.id) for p in plans},
                drift={o[-1]: _ask(plan_drift, uow, o[-1]) for o in order.values() if o},
                progress={o[-1]: _ask(plan_progress, uow, o[-1]) for o in order.values() if o},
            )


def _ask(service: Callable[[Any, uuid.UUID], object], uow: Any, plan_id: uuid.UUID) -> Outcome:
    """A read-only service's answer about one plan."""
    try:
        return Outcome(value=service(uow, plan_id))
    except SnapplanError as error:
        return Outcome(error=error)


def _pick(
    data: st.DataObject, options: list[Any], at_most: int, label: str, *, unique: bool = True
) -> list[Any]:
    """Up to ``at_most`` of ``options`` (none if there are none)."""
    if not options:
        return []
    return data.draw(
        st.lists(st.sampled_from(options), unique=unique, max_size=at_most), label=label
    )


def _normal(requirements: Requirements) -> tuple[object, ...]:
    """Requirements as compared: batches in a canonical order (they are sorted by name, then
    by snapshot id, which differs per store), everything else in order."""
    return (
        requirements.plan_id,
        tuple(sorted(requirements.batches, key=repr)),
        requirements.ingredients,
        requirements.finished_units,
        requirements.materials,
    )


class LockstepMachine(RuleBasedStateMachine):
    """Drives :meth:`make_store`'s store and a fresh ``MemoryStore`` in lockstep (see the module
    docstring). Subclass it and override :meth:`make_store`, or use :func:`lockstep_machine`."""

    def make_store(self) -> Store:
        """A fresh, empty store under test (called once per example)."""
        raise NotImplementedError("subclass LockstepMachine and override make_store()")

    def close_store(self, store: Store) -> None:
        """Release the store under test at the end of an example (default: nothing)."""

    def __init__(self) -> None:
        super().__init__()
        self.reference: Store = MemoryStore()
        self.subject: Store = self.make_store()
        self.contents: dict[str, Contents] = {
            REFERENCE: store_contents(self.reference),
            SUBJECT: store_contents(self.subject),
        }
        #: subject plan/snapshot id → reference id, rebuilt after every step
        self.ids: dict[uuid.UUID, uuid.UUID] = {}
        #: subject run digest → the reference's run at the same position, likewise
        self.digests: dict[str, str] = {}
        self.removed: dict[str, list[uuid.UUID]] = {kind: [] for kind in CATALOG_KINDS}
        self.first_seen: dict[uuid.UUID, tuple[object, object]] = {}
        self.returned: list[tuple[str, object, object]] = []
        self.now = _START
        #: False after a step that failed on both stores (and was checked to change nothing)
        self.changed = True

    def teardown(self) -> None:
        """Release the store under test."""
        self.close_store(self.subject)

    # -- the one way an operation is applied -------------------------------------------------

    def lockstep(
        self, label: str, operation: Operation, fault: Fault | None = None
    ) -> tuple[Outcome, Outcome]:
        """Apply ``operation`` to the reference and to the subject (each behind ``fault``, if
        given); check that the outcomes are of one kind and that a failure changed nothing.
        Return values are compared after the step, once the new ids are matched."""
        outcomes: list[Outcome] = []
        for side, store in ((REFERENCE, self.reference), (SUBJECT, self.subject)):
            outcome = _run(operation, store if fault is None else fault.wrap(store))
            if outcome.error is not None:
                after = store_contents(store)
                if not _identical(after, self.contents[side]):
                    raise Discrepancy(
                        f"{label} {outcome} on the {side} store but changed it: "
                        + _changes(self.contents[side], after)
                    )
            outcomes.append(outcome)
        reference, subject = outcomes
        event(f"{label}: {'' if reference.error is None else 'raised '}{reference.kind.__name__}")
        if reference.kind is not subject.kind:
            raise Discrepancy(
                f"{label}: the reference store {reference}, the subject store {subject}"
            )
        if reference.error is None:
            self.returned.append((label, reference.value, subject.value))
            self.changed = True
        return reference, subject

    # -- what the reference holds, to draw from ---------------------------------------------

    def present(self, kind: str) -> list[uuid.UUID]:
        """Ids of the ``kind`` items the stores hold now."""
        return [item.id for item in self.contents[REFERENCE][kind]]

    def _present_kinds(self) -> list[str]:
        return [kind for kind in CATALOG_KINDS if self.contents[REFERENCE][kind]]

    def _has_any(self) -> bool:
        return bool(self._present_kinds())

    def _missing_id(self, data: st.DataObject, kind: str) -> uuid.UUID:
        present = set(self.present(kind))
        gone = [i for i in self.removed[kind] if i not in present]
        candidates = sps.ids.filter(lambda i: i not in present)
        if gone:
            candidates = st.sampled_from(gone) | candidates
        return data.draw(candidates, label="missing id")

    def _tick(self, data: st.DataObject) -> Callable[[], datetime.datetime]:
        self.now += data.draw(st.sampled_from(_TICKS), label="clock moves")
        now = self.now
        return lambda: now

    # -- adding ------------------------------------------------------------------------------

    def _add(self, kind: str, item: Any, fault: Fault | None) -> None:
        def add(store: Store) -> None:
            with store.unit_of_work() as uow:
                getattr(uow, kind).add(item)
                uow.commit()

        self.lockstep(f"add to {kind}", add, fault)

    @initialize(case=sps.catalogs(max_recipes=4, max_goods=3))
    def seed(self, case: sps.CatalogCase) -> None:
        """Start from a small consistent catalog with events, so plans come early, and a
        product for every other stocked item, so purchases come early too."""
        self._add_catalog(case, None)
        stocked = [(i, "kg") for i in case.ingredients] + [(m, "each") for m in case.material_units]
        products = [
            Product(item.id, f"{item.name}, a pack", 1, unit, preferred=True,
                    id=uuid.uuid5(_SEEDED, str(item.id)))
            for item, unit in stocked
            if item.id.int % 2 == 0
        ]  # fmt: skip
        if products:
            self.lockstep("add products", functools.partial(_add_products, products=products))

    @rule(item=st.one_of(sps.ingredients(), sps.material_units()), fault=faults())
    def add_leaf(self, item: Any, fault: Fault | None) -> None:
        """Add an ingredient or a material unit."""
        self._add(repository_of(item).name, item, fault)

    @rule(data=st.data(), fault=faults())
    def add_recipe(self, data: st.DataObject, fault: Fault | None) -> None:
        """Add a recipe with lines on existing ingredients and sub-recipes among existing
        recipes (diamonds come naturally)."""
        recipe = Recipe(
            data.draw(sps.names, label="name"),
            lines=self._lines(data),
            sub_recipes=[
                SubRecipe(child, data.draw(_MULTIPLIERS, label="batches"))
                for child in _pick(data, self.present("recipes"), 2, "sub-recipes")
            ],
            id=data.draw(sps.ids, label="id"),
        )
        self._add("recipes", recipe, fault)

    def _lines(self, data: st.DataObject) -> list[IngredientLine]:
        return [
            IngredientLine(
                ingredient,
                data.draw(_AMOUNTS, label="quantity"),
                data.draw(sps.units, label="unit"),
                data.draw(_NOTES, label="note"),
            )
            for ingredient in _pick(data, self.present("ingredients"), 3, "lines", unique=False)
        ]

    @precondition(lambda self: bool(self.present("recipes")))
    @rule(data=st.data(), fault=faults())
    def add_finished_unit(self, data: st.DataObject, fault: Fault | None) -> None:
        """Add a finished unit of an existing recipe."""
        unit = FinishedUnit(
            data.draw(sps.names, label="name"),
            data.draw(st.sampled_from(self.present("recipes")), label="recipe"),
            data.draw(_AMOUNTS, label="items per batch"),
            id=data.draw(sps.ids, label="id"),
        )
        self._add("finished_units", unit, fault)

    def _component_options(self) -> list[tuple[ComponentKind, uuid.UUID]]:
        return (
            [(ComponentKind.FINISHED_UNIT, i) for i in self.present("finished_units")]
            + [(ComponentKind.MATERIAL_UNIT, i) for i in self.present("material_units")]
            + [(ComponentKind.FINISHED_GOOD, i) for i in self.present("finished_goods")]
        )

    def _component(self, data: st.DataObject, part: tuple[ComponentKind, uuid.UUID]) -> Component:
        return Component(part[0], part[1], data.draw(_MULTIPLIERS, label="quantity"))

    @rule(data=st.data(), fault=faults())
    def add_finished_good(self, data: st.DataObject, fault: Fault | None) -> None:
        """Add a finished good of existing finished units, packaging and goods."""
        parts = _pick(data, self._component_options(), 4, "components")
        good = FinishedGood(
            data.draw(sps.names, label="name"),
            [self._component(data, part) for part in parts],
            id=data.draw(sps.ids, label="id"),
        )
        self._add("finished_goods", good, fault)

    @rule(data=st.data(), fault=faults())
    def add_event(self, data: st.DataObject, fault: Fault | None) -> None:
        """Add an event targeting existing recipes and finished goods."""
        recipes = _pick(data, self.present("recipes"), 2, "production targets")
        goods = _pick(data, self.present("finished_goods"), 2, "assembly targets")
        event = Event(
            data.draw(sps.names, label="name"),
            [ProductionTarget(r, data.draw(_AMOUNTS, label="batches")) for r in recipes],
            [AssemblyTarget(g, data.draw(_AMOUNTS, label="quantity")) for g in goods],
            date=data.draw(_DATES, label="date"),
            id=data.draw(sps.ids, label="id"),
        )
        self._add("events", event, fault)

    @rule(
        case=st.booleans().flatmap(
            lambda cycle: sps.catalogs(cycle=cycle, max_recipes=4, max_goods=3)
        ),
        fault=faults(),
    )
    def add_whole_catalog(self, case: sps.CatalogCase, fault: Fault | None) -> None:
        """Add a drawn catalog with its events through ``add_catalog`` (one ``add_many`` per
        repository, all or nothing); now and then with a loop its first event reaches."""
        self._add_catalog(case, fault)

    def _add_catalog(self, case: sps.CatalogCase, fault: Fault | None) -> None:
        items: tuple[CatalogItem | Event, ...] = (
            *case.ingredients, *case.recipes, *case.finished_units, *case.material_units,
            *case.finished_goods, *case.events,
        )  # fmt: skip
        self.lockstep("add_catalog", lambda store: add_catalog(store.unit_of_work(), items), fault)

    # -- updating ----------------------------------------------------------------------------

    def _change(self, data: st.DataObject, kind: str, item_id: uuid.UUID) -> Change:
        """A change to the ``kind`` item ``item_id``, drawn among those that make sense."""
        recipes, parts = self.present("recipes"), self._component_options()
        make: dict[str, Callable[[], Change]] = {
            "rename": lambda: Edit("name", data.draw(sps.names, label="name")),
            "new lines": lambda: Edit("lines", tuple(self._lines(data))),
            # any recipe, itself included: cycles can be made, and must be found alike
            "add a sub-recipe": lambda: Append(
                "sub_recipes",
                SubRecipe(data.draw(st.sampled_from(recipes)), data.draw(_MULTIPLIERS)),
            ),
            "no sub-recipes": lambda: Edit("sub_recipes", ()),
            "items per batch": lambda: Edit("items_per_batch", data.draw(_AMOUNTS)),
            "other recipe": lambda: Edit("recipe_id", data.draw(st.sampled_from(recipes))),
            "add a component": lambda: Append(
                "components", self._component(data, data.draw(st.sampled_from(parts)))
            ),
            "no components": lambda: Edit("components", ()),
            "date": lambda: Edit("date", data.draw(_DATES, label="date")),
            "rescale targets": lambda: Rescale(data.draw(st.sampled_from(_FACTORS))),
            "add a target": lambda: self._new_target(data, item_id),
            "no targets": lambda: Edit(data.draw(st.sampled_from(_TARGET_FIELDS)), ()),
            # measures and products: what the pantry converts by (a product may be stranded:
            # refused at commit alike)
            "measures": lambda: Edit(
                "measures",
                data.draw(
                    sps.measures(around="each" if kind == "material_units" else "g"),
                    label="measures",
                ),
            ),
            "pack": lambda: Edit("pack_unit", data.draw(_PANTRY_UNITS, label="pack unit")),
            "preferred": lambda: Edit("preferred", data.draw(st.booleans(), label="preferred")),
            "active": lambda: Edit("active", data.draw(st.booleans(), label="active")),
        }
        options = {
            "recipes": ["new lines", "add a sub-recipe", "no sub-recipes"],
            "finished_units": ["items per batch"] + (["other recipe"] if recipes else []),
            "finished_goods": (["add a component"] if parts else []) + ["no components"],
            "events": ["date", "rescale targets", "add a target", "no targets"],
            "ingredients": ["measures"],
            "material_units": ["measures"],
            "products": ["pack", "preferred", "active"],
        }.get(kind, [])
        return make[data.draw(st.sampled_from(["rename", *options]), label="change")]()

    def _new_target(self, data: st.DataObject, event_id: uuid.UUID) -> Change:
        (event,) = (e for e in self.contents[REFERENCE]["events"] if e.id == event_id)
        taken = {t.recipe_id for t in event.production_targets}
        assembled = {t.finished_good_id for t in event.assembly_targets}
        options: list[tuple[str, uuid.UUID]] = [
            ("production_targets", i) for i in self.present("recipes") if i not in taken
        ] + [("assembly_targets", i) for i in self.present("finished_goods") if i not in assembled]
        if not options:
            return Rescale(Decimal(2))
        field, target = data.draw(st.sampled_from(options), label="new target")
        amount = data.draw(_MULTIPLIERS, label="amount")
        if field == "production_targets":
            return Append(field, ProductionTarget(target, amount))
        return Append(field, AssemblyTarget(target, amount))

    def _update(self, data: st.DataObject, fault: Fault | None, *, stale: bool) -> Outcome:
        kind = data.draw(st.sampled_from(self._present_kinds()), label="kind")
        item_id = data.draw(st.sampled_from(self.present(kind)), label="id")
        change = self._change(data, kind, item_id)

        def update(store: Store) -> object:
            with store.unit_of_work() as uow:
                repository = getattr(uow, kind)
                current = repository.get(item_id)  # each store's own (its own snapshot ids)
                version = current.version
                if stale:
                    version = version - 1 if version > 1 else version + 1
                stored = repository.update(attrs.evolve(change.apply(current), version=version))
                uow.commit()
                return stored

        label = f"update {kind} ({'stale version' if stale else 'current version'})"
        reference, _ = self.lockstep(label, update, fault)
        return reference

    @precondition(_has_any)
    @rule(data=st.data(), fault=faults())
    def update_item(self, data: st.DataObject, fault: Fault | None) -> None:
        """Update an item at its current version (the version becomes ``+1``)."""
        self._update(data, fault, stale=False)

    @precondition(_has_any)
    @rule(data=st.data(), operation=st.sampled_from(["stale update", "duplicate add"]))
    def refused_write(self, data: st.DataObject, operation: str) -> None:
        """Update an item at a version other than the stored one, or add an item again under
        its id: ``ConflictError`` on both stores."""
        if operation == "stale update":
            reference = self._update(data, None, stale=True)
            _expect(reference, ConflictError, "updating at a stale version")
            return
        kind = data.draw(st.sampled_from(self._present_kinds()), label="kind")
        item_id = data.draw(st.sampled_from(self.present(kind)), label="id")
        name = data.draw(sps.names, label="new name")

        def add_again(store: Store) -> None:
            with store.unit_of_work() as uow:
                repository = getattr(uow, kind)
                repository.add(attrs.evolve(repository.get(item_id), name=name))
                uow.commit()

        reference, _ = self.lockstep(f"add a duplicate to {kind}", add_again)
        _expect(reference, ConflictError, f"adding a second {kind} item with one id")

    # -- several writes in one transaction ---------------------------------------------------

    @precondition(_has_any)
    @rule(
        data=st.data(),
        fault=faults(max_write=3),
        script=st.sampled_from(
            ["remove, add back", "update twice", "update, remove", "add, update, remove"]
        ),
    )
    def one_transaction(self, data: st.DataObject, fault: Fault | None, script: str) -> None:
        """Several writes to one item in one unit of work, reading it back in between (a unit
        sees its own writes): what is committed, and what was seen, are the same."""
        kind = data.draw(st.sampled_from(self._present_kinds()), label="kind")
        item_id = data.draw(st.sampled_from(self.present(kind)), label="id")
        change = self._change(data, kind, item_id)
        fresh = data.draw(_ANY[kind], label="new item")

        def run(store: Store) -> object:
            with store.unit_of_work() as uow:
                repository = getattr(uow, kind)
                seen: list[object] = []
                if script == "add, update, remove":
                    repository.add(fresh)
                    seen.append(repository.update(change.apply(repository.get(fresh.id))))
                    repository.remove(fresh.id)
                    seen.append(dict(repository.find_many([fresh.id])))
                else:
                    current = repository.get(item_id)
                    if script == "remove, add back":
                        repository.remove(item_id)
                        seen.append(dict(repository.find_many([item_id])))
                        repository.add(change.apply(current))
                    else:
                        seen.append(repository.update(change.apply(current)))
                        if script == "update twice":
                            seen.append(repository.update(repository.get(item_id)))
                        else:
                            repository.remove(item_id)
                    seen.append(dict(repository.find_many([item_id])))
                seen.append(repository.count())
                uow.commit()
                return seen

        self.lockstep(f"{script} in one transaction", run, fault)
        if script in ("remove, add back", "update, remove"):
            self.removed[kind].append(item_id)

    # -- removing ----------------------------------------------------------------------------

    def _remove(self, kind: str, item_id: uuid.UUID, fault: Fault | None) -> Outcome:
        def remove(store: Store) -> None:
            with store.unit_of_work() as uow:
                getattr(uow, kind).remove(item_id)
                uow.commit()

        reference, _ = self.lockstep(f"remove from {kind}", remove, fault)
        if reference.error is None:
            self.removed[kind].append(item_id)
        return reference

    @precondition(_has_any)
    @rule(data=st.data(), fault=faults())
    def remove_item(self, data: st.DataObject, fault: Fault | None) -> None:
        """Remove an existing item (references to it may dangle: capture finds them)."""
        kind = data.draw(st.sampled_from(self._present_kinds()), label="kind")
        self._remove(kind, data.draw(st.sampled_from(self.present(kind)), label="id"), fault)

    # -- planning ----------------------------------------------------------------------------

    def _plan(
        self,
        data: st.DataObject,
        event_id: uuid.UUID,
        fault: Fault | None,
        force: bool,
        limits: Limits,
    ) -> None:
        clock = self._tick(data)

        def plan(store: Store) -> object:
            return create_plan(
                store.unit_of_work(), event_id, force_recreate=force, clock=clock, limits=limits
            )

        self.lockstep(f"create_plan(force_recreate={force})", plan, fault)

    @precondition(lambda self: bool(self.present("events")))
    @rule(data=st.data(), fault=faults(), force=st.booleans(), limits=_LIMITS)
    def plan(self, data: st.DataObject, fault: Fault | None, force: bool, limits: Limits) -> None:
        """``create_plan`` for an event, with or without ``force_recreate``, now and then with
        small depth limits."""
        event_id = data.draw(st.sampled_from(self.present("events")), label="event")
        self._plan(data, event_id, fault, force, limits)

    def _planned_events(self) -> list[uuid.UUID]:
        present = set(self.present("events"))
        return [e for e, plans in self.contents[REFERENCE]["plan_order"] if plans and e in present]

    @precondition(lambda self: bool(self._planned_events()))
    @rule(data=st.data(), fault=faults(), force=st.booleans())
    def replan(self, data: st.DataObject, fault: Fault | None, force: bool) -> None:
        """``create_plan`` again for an event that has a plan: nothing written when nothing
        changed, else a new plan that supersedes the last (reusing linked snapshots unless
        ``force_recreate``)."""
        event_id = data.draw(st.sampled_from(self._planned_events()), label="event")
        self._plan(data, event_id, fault, force, Limits())

    @precondition(lambda self: bool(self.present("events")))
    @rule(data=st.data(), fault=faults(), force=st.booleans(), commit=st.booleans())
    def plan_in_caller_transaction(
        self, data: st.DataObject, fault: Fault | None, force: bool, commit: bool
    ) -> None:
        """Add an ingredient, then ``create_plan`` in the same (entered) unit of work, then
        commit or not: a failed plan leaves the caller's earlier work intact; not committing
        leaves nothing."""
        event_id = data.draw(st.sampled_from(self.present("events")), label="event")
        ingredient = data.draw(sps.ingredients(), label="earlier work")
        clock = self._tick(data)

        def plan_inside(store: Store) -> object:
            """The inner ``PlanResult``, or the class of the error it raised."""
            with store.unit_of_work() as uow:
                uow.ingredients.add(ingredient)
                inner: object
                try:
                    inner = create_plan(uow, event_id, force_recreate=force, clock=clock)
                except SnapplanError as error:
                    inner = type(error)
                    event(f"create_plan inside a caller's transaction raised {inner.__name__}")
                if commit:
                    uow.commit()
            if isinstance(inner, PlanResult) and not commit:
                # rolled back: the plan id it names was never stored, so it cannot be matched
                inner = attrs.evolve(inner, plan_id=_UNSTORED)
            return inner

        self.lockstep(
            f"create_plan inside a caller's transaction (commit={commit})", plan_inside, fault
        )

    # -- the ledger ------------------------------------------------------------------------

    def _record(
        self,
        data: st.DataObject,
        label: str,
        fault: Fault | None,
        kinds: tuple[str, ...],
        record: Callable[[Any, uuid.UUID, uuid.UUID, Callable[[], datetime.datetime]], Run],
    ) -> None:
        """Record one ledger entry against the latest plan of a planned event (looked up in
        each store: plan ids differ), with the shared clock, for an item of one of ``kinds``
        that the event's plans hold (now and then one they do not)."""
        event_id = data.draw(st.sampled_from(self._planned_events()), label="event")
        plans = set(dict(self.contents[REFERENCE]["plan_order"]).get(event_id, ()))
        held = sorted(
            {s.source_id for s in self.contents[REFERENCE]["snapshots"]
             if s.plan_id in plans and s.kind.value in kinds},
            key=str,
        )  # fmt: skip
        stranger = st.sampled_from(self.present("recipes") or [uuid.UUID(int=1)]) | sps.ids
        item = data.draw(st.sampled_from(held) if held else stranger, label="item")
        clock = self._tick(data)

        def operation(store: Store) -> object:
            with store.unit_of_work() as uow:
                latest = uow.plans.latest(event_id)
            assert latest is not None
            return record(store.unit_of_work(), latest.id, item, clock)

        self.lockstep(label, operation, fault)

    @precondition(lambda self: bool(self._planned_events()))
    @rule(data=st.data(), fault=faults(), batches=_RUN_AMOUNTS, key=_KEYS, along=st.booleans())
    def produce(
        self, data: st.DataObject, fault: Fault | None, batches: Decimal, key: str | None,
        along: bool,
    ) -> None:  # fmt: skip
        """``record_production`` of a recipe of the plan, with or without sub-recipes made
        along, an idempotency key (retries and reuses happen), and now and then a burnt tray."""
        items = data.draw(st.none() | st.just(Decimal(0)) | _RUN_AMOUNTS, label="items")
        self._record(
            data, "record_production", fault, ("recipe",),
            lambda uow, plan, recipe, clock: record_production(
                uow, plan, recipe, batches, with_sub_recipes=along, key=key, clock=clock,
                items=items,
            ),
        )  # fmt: skip

    @precondition(lambda self: bool(self._planned_events()))
    @rule(data=st.data(), fault=faults(), quantity=_RUN_AMOUNTS, key=_KEYS, short=st.booleans())
    def assemble(
        self, data: st.DataObject, fault: Fault | None, quantity: Decimal, key: str | None,
        short: bool,
    ) -> None:  # fmt: skip
        """``record_assembly`` of a good of the plan: stock checked alike (``ShortageError``),
        or allowed to go short."""
        self._record(
            data, "record_assembly", fault, ("finished_good",),
            lambda uow, plan, good, clock: record_assembly(
                uow, plan, good, quantity, allow_shortage=short, key=key, clock=clock
            ),
        )  # fmt: skip

    @precondition(lambda self: bool(self._planned_events()))
    @rule(data=st.data(), fault=faults(), quantity=_RUN_AMOUNTS, key=_KEYS)
    def waste(
        self, data: st.DataObject, fault: Fault | None, quantity: Decimal, key: str | None
    ) -> None:
        """``record_waste`` of made items: more than is on hand is refused alike."""
        self._record(
            data, "record_waste", fault, ("finished_unit", "finished_good"),
            lambda uow, plan, item, clock: record_waste(
                uow, plan, item, quantity, reason="dropped", key=key, clock=clock
            ),
        )  # fmt: skip

    @precondition(lambda self: bool(self.contents[REFERENCE]["runs"]))
    @rule(data=st.data(), fault=faults(), short=st.booleans())
    def void(self, data: st.DataObject, fault: Fault | None, short: bool) -> None:
        """``void_run`` of an entry (a void too: ``ValidationError``; a voided run: its
        existing void), found in each store by event and position: run ids differ."""
        entry = data.draw(st.sampled_from(self.contents[REFERENCE]["runs"]), label="run")
        at = (entry.event_id, entry.seq)
        clock = self._tick(data)

        def operation(store: Store) -> object:
            with store.unit_of_work() as uow:
                (run,) = [r for r in uow.runs.for_event(at[0]) if r.seq == at[1]]
            return void_run(
                store.unit_of_work(), run.id, reason="mistake", allow_shortage=short, clock=clock
            )

        self.lockstep(f"void_run of a {entry.kind.value} entry", operation, fault)

    # -- buying: products, prices and the pantry ---------------------------------------------

    def _stocked(self) -> list[uuid.UUID]:
        return [i for kind in _STOCKED for i in self.present(kind)]

    def _stocked_or_not(self, data: st.DataObject) -> uuid.UUID:
        """A stocked item the stores hold, now and then one they do not."""
        return _mostly(data, self._stocked(), "item")

    def _product_or_not(self, data: st.DataObject) -> uuid.UUID:
        return _mostly(data, self.present("products"), "product")

    @rule(data=st.data(), fault=faults(), preferred=st.booleans(), unit=_PANTRY_UNITS)
    def add_product(
        self, data: st.DataObject, fault: Fault | None, preferred: bool, unit: str
    ) -> None:
        """Add a product of an ingredient or a material unit (now and then of no stored item,
        a second preferred one, or a pack that cannot be converted: refused at commit alike)."""
        product = Product(
            self._stocked_or_not(data), data.draw(sps.names, label="name"),
            data.draw(_AMOUNTS, label="pack"), unit, preferred=preferred,
            id=data.draw(sps.ids, label="id"),
        )  # fmt: skip
        self._add("products", product, fault)

    @rule(data=st.data(), fault=faults(), packs=st.integers(1, 3), key=_PANTRY_KEYS)
    def purchase(
        self, data: st.DataObject, fault: Fault | None, packs: int, key: str | None
    ) -> None:
        """``record_purchase`` with or without a price (a quote in the same commit), a key
        that gets retried and reused, now and then back-dated or of a missing product."""
        product = self._product_or_not(data)
        priced = data.draw(st.booleans(), label="priced")
        price = data.draw(_PRICES, label="price") if priced else None
        currency = data.draw(_CURRENCIES, label="currency") if priced else None
        clock, at = self._pantry_time(data)
        self.lockstep(
            "record_purchase",
            lambda store: record_purchase(
                store.unit_of_work(), product, packs, price=price, currency=currency, at=at,
                key=key, clock=clock,
            ),
            fault,
        )  # fmt: skip

    @rule(data=st.data(), fault=faults(), price=_PRICES, currency=_CURRENCIES)
    def quote(
        self, data: st.DataObject, fault: Fault | None, price: Decimal, currency: str
    ) -> None:
        """``record_price`` of a product (or a missing one), now or back-dated."""
        product = self._product_or_not(data)
        clock, at = self._pantry_time(data)
        self.lockstep(
            "record_price",
            lambda store: record_price(
                store.unit_of_work(), product, price, currency=currency, at=at, clock=clock
            ),
            fault,
        )

    @rule(
        data=st.data(), fault=faults(), kind=st.sampled_from(["count", "use"]), unit=_PANTRY_UNITS,
        key=_PANTRY_KEYS,
    )  # fmt: skip
    def count_or_use(
        self, data: st.DataObject, fault: Fault | None, kind: str, unit: str, key: str | None
    ) -> None:
        """``record_stock_count`` (zero now and then) or ``record_stock_use`` of a stocked item
        (or of something that is none), in any unit."""
        item = self._stocked_or_not(data)
        quantity = data.draw(_RUN_AMOUNTS | st.just(Decimal(0)), label="quantity")
        clock, at = self._pantry_time(data)

        def operation(store: Store) -> object:
            if kind == "count":
                return record_stock_count(
                    store.unit_of_work(), item, quantity, unit, at=at, key=key, clock=clock
                )
            return record_stock_use(
                store.unit_of_work(), item, quantity, unit, reason="spilt", at=at, key=key,
                clock=clock,
            )  # fmt: skip

        self.lockstep(f"record_stock_{kind}", operation, fault)

    @rule(data=st.data(), fault=faults())
    def void_entry(self, data: st.DataObject, fault: Fault | None) -> None:
        """``void_pantry_entry`` by number: an entry (voided already: its existing void), a void
        (refused), or a number not yet taken (``PantryEntryNotFound``)."""
        seq = data.draw(st.integers(1, len(self.contents[REFERENCE]["pantry"]) + 1), label="seq")
        clock = self._tick(data)
        self.lockstep(
            "void_pantry_entry",
            lambda store: void_pantry_entry(
                store.unit_of_work(), seq, reason="wrong shelf", clock=clock
            ),
            fault,
        )

    def _pantry_time(
        self, data: st.DataObject
    ) -> tuple[Callable[[], datetime.datetime], datetime.datetime | None]:
        """The shared clock, and now and then an ``at`` back-dated from it."""
        clock = self._tick(data)
        back = data.draw(st.sampled_from([None, 0, 30, 90]), label="back-dated by minutes")
        return clock, None if back is None else self.now - datetime.timedelta(minutes=back)

    # -- reading -----------------------------------------------------------------------------

    @rule(data=st.data())
    def read_many(self, data: st.DataObject) -> None:
        """``count``, ``find_many`` and ``get_many`` of present and missing ids (repeats
        included): the same answers, ``get_many`` raising the kind's ``NotFoundError`` alike."""
        kind = data.draw(st.sampled_from(CATALOG_KINDS), label="kind")
        present = self.present(kind)
        wanted = data.draw(
            st.lists(st.sampled_from(present) | sps.ids if present else sps.ids, max_size=4),
            label="ids",
        )

        def read(store: Store) -> object:
            with store.unit_of_work() as uow:
                repository = getattr(uow, kind)
                got: object
                try:
                    got = repository.get_many(wanted)
                except NotFoundError as error:
                    got = type(error)
                return repository.count(), dict(repository.find_many(wanted)), got

        self.lockstep(f"read {kind}", read)

    # -- what is not there ------------------------------------------------------------------

    @rule(data=st.data(), operation=st.sampled_from(["remove", "update", "plan"]))
    def touch_missing(self, data: st.DataObject, operation: str) -> None:
        """Remove or update an item that is not there (never was, or was removed), or plan a
        missing event: the kind's ``NotFoundError`` on both stores."""
        kind = "events" if operation == "plan" else data.draw(st.sampled_from(CATALOG_KINDS))
        missing = self._missing_id(data, kind)
        if operation == "remove":
            reference = self._remove(kind, missing, None)
        elif operation == "update":
            item = attrs.evolve(data.draw(_ANY[kind], label="item"), id=missing)

            def update(store: Store) -> object:
                with store.unit_of_work() as uow:
                    stored = getattr(uow, kind).update(item)
                    uow.commit()
                    return stored

            reference, _ = self.lockstep(f"update missing {kind}", update)
        else:
            clock = self._tick(data)
            reference, _ = self.lockstep(
                "create_plan of a missing event",
                lambda store: create_plan(store.unit_of_work(), missing, clock=clock),
            )
        _expect(reference, _NOT_FOUND[kind], f"{operation} of a missing {kind} item")

    # -- after every step --------------------------------------------------------------------

    @invariant()
    def stores_agree(self) -> None:
        """Same contents modulo plan and snapshot ids, same answers for every plan.

        Skipped after a step that failed on both stores: :meth:`lockstep` checked that it
        changed neither, so everything compared after the previous step still holds."""
        if not self.changed:
            return
        reference = store_contents(self.reference)
        subject = store_contents(self.subject)
        for side, contents in ((REFERENCE, reference), (SUBJECT, subject)):
            _check_own_rules(side, contents)
        for name in REPOSITORY_NAMES:
            if len(reference[name]) != len(subject[name]):
                raise Discrepancy(
                    f"{name}: the reference store holds {len(reference[name])}, "
                    f"the subject store {len(subject[name])}"
                )
        reads = (
            PlanReads.read(self.reference, reference["plans"]),
            PlanReads.read(self.subject, subject["plans"]),
        )
        self.ids = _match_ids(reads[0].order, reads[1].order, reference, subject)
        self.digests = _match_digests(reference, subject)
        for name in (*REPOSITORY_NAMES, "plan_order"):
            expected: Any = reference[name]
            got: Any = subject[name]
            if name in _STORE_MADE_IDS:
                got = translate(got, self.ids, self.digests)
            if name in _STORE_MADE:  # ordered by their own ids, which differ
                got = tuple(sorted(got, key=lambda item: item.id))
                expected = tuple(sorted(expected, key=lambda item: item.id))
            if not _identical(expected, got):
                raise Discrepancy(f"{name} differ: " + _difference(expected, got))
        for label, on_reference, on_subject in self.returned:
            if translate(on_subject, self.ids, self.digests) != on_reference:
                raise Discrepancy(
                    f"{label} returned {_short(on_reference)} on the reference store but "
                    f"{_short(on_subject)} on the subject store"
                )
        self.returned.clear()
        self._check_plans(*reads)
        self._check_pantry()
        self.contents = {REFERENCE: reference, SUBJECT: subject}
        self.changed = False

    def _check_pantry(self) -> None:
        """``pantry()`` as of now (back-dated entries and voids before it, entries of a clock
        that went back after it): the same items, on hand, stock units, unconvertible amounts
        and count times on both stores."""
        as_of = self.now
        read = functools.partial(_pantry_as_of, as_of=as_of)
        on_reference, on_subject = _run(read, self.reference), _run(read, self.subject)
        _same(f"pantry as of {as_of}", on_reference, on_subject, self.ids, {})

    def _check_plans(self, reference: PlanReads, subject: PlanReads) -> None:
        """Requirements and drift of every plan, equal on both stores; requirements as they
        were when the plan was first seen."""
        for theirs, ours in self.ids.items():
            if ours not in reference.requirements:
                continue  # a snapshot id
            on_reference, on_subject = reference.requirements[ours], subject.requirements[theirs]
            _same(f"plan_requirements of plan {ours}", on_reference, on_subject, self.ids, {})
            if on_reference.error is None:
                now = (
                    _normal(cast(Requirements, on_reference.value)),
                    _normal(translate(on_subject.value, self.ids)),
                )
                first = self.first_seen.setdefault(ours, now)
                if first != now:
                    raise Discrepancy(
                        f"the requirements of plan {ours} changed since it was recorded: "
                        f"{_short(first)} then {_short(now)}"
                    )
            if (ours in reference.drift) != (theirs in subject.drift):
                raise Discrepancy(f"plan {ours} is the latest of its event on one store only")
            if ours in reference.drift:
                drift = (reference.drift[ours], subject.drift[theirs])
                _same(f"plan_drift of plan {ours}", *drift, self.ids, {})
                progress = (reference.progress[ours], subject.progress[theirs])
                _same(f"plan_progress of plan {ours}", *progress, self.ids, self.digests)


def _add_products(store: Store, *, products: list[Product]) -> None:
    with store.unit_of_work() as uow:
        uow.products.add_many(products)
        uow.commit()


def _mostly(data: st.DataObject, held: list[uuid.UUID], label: str) -> uuid.UUID:
    """One of ``held`` four times in five, else an id nothing has."""
    chosen: st.SearchStrategy[uuid.UUID] = sps.ids
    if held and data.draw(st.integers(0, 4), label=f"{label} held") > 0:
        chosen = st.sampled_from(held)
    return data.draw(chosen, label=label)


def _pantry_as_of(store: Store, *, as_of: datetime.datetime) -> object:
    return pantry(store.unit_of_work(), as_of=as_of)


def _expect(outcome: Outcome, error: type[SnapplanError], doing: str) -> None:
    """The reference store (hence, in lockstep, both) raised ``error``, as the ports say."""
    if not isinstance(outcome.error, error):
        raise Discrepancy(f"{doing} should raise {error.__name__}, but the stores {outcome}")


def _same(
    label: str,
    reference: Outcome,
    subject: Outcome,
    ids: Mapping[uuid.UUID, uuid.UUID],
    digests: Mapping[str, str],
) -> None:
    if reference.kind is not subject.kind:
        raise Discrepancy(f"{label}: the reference store {reference}, the subject store {subject}")
    if reference.error is None:
        on_subject = translate(subject.value, ids, digests)
        if isinstance(reference.value, Requirements):
            equal = _identical(_normal(reference.value), _normal(on_subject))
        else:
            equal = reference.value == on_subject
        if not equal:
            raise Discrepancy(
                f"{label}: {_short(reference.value)} on the reference store, "
                f"{_short(on_subject)} on the subject store (ids mapped)"
            )


def _identical(expected: object, got: object) -> bool:
    """Equal, and written alike: ``Decimal("48.00")`` and ``Decimal("48")`` are equal, but a
    store that gives back one for the other changes what a host prints."""
    return expected == got and repr(expected) == repr(got)


def _check_own_rules(side: str, contents: Contents) -> None:
    """What every store keeps by itself: ``all()`` ordered by id, no orphan snapshot."""
    for name in REPOSITORY_NAMES:
        ids = [item.id for item in contents[name]]
        if ids != sorted(ids):
            raise Discrepancy(f"the {side} store's {name}.all() is not ordered by id")
    plans = {plan.id for plan in contents["plans"]}
    orphans = [s.id for s in contents["snapshots"] if s.plan_id not in plans]
    if orphans:
        raise Discrepancy(f"the {side} store holds snapshots without their plan: {orphans}")
    for name in ("prices", "pantry"):
        numbers = sorted(item.seq for item in contents[name])
        if numbers != list(range(1, len(numbers) + 1)):
            raise Discrepancy(f"the {side} store's {name} ledger is not 1, 2, 3...: {numbers}")
    for event_id, seqs in _ledgers(contents).items():
        if seqs != list(range(1, len(seqs) + 1)):
            raise Discrepancy(f"the {side} store's ledger of event {event_id} is not 1, 2, 3...")
        breaks = chain_breaks(event_id, [r for r in contents["runs"] if r.event_id == event_id])
        if breaks:
            raise Discrepancy(f"the {side} store's ledger does not hold together: {breaks[0]}")


def _ledgers(contents: Contents) -> dict[uuid.UUID, list[int]]:
    """Each event's ledger positions, in order."""
    ledgers: dict[uuid.UUID, list[int]] = {}
    for run in sorted(contents["runs"], key=lambda r: r.seq):
        ledgers.setdefault(run.event_id, []).append(run.seq)
    return ledgers


def _match_ids(
    ordered_reference: Mapping[uuid.UUID, tuple[uuid.UUID, ...]],
    ordered_subject: Mapping[uuid.UUID, tuple[uuid.UUID, ...]],
    reference: Contents,
    subject: Contents,
) -> dict[uuid.UUID, uuid.UUID]:
    """Subject plan and snapshot ids → the reference's: plans by event and recording order,
    snapshots by (plan, kind, source definition), which capture makes unique."""
    ids: dict[uuid.UUID, uuid.UUID] = {}
    for event_id in sorted({*ordered_reference, *ordered_subject}):
        mine = ordered_reference.get(event_id, ())
        theirs = ordered_subject.get(event_id, ())
        if len(mine) != len(theirs):
            raise Discrepancy(
                f"event {event_id} has {len(mine)} plans on the reference store, "
                f"{len(theirs)} on the subject store"
            )
        ids.update(zip(theirs, mine, strict=True))
    keys: dict[tuple[object, ...], uuid.UUID] = {}
    for snapshot in reference["snapshots"]:
        key = (snapshot.plan_id, type(snapshot), snapshot.source_id)
        if key in keys:
            raise Discrepancy(f"two snapshots of one definition in one capture: {key}")
        keys[key] = snapshot.id
    for snapshot in subject["snapshots"]:
        key = (ids.get(snapshot.plan_id), type(snapshot), snapshot.source_id)
        if key not in keys:
            raise Discrepancy(
                f"the subject store's snapshot {_short(snapshot)} has no counterpart on the "
                "reference store"
            )
        ids[snapshot.id] = keys[key]
    # Ledger entries by (event, seq): the ledger of an event is totally ordered on both.
    runs = {(r.event_id, r.seq): r.id for r in reference["runs"]}
    for run in subject["runs"]:
        if (run.event_id, run.seq) not in runs:
            raise Discrepancy(f"the subject store's run {_short(run)} has no counterpart")
        ids[run.id] = runs[run.event_id, run.seq]
    # Quotes and pantry entries by seq: each of these ledgers is totally ordered on both.
    for name in ("prices", "pantry"):
        by_seq = {item.seq: item.id for item in reference[name]}
        for item in subject[name]:
            if item.seq not in by_seq:
                raise Discrepancy(f"the subject store's {name} entry {_short(item)} has no "
                                  "counterpart")  # fmt: skip
            ids[item.id] = by_seq[item.seq]
    for name in sorted(_STORE_MADE):  # a repository added to the registry, not matched above
        unmatched = [item.id for item in subject[name] if item.id not in ids]
        if unmatched:
            raise Discrepancy(f"{name}: no way to match the subject's ids {unmatched[:3]}")
    return ids


def _match_digests(reference: Contents, subject: Contents) -> dict[str, str]:
    """Subject run digests → the reference's, by (event, seq) as :func:`_match_ids` matches the
    runs: a digest covers the run's own id and plan id, which differ between the stores."""
    theirs = {(r.event_id, r.seq): r.digest for r in reference["runs"]}
    return {
        r.digest: theirs[r.event_id, r.seq]
        for r in subject["runs"]
        if (r.event_id, r.seq) in theirs
    }


def _difference(expected: Any, got: Any) -> str:
    if isinstance(expected, dict) and isinstance(got, dict):
        lines = [
            f"  {key}: reference {_short(expected.get(key))}, subject {_short(got.get(key))}"
            for key in sorted({*expected, *got}, key=str)
            if not _identical(expected.get(key), got.get(key))
        ]
        return "\n" + "\n".join(lines[:5])
    if isinstance(expected, tuple) and isinstance(got, tuple):
        return (
            _difference(
                {getattr(x, "id", i): x for i, x in enumerate(expected)},
                {getattr(x, "id", i): x for i, x in enumerate(got)},
            )
            if len(expected) == len(got)
            else f"reference {_short(expected)}, subject {_short(got)}"
        )
    return f"reference {_short(expected)}, subject {_short(got)}"


def _changes(before: Contents, after: Contents) -> str:
    return "; ".join(
        f"{name}: {_difference(before[name], after[name])}"
        for name in before
        if not _identical(before[name], after[name])
    )


def lockstep_machine(
    make_store: Callable[[], Store],
    *,
    close_store: Callable[[Store], None] | None = None,
    name: str = "LockstepMachine",
) -> type[LockstepMachine]:
    """A :class:`LockstepMachine` over the stores ``make_store`` makes (one per example,
    ``close_store`` called on it at the end of the example). Its ``TestCase`` attribute is a
    ``unittest.TestCase`` that pytest collects; set ``TestCase.settings`` to bound it."""

    def make(self: LockstepMachine) -> Store:
        return make_store()

    def close(self: LockstepMachine, store: Store) -> None:
        if close_store is not None:
            close_store(store)

    return type(name, (LockstepMachine,), {"make_store": make, "close_store": close})
