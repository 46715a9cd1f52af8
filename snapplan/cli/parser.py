"""The ``snapplan`` argument parser: every command, its options and its help.

Building the parser imports no database code, so ``snapplan --help`` and usage errors are quick
and work without the ``sql`` extra.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NoReturn

from snapplan import __version__
from snapplan.cli.problems import EXIT_USAGE, hide_passwords
from snapplan.cli.terminal import escape

#: Environment variable read as the default of ``--db`` (not by ``demo``).
DB_VARIABLE = "SNAPPLAN_DB"
DEMO_DB = "snapplan-demo.sqlite"

#: The defaults of ``--max-recipe-depth`` and ``--max-good-depth``: those of
#: :class:`~snapplan.domain.limits.Limits` (a test checks they agree), written out so that
#: ``snapplan --help`` and ``-V`` define none of the domain's classes.
DEFAULT_RECIPE_DEPTH = 10
DEFAULT_GOOD_DEPTH = 10

#: The catalog format and its worked example: (name in the package's ``docs`` folder, where
#: the source tree keeps it). A wheel ships both in ``snapplan/docs``.
REFERENCE_FILES = (
    ("catalog-format.md", "docs/catalog-format.md"),
    ("bakery.toml", "examples/bakery.toml"),
)

_DESCRIPTION = """\
Production planning with immutable definition snapshots.

Start with `snapplan demo`, or bring your own catalog in with `snapplan sync` (the database
made to match the file; `load` adds a fresh copy), then `plan` an event and read its
`requirements`; record what you `buy` and `count`, and `shop` for what is still missing. A
catalog is a TOML file:
{catalog_files}

