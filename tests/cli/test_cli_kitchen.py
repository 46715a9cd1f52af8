"""The kitchen's commands, in-process through ``snapplan.cli.main``: produce, assemble, waste,
void, progress, verify and check, by names or ids, with one-line errors.

The database is the DOMAIN.md kitchen in miniature, loaded from a catalog file: Shortbread
("Wedge", 16 a batch), a Tin of 8 wedges and a lid, 5 tins planned (40 wedges, 3 batches).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlite_lock import WriteLock

from snapplan.cli import main

CATALOG = """
[[ingredient]]
name = "Butter"

[[recipe]]
name = "Shortbread"
lines = [{ingredient = "Butter", quantity = 250, unit = "g"}]

[[finished_unit]]
name = "Wedge"
recipe = "Shortbread"
items_per_batch = 16

[[material_unit]]
name = "Lid"

[[finished_good]]
name = "Tin"
components = [{finished_unit = "Wedge", quantity = 8}, {material_unit = "Lid", quantity = 1}]

[[event]]
name = "Christmas Fair"
assembly = [{finished_good = "Tin", quantity = 5}]
"""


class Cli:
    """Runs ``snapplan ARGS --db DB`` in-process; ``out``/``err`` of the last run."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys
        self.out = self.err = ""

    def __call__(self, *args: str) -> int:
        status = main([*args, "--db", str(self.db)])
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return status

    def ok(self, *args: str) -> str:
        assert self(*args) == 0, self.err
        return self.out

    def fails(self, *args: str) -> str:
        status = self(*args)
        assert status != 0, self.out
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("snapplan: error: ")
        return lines[0]


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)
    (tmp_path / "fair.toml").write_text(CATALOG, encoding="utf-8")
    run = Cli(tmp_path / "fair.sqlite", capsys)
    run.ok("load", "fair.toml")
    run.ok("plan", "Christmas Fair")
    return run


def progress(cli: Cli) -> dict[str, object]:
    data: dict[str, object] = json.loads(cli.ok("progress", "Christmas Fair", "--json"))
    return data


def test_the_kitchen_by_names(cli: Cli) -> None:
    assert "Recorded run 1: 2 batches of Shortbread (32 made)" in cli.ok(
        "produce", "Christmas Fair", "shortbread", "2"
    )
    out = cli.ok("assemble", "Christmas Fair", "Tin", "3", "--key", "tins-1")
    assert "Recorded run 2: 3 x Tin assembled" in out
    assert "took 24 Wedge, 3 Lid" in out
    assert cli.ok("assemble", "Christmas Fair", "Tin", "3", "--key", "tins-1").startswith(
        "Already recorded as run 2 (same key)"  # the retry returns the first run
    )
    cli.ok("waste", "Christmas Fair", "Wedge", "1", "--reason", "eaten")
    data = progress(cli)
    (wedge,) = data["finished_units"]  # type: ignore[misc]
    assert (wedge["produced"], wedge["consumed"], wedge["wasted"], wedge["on_hand"]) == (
        "32", "24", "1", "7")  # fmt: skip
    (tin,) = data["goods"]  # type: ignore[misc]
    assert (tin["assembled"], tin["remaining"], tin["assemblable"]) == ("3", "2", "0")
    table = cli.ok("progress", "Christmas Fair")
    assert "in progress" in table
    assert "Wedge" in table
    assert "can box now" in table


def test_one_line_errors_say_what_is_short_and_by_how_much(cli: Cli) -> None:
    cli.ok("produce", "Christmas Fair", "Shortbread", "1")
    line = cli.fails("assemble", "Christmas Fair", "Tin", "5")
    assert "Wedge: needed 40, on hand 16 (short by 24)" in line
    assert "Lid" not in line  # packaging has no stock
    assert "did you mean 'Shortbread'" in cli.fails("produce", "Christmas Fair", "Shortbred", "1")
    assert "amount must be positive" in cli.fails("produce", "Christmas Fair", "Shortbread", "0")
    assert "no event with id or name" in cli.fails("produce", "Summer Fair", "Shortbread", "1")
    assert "not a number" in cli.fails("produce", "Christmas Fair", "Shortbread", "lots")


