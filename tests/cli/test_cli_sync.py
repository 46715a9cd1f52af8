"""``snapplan sync``: the database's catalog made to match a catalog file.

In-process through :func:`snapplan.cli.main` (one subprocess smoke test of the console script
at the end, and one run on PostgreSQL).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from snapplan.adapters.sql import SqlStore
from snapplan.cli import main
from snapplan.cli.database import open_store
from snapplan.domain.catalog import Recipe
from snapplan.errors import ConflictError
from snapplan.testing.contents import store_contents
from snapplan.testing.faults import FaultyStore

from .conftest import EXAMPLE, Baker, Run

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

BASE = """
[[ingredient]]
name = "Butter"

[[ingredient]]
name = "Sugar"

[[ingredient]]
name = "Eggs"

[[recipe]]
name = "Vanilla Buttercream"
lines = [
    { ingredient = "Butter", quantity = 225, unit = "g" },
    { ingredient = "Sugar", quantity = 2, unit = "cup" },
]

[[recipe]]
name = "Sponge"
lines = [{ ingredient = "Eggs", quantity = 4, unit = "each" }]
sub_recipes = [{ recipe = "Vanilla Buttercream", batches = 0.5 }]

[[finished_unit]]
name = "Cupcake"
recipe = "Sponge"
items_per_batch = 12

[[material_unit]]
name = "Box"

[[finished_good]]
name = "Cupcake Box"
components = [
    { finished_unit = "Cupcake", quantity = 6 },
    { material_unit = "Box", quantity = 1 },
]

[[event]]
name = "Fair"
date = 2026-06-01
production = [{ recipe = "Sponge", batches = 2 }]
assembly = [{ finished_good = "Cupcake Box", quantity = 10 }]
"""

ITEMS = 9  # 3 ingredients, 2 recipes, 1 finished unit, 1 material unit, 1 good, 1 event


@attrs.frozen
class Result:
    status: int
    out: str
    err: str


Cli = Callable[..., Result]


@pytest.fixture(autouse=True)
def _in_tmp_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run ``snapplan ARGS...`` in-process; the exit status and what it printed."""

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        try:
            status = main([str(arg) for arg in args])
        except SystemExit as exit_:
            status = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return run


def write(text: str, name: str = "catalog.toml") -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def synced(cli: Cli) -> Path:
    """The base catalog synced into an empty ``bakery.sqlite``."""
    result = cli("sync", write(BASE), "--db", "bakery.sqlite")
    assert result.status == 0, result.err
    return Path("bakery.sqlite")


@contextmanager
def sql_store(db: Path | str) -> Iterator[SqlStore]:
    store = SqlStore.from_url(db if "://" in str(db) else f"sqlite:///{db}")
    try:
        yield store
    finally:
        store.dispose()


def contents(db: Path | str) -> dict[str, Any]:
    with sql_store(db) as store:
        return store_contents(store)


def by_name(db: Path | str, repository: str) -> dict[str, Any]:
    with sql_store(db) as store, store.unit_of_work() as uow:
        return {item.name: item for item in getattr(uow, repository).all()}


def what_changed(out: str) -> str:
    """The output of a sync without the commands suggested after it."""
    return re.split(r"\n\n(?:Next:|Plans keep what they captured)", out)[0].rstrip("\n") + "\n"


def plan_id_in(text: str) -> str:
    match = re.search(rf"plan ({UUID})", text)
    assert match is not None, text
    return match.group(1)


# -- adding, updating, leaving alone ------------------------------------------------------------


def test_sync_into_a_new_database_adds_everything(cli: Cli) -> None:
    result = cli("sync", write(BASE), "--db", "bakery.sqlite")

    assert result.status == 0, result.err
    assert result.err == ""
    first = result.out.splitlines()[0]
    assert first == (
        "Synced catalog.toml into bakery.sqlite: 9 added, 0 updated, 0 removed, 0 unchanged"
    )
    assert "  added    ingredient 'Butter'" in result.out
    assert "  added    finished good 'Cupcake Box'" in result.out
    # An added event is shown with its id, to plan it by id.
    assert re.search(rf"  added    event 'Fair' \({UUID}\)", result.out)
    stored = contents("bakery.sqlite")
    catalog = ("ingredients", "recipes", "finished_units", "material_units", "finished_goods")
    assert sum(len(stored[name]) for name in (*catalog, "events")) == ITEMS


