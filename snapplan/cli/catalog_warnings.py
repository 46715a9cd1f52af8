"""Warnings about a catalog file that is valid but probably not what was meant.

``snapplan load`` and ``snapplan sync`` print them on stderr, one line per problem, and still
succeed:

- a unit close to a known one (``cupz``: did you mean ``cup``?). Unknown units stay allowed
  ("pinch", "sprig"), but they are kept as written and never converted or summed with other
  units, so a typo shows up much later as ``Flour 4 cupz`` next to ``Flour 2 cup``;
- a unit that is close to none (``stick``, ``large``) in a recipe line, when the ingredient's
  measures do not convert it: one warning per ingredient and unit, pointing at the measure to
  add (``measures = ["1 stick = 113 g"]``);
- a chain of sub-recipes, or of nested finished goods, deeper than the default
  :class:`~snapplan.domain.limits.Limits`: planning it will need ``--max-recipe-depth N``
  (or ``--max-good-depth N``);
- (``load``) a name that the database already has for that kind: ``load`` adds a fresh copy,
  ``sync`` updates the existing one.

>>> suggest_unit("cupz"), suggest_unit("tsp."), suggest_unit("pinch"), suggest_unit("cup")
('cup', 'tsp', None, None)
"""

from __future__ import annotations

import difflib
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, TextIO

from snapplan.cli.catalog_file import CatalogFile
from snapplan.cli.terminal import escape
from snapplan.domain import graph
from snapplan.domain.catalog import ComponentKind, Ingredient, MaterialUnit
from snapplan.domain.limits import Limits
from snapplan.domain.units import canonical_unit, dimension_of, known_unit, unit_spellings
from snapplan.ports.unit_of_work import UnitOfWork

#: What starts every warning line (errors start with ``snapplan: error:``).
PREFIX: Final = "snapplan: warning: "
#: Shown at most, per command, of the "already in the database" warnings.
MAX_DUPLICATE_LINES: Final = 5


def print_warnings(messages: Iterable[str], *, stream: TextIO | None = None) -> None:
    """Each message as one ``snapplan: warning: ...`` line on stderr (or ``stream``)."""
    out = sys.stderr if stream is None else stream
    for message in messages:
        print(f"{PREFIX}{escape(message)}", file=out)


def catalog_warnings(
    catalog: CatalogFile, *, source: str | None = None, limits: Limits = Limits()
) -> list[str]:
    """Every warning about the file itself (units, depth), each prefixed with ``source``."""
    found = [*unit_warnings(catalog), *depth_warnings(catalog, limits)]
    return [f"{source}: {message}" if source else message for message in found]


# -- units ---------------------------------------------------------------------------------


def _normal(spelling: str) -> str:
    return " ".join(spelling.strip().lower().split())


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    two neighbouring letters (``tbps`` is one edit from ``tbsp``)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def suggest_unit(spelling: str) -> str | None:
    """The known unit spelling that ``spelling`` is probably a typo of, or None.

    None for a known unit and for a unit that is not close to any known one. Close means: a
    known unit with a trailing ``.`` or ``s`` (``tsp.``, ``kgs``), or one edit away from a known
    spelling of three letters or more (two edits for words of eight letters or more). Short
    spellings are left alone: ``cl``, ``dl`` and ``pt`` are real units, one letter away from
    known ones.
    """
    if known_unit(spelling) is not None:
        return None
    key = _normal(spelling)
    stripped = key.rstrip(".")
    for trimmed in (stripped, stripped.removesuffix("s")):
        if trimmed and trimmed != key and known_unit(trimmed) is not None:
            return trimmed
    if len(key) < 3:
        return None
    allowed = 2 if len(key) >= 8 else 1
    ranked = []
    for candidate in unit_spellings():
        if len(candidate) < 3:
            continue
        distance = _edit_distance(key, candidate)
        if distance <= allowed:
            # Among equally close ones, a canonical spelling, then the most similar one.
            alias = canonical_unit(candidate) != candidate
            similarity = difflib.SequenceMatcher(a=key, b=candidate).ratio()
            ranked.append((distance, alias, -similarity, candidate))
    return min(ranked)[3] if ranked else None


