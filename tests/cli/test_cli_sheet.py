"""``snapplan sheet``: recipe cards and packing lists, as text and as a printable HTML page.

The catalog, checked by hand: a Cake (250 g flour, 3 eggs a batch; 8 slices) takes ¾ batch of
Buttercream (1/3 cup of butter, read as 16 tsp, and 2 cups of sugar) per batch. A Duo box holds
2 slices and a box; a Hamper holds 2 Duos and a box; 3 Hampers are planned. So 6 Duos, 12
slices, 12/8 = 1 ½ → 2 batches of Cake, 2 x ¾ = 1 ½ batches of Buttercream: 24 tsp = ½ cup of
butter and 3 cups of sugar; 500 g of flour and 6 eggs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from snapplan.adapters.memory import MemoryStore
from snapplan.cli.sample import sample_bakery
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.units import dimension_of, known_unit
from snapplan.services import create_plan, plan_requirements
from snapplan.services.sheets import plan_sheet

from .test_cli_kitchen import Cli

CATALOG = """
[[ingredient]]
name = "Butter"
[[ingredient]]
name = "Sugar"
[[ingredient]]
name = "Flour"
[[ingredient]]
name = "Eggs"

[[recipe]]
name = "Cake"
lines = [
    { ingredient = "Flour", quantity = 250, unit = "g" },
    { ingredient = "Eggs", quantity = 3, unit = "each", note = "large" },
]
sub_recipes = [{ recipe = "Buttercream", batches = "¾" }]

[[recipe]]
name = "Buttercream"
lines = [
    { ingredient = "Butter", quantity = "1/3", unit = "cup" },
    { ingredient = "Sugar", quantity = 2, unit = "cups" },
]

[[finished_unit]]
name = "Slice"
recipe = "Cake"
items_per_batch = 8

[[material_unit]]
name = "Box"

[[finished_good]]
name = "Hamper"
components = [{ finished_good = "Duo", quantity = 2 }, { material_unit = "Box", quantity = 1 }]

[[finished_good]]
name = "Duo"
components = [{ finished_unit = "Slice", quantity = 2 }, { material_unit = "Box", quantity = 1 }]

[[event]]
name = "Fair"
date = 2026-12-19
assembly = [{ finished_good = "Hamper", quantity = 3 }]
"""

PLANNED = """\
Kitchen sheets for 'Fair' (2026-12-19): the planned batches

1. Buttercream: 1 ½ batches
   ½ cup   Butter
   3 cups  Sugar

2. Cake: 2 batches
   500 g        Flour
   6            Eggs (large)
   1 ½ batches  Buttercream (card 1, made first)
   makes 16 Slice

Packing

Duo: 6 to box
   each  in all
   2     12      Slice
   1     6       Box

Hamper: 3 to box
   each  in all
   2     6       Duo (packed above)
   1     3       Box