def test_a_second_sync_reports_nothing_to_do_and_writes_nothing(cli: Cli, synced: Path) -> None:
    before = contents(synced)

    result = cli("sync", "catalog.toml", "--db", synced)

    assert result.status == 0, result.err
    assert what_changed(result.out) == (
        "bakery.sqlite already matches catalog.toml: nothing to do (9 unchanged)\n"
    )
    assert contents(synced) == before


def test_a_changed_item_is_updated_field_by_field_and_only_it_gets_a_new_version(
    cli: Cli, synced: Path
) -> None:
    stored = by_name(synced, "recipes")
    write(BASE.replace("quantity = 225", "quantity = 250"))

    result = cli("sync", "catalog.toml", "--db", synced)

    assert result.status == 0, result.err
    assert what_changed(result.out).splitlines() == [
        "Synced catalog.toml into bakery.sqlite: 0 added, 1 updated, 0 removed, 8 unchanged",
        "  updated  recipe 'Vanilla Buttercream': line 1 (Butter): 225 g -> 250 g",
    ]
    recipes = by_name(synced, "recipes")
    frosting = recipes["Vanilla Buttercream"]
    assert frosting.id == stored["Vanilla Buttercream"].id
    assert frosting.version == 2
    assert str(frosting.lines[0].quantity) == "250"
    assert recipes["Sponge"] == stored["Sponge"]  # unchanged: version 1, not written
    assert {i.version for i in by_name(synced, "ingredients").values()} == {1}


def test_references_resolve_to_the_matched_database_ids(cli: Cli, synced: Path) -> None:
    ingredients = by_name(synced, "ingredients")
    write(BASE.replace("quantity = 4, unit", "quantity = 5, unit"))

    assert cli("sync", "catalog.toml", "--db", synced).status == 0

    sponge: Recipe = by_name(synced, "recipes")["Sponge"]
    assert sponge.lines[0].ingredient_id == ingredients["Eggs"].id
    assert sponge.sub_recipes[0].recipe_id == by_name(synced, "recipes")["Vanilla Buttercream"].id
    assert by_name(synced, "ingredients") == ingredients  # no fresh copies