def unit_warnings(catalog: CatalogFile) -> list[str]:
    """One warning per recipe line, product pack and measure whose unit looks like a typo of a
    known unit."""
    names = {ingredient.id: ingredient.name for ingredient in catalog.ingredients}
    found = []
    unmeasured: dict[tuple[uuid.UUID, str], list[str]] = {}
    for recipe in catalog.recipes:
        for number, line in enumerate(recipe.lines, start=1):
            suggestion = suggest_unit(line.unit)
            if suggestion is not None:
                ingredient = names.get(line.ingredient_id, "?")
                found.append(
                    f"recipe {recipe.name!r}, line {number} ({ingredient}), unit: {line.unit!r} "
                    f"is not a known unit; did you mean {suggestion!r}? (an unknown unit is "
                    "kept as written, never converted or added to other units)"
                )
            elif known_unit(line.unit) is None:
                where = f"recipe {recipe.name!r}, line {number}"
                unmeasured.setdefault((line.ingredient_id, line.unit), []).append(where)
    found += _unmeasured_warnings(catalog, unmeasured)
    stocked: dict[uuid.UUID, str] = {i.id: i.name for i in catalog.ingredients}
    stocked.update((m.id, m.name) for m in catalog.material_units)
    for product in catalog.products:
        suggestion = suggest_unit(product.pack_unit)
        if suggestion is not None:
            found.append(
                f"product {product.name!r} ({stocked.get(product.item_id, '?')}), pack: "
                f"{product.pack_unit!r} is not a known unit; did you mean {suggestion!r}? (an "
                "unknown unit is kept as written, and converts only through the item's measures)"
            )
    measured: list[tuple[str, Ingredient | MaterialUnit]] = [
        *(("ingredient", item) for item in catalog.ingredients),
        *(("material unit", item) for item in catalog.material_units),
    ]
    for label, item in measured:
        for number, measure in enumerate(item.measures, start=1):
            for unit in (measure.unit, measure.equals_unit):
                suggestion = suggest_unit(unit)
                if suggestion is not None:
                    found.append(
                        f"{label} {item.name!r}, measure {number} ({measure}): {unit!r} is not "
                        f"a known unit; did you mean {suggestion!r}?"
                    )
    return found


def _unmeasured_warnings(
    catalog: CatalogFile, lines: Mapping[tuple[uuid.UUID, str], Sequence[str]]
) -> list[str]:
    """One warning per ingredient and unknown unit (``stick``, ``large``) that its measures do
    not convert: such amounts are never added to the ingredient's grams or eggs, so a total
    shows up twice (``Eggs 4 large`` next to ``Eggs 6 each``)."""
    ingredients = {ingredient.id: ingredient for ingredient in catalog.ingredients}
    # The unit each ingredient is otherwise counted in, for the example measure: its first
    # known unit in the recipes, else grams.
    usual: dict[uuid.UUID, str] = {}
    for recipe in catalog.recipes:
        for line in recipe.lines:
            if known_unit(line.unit) is not None:
                usual.setdefault(line.ingredient_id, canonical_unit(line.unit))
    found = []
    for (ingredient_id, unit), where in lines.items():
        ingredient = ingredients.get(ingredient_id)
        reached = {
            dimension_of(side)
            for measure in (ingredient.measures if ingredient is not None else ())
            for side in (measure.unit, measure.equals_unit)
        }
        if dimension_of(unit) in reached:
            continue
        name = ingredient.name if ingredient is not None else "?"
        more = f" and {len(where) - 1} more line{'s' if len(where) > 2 else ''}" * (len(where) > 1)
        example = f'measures = ["1 {unit} = N {usual.get(ingredient_id, "g")}"]'
        found.append(
            f"{where[0]}{more} ({name}), unit: {unit!r} is not a known unit: it is kept as "
            "written, on a line of its own, and the pantry and the shopping list convert it "
            f"only through the ingredient's measures: give ingredient {name!r} one, {example} "
            "(see Measures in the catalog format)"
        )
    return found


# -- depth -----------------------------------------------------------------------------------


