"""The documented workflow on the command line: load, plan, requirements, drift, export.

The numbers come from examples/bakery.toml, worked out by hand for the "Holiday Market":

- 50 gift boxes (6 cookies, 1 mini box, 1 ribbon, 1 box each) and 10 more mini boxes
  (2 brownies and half a ribbon each): 300 cookies, 60 mini boxes, 120 brownies,
  50 + 60 x 0.5 = 80 ribbons, 50 boxes;
- cookies at 36 a batch: 300/36 = 25/3 batches needed, 9 baked, (9 - 25/3) x 36 = 24 left over;
  brownies at 24 a batch: exactly 5, none left over;
- two cakes x 2 batches, each with 0.5 frosting per batch: 2 batches of frosting, not rounded;
- flour: 9 x (0.5 kg + 100 g) + 2 x 300 g + 2 x 250 g = 6500 g;
  butter: 2 x 250 g + 9 x 225 g + 2 x 4 oz (28.349523125 g each) = 2751.796185 g;
  sugar: 9 x 0.75 + 5 x 1 + 2 x 2 = 15.75 cup; cocoa: 5 x 0.5 + 2 x 0.25 = 3 cup;
  eggs: 5 x 4 + 2 x 3 = 26 each.
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from snapplan.adapters.converter import converter
from snapplan.adapters.sql import SqlStore
from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import Snapshot

from .conftest import EXAMPLE, MARKET_ID, Run, load_in_process, run_snapplan

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@attrs.frozen
class Planned:
    """A database with the example loaded and the market planned, through the command line."""

    folder: Path
    db: Path
    load: subprocess.CompletedProcess[str]
    plan: subprocess.CompletedProcess[str]
    plan_id: str

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return run_snapplan(*args, cwd=self.folder, check=True)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    """Shared by the read-only tests of this module (none of them changes the database)."""
    folder = tmp_path_factory.mktemp("planned")
    db = folder / "bakery.sqlite"
    load = run_snapplan("load", EXAMPLE, "--db", db, cwd=folder, check=True)
    plan = run_snapplan("plan", "Holiday Market", "--db", db, cwd=folder, check=True)
    match = re.search(rf"plan ({UUID})", plan.stdout)
    assert match is not None, plan.stdout
    return Planned(folder, db, load, plan, match.group(1))


def test_load_prints_the_counts_and_the_ids_of_the_loaded_events(planned: Planned) -> None:
    assert planned.load.stderr == ""
    out = planned.load.stdout
    assert (
        "5 ingredients, 5 recipes, 2 finished units, 2 material units, 8 products, "
        "2 finished goods, 2 events" in out
    )
    assert f"{MARKET_ID}  'Holiday Market' (2026-12-19)" in out
    assert re.search(rf"{UUID}  'School Bake Sale' \(2026-05-02\)", out)


def test_plan_by_name_prints_the_plan_id_and_what_was_captured(planned: Planned) -> None:
    out = planned.plan.stdout
    assert f"Planned event 'Holiday Market' (2026-12-19): plan {planned.plan_id}" in out
    assert re.search(r"targets captured\s+2 production, 2 assembly\n", out)
    # every definition once: 5 recipes, 2 finished units, 2 material units, 2 finished goods
    assert re.search(
        r"snapshots written\s+11 \(2 finished goods, 2 finished units, 2 material units, "
        r"5 recipes: every definition the targets need, once\)\n",
        out,
    )


def test_requirements_as_json_are_exact_strings(planned: Planned) -> None:
    data = json.loads(
        planned.run("requirements", planned.plan_id, "--db", planned.db, "--json").stdout
    )

    assert data["plan_id"] == planned.plan_id
    batches = {
        b["name"]: (b["batches"], b["needed_batches"], b["leftover_units"]) for b in data["batches"]
    }
    assert batches == {
        "Buttercream Frosting": ("2", "2", None),
        "Chocolate Cake": ("2", "2", None),
        "Fudge Brownies": ("5", "5", "0"),
        "Sugar Cookies": ("9", "25/3", "24"),
        "Vanilla Cake": ("2", "2", None),
    }
    assert [(i["name"], i["quantity"], i["unit"]) for i in data["ingredients"]] == [
        ("Butter", "2751.796185", "g"),
        ("Cocoa", "3", "cup"),
        ("Eggs", "26", "each"),
        ("Flour", "6500", "g"),
        ("Sugar", "15.75", "cup"),
    ]
    assert [(u["name"], u["quantity"]) for u in data["finished_units"]] == [
        ("Brownie", "120"),
        ("Sugar Cookie", "300"),
    ]
    assert [(m["name"], m["quantity"]) for m in data["materials"]] == [
        ("Gift Box", "50"),
        ("Ribbon, 6 inch", "80"),
    ]


def test_requirements_as_tables(planned: Planned) -> None:
    out = planned.run("requirements", planned.plan_id, "--db", planned.db).stdout
    assert re.search(r"Sugar Cookies\s+9\s+8 ⅓\s+24\n", out)
    # readable: three decimals at most, marked when rounded (the JSON keeps every digit)
    assert re.search(r"Butter\s+~2751\.796\s+g\n", out)
    assert re.search(r"Ribbon, 6 inch\s+80", out)
    # cups as a baker measures them, exact: 15.75 cup is 15 ¾ cups, the unit in the amount
    assert re.search(r"Sugar\s+15 ¾ cups\n", out)
    assert re.search(r"Cocoa\s+3 cups\n", out)
    exact = planned.run("requirements", planned.plan_id, "--db", planned.db, "--exact").stdout
    assert re.search(r"Butter\s+2751\.796185\s+g\n", exact)
    # --exact keeps today's decimals, units apart
    assert re.search(r"Sugar Cookies\s+9\s+25/3\s+24\n", exact)
    assert re.search(r"Sugar\s+15\.75\s+cup\n", exact)


def test_snapplan_db_is_the_default_database(planned: Planned) -> None:
    result = run_snapplan(
        "requirements", planned.plan_id, cwd=planned.folder, snapplan_db=str(planned.db)
    )
    assert result.returncode == 0, result.stderr
    assert "Sugar Cookies" in result.stdout


def test_no_drift_right_after_planning(planned: Planned) -> None:
    result = run_snapplan(
        "drift", planned.plan_id, "--db", planned.db, "--exit-code", cwd=planned.folder
    )
    assert result.returncode == 0, result.stderr
    assert f"Plan {planned.plan_id}: no drift" in result.stdout
    targets = re.findall(
        r"^  (production|assembly)\s+(.+?)\s+(unchanged|changed)\s", result.stdout, re.M
    )
    assert sorted(targets) == [
        ("assembly", "Holiday Gift Box", "unchanged"),
        ("assembly", "Mini Brownie Box", "unchanged"),
        ("production", "Chocolate Cake", "unchanged"),
        ("production", "Vanilla Cake", "unchanged"),
    ]


def test_export_is_json_the_converter_reads_back(planned: Planned) -> None:
    data = json.loads(planned.run("export", planned.plan_id, "--db", planned.db).stdout)

    assert data["export_format"] == 1
    plan = converter.structure(data["plan"], Plan)
    snapshots: list[Snapshot] = [
        converter.structure(s, Snapshot)  # type: ignore[arg-type]  # a union, not a class
        for s in data["snapshots"]
    ]
    assert str(plan.id) == planned.plan_id
    assert plan.event_id == uuid.UUID(MARKET_ID)
    assert Counter(s["kind"] for s in data["snapshots"]) == {
        "recipe": 5,
        "finished_unit": 2,
        "material_unit": 2,
        "finished_good": 2,
    }
    assert {s.plan_id for s in snapshots} == {plan.id}
    targets = {t.snapshot_id for t in plan.production_targets} | {
        t.snapshot_id for t in plan.assembly_targets
    }
    assert targets <= {s.id for s in snapshots}
    store = SqlStore.from_url(f"sqlite:///{planned.db}")
    try:
        with store.unit_of_work() as uow:
            assert uow.plans.get(plan.id) == plan
            assert uow.snapshots.get_many([s.id for s in snapshots]) == tuple(snapshots)
    finally:
        store.dispose()


def test_replanning_is_idempotent_and_force_supersedes(run: Run, db: Path) -> None:
    load_in_process(EXAMPLE, db)
    first = run("plan", MARKET_ID, "--db", db, check=True).stdout
    again = run("plan", MARKET_ID, "--db", db, check=True).stdout
    forced = run("plan", MARKET_ID, "--db", db, "--force", check=True).stdout

    first_id = re.search(rf"plan ({UUID})", first)
    assert first_id is not None
    assert f"already planned: plan {first_id.group(1)} is unchanged" in again
    assert "The catalog has not changed since" in again
    assert f"supersedes plan     {first_id.group(1)}" in forced
    assert re.search(r"snapshots written\s+11 \(", forced)


def test_drift_after_editing_and_removing_definitions(
    run: Run, db: Path, store_on: Callable[[], SqlStore]
) -> None:
    load_in_process(EXAMPLE, db)
    plan_id = _plan_id(run("plan", "Holiday Market", "--db", db, check=True))
    store = store_on()
    with store.unit_of_work() as uow:
        recipes = {r.name: r for r in uow.recipes.all()}
        frosting = recipes["Buttercream Frosting"]
        uow.recipes.update(attrs.evolve(frosting, lines=frosting.lines[:1]))
        box = next(m for m in uow.material_units.all() if m.name == "Gift Box")
        for product in uow.products.all():  # what the shop sells of it goes with it
            if product.item_id == box.id:
                uow.products.remove(product.id)
        uow.material_units.remove(box.id)
        uow.commit()
    store.dispose()

    result = run("drift", plan_id, "--db", db)
    flagged = run("drift", plan_id, "--db", db, "--exit-code")

    assert result.returncode == 0, result.stderr
    assert flagged.returncode == 3
    out = result.stdout
    assert f"Plan {plan_id}: drift found" in out
    assert re.search(r"production\s+Vanilla Cake\s+changed", out)  # through its frosting
    assert re.search(r"assembly\s+Mini Brownie Box\s+unchanged", out)
    changed = out.split("Changed since the plan")[1].split("Removed from the catalog")[0]
    assert "recipe 'Buttercream Frosting': line 2 (Sugar) removed (was 2 cup)" in changed
    assert "Vanilla Cake" not in changed  # an ancestor, changed only through its child
    assert f"material unit 'Gift Box' ({box.id})" in out.split("Removed from the catalog")[1]


def _plan_id(result: subprocess.CompletedProcess[str]) -> str:
    match = re.search(rf"plan ({UUID})", result.stdout)
    assert match is not None, result.stdout
    return match.group(1)