def edited(text: str, *replacements: tuple[str, str]) -> str:
    """``text`` with each (old, new) replaced; each old text must be there."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_every_kind_of_change_is_said_in_the_baker_s_words(cli: Cli, synced: Path) -> None:
    sugar = '{ ingredient = "Sugar", quantity = 2, unit = "cup" },'
    edited_text = edited(
        BASE,
        (
            sugar,
            '{ ingredient = "Sugar", quantity = 2, unit = "cup", note = "sifted" },\n'
            '    { ingredient = "Eggs", quantity = 1, unit = "each" },',
        ),
        ('sub_recipes = [{ recipe = "Vanilla Buttercream", batches = 0.5 }]\n', ""),
        ("items_per_batch = 12", "items_per_batch = 10"),
        (
            '{ finished_unit = "Cupcake", quantity = 6 }',
            '{ finished_unit = "Cupcake", quantity = 4 }',
        ),
        ('    { material_unit = "Box", quantity = 1 },\n', ""),
        ("date = 2026-06-01", "date = 2026-06-02"),
        (
            'production = [{ recipe = "Sponge", batches = 2 }]',
            'production = [{ recipe = "Sponge", batches = 3 }, '
            '{ recipe = "Vanilla Buttercream", batches = 1 }]',
        ),
        ('name = "Box"', 'name = "Gift Box"'),
    )
    write(edited_text)

    result = cli("sync", "catalog.toml", "--db", synced)

    assert result.status == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == (
        "Synced catalog.toml into bakery.sqlite: 1 added, 5 updated, 0 removed, 3 unchanged, "
        "1 kept (not in the file)"
    )
    assert lines[1:11] == [
        "  updated  recipe 'Vanilla Buttercream': line 2 (Sugar): 2 cup -> 2 cup (sifted)",
        "  updated  recipe 'Vanilla Buttercream': line 3 (Eggs) added: 1 each",
        "  updated  recipe 'Sponge': sub-recipe 1 (Vanilla Buttercream) removed (was 0.5 batches)",
        "  updated  finished unit 'Cupcake': items per batch: 12 -> 10",
        "  added    material unit 'Gift Box'",
        "  updated  finished good 'Cupcake Box': component 1 (Cupcake): 6 -> 4",
        "  updated  finished good 'Cupcake Box': component 2 (Box) removed (was 1)",
        "  updated  event 'Fair': date: 2026-06-01 -> 2026-06-02",
        "  updated  event 'Fair': production 1 (Sponge): 2 batches -> 3 batches",
        "  updated  event 'Fair': production 2 (Vanilla Buttercream) added: 1 batch",
    ]
    # Without an id, a new name is a new item: the old "Box" is kept and listed.
    assert re.search(rf"  kept     material unit 'Box' \({UUID}\): not in the file", result.out)
    assert "--prune removes what the file does not have" in result.out


def test_an_item_with_an_explicit_id_is_renamed(cli: Cli) -> None:
    item_id = uuid.uuid4()
    with_id = BASE.replace('name = "Sugar"\n', f'name = "Sugar"\nid = "{item_id}"\n')
    cli("sync", write(with_id), "--db", "bakery.sqlite")

    renamed = with_id.replace('"Sugar"', '"Caster Sugar"')
    result = cli("sync", write(renamed), "--db", "bakery.sqlite")

    assert result.status == 0, result.err
    assert "  updated  ingredient 'Caster Sugar': name: 'Sugar' -> 'Caster Sugar'" in result.out
    # The recipe's line points at the same ingredient: its own content did not change.
    assert "recipe" not in result.out
    assert by_name("bakery.sqlite", "ingredients")["Caster Sugar"].id == item_id


# -- pruning ------------------------------------------------------------------------------------


def test_without_prune_the_database_s_other_items_are_kept(cli: Cli, synced: Path) -> None:
    write(
        BASE.replace('[[ingredient]]\nname = "Sugar"\n', "").replace(
            '    { ingredient = "Sugar", quantity = 2, unit = "cup" },\n', ""
        )
    )

    result = cli("sync", "catalog.toml", "--db", synced)

    assert result.status == 0, result.err
    assert "0 removed" in result.out
    assert (
        "  updated  recipe 'Vanilla Buttercream': line 2 (Sugar) removed (was 2 cup)" in result.out
    )
    assert re.search(rf"  kept     ingredient 'Sugar' \({UUID}\): not in the file", result.out)
    assert "Sugar" in by_name(synced, "ingredients")


def test_prune_removes_what_the_file_no_longer_has_and_says_so(cli: Cli, synced: Path) -> None:
    sugar = by_name(synced, "ingredients")["Sugar"]
    write(
        BASE.replace('[[ingredient]]\nname = "Sugar"\n', "").replace(
            '    { ingredient = "Sugar", quantity = 2, unit = "cup" },\n', ""
        )
    )

    result = cli("sync", "catalog.toml", "--db", synced, "--prune")

    assert result.status == 0, result.err
    assert "0 added, 1 updated, 1 removed, 7 unchanged" in result.out
    assert f"  removed  ingredient 'Sugar' ({sugar.id})" in result.out
    assert "plans and their snapshots are never removed" in result.out
    assert "Sugar" not in by_name(synced, "ingredients")


def test_pruning_a_planned_event_leaves_its_plans_readable(cli: Cli, synced: Path) -> None:
    plan_id = plan_id_in(cli("plan", "Fair", "--db", synced).out)
    event_id = by_name(synced, "events")["Fair"].id
    write(BASE.replace('name = "Fair"', 'name = "Summer Fair"'))

    result = cli("sync", "catalog.toml", "--db", synced, "--prune")

    assert result.status == 0, result.err
    assert (
        f"  removed  event 'Fair' ({event_id}): its plan {plan_id} stays, with its snapshots, "
        "readable by plan id"
    ) in result.out
    assert re.search(rf"  added    event 'Summer Fair' \({UUID}\)", result.out)
    assert set(by_name(synced, "events")) == {"Summer Fair"}
    requirements = cli("requirements", plan_id, "--db", synced, "--json")
    assert requirements.status == 0, requirements.err
    assert '"name": "Sponge"' in requirements.out


# -- dry run ------------------------------------------------------------------------------------


def test_dry_run_prints_the_same_and_writes_nothing(cli: Cli, synced: Path) -> None:
    before = contents(synced)
    write(BASE.replace("quantity = 225", "quantity = 250").replace('"Box"', '"Bag"'))

    dry = cli("sync", "catalog.toml", "--db", synced, "--prune", "--dry-run")

    assert dry.status == 0, dry.err
    assert contents(synced) == before
    assert dry.out.splitlines()[0] == (
        "Would sync catalog.toml into bakery.sqlite: 1 added, 2 updated, 1 removed, 6 unchanged "
        "(dry run: nothing was written)"
    )
    real = cli("sync", "catalog.toml", "--db", synced, "--prune")
    assert real.out.splitlines()[0].startswith("Synced catalog.toml into bakery.sqlite: 1 added")
    assert what_changed(real.out).splitlines()[1:] == dry.out.splitlines()[1:]


def test_dry_run_into_a_missing_database_creates_nothing(cli: Cli, tmp_path: Path) -> None:
    result = cli("sync", write(BASE), "--db", "new.sqlite", "--dry-run")

    assert result.status == 0, result.err
    assert "9 added" in result.out
    assert not (tmp_path / "new.sqlite").exists()


# -- errors: all or nothing ---------------------------------------------------------------------


def test_two_database_items_with_the_name_are_ambiguous(cli: Cli, synced: Path) -> None:
    cli("load", "catalog.toml", "--db", synced)  # a second copy of everything
    butter_ids = sorted(str(i.id) for i in contents(synced)["ingredients"] if i.name == "Butter")
    before = contents(synced)
    write(BASE.replace("quantity = 225", "quantity = 250"))

    result = cli("sync", "catalog.toml", "--db", synced)

    assert result.status == 1
    assert result.err.splitlines()[-1] == (
        "snapplan: error: nothing was synced from catalog.toml: 2 ingredients in the database "
        f"are named 'Butter' ({', '.join(butter_ids)}): sync cannot tell which one the file's "
        "ingredient 'Butter' is; give it the id of the one to update (id = \"...\")"
    )
    assert contents(synced) == before


def test_an_explicit_id_settles_which_one(cli: Cli, synced: Path) -> None:
    first_copy = contents(synced)
    cli("load", "catalog.toml", "--db", synced)  # a second copy of everything
    text = BASE
    for repository in ("ingredients", "recipes", "finished_units", "material_units"):
        for item in first_copy[repository]:
            text = edited(
                text, (f'name = "{item.name}"\n', f'name = "{item.name}"\nid = "{item.id}"\n')
            )
    for repository in ("finished_goods", "events"):
        (item,) = first_copy[repository]
        text = edited(
            text, (f'name = "{item.name}"\n', f'name = "{item.name}"\nid = "{item.id}"\n')
        )
    write(text)

    result = cli("sync", "catalog.toml", "--db", synced, "--prune")

    assert result.status == 0, result.err
    assert "0 added, 0 updated, 9 removed, 9 unchanged" in result.out
    assert contents(synced) == first_copy


def test_a_failure_half_way_writes_nothing(
    cli: Cli, synced: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(synced)
    write(
        BASE.replace("quantity = 225", "quantity = 250")
        .replace("items_per_batch = 12", "items_per_batch = 10")
        .replace('"Box"', '"Bag"')
    )
    real_open_store = open_store

    @contextmanager
    def faulty_store(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real_open_store(*args, **kwargs) as store:
            yield FaultyStore(store, fail_at_write=3)  # add, update, then this update fails

    monkeypatch.setattr("snapplan.cli.sync.open_store", faulty_store)

    result = cli("sync", "catalog.toml", "--db", synced, "--prune")

    assert result.status == 1
    assert result.err.startswith("snapplan: error: nothing was synced from catalog.toml: ")
    assert "injected failure at write 3" in result.err
    assert contents(synced) == before


def test_no_rival_writes_between_what_sync_read_and_what_it_writes(
    cli: Cli, synced: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # sync begins as a writer (BEGIN IMMEDIATE on SQLite): a rival that tries to change the
    # catalog after sync read it and before sync writes is kept out, so what sync compared is
    # what it changes; the rival gets a ConflictError it may retry
    write(BASE.replace("quantity = 225", "quantity = 250").replace('"Box"', '"Bag"'))
    real_open_store = open_store
    rival_errors: list[Exception] = []

    def someone_else_edits(write_number: int, _: str) -> None:
        if write_number == 1:  # after sync read the catalog, before it writes
            try:
                with sql_store(synced) as other, other.unit_of_work() as uow:
                    frosting = next(r for r in uow.recipes.all() if r.name == "Vanilla Buttercream")
                    uow.recipes.update(attrs.evolve(frosting, name="Frosting"))
                    uow.commit()
            except ConflictError as error:
                rival_errors.append(error)

    @contextmanager
    def racing_store(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real_open_store(*args, **kwargs) as store:
            yield FaultyStore(store, on_write=someone_else_edits)

    monkeypatch.setattr("snapplan.cli.sync.open_store", racing_store)

    result = cli("sync", "catalog.toml", "--db", synced)

    assert result.status == 0, result.err
    assert len(rival_errors) == 1
    assert "database is locked" in str(rival_errors[0])
    after = contents(synced)
    assert "Bag" in {m.name for m in after["material_units"]}
    assert {r.name: r.version for r in after["recipes"]} == {"Vanilla Buttercream": 2, "Sponge": 1}


# -- planning after a sync ----------------------------------------------------------------------


def test_an_edited_file_synced_then_plan_works_and_drift_reports_the_change(
    cli: Cli, synced: Path
) -> None:
    old_plan = plan_id_in(cli("plan", "Fair", "--db", synced).out)
    write(BASE.replace("quantity = 225", "quantity = 250"))
    assert cli("sync", "catalog.toml", "--db", synced).status == 0

    again = cli("plan", "Fair", "--db", synced)
    assert again.status == 0, again.err  # one event named "Fair", not two
    # The event kept its snapshot links: nothing to capture, the old plan stands.
    assert f"is already planned: plan {old_plan} is unchanged." in again.out
    assert "The catalog has changed since (1 definition)" in again.out

    drift = cli("drift", old_plan, "--db", synced, "--exit-code")
    assert drift.status == 3
    assert "drift found" in drift.out
    assert "Vanilla Buttercream" in drift.out

    forced = cli("plan", "Fair", "--db", synced, "--force")
    assert forced.status == 0, forced.err
    new_plan = plan_id_in(forced.out.splitlines()[0])
    assert new_plan != old_plan
    assert cli("drift", new_plan, "--db", synced, "--exit-code").status == 0


def test_a_sync_after_planning_points_at_drift_and_planning_again(cli: Cli, synced: Path) -> None:
    plan_id = plan_id_in(cli("plan", "Fair", "--db", synced).out)
    event_id = by_name(synced, "events")["Fair"].id
    write(BASE.replace("quantity = 225", "quantity = 250"))

    result = cli("sync", "catalog.toml", "--db", synced)

    assert f"  snapplan drift {plan_id} --db bakery.sqlite   # 'Fair'" in result.out
    assert f"  snapplan plan {event_id} --db bakery.sqlite --force" in result.out


def test_an_event_keeps_its_snapshot_links_where_its_targets_stay(cli: Cli, synced: Path) -> None:
    cli("plan", "Fair", "--db", synced)
    planned = by_name(synced, "events")["Fair"]
    (sponge,) = planned.production_targets
    assert sponge.snapshot_id is not None
    write(
        BASE.replace(
            'production = [{ recipe = "Sponge", batches = 2 }]',
            'production = [{ recipe = "Sponge", batches = 3 }, '
            '{ recipe = "Vanilla Buttercream", batches = 1 }]',
        )
    )

    assert cli("sync", "catalog.toml", "--db", synced).status == 0

    event = by_name(synced, "events")["Fair"]
    assert event.version == planned.version + 1
    kept, new = event.production_targets
    assert (kept.snapshot_id, str(kept.batches)) == (sponge.snapshot_id, "3")
    assert new.snapshot_id is None
    assert event.assembly_targets == planned.assembly_targets
    replanned = cli("plan", "Fair", "--db", synced)
    # Only the new target is captured; the kept one stays linked to its snapshot.
    assert "targets captured    1 production, 0 assembly" in replanned.out
    assert "snapshots written   1 (1 recipe:" in replanned.out


# -- help, warnings, the console script, PostgreSQL -------------------------------------------


def test_help_says_how_sync_differs_from_load(cli: Cli) -> None:
    sync_help = cli("sync", "--help").out
    load_help = cli("load", "--help").out

    assert "--dry-run" in sync_help
    assert "--prune" in sync_help
    assert "load always adds a fresh copy" in " ".join(sync_help.split())
    assert "snapplan sync" in load_help
    assert "fresh copy" in cli("--help").out


def test_sync_warns_about_a_unit_that_looks_like_a_typo(cli: Cli) -> None:
    result = cli("sync", write(BASE.replace('unit = "cup"', 'unit = "cupz"')), "--db", "b.sqlite")

    assert result.status == 0
    assert result.err == (
        "snapplan: warning: catalog.toml: recipe 'Vanilla Buttercream', line 2 (Sugar), unit: "
        "'cupz' is not a known unit; did you mean 'cup'? (an unknown unit is kept as written, "
        "never converted or added to other units)\n"
    )


def test_sync_warns_when_two_items_of_a_kind_end_up_with_one_name(cli: Cli, synced: Path) -> None:
    new_id = uuid.uuid4()
    write(BASE.replace('name = "Box"\n', f'name = "Box"\nid = "{new_id}"\n'))

    result = cli("sync", "catalog.toml", "--db", synced)

    assert result.status == 0
    assert "  added    material unit 'Box'" in result.out
    assert re.match(
        rf"snapplan: warning: after this sync, 2 material units in the database are named 'Box' "
        rf"\(({UUID}, )?{new_id}(, {UUID})?\)",
        result.err,
    )


def test_the_console_script_syncs(run: Run) -> None:
    first = run("sync", EXAMPLE, "--db", "bakery.sqlite", script=True)
    second = run("sync", EXAMPLE, "--db", "bakery.sqlite", "--dry-run", script=True)

    assert first.returncode == 0, first.stderr
    assert "26 added, 0 updated, 0 removed, 0 unchanged, 8 prices recorded" in first.stdout
    assert second.returncode == 0, second.stderr
    assert "already matches" in second.stdout


@pytest.mark.postgres
def test_sync_on_postgresql(cli: Cli) -> None:
    import sqlalchemy as sa
    from postgres_schemas import fresh_schema, postgres_url, search_path

    with fresh_schema("snapplan_sync") as schema:
        url = sa.make_url(postgres_url()).update_query_dict(search_path(schema))
        # The test server trusts its clients: any password works, and none may be printed.
        db = url.set(password="s3cret-sync").render_as_string(hide_password=False)
        assert cli("sync", write(BASE), "--db", db).status == 0
        old_plan = plan_id_in(cli("plan", "Fair", "--db", db).out)
        write(BASE.replace("quantity = 225", "quantity = 250").replace('"Box"', '"Bag"'))

        dry = cli("sync", "catalog.toml", "--db", db, "--prune", "--dry-run")
        result = cli("sync", "catalog.toml", "--db", db, "--prune")
        again = cli("sync", "catalog.toml", "--db", db)

        assert result.status == 0, result.err
        # The same changes; the real run then points at drift (the event has a plan).
        assert dry.out.splitlines()[1:] == result.out.split("\n\n")[0].splitlines()[1:]
        assert f"snapplan drift {old_plan}" in result.out
        assert "1 added, 2 updated, 1 removed, 6 unchanged" in result.out
        assert "  updated  recipe 'Vanilla Buttercream': line 1 (Butter): 225 g -> 250 g" in (
            result.out
        )
        assert "nothing to do" in again.out
        for shown in (dry, result, again):
            assert "s3cret-sync" not in shown.out + shown.err
        assert "--db 'postgresql+psycopg://postgres:***@" in result.out
        assert cli("plan", "Fair", "--db", db).status == 0
        assert cli("drift", old_plan, "--db", db, "--exit-code").status == 3


# -- measures, products and prices -------------------------------------------------------------

SHOP = """
[[product]]
name = "Butter block"
for = "Butter"
pack = "{pack}"
price = {price}
currency = "EUR"