"""


@pytest.fixture
def fair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)
    (tmp_path / "fair.toml").write_text(CATALOG, encoding="utf-8")
    cli = Cli(tmp_path / "fair.sqlite", capsys)
    cli.ok("load", "fair.toml")
    cli.ok("plan", "Fair")
    return cli


def test_one_card_per_recipe_sub_recipes_first_then_packing_inner_goods_first(fair: Cli) -> None:
    assert fair.ok("sheet", "Fair") == PLANNED


def test_remaining_scales_to_what_is_left_to_make(fair: Cli) -> None:
    fair.ok("produce", "Fair", "Cake", "1")
    fair.ok("produce", "Fair", "Buttercream", "1/2")
    fair.ok("assemble", "Fair", "Duo", "2")

    out = fair.ok("sheet", "Fair", "--remaining")

    assert out.startswith("Kitchen sheets for 'Fair' (2026-12-19): what is left to make\n")
    # 1 batch of buttercream left: 16 tsp of butter is a third of a cup, exactly
    assert "1. Buttercream: 1 batch\n   ⅓ cup   Butter\n   2 cups  Sugar\n" in out
    assert "2. Cake: 1 batch\n   250 g" in out
    assert "   ¾ batch  Buttercream (card 1, made first)\n   makes 8 Slice\n" in out
    assert "Duo: 4 to box\n" in out
    assert "Hamper: 3 to box\n" in out


def test_when_all_is_made_the_sheet_says_so(fair: Cli) -> None:
    fair.ok("produce", "Fair", "Cake", "2", "--with-sub-recipes")
    fair.ok("assemble", "Fair", "Duo", "6")
    fair.ok("assemble", "Fair", "Hamper", "3")

    assert fair.ok("sheet", "Fair", "--remaining").endswith("\n\nNothing left to make.\n")


def test_the_html_page_is_self_contained_and_breaks_a_page_after_each_card(fair: Cli) -> None:
    out = fair.ok("sheet", "Fair", "--html", "fair.html")

    assert out == "Wrote 2 recipe cards and 2 packing lists to fair.html\n"
    page = (fair.db.parent / "fair.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for fetched in ("http:", "https:", "<link", "<script", "<img", "src=", "url(", "@import"):
        assert fetched not in page, fetched
    assert page.count('<section class="card">') == 2
    assert page.count('<section class="packing">') == 2
    assert "break-after: page" in page
    assert "break-inside: avoid" in page
    assert '<td class="amount">½ cup</td><td>Butter</td>' in page
    assert '<td>Eggs <span class="note">(large)</span></td>' in page
    assert list(fair.db.parent.glob("*.partial")) == []


def test_names_are_escaped_for_the_terminal_and_for_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)
    catalog = CATALOG.replace('"Sugar"', '"<b>Sugar</b> \\u001b[2J"')
    (tmp_path / "fair.toml").write_text(catalog, encoding="utf-8")
    cli = Cli(tmp_path / "fair.sqlite", capsys)
    cli.ok("load", "fair.toml")
    cli.ok("plan", "Fair")

    text = cli.ok("sheet", "Fair")
    cli.ok("sheet", "Fair", "--html", "fair.html")
    page = (tmp_path / "fair.html").read_text(encoding="utf-8")

    assert "3 cups  <b>Sugar</b> \\x1b[2J\n" in text
    assert "\x1b" not in text
    assert "<td>&lt;b&gt;Sugar&lt;/b&gt; \x1b[2J</td>" in page
    assert "<b>" not in page


def test_a_page_that_cannot_be_written_is_one_line_naming_it(fair: Cli) -> None:
    line = fair.fails("sheet", "Fair", "--html", "no/such/folder/fair.html")
    assert (
        line == "snapplan: error: cannot write no/such/folder/fair.html: No such file or directory"
    )


def test_an_unknown_plan_is_one_line(fair: Cli) -> None:
    assert re.match(
        r"snapplan: error: no event with id or name 'Fiar'", fair.fails("sheet", "Fiar")
    )


def test_the_cards_and_packing_lists_add_up_to_what_the_plan_needs() -> None:
    bakery = sample_bakery()
    store = MemoryStore()
    with store.unit_of_work(writing=True) as uow:
        bakery.save(uow)
        plan_id = create_plan(uow, bakery.event.id).plan_id
        uow.commit()

    found = plan_sheet(store.unit_of_work(), plan_id)
    needs = plan_requirements(store.unit_of_work(), plan_id)

    assert {c.snapshot_id: c.batches for c in found.cards} == {
        r.snapshot_id: r.batches for r in needs.batches
    }
    on_cards: dict[tuple[str, str], Fraction] = defaultdict(Fraction)
    for card in found.cards:
        for line in card.lines:
            on_cards[line.ingredient, dimension_of(line.unit)] += in_base_unit(
                line.quantity, line.unit
            )
    assert on_cards == {
        (i.name, dimension_of(i.unit)): in_base_unit(i.quantity, i.unit) for i in needs.ingredients
    }
    packed: dict[tuple[ComponentKind, str], Decimal] = defaultdict(Decimal)
    for packing in found.packing:
        for line in packing.lines:
            packed[line.kind, line.name] += line.total
    assert {
        name: n for (kind, name), n in packed.items() if kind is ComponentKind.FINISHED_UNIT
    } == {u.name: u.quantity for u in needs.finished_units}
    assert {
        name: n for (kind, name), n in packed.items() if kind is ComponentKind.MATERIAL_UNIT
    } == {m.name: m.quantity for m in needs.materials}


def in_base_unit(quantity: Decimal, unit: str) -> Fraction:
    known = known_unit(unit)
    return Fraction(quantity) * (Fraction(known.factor) if known is not None else 1)
