"""Reading the SQL store's own rows back into values, fast, and still refusing bad rows.

Every value was validated by the domain types before the store wrote it, so reading it back does
not run the full validators again (:mod:`snapplan.domain._trusted`). What a row written by someone
else into a shared database could get wrong is still checked, each in constant time: an id
parses, an amount is a finite positive ``Decimal`` (a count or a version a positive int), a name
is non-blank text, a time is an aware UTC ``datetime``, a kind is one snapplan knows. Anything
else is a ``PersistenceError`` naming what could not be read: a bad row never comes back as an
invalid value. Snapshots are checked against their digests on top of this by every service that
reads them.

A :class:`Reading` lasts one transaction of a unit of work: it remembers the ids it parsed,
since the same ingredient or recipe id comes back in many rows, and a plan's snapshots name
each other from one read to the next (one ``UUID`` per id, not one per row that names it).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import cattrs

from snapplan.adapters.converter import converter
from snapplan.domain._trusted import trusted
from snapplan.domain.catalog import (
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
from snapplan.domain.events import AssemblyTarget, Event, ProductionTarget
from snapplan.domain.measures import Measure, forest_problem
from snapplan.domain.plan import Plan
from snapplan.domain.products import Product
from snapplan.domain.quantities import amount_problem, as_decimal
from snapplan.domain.runs import (
    AssemblyRun,
    Consumption,
    IngredientUse,
    MadeAlong,
    ProductionRun,
    Run,
    RunKind,
    RunVoid,
    Shortage,
    WasteRun,
)
from snapplan.domain.snapshots import (
    ComponentSnapshot,
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeLineSnapshot,
    RecipeSnapshot,
    Snapshot,
    SubRecipeSnapshot,
)
from snapplan.domain.validators import key_problem, text_problem
from snapplan.errors import PersistenceError, ValidationError

T = TypeVar("T")

_KINDS = {kind.value: kind for kind in ComponentKind}


class BadRow(Exception):
    """A stored value snapplan would never have written."""


class Reading:
    """Cheap checks for one read (see the module docstring)."""

    def __init__(self) -> None:
        self._ids: dict[str, uuid.UUID] = {}
        # Amounts and names repeat from row to row as ids do (a recipe's quantities, the units,
        # the ingredient names in 80,000 lines of holiday-10000's recipe snapshots): one Decimal
        # or str per spelling, shared (both are immutable), not one per row that spells it.
        self._amounts: dict[str, Decimal] = {}
        self._names: dict[str, str] = {}

    def forget(self) -> None:
        """Drop the ids, amounts and names remembered (the transaction ended: nothing it read
        is kept)."""
        self._ids.clear()
        self._amounts.clear()
        self._names.clear()

    def id(self, value: Any) -> uuid.UUID:
        if isinstance(value, uuid.UUID):
            return value
        found = self._ids.get(value) if isinstance(value, str) else None
        if found is None:
            try:
                found = uuid.UUID(value)
            except (TypeError, ValueError, AttributeError):
                raise BadRow(f"not an id: {value!r:.60}") from None
            self._ids[value] = found
        return found

    def optional_id(self, value: Any) -> uuid.UUID | None:
        return None if value is None else self.id(value)

    def amount(self, value: Any) -> Decimal:
        """A positive amount within the domain's bounds (at most 60 digits, exponent -40 .. 40:
        a stored spelling must not cost unbounded time or memory to read or to digest)."""
        if isinstance(value, str):
            known = self._amounts.get(value)
            if known is not None:
                return known  # checked when first read
        result = self._bounded(value, positive=True)
        if isinstance(value, str):
            self._amounts[value] = result
        return result

    @staticmethod
    def _bounded(value: Any, *, positive: bool | None) -> Decimal:
        """``value`` (text, ``Decimal`` or ``int``, as the domain reads amounts) within the
        domain's bounds; ``positive``: > 0, False: >= 0, None: either sign."""
        result = as_decimal(value)
        if result is None:  # (the problem says what it is instead)
            problem = amount_problem(value, positive=False)
        elif positive is None:  # either sign: the bounds of its size
            problem = amount_problem(abs(result), positive=False)
        else:
            problem = amount_problem(result, positive=positive)
        if problem is not None or result is None:
            raise BadRow(f"not an amount: {problem or type(value).__name__}")
        return result

    def figure(self, value: Any) -> Decimal:
        """A bounded amount of either sign (an on-hand figure)."""
        return self._bounded(value, positive=None)

    def optional_count(self, value: Any) -> Decimal | None:
        """None, or a bounded amount of zero or more (what a run made: it may be 0)."""
        return None if value is None else self._bounded(value, positive=False)

    def name(self, value: Any) -> str:
        known = self._names.get(value) if isinstance(value, str) else None
        if known is not None:
            return known  # checked when first read
        # (as the domain's rule: non-blank, no white space at either end, text every store keeps)
        if not isinstance(value, str) or not value.strip() or value != value.strip():
            raise BadRow(f"not a name: {value!r:.60}")
        self._names[value] = self.text(value)
        return value

    @staticmethod
    def text(value: Any) -> str:
        """Text every store keeps and every digest can hash: no NUL, valid Unicode."""
        if not isinstance(value, str):
            raise BadRow(f"not text: {value!r:.60}")
        problem = text_problem(value)
        if problem is not None:
            raise BadRow(f"not text: {problem}: {value!r:.60}")
        return value

    @staticmethod
    def version(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise BadRow(f"not a version: {value!r:.60}")
        return value

    @staticmethod
    def time(value: Any) -> datetime.datetime:
        if isinstance(value, str):
            try:
                value = datetime.datetime.fromisoformat(value)
            except ValueError:
                raise BadRow(f"not a time: {value!r:.60}") from None
        if not isinstance(value, datetime.datetime) or value.utcoffset() != datetime.timedelta(0):
            raise BadRow(f"not a UTC time: {value!r:.60}")
        return value

    @staticmethod
    def kind(value: Any) -> ComponentKind:
        kind = _KINDS.get(value) if isinstance(value, str) else None
        if kind is None:
            raise BadRow(f"not a component kind: {value!r:.60}")
        return kind

    @staticmethod
    def entries(value: Any) -> list[Mapping[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise BadRow(f"not a list of entries: {value!r:.60}")
        return value

    @staticmethod
    def seq(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**63:
            raise BadRow(f"not a ledger position: {value!r:.40}")
        return value

    def optional_text(self, value: Any) -> str | None:
        return None if value is None else self.text(value)

    @staticmethod
    def key(value: Any) -> str | None:
        """None, or an idempotency key (the domain's :func:`key_problem`)."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadRow(f"not a key: {value!r:.40}")
        problem = key_problem(value)
        if problem is not None:
            raise BadRow(f"not a key: {problem}: {value!r:.40}")
        return value

    @staticmethod
    def flag(value: Any) -> bool:
        if not isinstance(value, bool):
            raise BadRow(f"not true or false: {value!r:.20}")
        return value

    @staticmethod
    def digest(value: Any) -> str:
        if not isinstance(value, str) or len(value) != 64:
            raise BadRow(f"not a digest: {value!r:.70}")
        return value


# -- the catalog ----------------------------------------------------------------------------------


def ingredient(r: Reading, row: Mapping[str, Any]) -> Ingredient:
    return trusted(Ingredient, id=r.id(row["id"]), version=r.version(row["version"]),
                   name=r.name(row["name"]), measures=measures(row["measures"]))  # fmt: skip


def measures(value: Any) -> tuple[Measure, ...]:
    """An item's measures, each validated, and the whole checked to be a forest (a few per
    item at most: the full checks cost nothing that matters)."""
    if value == []:
        return ()
    if not isinstance(value, list):
        raise BadRow(f"not a list of measures: {value!r:.60}")
    try:
        found = tuple(converter.structure(m, Measure) for m in value)
    except (ValidationError, cattrs.BaseValidationError, ValueError) as error:
        raise BadRow(f"not a measure: {error}") from None
    problem = forest_problem(found)
    if problem is not None:
        raise BadRow(problem)
    return found


def product(r: Reading, row: Mapping[str, Any]) -> Product:
    min_packs, preferred, active = row["min_packs"], row["preferred"], row["active"]
    if isinstance(min_packs, bool) or not isinstance(min_packs, int) or min_packs < 1:
        raise BadRow(f"not a number of packs: {min_packs!r:.60}")
    if not isinstance(preferred, bool) or not isinstance(active, bool):
        raise BadRow(f"not flags: {preferred!r:.20}, {active!r:.20}")
    return trusted(
        Product,
        id=r.id(row["id"]),
        version=r.version(row["version"]),
        name=r.name(row["name"]),
        item_id=r.id(row["item_id"]),
        pack_quantity=r.amount(row["pack_quantity"]),
        pack_unit=r.name(row["pack_unit"]),
        min_packs=min_packs,
        preferred=preferred,
        active=active,
    )


def recipe(r: Reading, row: Mapping[str, Any]) -> Recipe:
    return trusted(
        Recipe,
        id=r.id(row["id"]),
        version=r.version(row["version"]),
        name=r.name(row["name"]),
        lines=tuple(
            trusted(
                IngredientLine,
                ingredient_id=r.id(x["ingredient_id"]),
                quantity=r.amount(x["quantity"]),
                unit=r.name(x["unit"]),
                note=r.text(x["note"]),
            )
            for x in r.entries(row["lines"])
        ),
        sub_recipes=tuple(
            trusted(SubRecipe, recipe_id=r.id(x["recipe_id"]), batches=r.amount(x["batches"]))
            for x in r.entries(row["sub_recipes"])
        ),
    )


def finished_unit(r: Reading, row: Mapping[str, Any]) -> FinishedUnit:
    return trusted(
        FinishedUnit,
        id=r.id(row["id"]),
        version=r.version(row["version"]),
        name=r.name(row["name"]),
        recipe_id=r.id(row["recipe_id"]),
        items_per_batch=r.amount(row["items_per_batch"]),
    )


def material_unit(r: Reading, row: Mapping[str, Any]) -> MaterialUnit:
    return trusted(MaterialUnit, id=r.id(row["id"]), version=r.version(row["version"]),
                   name=r.name(row["name"]), measures=measures(row["measures"]))  # fmt: skip


def finished_good(r: Reading, row: Mapping[str, Any]) -> FinishedGood:
    return trusted(
        FinishedGood,
        id=r.id(row["id"]),
        version=r.version(row["version"]),
        name=r.name(row["name"]),
        components=tuple(
            trusted(
                Component,
                kind=r.kind(x["kind"]),
                ref=r.id(x["ref"]),
                quantity=r.amount(x["quantity"]),
            )
            for x in r.entries(row["components"])
        ),
    )


def _production(r: Reading, entries: Any) -> tuple[ProductionTarget, ...]:
    return tuple(
        trusted(
            ProductionTarget,
            recipe_id=r.id(x["recipe_id"]),
            batches=r.amount(x["batches"]),
            snapshot_id=r.optional_id(x["snapshot_id"]),
        )
        for x in r.entries(entries)
    )


def _assembly(r: Reading, entries: Any) -> tuple[AssemblyTarget, ...]:
    return tuple(
        trusted(
            AssemblyTarget,
            finished_good_id=r.id(x["finished_good_id"]),
            quantity=r.amount(x["quantity"]),
            snapshot_id=r.optional_id(x["snapshot_id"]),
        )
        for x in r.entries(entries)
    )


def event(r: Reading, row: Mapping[str, Any]) -> Event:
    date = row["date"]
    if date is not None and (
        not isinstance(date, datetime.date) or isinstance(date, datetime.datetime)
    ):
        raise BadRow(f"not a date: {date!r:.40}")
    return trusted(
        Event,
        id=r.id(row["id"]),
        version=r.version(row["version"]),
        name=r.name(row["name"]),
        production_targets=_production(r, row["production_targets"]),
        assembly_targets=_assembly(r, row["assembly_targets"]),
        date=date,
    )


def plan(r: Reading, row: Mapping[str, Any]) -> Plan:
    production = _production(r, row["production_targets"])
    assembly = _assembly(r, row["assembly_targets"])
    if any(t.snapshot_id is None for t in production) or any(
        t.snapshot_id is None for t in assembly
    ):
        raise BadRow("a plan's target without a snapshot id")
    return trusted(
        Plan,
        id=r.id(row["id"]),
        event_id=r.id(row["event_id"]),
        created_at=r.time(row["created_at"]),
        production_targets=production,
        assembly_targets=assembly,
        supersedes=r.optional_id(row["supersedes"]),
    )


# -- snapshots ------------------------------------------------------------------------------------


def _header(r: Reading, doc: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": r.id(doc["id"]),
        "source_id": r.id(doc["source_id"]),
        "name": r.name(doc["name"]),
        "plan_id": r.id(doc["plan_id"]),
        "captured_at": r.time(doc["captured_at"]),
        "digest": r.digest(doc["digest"]),
    }


def _recipe_snapshot(r: Reading, doc: Mapping[str, Any]) -> RecipeSnapshot:
    return trusted(
        RecipeSnapshot,
        **_header(r, doc),
        lines=tuple(
            trusted(
                RecipeLineSnapshot,
                ingredient_id=r.id(x["ingredient_id"]),
                ingredient_name=r.name(x["ingredient_name"]),
                quantity=r.amount(x["quantity"]),
                unit=r.name(x["unit"]),
                note=r.text(x["note"]),
            )
            for x in r.entries(doc["lines"])
        ),
        sub_recipes=tuple(
            trusted(
                SubRecipeSnapshot,
                recipe_id=r.id(x["recipe_id"]),
                batches=r.amount(x["batches"]),
                snapshot_id=r.id(x["snapshot_id"]),
            )
            for x in r.entries(doc["sub_recipes"])
        ),
        scale_factor=r.amount(doc["scale_factor"]),
    )


def _finished_unit_snapshot(r: Reading, doc: Mapping[str, Any]) -> FinishedUnitSnapshot:
    return trusted(
        FinishedUnitSnapshot,
        **_header(r, doc),
        recipe_id=r.id(doc["recipe_id"]),
        recipe_snapshot_id=r.id(doc["recipe_snapshot_id"]),
        items_per_batch=r.amount(doc["items_per_batch"]),
    )


def _material_unit_snapshot(r: Reading, doc: Mapping[str, Any]) -> MaterialUnitSnapshot:
    return trusted(MaterialUnitSnapshot, **_header(r, doc))


def _finished_good_snapshot(r: Reading, doc: Mapping[str, Any]) -> FinishedGoodSnapshot:
    return trusted(
        FinishedGoodSnapshot,
        **_header(r, doc),
        components=tuple(
            trusted(
                ComponentSnapshot,
                kind=r.kind(x["kind"]),
                source_id=r.id(x["source_id"]),
                quantity=r.amount(x["quantity"]),
                snapshot_id=r.id(x["snapshot_id"]),
            )
            for x in r.entries(doc["components"])
        ),
    )


_SNAPSHOTS: dict[str, Callable[[Reading, Mapping[str, Any]], Snapshot]] = {
    "recipe": _recipe_snapshot,
    "finished_unit": _finished_unit_snapshot,
    "material_unit": _material_unit_snapshot,
    "finished_good": _finished_good_snapshot,
}


def snapshot(r: Reading, doc: Any) -> Snapshot:
    if not isinstance(doc, dict):
        raise BadRow(f"not a snapshot document: {doc!r:.60}")
    kind = doc.get("kind")
    decode = _SNAPSHOTS.get(kind) if isinstance(kind, str) else None
    if decode is None:
        raise BadRow(f"not a snapshot kind: {doc.get('kind')!r:.40}")
    return decode(r, doc)


# -- the execution ledger -------------------------------------------------------------------------


def _entry_header(r: Reading, doc: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "event_id": r.id(doc["event_id"]),
        "plan_id": r.id(doc["plan_id"]),
        "seq": r.seq(doc["seq"]),
        "recorded_at": r.time(doc["recorded_at"]),
        "key": r.key(doc["key"]),
        "note": r.text(doc["note"]),
        "by": r.optional_text(doc["by"]),
        "amends": r.optional_id(doc["amends"]),
        "id": r.id(doc["id"]),
        "digest": r.digest(doc["digest"]),
    }


def _production_run(r: Reading, doc: Mapping[str, Any]) -> ProductionRun:
    unit, unit_snapshot = (
        r.optional_id(doc["finished_unit_id"]),
        r.optional_id(doc["finished_unit_snapshot_id"]),
    )
    items = r.optional_count(doc["items"])
    if (items is None) != (unit is None) or (unit is None) != (unit_snapshot is None):
        raise BadRow("items, finished_unit_id and its snapshot come together")
    return trusted(
        ProductionRun,
        **_entry_header(r, doc),
        recipe_id=r.id(doc["recipe_id"]),
        recipe_snapshot_id=r.id(doc["recipe_snapshot_id"]),
        name=r.name(doc["name"]),
        batches=r.amount(doc["batches"]),
        finished_unit_id=unit,
        finished_unit_snapshot_id=unit_snapshot,
        items=items,
        sub_recipe_batches=tuple(
            trusted(
                MadeAlong,
                recipe_id=r.id(x["recipe_id"]),
                recipe_snapshot_id=r.id(x["recipe_snapshot_id"]),
                name=r.name(x["name"]),
                batches=r.amount(x["batches"]),
            )
            for x in r.entries(doc["sub_recipe_batches"])
        ),
        ingredients=tuple(
            trusted(
                IngredientUse,
                ingredient_id=r.id(x["ingredient_id"]),
                name=r.name(x["name"]),
                quantity=r.amount(x["quantity"]),
                unit=r.name(x["unit"]),
            )
            for x in r.entries(doc["ingredients"])
        ),
    )


def _assembly_run(r: Reading, doc: Mapping[str, Any]) -> AssemblyRun:
    return trusted(
        AssemblyRun,
        **_entry_header(r, doc),
        finished_good_id=r.id(doc["finished_good_id"]),
        finished_good_snapshot_id=r.id(doc["finished_good_snapshot_id"]),
        name=r.name(doc["name"]),
        quantity=r.amount(doc["quantity"]),
        consumed=tuple(
            trusted(
                Consumption,
                kind=r.kind(x["kind"]),
                id=r.id(x["id"]),
                snapshot_id=r.id(x["snapshot_id"]),
                name=r.name(x["name"]),
                quantity=r.amount(x["quantity"]),
            )
            for x in r.entries(doc["consumed"])
        ),
        allow_shortage=r.flag(doc["allow_shortage"]),
        allowed_shortages=tuple(
            trusted(
                Shortage,
                kind=r.kind(x["kind"]),
                id=r.id(x["id"]),
                name=r.name(x["name"]),
                needed=r.amount(x["needed"]),
                on_hand=r.figure(x["on_hand"]),
            )
            for x in r.entries(doc["allowed_shortages"])
        ),
    )


def _waste_run(r: Reading, doc: Mapping[str, Any]) -> WasteRun:
    kind = r.kind(doc["item_kind"])
    if kind is ComponentKind.MATERIAL_UNIT:
        raise BadRow("packaging has no stock to waste")
    return trusted(
        WasteRun,
        **_entry_header(r, doc),
        item_kind=kind,
        item_id=r.id(doc["item_id"]),
        item_snapshot_id=r.id(doc["item_snapshot_id"]),
        name=r.name(doc["name"]),
        quantity=r.amount(doc["quantity"]),
        reason=r.name(doc["reason"]),
    )


def _run_void(r: Reading, doc: Mapping[str, Any]) -> RunVoid:
    return trusted(
        RunVoid, **_entry_header(r, doc), run_id=r.id(doc["run_id"]), reason=r.name(doc["reason"])
    )


_RUNS: dict[str, Callable[[Reading, Mapping[str, Any]], Run]] = {
    RunKind.PRODUCTION.value: _production_run,
    RunKind.ASSEMBLY.value: _assembly_run,
    RunKind.WASTE.value: _waste_run,
    RunKind.VOID.value: _run_void,
}


def run(r: Reading, doc: Any) -> Run:
    """A ledger entry read back, with the checks a row written by someone else must pass to be
    a valid value (types, the domain's bounds on amounts and text, the cross-field rules), as
    for snapshots. Whether its content is what was recorded is the hash chain's to say
    (``check_chain``, run by every service on an event's ledger before it uses it, and
    :func:`snapplan.verify_plan`), not the decoder's."""
    if not isinstance(doc, dict):
        raise BadRow(f"not a ledger entry: {doc!r:.60}")
    kind = doc.get("kind")
    decode = _RUNS.get(kind) if isinstance(kind, str) else None
    if decode is None:
        raise BadRow(f"not a kind of ledger entry: {kind!r:.40}")
    return decode(r, doc)


def decoded(what: str, decode: Callable[[Reading, Any], T], reading: Reading, data: Any) -> T:
    """``decode(reading, data)``, a bad row (or a missing key) a ``PersistenceError`` naming
    ``what``. (The decoder and its arguments are passed, not wrapped in a closure: one call per
    row read, nothing allocated for it.)"""
    try:
        return decode(reading, data)
    except (BadRow, KeyError, TypeError) as error:
        detail = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise PersistenceError(f"a stored {what} could not be read back: {detail}") from error