def test_void_by_number_and_a_void_that_would_go_negative(cli: Cli) -> None:
    cli.ok("produce", "Christmas Fair", "Shortbread", "1")
    cli.ok("assemble", "Christmas Fair", "Tin", "2")
    line = cli.fails("void", "1", "--plan", "Christmas Fair", "--reason", "wrong tray")
    assert "Wedge: needed 16, on hand 0" in line
    assert "voided by run 3" in cli.ok("void", "2", "--plan", "Christmas Fair", "--reason", "x")
    assert "voided by run 4" in cli.ok("void", "1", "--plan", "Christmas Fair", "--reason", "x")
    (wedge,) = progress(cli)["finished_units"]  # type: ignore[misc]
    assert wedge["on_hand"] == "0"


def test_a_superseded_plan_is_refused_by_id_but_the_event_name_follows(cli: Cli) -> None:
    first = json.loads(cli.ok("progress", "Christmas Fair", "--json"))["plan_id"]
    cli.ok("plan", "Christmas Fair", "--force")
    assert "superseded" in cli.fails("produce", first, "Shortbread", "1")
    cli.ok("produce", "Christmas Fair", "Shortbread", "1")  # the latest plan


def test_verify_and_check(cli: Cli) -> None:
    plan_id = json.loads(cli.ok("progress", "Christmas Fair", "--json"))["plan_id"]
    uuid.UUID(plan_id)
    assert "verified" in cli.ok("verify", plan_id)
    assert cli("verify", plan_id, "--expect-root", "0" * 64) == 4
    assert "root mismatch" in cli.out
    assert "consistent" in cli.ok("check")


def test_a_run_edited_in_the_file_is_reported_by_progress_and_verify(cli: Cli) -> None:
    import sqlite3

    plan_id = json.loads(cli.ok("progress", "Christmas Fair", "--json"))["plan_id"]
    cli.ok("produce", "Christmas Fair", "Shortbread", "1", "--items", "13")
    cli.ok("produce", "Christmas Fair", "Shortbread", "1")
    raw = sqlite3.connect(cli.db)  # 13 wedges become 93, in the file
    raw.execute("DROP TRIGGER snapplan_runs_refuse_update")
    (document,) = raw.execute("SELECT document FROM snapplan_runs WHERE seq = 1").fetchone()
    raw.execute(
        "UPDATE snapplan_runs SET document = ? WHERE seq = 1",
        (document.replace('"items": "13"', '"items": "93"'),),
    )
    raw.commit()
    raw.close()
    error = cli.fails("progress", "Christmas Fair")
    assert "run 1 " in error
    assert "does not match its digest" in error
    assert cli("verify", plan_id) == 4
    assert "ledger mismatch: run 1 " in cli.out


def test_plan_says_what_it_counts_and_whether_the_catalog_drifted(cli: Cli) -> None:
    out = cli.ok("plan", "Christmas Fair")
    assert "is unchanged" in out
    assert "The catalog has not changed since" in out
    assert "root digest" in out
    out = cli.ok("plan", "Christmas Fair", "--force")
    assert "targets captured    0 production, 1 assembly" in out
    assert (
        "snapshots written   4 (1 finished good, 1 finished unit, 1 material unit, 1 recipe" in out
    )


def test_drift_and_a_replan_after_an_edit_say_what_changed(cli: Cli) -> None:
    import attrs

    from snapplan.adapters.sql import SqlStore

    store = SqlStore.from_url(f"sqlite:///{cli.db}")
    with store.unit_of_work() as uow:
        (recipe,) = uow.recipes.all()
        line = attrs.evolve(recipe.lines[0], quantity=260)
        uow.recipes.update(attrs.evolve(recipe, lines=[line]))
        uow.commit()
    store.dispose()
    out = cli.ok("plan", "Christmas Fair")
    assert "is unchanged" in out
    assert "The catalog has changed since (1 definition)" in out
    assert "--force captures it again" in out
    plan_id = json.loads(cli.ok("progress", "Christmas Fair", "--json"))["plan_id"]
    assert "recipe 'Shortbread': line 1 (Butter): 250 g -> 260 g" in cli.ok("drift", plan_id)
    data = json.loads(cli.ok("drift", plan_id, "--json"))
    (definition,) = data["definitions"]
    assert definition["changes"] == [
        {"where": "line 1 (Butter)", "before": "250 g", "after": "260 g"}
    ]