[[product]]
name = "Boxes"
for = "Box"
pack = "10 each"
"""


def stocked_file(*, stick: int = 113, pack: str = "250 g", price: str = "2.50") -> str:
    measured = BASE.replace(
        '[[ingredient]]\nname = "Butter"\n',
        f'[[ingredient]]\nname = "Butter"\nmeasures = ["1 stick = {stick} g"]\n',
    )
    return measured + SHOP.format(pack=pack, price=price)


def test_measures_products_and_prices_are_synced_and_said(baker: Baker) -> None:
    Path("shop.toml").write_text(stocked_file(), encoding="utf-8")
    first = baker.ok("sync", "shop.toml")
    baker.ok("plan", "Fair")
    again = baker.ok("sync", "shop.toml")
    Path("shop.toml").write_text(
        stocked_file(stick=115, pack="500 g", price="4.80"), encoding="utf-8"
    )
    dry = baker.ok("sync", "shop.toml", "--dry-run")
    quoted = quotes(baker.db)
    changed = baker.ok("sync", "shop.toml")

    assert "11 added, 0 updated, 0 removed, 0 unchanged, 1 price recorded" in first
    assert "  added    product 'Butter block'\n" in first
    assert "  price    product 'Butter block': 2.50 EUR\n" in first
    assert "already matches shop.toml: nothing to do (11 unchanged)" in again
    expected = [
        "  updated  ingredient 'Butter': measure: 1 stick = 113 g -> 1 stick = 115 g",
        "  updated  product 'Butter block': pack: 250 g -> 500 g",
        "  price    product 'Butter block': 2.50 EUR -> 4.80 EUR",
    ]
    for out in (dry, changed):
        changes = what_changed(out).splitlines()
        assert [line for line in changes if line.startswith("  ")] == expected
    assert "0 added, 2 updated, 0 removed, 9 unchanged, 1 price recorded" in changed
    assert "(dry run: nothing was written)" in dry
    # measures and packs are read live, never captured: no plan drifted, no hint about it
    assert "Plans keep what they captured" not in changed
    assert [q.price for q in quoted] == [Decimal("2.50")]  # the dry run recorded nothing
    assert [q.price for q in quotes(baker.db)] == [Decimal("2.50"), Decimal("4.80")]
    assert "4.80 EUR a pack" in baker.ok("shop", "Fair", "--all")


def quotes(db: Path) -> list[Any]:
    store = SqlStore.from_url(f"sqlite:///{db}")
    try:
        with store.unit_of_work() as uow:
            return sorted(uow.prices.all(), key=lambda q: q.seq)
    finally:
        store.dispose()


def test_prune_removes_a_product_and_a_pack_unit_typo_is_a_warning(baker: Baker) -> None:
    Path("shop.toml").write_text(stocked_file(pack="1 kgs"), encoding="utf-8")
    assert baker("sync", "shop.toml") == 0
    assert (
        "snapplan: warning: shop.toml: product 'Butter block' (Butter), pack: 'kgs' is not a "
        "known unit; did you mean 'kg'?" in baker.err
    )
    Path("shop.toml").write_text(
        stocked_file()
        .replace('name = "Boxes"', 'name = "Boxes"\nactive = false')
        .split('[[product]]\nname = "Boxes"')[0],
        encoding="utf-8",
    )

    out = baker.ok("sync", "shop.toml", "--prune")

    assert re.search(rf"  removed  product 'Boxes' \({UUID}\)\n", out)
    assert "  updated  product 'Butter block': pack: 1 kgs -> 250 g" in out


def test_sync_says_what_to_run_next(baker: Baker) -> None:
    """Issue 17, rough edge 7: as plan and demo do, sync ends with a "Next:" hint."""
    first = baker.ok("sync", EXAMPLE)
    market = "6f0d4a4e-2b3c-4e8f-9a51-0c7d2e1b5a10"
    assert f"\nNext:\n  snapplan plan {market} --db {baker.db}   # 'Holiday Market'\n" in first
    baker.ok("plan", "Holiday Market")
    again = baker.ok("sync", EXAMPLE)
    assert f"\nNext:\n  snapplan requirements {market} --db {baker.db}" in again
    assert "Next:" not in baker.ok("sync", EXAMPLE, "--dry-run")


def test_the_example_catalog_and_the_home_page_say_what_works() -> None:
    """Issue 17, rough edge 7: the example's header recommends sync, never load; the home page
    installs from a clone or a wheel, as no package index serves snapplan."""
    header = EXAMPLE.read_text(encoding="utf-8").split("\n\n")[0]
    assert "snapplan sync examples/bakery.toml" in header
    assert "snapplan load" not in header
    home = (EXAMPLE.parents[1] / "docs" / "index.md").read_text(encoding="utf-8")
    assert not re.search(r"pip install \"?snapplan\b", home)
    assert 'pip install ".[sql]"' in home
    assert "pip wheel" in home
