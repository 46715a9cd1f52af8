"""Catalog files: a whole catalog and its events, written by hand in TOML.

The format is documented in ``docs/catalog-format.md``; ``examples/bakery.toml`` uses every
feature. In short: one array of tables per kind (``[[ingredient]]``, ``[[recipe]]``,
``[[finished_unit]]``, ``[[material_unit]]``, ``[[product]]``, ``[[finished_good]]``,
``[[event]]``), items refer to each other by name (unique per kind, resolved within the file, in
any order), and an item may carry an explicit ``id``. Ingredients and material units may carry
``measures`` written as the baker says them (``"1 cup = 120 g"``); a product is a pack a shop
sells (``pack = "250 g"``), with an optional price per pack.

Amounts are exact. TOML integers and strings (``"0.75"``) are exact already; TOML float literals
(``0.5``) are read from their text as ``Decimal`` (``tomllib`` with ``parse_float=Decimal``), so
no float is ever involved. A string may hold a fraction as a baker writes it (``"1/3"``,
``"1 1/2"``, ``"½"``), read exactly: a recipe line's ``"1/3"`` cup becomes ``16 tsp``, and an
amount of no unit (batches, a component's quantity) must have an exact decimal (``"1/2"``).
``nan``, ``inf``, zero and negative amounts are refused.

Every problem is a :class:`CatalogFileError` saying where it is::

    recipe 'Sugar Cookies', line 2, quantity: amount must be positive, not '-1'

>>> catalog = parse_catalog('''
... [[ingredient]]
... name = "Flour"
... [[recipe]]
... name = "Bread"
... lines = [{ingredient = "Flour", quantity = 0.5, unit = "kg"}]
... ''')
>>> catalog.recipes[0].lines[0].quantity
Decimal('0.5')
"""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from snapplan.domain import graph
from snapplan.domain.catalog import (
    CatalogItem,
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
from snapplan.domain.kitchen_amounts import (
    VULGAR,
    exact_amount,
    is_fraction_text,
    kitchen_amount,
)
from snapplan.domain.measures import Measure
from snapplan.domain.prices import CURRENCIES
from snapplan.domain.products import Product
from snapplan.domain.quantities import positive_amount, to_decimal
from snapplan.errors import CatalogFileError, ValidationError
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services.catalog import add_catalog
from snapplan.services.pantry_ledger import record_price

T = TypeVar("T")

#: The sections of a catalog file, in the order they are documented and loaded.
SECTIONS: Final = (
    "ingredient",
    "recipe",
    "finished_unit",
    "material_unit",
    "product",
    "finished_good",
    "event",
)

#: A product's price in a file: per pack, in a currency (``(Decimal("2.50"), "EUR")``).
FilePrice = tuple[Decimal, str]


@attrs.frozen
class CatalogFile:
    """The definitions and events of one catalog file, with every reference resolved to an id."""

    ingredients: tuple[Ingredient, ...] = ()
    recipes: tuple[Recipe, ...] = ()
    finished_units: tuple[FinishedUnit, ...] = ()
    material_units: tuple[MaterialUnit, ...] = ()
    products: tuple[Product, ...] = ()
    finished_goods: tuple[FinishedGood, ...] = ()
    events: tuple[Event, ...] = ()
    #: The ids the file writes out (``id = "..."``); every other item got a fresh id when the
    #: file was read, so only these name the same item wherever the file goes.
    explicit_ids: frozenset[uuid.UUID] = frozenset()
    #: The price per pack the file gives a product (``price`` and ``currency``), by product id.
    prices: Mapping[uuid.UUID, FilePrice] = attrs.field(factory=dict)

    def items(self) -> tuple[CatalogItem | Product | Event, ...]:
        """Every definition and event of the file, in dependency order."""
        return (
            *self.ingredients,
            *self.recipes,
            *self.finished_units,
            *self.material_units,
            *self.products,
            *self.finished_goods,
            *self.events,
        )

    def save(self, uow: UnitOfWork) -> None:
        """Add everything to an entered unit of work (the caller commits, or not), with a
        price quote for each product the file prices."""
        add_catalog(uow, [item for item in self.items() if not isinstance(item, Product)])
        uow.products.add_many(self.products)
        for product in self.products:
            if product.id in self.prices:
                price, currency = self.prices[product.id]
                record_price(uow, product.id, price, currency=currency)

    def counts(self) -> dict[str, int]:
        """How many items of each kind, by section name."""
        return {
            "ingredient": len(self.ingredients),
            "recipe": len(self.recipes),
            "finished_unit": len(self.finished_units),
            "material_unit": len(self.material_units),
            "product": len(self.products),
            "finished_good": len(self.finished_goods),
            "event": len(self.events),
        }


def read_catalog(path: str | Path) -> CatalogFile:
    """Read and parse a catalog file. ``OSError`` if it cannot be read, else see below."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogFileError(f"{path}: not UTF-8 text (byte {error.start})") from None
    return parse_catalog(text, source=str(path))


def parse_catalog(text: str, *, source: str | None = None) -> CatalogFile:
    """Parse the TOML text of a catalog file. ``source`` (a file name) prefixes error messages.

    Raises :class:`CatalogFileError` for malformed TOML, unknown sections or keys, missing or
    duplicate names, references to names the file does not define, invalid amounts or dates,
    and loops among sub-recipes or finished goods.
    """
    try:
        try:
            document = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            raise CatalogFileError(f"malformed TOML: {error}") from None
        return _CatalogReader(document).read()
    except CatalogFileError as error:
        if source is None:
            raise
        raise CatalogFileError(f"{source}: {error}") from None


def _problem(where: str, message: object) -> CatalogFileError:
    return CatalogFileError(f"{where}: {message}" if where else str(message))


@contextmanager
def _at(where: str) -> Iterator[None]:
    """Report a domain ``ValidationError`` raised inside the block as happening at ``where``."""
    try:
        yield
    except CatalogFileError:
        raise
    except ValidationError as error:
        # "Ingredient.name: must not be blank" -> "name: must not be blank": ``where`` already
        # says which item it is, in the file's words.
        field, sep, message = str(error).partition(": ")
        shown = f"{field.rpartition('.')[2]}: {message}" if sep and "." in field else str(error)
        raise _problem(where, shown) from None


def _table(where: str, value: Any, allowed: Iterable[str], required: Iterable[str]) -> None:
    if not isinstance(value, dict):
        raise _problem(where, f"expected a table, not {_describe(value)}")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise _problem(where, f"unknown key {unknown[0]!r} (expected {_one_of(allowed)})")
    for key in required:
        if key not in value:
            raise _problem(where, f"missing key {key!r}")


def _entries(
    where: str,
    item: Mapping[str, Any],
    key: str,
    label: str,
    *,
    allowed: Iterable[str],
    required: Iterable[str],
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The tables of the array ``item[key]`` (absent means empty), each with its location."""
    value = item.get(key, [])
    if not isinstance(value, list):
        raise _problem(f"{where}, {key}", f"expected an array, not {_describe(value)}")
    for number, entry in enumerate(value, start=1):
        at = f"{where}, {label} {number}"
        _table(at, entry, allowed, required)
        yield at, entry


def _string(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _problem(where, f"expected a string, not {_describe(value)}")
    return value


def _amount(where: str, value: Any) -> Decimal:
    """A positive amount of no unit: ``12``, ``0.5``, ``"0.5"``, or a fraction with an exact
    decimal (``"1/2"``, ``"1 1/2"``, ``"½"``); ``"1/3"`` is refused (see
    :func:`snapplan.domain.kitchen_amounts.exact_amount`)."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise _problem(where, f'expected an amount (12, 0.5 or "0.5"), not {_describe(value)}')
    with _at(where):
        if isinstance(value, str) and is_fraction_text(value):
            return positive_amount(exact_amount(value))
        # A Decimal goes in as its text, so that a message quotes it as it was written.
        return positive_amount(str(value) if isinstance(value, Decimal) else value)


def _line_amount(where: str, value: Any, unit: str) -> tuple[Decimal, str]:
    """A recipe line's quantity in its unit; a fraction with no exact decimal in the unit is
    kept exact in a smaller unit of its family (``"1/3"`` cup is 16 tsp), or refused."""
    if isinstance(value, str) and is_fraction_text(value):
        with _at(where):
            quantity, unit = kitchen_amount(value, unit)
            return positive_amount(quantity), unit
    return _amount(where, value), unit


def _id(where: str, value: Any) -> uuid.UUID:
    text = _string(where, value)
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _problem(where, f"not a UUID: {text!r}") from None


def _date(where: str, value: Any) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _problem(where, f"expected a date like 2026-12-19, not {_describe(value)}")


def _flag(where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _problem(where, f"expected true or false, not {_describe(value)}")
    return value


#: "1 cup", "1 1/2 cups", "½ cup", "120g", "2.5 kg": the amount, then the unit.
_AMOUNT_AND_UNIT: Final = re.compile(
    r"\s*(?P<amount>[0-9][0-9.,/ \t" + "".join(VULGAR) + r"]*|[" + "".join(VULGAR) + r"])"
    r"\s*(?P<unit>\S.*?)\s*"
)


def _quantity_and_unit(where: str, text: str, example: str) -> tuple[Decimal, str]:
    """``"1 1/2 cups"`` as an exact ``(quantity, unit)`` (see
    :func:`snapplan.domain.kitchen_amounts.kitchen_amount`), positive."""
    match = _AMOUNT_AND_UNIT.fullmatch(text)
    if match is None:
        shown = text.strip()
        raise _problem(where, f"expected a positive amount and a unit ({example}), not {shown!r}")
    with _at(where):
        quantity, unit = kitchen_amount(match["amount"].strip(), match["unit"])
        return positive_amount(quantity), unit


def _pack(where: str, value: Any) -> tuple[Decimal, str]:
    """A product's pack: ``"250 g"``."""
    return _quantity_and_unit(where, _string(where, value), '"250 g"')


def _measure(where: str, value: Any) -> Measure:
    """One measure: ``"1 cup = 120 g"``, or ``{ measure = "1 stick = 113 g", source = "..." }``."""
    source = ""
    if isinstance(value, dict):
        _table(where, value, ("measure", "source"), ("measure",))
        source = _string(f"{where}, source", value.get("source", ""))
        value = value["measure"]
    text = _string(where, value)
    left, equals, right = text.partition("=")
    example = '"1 cup = 120 g"'
    if not equals or "=" in right:
        raise _problem(where, f"expected QUANTITY UNIT = QUANTITY UNIT ({example}), not {text!r}")
    quantity, unit = _quantity_and_unit(where, left, example)
    equal, equal_unit = _quantity_and_unit(where, right, example)
    with _at(where):
        return Measure(quantity, unit, equal, equal_unit, source=source)


def _measures(where: str, item: Mapping[str, Any]) -> list[Measure]:
    """An ingredient's or material unit's ``measures`` (absent means none)."""
    value = item.get("measures", [])
    if not isinstance(value, list):
        raise _problem(f"{where}, measures", f"expected an array, not {_describe(value)}")
    return [
        _measure(f"{where}, measure {number}", entry) for number, entry in enumerate(value, start=1)
    ]


def _price(where: str, item: Mapping[str, Any]) -> FilePrice | None:
    """A product's ``price`` per pack (0 is a price: a gift) and its ``currency``, together."""
    if "price" not in item and "currency" not in item:
        return None
    if "currency" not in item:
        raise _problem(f"{where}, price", 'a price needs its currency: currency = "EUR"')
    if "price" not in item:
        raise _problem(
            f"{where}, currency", "a currency says nothing without a price: price = 2.50"
        )
    value = item["price"]
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise _problem(
            f"{where}, price", f'expected an amount (2.5 or "2.50"), not {_describe(value)}'
        )
    with _at(f"{where}, price"):
        price = to_decimal(str(value) if isinstance(value, Decimal) else value)
    if price < 0:
        raise _problem(f"{where}, price", f"a price cannot be negative, not {value}")
    currency = _string(f"{where}, currency", item["currency"])
    if currency not in CURRENCIES:
        raise _problem(
            f"{where}, currency",
            f"{currency!r} is not a currency code of ISO 4217 (three upper-case letters: EUR)",
        )
    return price, currency


def _describe(value: Any) -> str:
    kinds = {
        bool: "a boolean",
        int: "an integer",
        Decimal: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
        datetime.datetime: "a date-time",
        datetime.date: "a date",
        datetime.time: "a time",
    }
    shown = (
        str(value) if isinstance(value, (Decimal, datetime.date, datetime.time)) else repr(value)
    )
    return f"{kinds.get(type(value), type(value).__name__)} ({shown})"


def _one_of(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _label(section: str) -> str:
    return section.replace("_", " ")


class _Names:
    """The names and ids of one kind of item in the file, to resolve references by name."""

    def __init__(self, section: str) -> None:
        self.kind = _label(section)
        self.ids: dict[str, uuid.UUID] = {}
        # The ids declared so far, as a set: a file of N items is checked in N steps, not N².
        self.taken: set[uuid.UUID] = set()

    def declare(self, where: str, name: str, item_id: uuid.UUID) -> None:
        if name in self.ids:
            raise _problem(where, f"duplicate {self.kind} name {name!r}")
        if item_id in self.taken:
            raise _problem(where, f"duplicate {self.kind} id {item_id}")
        self.ids[name] = item_id
        self.taken.add(item_id)

    def resolve(self, where: str, name: Any) -> uuid.UUID:
        name = _string(where, name)
        if name in self.ids:
            return self.ids[name]
        close = difflib.get_close_matches(name, list(self.ids), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _problem(where, f"no {self.kind} named {name!r} in this file{hint}")


class _CatalogReader:
    """Turns a parsed TOML document into a :class:`CatalogFile`, in two passes.

    The first pass declares every item's name and id, so that references may point forward;
    the second builds the domain values.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        unknown = sorted(set(document) - set(SECTIONS))
        if unknown:
            raise _problem("", f"unknown section {unknown[0]!r} (expected {_one_of(SECTIONS)})")
        self.sections: dict[str, list[tuple[str, dict[str, Any], uuid.UUID]]] = {}
        self.names = {section: _Names(section) for section in SECTIONS}
        self.explicit_ids: set[uuid.UUID] = set()
        self.prices: dict[uuid.UUID, FilePrice] = {}
        for section in SECTIONS:
            self.sections[section] = list(self._declare(section, document.get(section, [])))

    def _declare(self, section: str, value: Any) -> Iterator[tuple[str, dict[str, Any], uuid.UUID]]:
        if not isinstance(value, list):
            raise _problem("", f"{section!r} must be an array of tables: write [[{section}]]")
        for number, item in enumerate(value, start=1):
            where = f"{_label(section)} #{number}"
            if not isinstance(item, dict):
                raise _problem(where, f"expected a table, not {_describe(item)}")
            if "name" not in item:
                raise _problem(where, "missing key 'name'")
            name = _string(f"{where}, name", item["name"])
            where = f"{_label(section)} {name!r}"
            if "id" in item:
                item_id = _id(f"{where}, id", item["id"])
                self.explicit_ids.add(item_id)
            else:
                item_id = uuid.uuid4()
            self.names[section].declare(where, name, item_id)
            yield where, item, item_id

    def read(self) -> CatalogFile:
        s = self.sections
        catalog = CatalogFile(
            ingredients=tuple(self.ingredient(*entry) for entry in s["ingredient"]),
            recipes=tuple(self.recipe(*entry) for entry in s["recipe"]),
            finished_units=tuple(self.finished_unit(*entry) for entry in s["finished_unit"]),
            material_units=tuple(self.material_unit(*entry) for entry in s["material_unit"]),
            products=tuple(self.product(*entry) for entry in s["product"]),
            finished_goods=tuple(self.finished_good(*entry) for entry in s["finished_good"]),
            events=tuple(self.event(*entry) for entry in s["event"]),
            explicit_ids=frozenset(self.explicit_ids),
            prices=dict(self.prices),
        )
        _refuse_loops(catalog)
        return catalog

    def ref(self, where: str, section: str, name: Any) -> uuid.UUID:
        return self.names[section].resolve(f"{where}, {section}", name)

    def amounts_of(
        self,
        where: str,
        item: dict[str, Any],
        array: tuple[str, str],
        keys: tuple[str, str],
        make: Callable[[uuid.UUID, Decimal], T],
    ) -> list[T]:
        """The entries of ``item[array[0]]``, each a (named reference, amount) pair, built
        with ``make`` (sub-recipes, production and assembly targets)."""
        key, label = array
        section, amount_key = keys
        built = []
        for at, entry in _entries(where, item, key, label, allowed=keys, required=keys):
            ref = self.ref(at, section, entry[section])
            amount = _amount(f"{at}, {amount_key}", entry[amount_key])
            with _at(at):
                built.append(make(ref, amount))
        return built

    def ingredient(self, where: str, item: dict[str, Any], item_id: uuid.UUID) -> Ingredient:
        _table(where, item, ("name", "id", "measures"), ("name",))
        measures = _measures(where, item)
        with _at(where):
            return Ingredient(item["name"], id=item_id, measures=measures)

    def recipe(self, where: str, item: dict[str, Any], item_id: uuid.UUID) -> Recipe:
        _table(where, item, ("name", "id", "lines", "sub_recipes"), ("name",))
        lines = []
        line_keys = ("ingredient", "quantity", "unit")
        for at, line in _entries(
            where, item, "lines", "line", allowed=(*line_keys, "note"), required=line_keys
        ):
            ingredient_id = self.ref(at, "ingredient", line["ingredient"])
            unit = _string(f"{at}, unit", line["unit"])
            quantity, unit = _line_amount(f"{at}, quantity", line["quantity"], unit)
            note = _string(f"{at}, note", line.get("note", ""))
            with _at(at):
                lines.append(IngredientLine(ingredient_id, quantity, unit, note))
        subs = self.amounts_of(
            where, item, ("sub_recipes", "sub-recipe"), ("recipe", "batches"), SubRecipe
        )
        with _at(where):
            return Recipe(item["name"], lines, subs, id=item_id)

    def finished_unit(self, where: str, item: dict[str, Any], item_id: uuid.UUID) -> FinishedUnit:
        keys = ("name", "recipe", "items_per_batch")
        _table(where, item, (*keys, "id"), keys)
        recipe_id = self.ref(where, "recipe", item["recipe"])
        per_batch = _amount(f"{where}, items_per_batch", item["items_per_batch"])
        with _at(where):
            return FinishedUnit(item["name"], recipe_id, per_batch, id=item_id)

    def material_unit(self, where: str, item: dict[str, Any], item_id: uuid.UUID) -> MaterialUnit:
        _table(where, item, ("name", "id", "measures"), ("name",))
        measures = _measures(where, item)
        with _at(where):
            return MaterialUnit(item["name"], id=item_id, measures=measures)

    def product(self, where: str, item: dict[str, Any], item_id: uuid.UUID) -> Product:
        keys = ("name", "for", "pack")
        optional = ("id", "min_packs", "preferred", "active", "price", "currency")
        _table(where, item, (*keys, *optional), keys)
        for_item = self.stocked_item(f"{where}, for", item["for"])
        quantity, unit = _pack(f"{where}, pack", item["pack"])
        min_packs = item.get("min_packs", 1)
        if isinstance(min_packs, bool) or not isinstance(min_packs, int) or min_packs < 1:
            raise _problem(
                f"{where}, min_packs",
                f"expected a whole number of packs from 1, not {_describe(min_packs)}",
            )
        flags = {key: _flag(f"{where}, {key}", item.get(key, default))
                 for key, default in (("preferred", False), ("active", True))}  # fmt: skip
        price = _price(where, item)
        with _at(where):
            product = Product(
                for_item, item["name"], quantity, unit, min_packs=min_packs, id=item_id, **flags
            )
        if price is not None:
            self.prices[item_id] = price
        return product

    def stocked_item(self, where: str, value: Any) -> uuid.UUID:
        """What a product is for: the name of an ingredient or of a material unit, or a table
        naming one of them (``{ material_unit = "Box" }``) when both kinds have the name."""
        kinds = ("ingredient", "material_unit")
        if isinstance(value, dict):
            _table(where, value, kinds, ())
            if len(value) != 1:
                raise _problem(where, f"give exactly one of {_one_of(kinds)}")
            ((kind, name),) = value.items()
            return self.ref(where, kind, name)
        name = _string(where, value)
        found = [kind for kind in kinds if name in self.names[kind].ids]
        if len(found) == 2:
            raise _problem(
                where,
                f"both an ingredient and a material unit are named {name!r}: write "
                f'for = {{ ingredient = "{name}" }} or for = {{ material_unit = "{name}" }}',
            )
        if found:
            return self.names[found[0]].ids[name]
        known = [*self.names["ingredient"].ids, *self.names["material_unit"].ids]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise _problem(where, f"no ingredient or material unit named {name!r} in this file{hint}")

    def finished_good(self, where: str, item: dict[str, Any], item_id: uuid.UUID) -> FinishedGood:
        _table(where, item, ("name", "id", "components"), ("name",))
        kinds = [kind.value for kind in ComponentKind]
        components = []
        for at, part in _entries(
            where,
            item,
            "components",
            "component",
            allowed=(*kinds, "quantity"),
            required=["quantity"],
        ):
            named = [kind for kind in kinds if kind in part]
            if len(named) != 1:
                raise _problem(at, f"give exactly one of {_one_of(kinds)}")
            ref = self.ref(at, named[0], part[named[0]])
            quantity = _amount(f"{at}, quantity", part["quantity"])
            with _at(at):
                components.append(Component(named[0], ref, quantity))
        with _at(where):
            return FinishedGood(item["name"], components, id=item_id)

    def event(self, where: str, item: dict[str, Any], item_id: uuid.UUID) -> Event:
        _table(where, item, ("name", "id", "date", "production", "assembly"), ("name",))
        production = self.amounts_of(
            where, item, ("production", "production"), ("recipe", "batches"), ProductionTarget
        )
        assembly = self.amounts_of(
            where, item, ("assembly", "assembly"), ("finished_good", "quantity"), AssemblyTarget
        )
        date = _date(f"{where}, date", item.get("date"))
        with _at(where):
            return Event(item["name"], production, assembly, date=date, id=item_id)


def _refuse_loops(catalog: CatalogFile) -> None:
    """Refuse sub-recipes or finished goods that contain themselves: no plan could use them."""
    recipes = {r.id: r for r in catalog.recipes}
    goods = {g.id: g for g in catalog.finished_goods}
    recipe_edges = graph.edges(
        recipes, lambda i: [s.recipe_id for s in recipes[i].sub_recipes], known=recipes.keys()
    )
    good_edges = graph.edges(
        goods,
        lambda i: [c.ref for c in goods[i].components if c.kind is ComponentKind.FINISHED_GOOD],
        known=goods.keys(),
    )
    names = {i: r.name for i, r in recipes.items()} | {i: g.name for i, g in goods.items()}
    for what, edges in (("sub-recipes", recipe_edges), ("finished goods", good_edges)):
        loops = graph.find_loops(edges)
        if loops:
            # Start the loop at the item that comes first in the file, so the message is stable.
            position = {item_id: n for n, item_id in enumerate(edges)}
            loop = loops[0][:-1]
            first = min(range(len(loop)), key=lambda n: position[loop[n]])
            loop = (*loop[first:], *loop[:first], loop[first])
            path = " -> ".join(repr(names[i]) for i in loop)
            raise _problem("", f"{what} form a loop: {path}")