def depth_warnings(catalog: CatalogFile, limits: Limits = Limits()) -> list[str]:
    """A warning per root of a sub-recipe chain or of a chain of nested goods that is deeper
    than ``limits`` allow (recipes count the recipes on a path, root included; goods count
    the levels below the root good)."""
    recipes = {recipe.id: recipe for recipe in catalog.recipes}
    goods = {good.id: good for good in catalog.finished_goods}
    found = []
    sub_recipes = graph.edges(
        recipes, lambda i: [s.recipe_id for s in recipes[i].sub_recipes], known=recipes.keys()
    )
    for root, path in _too_deep(sub_recipes, limits.recipes):
        chain = _chain(path, lambda i: recipes[i].name)
        found.append(
            f"recipe {recipes[root].name!r}: its sub-recipes nest {len(path)} recipes deep "
            f"({chain}), more than the default limit of {limits.recipes}; planning it will "
            f"need --max-recipe-depth {len(path)}"
        )
    nested = graph.edges(
        goods,
        lambda i: [c.ref for c in goods[i].components if c.kind is ComponentKind.FINISHED_GOOD],
        known=goods.keys(),
    )
    for root, path in _too_deep(nested, limits.goods + 1):
        levels = len(path) - 1
        chain = _chain(path, lambda i: goods[i].name)
        found.append(
            f"finished good {goods[root].name!r}: goods nest {levels} levels below it "
            f"({chain}), more than the default limit of {limits.goods}; planning it will "
            f"need --max-good-depth {levels}"
        )
    return found


def _too_deep(
    edges: Mapping[uuid.UUID, Sequence[uuid.UUID]], max_nodes: int
) -> list[tuple[uuid.UUID, list[uuid.UUID]]]:
    """(root, its longest path) for each root (a node no other node contains) whose longest
    path holds more than ``max_nodes`` nodes. The file has no loops (the reader refuses them).
    """
    heights: dict[uuid.UUID, int] = {}
    children: Callable[[uuid.UUID], Sequence[uuid.UUID]] = edges.__getitem__
    for node in edges:
        graph.children_first(node, children, heights=heights)
    contained = {child for below in edges.values() for child in below}
    found = []
    for root in edges:
        if root in contained or heights[root] <= max_nodes:
            continue
        path = [root]
        while edges[path[-1]]:
            path.append(max(edges[path[-1]], key=heights.__getitem__))
        found.append((root, path))
    return found


def _chain(path: Sequence[uuid.UUID], name: Callable[[uuid.UUID], str]) -> str:
    """``'A' -> 'B' -> 'C'``; a long chain as its first three and last two links."""
    shown = [repr(name(i)) for i in path]
    if len(shown) > 6:
        shown = [*shown[:3], "...", *shown[-2:]]
    return " -> ".join(shown)


# -- names already in the database (load) -------------------------------------------------


#: The catalog file's sections with their repository attribute and what a message calls them.
KINDS: Final = (
    ("ingredient", "ingredients", "ingredient"),
    ("recipe", "recipes", "recipe"),
    ("finished_unit", "finished_units", "finished unit"),
    ("material_unit", "material_units", "material unit"),
    ("product", "products", "product"),
    ("finished_good", "finished_goods", "finished good"),
    ("event", "events", "event"),
)


def names_in_database(uow: UnitOfWork, catalog: CatalogFile) -> list[str]:
    """A warning per item of ``catalog`` whose name the database already has for its kind.

    Read in ``uow`` (entered) before the file is added: ``load`` adds a fresh copy, so the
    database then holds two items of that kind with that name.
    """
    found = []
    for _, repository, label in KINDS:
        # The file's tuples are named like the repositories (catalog.recipes, uow.recipes).
        mine: Sequence[Any] = getattr(catalog, repository)
        if not mine:
            continue
        stored: dict[str, list[uuid.UUID]] = {}
        for item in getattr(uow, repository).all():
            stored.setdefault(item.name, []).append(item.id)
        for item in mine:
            ids = [i for i in stored.get(item.name, []) if i != item.id]
            if ids:
                shown = ", ".join(str(i) for i in ids)
                found.append(
                    f"{label} {item.name!r} is already in the database ({shown}); "
                    "load added another one"
                )
    return found


def capped(messages: Sequence[str], limit: int = MAX_DUPLICATE_LINES) -> list[str]:
    """At most ``limit`` messages, the rest counted in one more line."""
    if len(messages) <= limit:
        return list(messages)
    return [*messages[: limit - 1], f"... and {len(messages) - limit + 1} more like these"]