--db takes a SQLAlchemy URL (sqlite:///bakery.sqlite, postgresql+psycopg://user@host/db,
mariadb+pymysql://user@host/db) or a file path, which means SQLite. Its default is the
SNAPPLAN_DB environment variable, if set.
--db and --traceback may be given before or after the command.
"""

_EPILOG = """\
exit status:
  0    success
  1    error in the input or the database (one line on stderr: "snapplan: error: ...")
  2    wrong command line (usage)
  3    drift found (only `snapplan drift --exit-code`)
  4    problems found (`snapplan verify`, `snapplan check`; listed on stdout)
  70   internal error (please report it; --traceback shows where)
  130  interrupted
"""

_DEMO = f"""\
Build the sample bakery (a holiday market: sugar cookies, brownies, two cakes sharing a
frosting sub-recipe, gift boxes holding a nested mini box) in a database, plan its event and
print what the plan needs, with the commands to try next.

The database is --db (default: {DEMO_DB} in the current directory; SNAPPLAN_DB is not
used). It is created if it does not exist. If it is already a snapplan database, each run adds
a fresh copy of the sample with new ids and plans that copy; earlier data is kept. demo never
deletes or empties anything: delete the file yourself to start over. A file that is not a
SQLite database, or a database that already holds other tables, is left untouched and demo
stops with an error.
"""

_LOAD = """\
Load a catalog file into the database, creating the SQLite file and snapplan's tables if
needed. A catalog is a TOML file:
{catalog_files}

The whole file is checked first (names, references, amounts, loops); then everything is written
in one transaction: if anything fails (e.g. an explicit id that is already in the database),
nothing is loaded. Prints the counts and the id of each loaded event.

load always adds a fresh copy: loading a file again adds new copies of the items without an
explicit id, and a warning names each one whose name the database already had. To make the
database match an edited file instead (update in place), use `snapplan sync`.

Warnings (on stderr; the load still succeeds): a unit close to a known one ("cupz": did you mean
"cup"?), and sub-recipes or finished goods nested deeper than planning allows by default.
"""

_SYNC = """\
Make the database's catalog match a catalog file: add what is new, update what changed, leave
the rest alone. A catalog is a TOML file:
{catalog_files}

Matching: an item the file gives an `id` is the database item with that id (so it can be
renamed); any other item is the database item of its kind with the same name. Two database
items of one kind with that name are an error naming both ids: give the file's item the id of
the one to update. References inside the file (a recipe line's ingredient, a good's
components, an event's targets) follow the matches.

Changed items are updated in place, on the version read (the version goes up by one; if
someone else changed an item meanwhile, nothing is written). Unchanged items are not written.
A product's price in the file (`price`, `currency`) is recorded as a new price quote when it
differs from the product's price in force, or when it has none: the price history keeps every
earlier quote. Items of the database that the file does not have are kept and listed, unless
--prune removes them. Nothing removes plans or snapshots: every plan keeps what it captured and
stays readable by its id, also when its event is removed.

An event keeps the snapshots its targets were planned with where the target's recipe or good
is the same, so `snapplan plan EVENT` afterwards does not capture again what did not change
(`snapplan drift PLAN` shows what changed; `snapplan plan EVENT --force` captures again).

Everything is written in one transaction (all or nothing). Prints what changes, field by field
("recipe 'Vanilla Cake': line 1 (Butter): 225 g -> 250 g"); --dry-run prints the same and
writes nothing (nor creates a database). Like load, sync creates the SQLite file and snapplan's
tables when needed, and warns (on stderr; the sync still succeeds) about units that look like
typos and nesting deeper than planning allows by default.

load versus sync: load always adds a fresh copy of the file; sync makes the database match it.
"""

_PLAN = """\
Plan an event: capture immutable snapshots of every definition its targets need and record a
plan, all in one transaction. EVENT is an event id, or the exact name of an event if no other
event has that name. Re-planning an unchanged event returns its latest plan; --force captures
everything again and records a new plan that supersedes it.
"""

_REQUIREMENTS = """\
Print what a plan needs (batches per recipe, ingredients, finished units, packaging), computed
exactly from the plan's snapshots: later catalog edits do not change it.

With --json, amounts are exact strings: decimals in plain notation without trailing zeros
("2", "0.5", "2751.796185"); needed_batches is a fraction in lowest terms ("25/3") when no
decimal says it exactly; leftover_units is null when it is not defined.

The tables read as a baker measures, exactly: 8 ⅓ batches, 15 ¾ cups, 2 cups + 1 tbsp (cups
and spoons only where they add up to the amount); --exact shows the decimals, units apart.
"""

_DRIFT = """\
Compare a plan's snapshots with the live catalog: each target is changed or unchanged, and the
catalog definitions that changed or were removed since the plan are listed; apart from them,
the event's targets added, removed or given another amount since the plan (drift too). The
exit status is 0 either way, unless --exit-code is given.
"""

_VERIFY = """\
Check a plan: every snapshot against its digest (computed from its stored content and its
children's stored digests), every snapshot and child present. Every problem is listed; the exit
status is 4 when there is one. The plan's root digest (printed by `snapplan plan`) kept outside
the database and given as --expect-root also catches an edit that recomputed every digest.
"""

_CHECK = """\
Find every cycle among sub-recipes or finished goods and every reference to a definition that
does not exist, in the whole catalog and its events: what planning would stop at, all at once.
The exit status is 4 when anything is found.
"""

_UPGRADE = """\
Bring a database written by an earlier snapplan (release 0.1.0) to this snapplan's tables, in
one transaction: all of it or, on any failure, nothing (on SQLite and PostgreSQL). Every row is
kept; the ledger's runs get their digests. The other commands refuse such a database until it is
upgraded. A database that is up to date is left as it is. Keep a backup, and stop what else
uses the database while it runs.
"""

_PRODUCE = """\
Record BATCHES of RECIPE as baked against a plan: what came out (--items, default batches x items
per batch of its finished unit), the sub-recipes made along (--with-sub-recipes) and the
ingredients used, computed from the plan's snapshots. A plan that was re-planned is refused:
record against the latest (give the event's name as PLAN to always do so).
"""

_ASSEMBLE = """\
Record QUANTITY of GOOD as boxed: it takes, per the plan's snapshot of the good, finished units
and nested goods from stock and packaging. When stock cannot cover it the command says what is
short and by how much and records nothing, unless --allow-shortage.
"""

_WASTE = """\
Record QUANTITY of a finished unit or good as lost after it was made (dropped, spoiled, eaten):
on hand goes down. More than is on hand is refused.
"""

_VOID = """\
Cancel a run: a new ledger entry reverses exactly what the run recorded (nothing is ever changed
or deleted); `snapplan runs PLAN` lists the run numbers. A void that would take back what was
already used (cookies already boxed) is refused: void the later run first, or --allow-shortage.
Record the right run afterwards.

With --pantry, RUN is the number of a pantry entry (a purchase, a count or a use, as printed when
it was recorded, or by `snapplan pantry --entries`): it no longer counts from now on. Voiding it
again changes nothing; a void cannot be voided (record the entry again instead).
"""

_PROGRESS = """\
What is done and what is left of a plan: batches made and left (with make-up batches after a
burnt tray), finished units made, boxed, wasted and on hand, goods boxed and how many can be
boxed now, packaging and ingredients used. Runs recorded under earlier plans of the event count.
"""

_EXPORT = """\
Print a plan and every snapshot it reaches as JSON, in the format of snapplan's cattrs converter
(snapplan.adapters.converter): amounts as exact strings, ids as strings, times in ISO 8601 UTC,
each snapshot tagged with its "kind". The top level is
{"export_format": 1, "plan": {...}, "snapshots": [...]}.
"""


#: What PLAN is, wherever a command takes one.
_PLAN_HELP = "plan id, or an event (id or name) for its latest plan"


def reference_files() -> tuple[Path, Path]:
    """The catalog format description and the worked example, where this installation has them.

    A wheel ships them in the package (``snapplan/docs``); a source tree (a checkout, an
    unpacked sdist, an editable install) keeps them in ``docs/`` and ``examples/``.
    """
    package = Path(__file__).resolve().parents[1]
    found: list[Path] = []
    for name, in_source in REFERENCE_FILES:
        places = [package / "docs" / name, package.parent / in_source]
        # Neither: an installation without them; name them as the source distribution does.
        found.append(next((place for place in places if place.is_file()), Path(in_source)))
    return found[0], found[1]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose error messages never show a password."""

    secrets: frozenset[str] = frozenset()
    #: The subcommands' parsers, by name (set on the top-level parser).
    commands: dict[str, _Parser]

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        shown = escape(hide_passwords(message, self.secrets))
        self.exit(EXIT_USAGE, f"{self.prog}: error: {shown}\n")


def build_parser(*, secrets: Iterable[str] = ()) -> argparse.ArgumentParser:
    """The ``snapplan`` argument parser; its usage errors hide each of ``secrets``.

    ``--db`` and ``--traceback`` are accepted before and after the command; neither has a
    default in the parsed namespace unless given (:func:`parse_arguments` falls back to
    ``$SNAPPLAN_DB``, or ``snapplan-demo.sqlite`` for ``demo``).
    """
    return _build_parser(secrets)


@functools.lru_cache(maxsize=8)
def _parser_for(secrets: frozenset[str], db_variable_set: bool) -> _Parser:
    """:func:`parse_arguments`' parser, built once for the same ``secrets`` and
    ``$SNAPPLAN_DB`` set or not (what its texts depend on): building it takes 10 ms, argparse
    looking up a translation of every text, parsing with it a twentieth of one. A host or a
    test that calls :func:`snapplan.cli.main` again and again builds it once; parsing leaves a
    parser as it was."""
    return _build_parser(secrets)


def _build_parser(secrets: Iterable[str]) -> _Parser:
    hidden = frozenset(secrets)
    formatter = argparse.RawDescriptionHelpFormatter
    catalog_format, example = reference_files()
    catalog_files = f"  format:   {catalog_format}\n  example:  {example}"
    parser = _Parser(
        prog="snapplan",
        description=_DESCRIPTION.format(catalog_files=catalog_files),
        epilog=_EPILOG,
        formatter_class=formatter,
    )
    parser.secrets = hidden
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    traceback_help = "after the one-line error, also print the Python traceback (for bug reports)"
    parser.add_argument("--traceback", action="store_true", help=traceback_help)
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL or SQLite file path (the same as --db after the command)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parser.commands = {}

    # After the command, these must not overwrite a value given before it: no defaults.
    common = _Parser(add_help=False)
    common.add_argument(
        "--traceback", action="store_true", default=argparse.SUPPRESS, help=traceback_help
    )
    database = _Parser(add_help=False)
    database.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL or SQLite file path"
        # The variable's value is not shown: a URL may hold a password.
        + (
            f" (default: ${DB_VARIABLE})"
            if os.environ.get(DB_VARIABLE)
            else f" (or set ${DB_VARIABLE})"
        ),
    )

    def command(name: str, summary: str, text: str, *parents: _Parser) -> _Parser:
        subparser = subparsers.add_parser(
            name,
            help=summary,
            description=text,
            parents=[common, *parents],
            formatter_class=formatter,
        )
        subparser.secrets = hidden
        parser.commands[name] = subparser
        return subparser

    demo = command("demo", "plan a sample bakery in a SQLite file and print its needs", _DEMO)
    demo.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"SQLite file path or database URL (default: {DEMO_DB})",
    )

    load_text = _LOAD.format(catalog_files=catalog_files)
    load_summary = "add a TOML catalog file to a database (a fresh copy)"
    load = command("load", load_summary, load_text, database)
    load.add_argument("catalog", metavar="CATALOG.toml", help="the catalog file")

    sync_text = _SYNC.format(catalog_files=catalog_files)
    sync = command("sync", "make the database's catalog match a catalog file", sync_text, database)
    sync.add_argument("catalog", metavar="CATALOG.toml", help="the catalog file")
    sync.add_argument(
        "--dry-run", action="store_true", help="print what would change and write nothing"
    )
    sync.add_argument(
        "--prune", action="store_true", help="remove the database's items that the file lacks"
    )

    plan = command("plan", "plan an event (capture snapshots, record a plan)", _PLAN, database)
    plan.add_argument("event", metavar="EVENT", help="event id, or an event's unique name")
    plan.add_argument("--force", action="store_true", help="capture every target again: a new plan")
    plan.add_argument(
        "--max-recipe-depth",
        metavar="N",
        type=_positive_int,
        default=DEFAULT_RECIPE_DEPTH,
        help="recipes on one sub-recipe path, the root included (default: %(default)s)",
    )
    plan.add_argument(
        "--max-good-depth",
        metavar="N",
        type=_positive_int,
        default=DEFAULT_GOOD_DEPTH,
        help="levels of finished goods below a target good (default: %(default)s)",
    )

    requirements = command("requirements", "print what a plan needs", _REQUIREMENTS, database)
    requirements.add_argument("plan", metavar="PLAN", help=_PLAN_HELP)
    requirements.add_argument("--json", action="store_true", help="print JSON, not tables")
    requirements.add_argument(
        "--exact", action="store_true", help="every digit, in the unit computed (no rounding)"
    )

    drift = command("drift", "compare a plan with the live catalog", _DRIFT, database)
    drift.add_argument("plan", metavar="PLAN", help=_PLAN_HELP)
    drift.add_argument(
        "--exit-code",
        action="store_true",
        help="exit with status 3 when drift is found (for scripts)",
    )

    drift.add_argument("--json", action="store_true", help="print JSON, not text")

    export = command("export", "print a plan and its snapshots as JSON", _EXPORT, database)
    export.add_argument("plan", metavar="PLAN", help=_PLAN_HELP)

    verify = command("verify", "check a plan against its digests", _VERIFY, database)
    verify.add_argument("plan", metavar="PLAN", help=_PLAN_HELP)
    verify.add_argument(
        "--expect-root",
        metavar="DIGEST",
        help="the root digest kept for the plan (printed by snapplan plan)",
    )

    command("check", "find every cycle and dangling reference in the catalog", _CHECK, database)

    command("upgrade", "bring a database of an earlier snapplan to this one", _UPGRADE, database)

    _execution_commands(command, database)
    _buying_commands(command, database)
    _sheet_command(command, database)
    _ledger_and_picture_commands(command, database)
    return parser


_SHEET = """\
Print a plan's kitchen sheet: one card per recipe, scaled to the planned batches (--remaining:
to what is left to bake, make-up batches included), ingredients as a baker measures them (⅓ cup,
1 ½ tsp, 2 cups + 1 tbsp; exact, every digit where no cup or spoon says it), sub-recipes before
the recipes that use them; then a packing list per finished good, inner goods first.

--html FILE writes it as one self-contained page that prints one card per page (no external
assets), instead of printing the text.
"""


def _sheet_command(command: Callable[..., _Parser], database: _Parser) -> None:
    """sheet (issue 17: the kitchen sheets)."""
    sheet = command("sheet", "recipe cards and packing lists to work from", _SHEET, database)
    sheet.add_argument("plan", metavar="PLAN", help="plan id, or an event (id or name)")
    sheet.add_argument("--remaining", action="store_true", help="only what is left to make")
    sheet.add_argument("--html", metavar="FILE", help="write a printable HTML page to FILE")


def _execution_commands(command: Callable[..., _Parser], database: _Parser) -> None:
    """produce, assemble, waste, void, progress (EXECUTION.md)."""
    who = _Parser(add_help=False)
    who.add_argument("--note", default="", help="a note kept with the run")
    who.add_argument("--by", help="who recorded it")
    keyed = _Parser(add_help=False)
    keyed.add_argument(
        "--key", help="an idempotency key: the same request again returns the first run"
    )
    plan_help = _PLAN_HELP

    produce = command("produce", "record batches baked", _PRODUCE, database, who, keyed)
    produce.add_argument("plan", metavar="PLAN", help=plan_help)
    produce.add_argument("recipe", metavar="RECIPE", help="recipe name or id")
    produce.add_argument("batches", metavar="BATCHES", help="batches baked (2, 0.5, 1 1/2...)")
    produce.add_argument("--unit", metavar="NAME", help="the finished unit made (when several)")
    produce.add_argument("--items", metavar="N", help="items that came out (a burnt tray...)")
    produce.add_argument(
        "--with-sub-recipes", action="store_true", help="the sub-recipes were made along"
    )

    assemble = command("assemble", "record goods boxed", _ASSEMBLE, database, who, keyed)
    assemble.add_argument("plan", metavar="PLAN", help=plan_help)
    assemble.add_argument("good", metavar="GOOD", help="finished good name or id")
    assemble.add_argument("quantity", metavar="QUANTITY", help="how many were boxed (12, 1/2...)")
    assemble.add_argument(
        "--allow-shortage",
        action="store_true",
        help="record it even when stock does not cover it (bought in, made elsewhere)",
    )

    waste = command("waste", "record made items lost", _WASTE, database, who, keyed)
    waste.add_argument("plan", metavar="PLAN", help=plan_help)
    waste.add_argument("item", metavar="ITEM", help="finished unit or good, name or id")
    waste.add_argument("quantity", metavar="QUANTITY", help="how many were lost")
    waste.add_argument("--reason", required=True, help="dropped, spoiled, eaten, given away...")

    void = command("void", "cancel a run, or a pantry entry (--pantry)", _VOID, database)
    void.add_argument(
        "run",
        metavar="RUN",
        help="run id, or the run's number with --plan, or a pantry entry's number with --pantry",
    )
    void.add_argument("--plan", metavar="PLAN", help=plan_help)
    void.add_argument(
        "--pantry", action="store_true", help="RUN is a pantry entry's number: void that entry"
    )
    void.add_argument("--reason", required=True, help="why the run is cancelled")
    void.add_argument("--by", help="who cancelled it")
    void.add_argument(
        "--allow-shortage", action="store_true", help="even if on hand goes below zero"
    )

    progress = command("progress", "what is done and what is left of a plan", _PROGRESS, database)
    progress.add_argument("plan", metavar="PLAN", help=plan_help)
    progress.add_argument("--json", action="store_true", help="print exact JSON, not tables")
    progress.add_argument(
        "--exact", action="store_true", help="every digit, in the unit computed (no rounding)"
    )


_BUY = """\
Record PACKS packs of PRODUCT bought: a pantry receipt of its ingredient or packaging material
(PACKS x its pack, as bought). With --price, what one pack cost is also recorded in the price
history, in the same commit. PRODUCT is a product's id or name (products come from a catalog
file's [[product]] tables: snapplan sync).

The currency is --currency, else that of the product's latest price, else the one currency of
every recorded price. --key makes a retry harmless: the same key with the same purchase returns
the first entry and writes nothing; with another purchase it is refused.
"""

_PRICE = """\
Record what one pack of PRODUCT costs, from now (or --at) on. Prices are a history: a new price
never changes the old one, so any earlier shopping list or cost can be worked out again. 0 is a
price (a gift); a price not known is simply not recorded. The currency is --currency, else that
of the product's latest price, else the one currency of every recorded price.
"""

_COUNT = """\
Record what you counted on the shelf: QUANTITY UNIT of ITEM (an ingredient or packaging
material, by id or name). A count is an absolute figure: on hand starts from it, whatever the
pantry said before. QUANTITY may be 0, a decimal (1.5) or a fraction (1/3, 1 1/2).
"""

_USE = """\
Record QUANTITY UNIT of ITEM used outside the plans (a snack, a spill, a loan to a neighbour),
and why. What the kitchen's runs use (snapplan produce, assemble) comes off the shelf by itself:
record here only what no run records.
"""

_PANTRY = """\
What the pantry holds of every item, now or --as-of a time: the latest count, plus purchases,
minus uses, minus what the kitchen's production and assembly runs used since (of every event;
a voided run gives back what it used). Each item is shown in its stock unit (the unit of its
products' packs); an amount that its measures cannot convert is listed beside it, never dropped.
On hand may be below zero (a purchase not recorded): it is shown as it is.

--entries lists the pantry's ledger instead, entry by entry (the numbers `snapplan void --pantry`
takes). With --json, amounts are exact strings and times ISO 8601 UTC: {"as_of", "items": [...]}
(each item as the library's PantryItem), or {"entries": [...]}.
"""

_SHOP = """\
What to buy for one or more plans (PLAN: a plan id, or an event's id or name for its latest
plan), as a list to take to the shop: item by item, the packs to buy first ("2 x Butter 250 g
block"), then what will be left over. Every plan's needs are summed, converted to each item's
stock unit through its own measures, netted once against the pantry, and only then rounded to
packs, exactly: --policy cheapest (the least total price; never greedy by unit price), fewest
(the fewest packs) or preferred (each item's preferred product).

By default the list covers what is still to make (the batches not yet baked, the goods not yet
boxed); --all covers the whole plans, --no-pantry leaves the pantry out. A line that misses a
product, a price or a conversion is marked "!" with the reason, and the list says it is
incomplete: an amount in a unit the item's measures cannot convert (cups of an ingredient
without a density) is listed, never guessed. --explain ITEM prints where every gram of one item
comes from (each recipe line and packaging of each plan). Money is shown to the cent, rounded
half up; --json and --csv keep every digit: amounts and money as exact strings (a fraction that
no decimal says exactly as "n/d"), JSON as the library's ShoppingList: {"lines", "currency",
"total", "complete", "missing"}.
"""

_COST = """\
What a plan costs at today's prices (or --as-of's): one batch of each recipe (its lines and its
sub-recipes), one of each finished unit (its batch divided by its items per batch), one of each
finished good (its components), and the whole plan as planned (whole batches, as baked, and all
its packaging). An item costs its cheapest price per unit among its products. A figure that
needs a missing price, product or conversion is shown as "-", and the plan is marked incomplete:
never a zero. Money is shown to the cent, rounded half up; --json keeps every digit: exact
strings (a fraction such as a third of a batch as "n/d"), as the library's PlanCost: {"plan_id",
"currency", "recipes", "finished_units", "goods", "total", "complete", "missing"}.
"""


def _buying_commands(command: Callable[..., _Parser], database: _Parser) -> None:
    """buy, price, count, use, pantry, shop, cost (SHOPPING.md)."""
    who = _Parser(add_help=False)
    who.add_argument("--note", default="", help="a note kept with the entry")
    who.add_argument("--by", help="who recorded it")
    keyed = _Parser(add_help=False)
    keyed.add_argument(
        "--key", help="an idempotency key: the same request again returns the first entry"
    )
    at = _Parser(add_help=False)
    at.add_argument(
        "--at",
        metavar="TIME",
        help="when it happened, to back-date it: 2026-12-18T09:30 (local time) or with an "
        "offset, 2026-12-18T09:30+01:00 (default: now)",
    )
    as_of = _Parser(add_help=False)
    as_of.add_argument(
        "--as-of",
        metavar="TIME",
        help="as of a time: 2026-12-18T18:00 (local time) or with an offset (default: now)",
    )
    money = _Parser(add_help=False)
    money.add_argument(
        "--currency", metavar="CODE", help="prices in this currency (EUR), when several are used"
    )
    product_help = "product id or name"
    item_help = "ingredient or packaging material, id or name"

    buy = command("buy", "record packs of a product bought", _BUY, database, who, keyed, at)
    buy.add_argument("product", metavar="PRODUCT", help=product_help)
    buy.add_argument("packs", metavar="PACKS", help="how many packs (2)")
    buy.add_argument("--price", metavar="PRICE", help="what one pack cost (2.50)")
    buy.add_argument("--currency", metavar="CODE", help="the price's currency (EUR)")

    price = command("price", "record what a pack of a product costs", _PRICE, database, at)
    price.add_argument("product", metavar="PRODUCT", help=product_help)
    price.add_argument("price", metavar="PRICE", help="what one pack costs (2.50)")
    price.add_argument("--currency", metavar="CODE", help="the price's currency (EUR)")
    price.add_argument("--note", default="", help="a note kept with the price")

    count = command("count", "record what is on the shelf", _COUNT, database, who, keyed, at)
    count.add_argument("item", metavar="ITEM", help=item_help)
    count.add_argument("quantity", metavar="QUANTITY", help="how much was counted (1.5, 1/3)")
    count.add_argument("unit", metavar="UNIT", help="its unit (kg, cup, each)")

    use = command("use", "record what was used outside the plans", _USE, database, who, keyed, at)
    use.add_argument("item", metavar="ITEM", help=item_help)
    use.add_argument("quantity", metavar="QUANTITY", help="how much was used (2, 1/2)")
    use.add_argument("unit", metavar="UNIT", help="its unit (g, cup, each)")
    use.add_argument("--reason", required=True, help="a snack, a spill, lent to a neighbour...")

    pantry = command("pantry", "what the pantry holds", _PANTRY, database, as_of)
    pantry.add_argument("--json", action="store_true", help="print exact JSON, not a table")
    pantry.add_argument(
        "--entries", action="store_true", help="list the pantry's entries, with their numbers"
    )

    shop = command("shop", "what to buy for some plans", _SHOP, database, as_of, money)
    shop.add_argument(
        "plans",
        metavar="PLAN",
        nargs="+",
        help="plan id, or an event (id or name) for its latest plan",
    )
    shop.add_argument(
        "--policy",
        choices=("cheapest", "fewest", "preferred"),
        default="cheapest",
        help="how packs are chosen (default: %(default)s)",
    )
    shop.add_argument(
        "--all", action="store_true", help="the whole plans, not only what is still to make"
    )
    shop.add_argument("--no-pantry", action="store_true", help="leave the pantry out")
    shop.add_argument("--explain", metavar="ITEM", help="where every gram of ITEM comes from")
    shape = shop.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print exact JSON")
    shape.add_argument("--csv", action="store_true", help="print CSV, one row per pack choice")

    cost = command("cost", "what a plan costs", _COST, database, as_of, money)
    cost.add_argument("plan", metavar="PLAN", help="plan id, or an event (id or name)")
    cost.add_argument("--json", action="store_true", help="print exact JSON, not tables")


# -- runs, graph (issue 17) ------------------------------------------------------------------

_RUNS = """\
List the ledger of a plan's event, entry by entry: its number (what `snapplan void N --plan
PLAN` takes), when it was recorded, what it recorded, who recorded it, its idempotency key, and
the void that cancelled it. Runs recorded under an earlier plan of the event are listed too,
with that plan's id (they still count). With --json, times are ISO 8601 UTC.
"""

_GRAPH = """\
Print a plan's snapshot tree as a picture: the event, its targets, and below them the finished
goods, finished units, recipes, sub-recipes and packaging the plan captured, each shared
snapshot drawn once, amounts on the edges (batches, quantities, items a batch). --format
mermaid (the default) renders in Markdown (GitHub, MkDocs Material); --format dot is for
Graphviz: snapplan graph PLAN --format dot | dot -Tsvg > plan.svg
"""


def _ledger_and_picture_commands(command: Callable[..., _Parser], database: _Parser) -> None:
    """runs, graph."""
    runs = command("runs", "list the ledger of a plan's event (run numbers)", _RUNS, database)
    runs.add_argument("plan", metavar="PLAN", help=_PLAN_HELP)
    runs.add_argument("--json", action="store_true", help="print JSON, not a table")
    graph = command("graph", "draw a plan's snapshot tree (Mermaid, DOT)", _GRAPH, database)
    graph.add_argument("plan", metavar="PLAN", help=_PLAN_HELP)
    graph.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid (for Markdown) or dot (for Graphviz) (default: %(default)s)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def parse_arguments(argv: Sequence[str], *, secrets: Iterable[str] = ()) -> argparse.Namespace:
    """Parse ``argv`` and settle ``--db``: ``args.db``, and ``args.db_from_environment``.

    ``--db`` given after the command wins over one given before it; without either, ``demo``
    uses ``snapplan-demo.sqlite`` and the other commands ``$SNAPPLAN_DB`` (a usage error when
    it is not set either).
    """
    parser = _parser_for(frozenset(secrets), bool(os.environ.get(DB_VARIABLE)))
    args = parser.parse_args(argv)
    args.db_from_environment = False
    if "db" in vars(args):
        return args
    if args.command == "demo":
        args.db = DEMO_DB
        return args
    from_environment = os.environ.get(DB_VARIABLE) or None
    if from_environment is None:
        parser.commands[args.command].error(
            f"the following arguments are required: --db (or set {DB_VARIABLE})"
        )
    args.db = from_environment
    args.db_from_environment = True
    return args