def test_depth_limits_can_be_raised_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    chain = "".join(
        f'[[recipe]]\nname = "R{i}"\n'
        + (f'sub_recipes = [{{recipe = "R{i + 1}", batches = 1}}]\n' if i < 11 else "")
        for i in range(12)
    )
    (tmp_path / "deep.toml").write_text(
        chain + '[[event]]\nname = "Deep"\nproduction = [{recipe = "R0", batches = 1}]\n',
        encoding="utf-8",
    )
    cli.ok("load", "deep.toml")
    line = cli.fails("plan", "Deep")
    assert "recipes nested 11 deep below 'R0'" in line
    assert "--max-recipe-depth" in line
    assert "snapshots written   12" in cli.ok("plan", "Deep", "--max-recipe-depth", "12")


def test_check_warns_about_a_chain_deeper_than_the_default_limit(cli: Cli, tmp_path: Path) -> None:
    chain = "".join(
        f'[[recipe]]\nname = "R{i}"\n'
        + (f'sub_recipes = [{{recipe = "R{i + 1}", batches = 1}}]\n' if i < 11 else "")
        for i in range(12)
    )
    (tmp_path / "deep.toml").write_text(chain, encoding="utf-8")
    cli.ok("load", "deep.toml")
    out = cli.ok("check")
    assert "warning: recipe 'R0'" in out
    assert "--max-recipe-depth 12" in out
    assert "consistent" in out


# -- the kitchen's commands wait for a busy database ---------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("produce", "Christmas Fair", "Shortbread", "1"),
        ("plan", "Christmas Fair", "--force"),
    ],
)
def test_a_writing_command_waits_for_another_writer_instead_of_failing(
    cli: Cli, command: tuple[str, ...]
) -> None:
    # The commands read (names, the plan) before they write: begun as plain readers, SQLite
    # would refuse their first write at once ("database is locked") while someone else writes
    with WriteLock(str(cli.db)).held() as lock:
        lock.release_soon(0.3)
        assert cli(*command) == 0, cli.err


# -- amounts written as fractions (issue 17, item 4) --------------------------------------------


def test_batches_and_quantities_may_be_written_as_fractions_and_are_exact(cli: Cli) -> None:
    cli.ok("produce", "Christmas Fair", "Shortbread", "1 1/2", "--items", "23 1/2")
    cli.ok("assemble", "Christmas Fair", "Tin", "½", "--allow-shortage")
    cli.ok("waste", "Christmas Fair", "Wedge", "1/4", "--reason", "a corner broke")

    done = json.loads(cli.ok("progress", "Christmas Fair", "--json"))
    (shortbread,) = done["recipes"]
    assert shortbread["produced_batches"] == "1.5"
    (wedge,) = done["finished_units"]
    # 23.5 made, 4 boxed in half a tin, a quarter wasted
    assert (wedge["produced"], wedge["consumed"], wedge["wasted"]) == ("23.5", "4", "0.25")
    (tin,) = done["goods"]
    assert tin["assembled"] == "0.5"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (("produce", "Christmas Fair", "Shortbread", "1/3"),
         "snapplan: error: BATCHES: 1/3 (1/3) has no exact decimal: write it another way"),
        (("produce", "Christmas Fair", "Shortbread", "1", "--items", "2/3"),
         "snapplan: error: --items: 2/3 (2/3) has no exact decimal"),
        (("waste", "Christmas Fair", "Wedge", "1 1/3", "--reason", "x"),
         "snapplan: error: QUANTITY: 1 1/3 (4/3) has no exact decimal"),
    ],
)  # fmt: skip
def test_a_fraction_with_no_exact_decimal_is_refused_and_nothing_is_written(
    cli: Cli, command: tuple[str, ...], message: str
) -> None:
    assert cli.fails(*command).startswith(message)
    done = json.loads(cli.ok("progress", "Christmas Fair", "--json"))
    assert done["recipes"][0]["produced_batches"] == "0"
    assert done["finished_units"][0]["wasted"] == "0"
