"""Bad input: one line on stderr, a non-zero exit, no traceback; a failed load loads nothing."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest

from snapplan.adapters.sql import SqlStore
from snapplan.cli import main
from snapplan.cli.problems import EXIT_ERROR, EXIT_INTERNAL, describe
from snapplan.services import create_plan

from .conftest import (
    EXAMPLE,
    MARKET_ID,
    Run,
    load_in_process,
    one_error_line,
    run_snapplan,
    table_rows,
)

MISSING_ID = "00000000-0000-4000-8000-000000000000"
FLOUR = '[[ingredient]]\nname = "Flour"\n'


def cookies(quantity: str) -> str:
    """A catalog whose second recipe line has the given quantity."""
    return FLOUR + (
        '[[recipe]]\nname = "Sugar Cookies"\nlines = [\n'
        '  {ingredient = "Flour", quantity = 1, unit = "kg"},\n'
        f'  {{ingredient = "Flour", quantity = {quantity}, unit = "g"}},\n]\n'
    )


@pytest.fixture(scope="module")
def planned_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A SQLite file with the example loaded and the market planned (set up in-process)."""
    db = tmp_path_factory.mktemp("errors") / "bakery.sqlite"
    load_in_process(EXAMPLE, db)
    store = SqlStore.from_url(f"sqlite:///{db}")
    plan = create_plan(store.unit_of_work(), uuid.UUID(MARKET_ID))
    store.dispose()
    return db, str(plan.plan_id)


CATALOG_CASES = {
    "missing file": (None, "nowhere.toml: No such file or directory"),
    "malformed TOML": ("[[recipe]\nname = 1\n", "malformed TOML"),
    "unknown name": (
        FLOUR + '[[finished_unit]]\nname = "Cookie"\nrecipe = "Cookies"\nitems_per_batch = 36\n',
        "finished unit 'Cookie', recipe: no recipe named 'Cookies' in this file",
    ),
    "negative quantity": (
        cookies("-100"),
        "recipe 'Sugar Cookies', line 2, quantity: amount must be positive",
    ),
    "zero quantity": (
        cookies("0"),
        "recipe 'Sugar Cookies', line 2, quantity: amount must be positive",
    ),
    "NaN quantity": (cookies("nan"), "line 2, quantity: amounts must be finite"),
    "duplicate name": (FLOUR + FLOUR, "duplicate ingredient name 'Flour'"),
    # 'Butter' and 'Butter ' would load as two ingredients nobody can tell apart
    "a name with a trailing space": (
        FLOUR + '[[ingredient]]\nname = "Flour "\n',
        "ingredient 'Flour ': name: must not start or end with white space: 'Flour '",
    ),
    # what Python's Decimal accepts but a person does not type
    "an amount with an underscore": (
        cookies('"1_000"'),
        "recipe 'Sugar Cookies', line 2, quantity: not a number: '1_000'",
    ),
    "an amount in Arabic-Indic digits": (
        cookies('"\u0661\u0662"'),
        "recipe 'Sugar Cookies', line 2, quantity: not a number",
    ),
    "malformed id": (
        '[[ingredient]]\nname = "Flour"\nid = "42"\n',
        "ingredient 'Flour', id: not a UUID: '42'",
    ),
}


@pytest.mark.parametrize(("text", "message"), CATALOG_CASES.values(), ids=CATALOG_CASES.keys())
def test_a_bad_catalog_file_is_one_line_and_loads_nothing(
    run: Run, tmp_path: Path, text: str | None, message: str
) -> None:
    catalog = tmp_path / "nowhere.toml"
    if text is not None:
        catalog.write_text(text)
    db = tmp_path / "bakery.sqlite"

    line = one_error_line(run("load", catalog, "--db", db))

    assert message in line
    assert not db.exists()  # the file is checked before the database is touched


DATABASE_CASES = {
    "neither a plan id nor an event": (["requirements", "42"], "no event with id or name '42'"),
    "unknown plan (requirements)": (["requirements", MISSING_ID], f"plan {MISSING_ID} not found"),
    "unknown plan (drift)": (["drift", MISSING_ID], f"plan {MISSING_ID} not found"),
    "unknown plan (export)": (["export", MISSING_ID], f"plan {MISSING_ID} not found"),
    "unknown event id": (["plan", MISSING_ID], f"event {MISSING_ID} not found"),
    "unknown event name": (["plan", "Easter Fair"], "no event with id or name 'Easter Fair'"),
}


@pytest.mark.parametrize(("args", "message"), DATABASE_CASES.values(), ids=DATABASE_CASES.keys())
def test_unknown_or_malformed_ids_are_one_line(
    planned_db: tuple[Path, str], args: list[str], message: str
) -> None:
    db, _ = planned_db
    line = one_error_line(run_snapplan(*args, "--db", db, cwd=db.parent))
    assert message in line


@pytest.mark.parametrize(
    ("db", "message"),
    [
        ("postgresql+psycopg://nobody@127.0.0.1:1/x", "cannot open the database"),
        ("missing.sqlite", "database file not found: missing.sqlite"),
        ("notes.txt", "notes.txt is not a SQLite database"),
        ("empty.sqlite", "has no snapplan catalog: load one first"),
        ("nosuchdialect://host/db", "cannot use nosuchdialect://host/db"),
        ("://", "not a database URL"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line(
    run: Run, tmp_path: Path, db: str, message: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a database")
    with contextlib.closing(sqlite3.connect(tmp_path / "empty.sqlite")) as connection:
        connection.execute("CREATE TABLE other (x)")

    line = one_error_line(run("requirements", MISSING_ID, "--db", db))

    assert message in line
    assert not (tmp_path / "missing.sqlite").exists()


def test_an_event_name_shared_by_two_events_must_be_given_by_id(run: Run, tmp_path: Path) -> None:
    catalog = tmp_path / "fair.toml"
    catalog.write_text('[[event]]\nname = "Fair"\n')
    load_in_process(catalog, tmp_path / "fair.sqlite")
    load_in_process(catalog, tmp_path / "fair.sqlite")

    line = one_error_line(run("plan", "Fair", "--db", "fair.sqlite"))

    assert "2 events are named 'Fair'; give one of their ids" in line


def test_a_load_that_fails_at_the_last_event_leaves_the_database_empty(
    run: Run, tmp_path: Path
) -> None:
    catalog = tmp_path / "market.toml"
    catalog.write_text(
        EXAMPLE.read_text()
        + '\n[[event]]\nname = "Easter Fair"\n'
        + 'production = [{recipe = "Hot Cross Buns", batches = 2}]\n'
    )
    db = tmp_path / "market.sqlite"

    line = one_error_line(run("load", catalog, "--db", db))

    assert "event 'Easter Fair', production 1, recipe: no recipe named 'Hot Cross Buns'" in line
    assert sum(table_rows(db).values()) == 0


def test_a_load_that_fails_while_writing_writes_nothing(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "market.sqlite"
    run("load", EXAMPLE, "--db", db, check=True)
    before = table_rows(db)
    second = tmp_path / "second.toml"
    # Valid on its own; only the database can tell that the last event's id is taken.
    second.write_text(
        FLOUR
        + '[[recipe]]\nname = "Bread"\n'
        + 'lines = [{ingredient = "Flour", quantity = 1, unit = "kg"}]\n'
        + f'[[event]]\nname = "Bread Day"\nid = "{MARKET_ID}"\n'
        + 'production = [{recipe = "Bread", batches = 1}]\n'
    )

    line = one_error_line(run("load", second, "--db", db))

    assert f"nothing was loaded from {second}" in line
    # the item by name and id, never the database's constraint
    assert f"Event 'Bread Day' (id {MARKET_ID}) already exists" in line
    assert "UNIQUE" not in line
    assert "snapplan_" not in line
    assert table_rows(db) == before
    assert before["snapplan_ingredients"] == 5


def test_a_usage_error_exits_2(run: Run) -> None:
    result = run("requirements", module="snapplan")  # a real process: `python -m snapplan`
    assert result.returncode == 2
    assert "usage: snapplan requirements" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unexpected_error_is_one_line_with_its_own_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(*_: object) -> int:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("snapplan.cli.commands.export", broken)
    status = main(["export", MISSING_ID, "--db", str(tmp_path / "x.sqlite")])

    captured = capsys.readouterr()
    assert status == EXIT_INTERNAL == 70
    assert captured.err == "snapplan: error: internal error: ZeroDivisionError: boom\n"
    assert describe(KeyError("k")) == ("internal error: KeyError: 'k'", EXIT_INTERNAL)


def test_malformed_toml_is_an_input_error_though_problems_does_not_import_tomllib() -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as raised:
        tomllib.loads("name = ")
    message, status = describe(raised.value)

    assert message.startswith("malformed TOML: ")
    assert status == EXIT_ERROR == 1


def test_output_cut_short_by_the_reader_is_not_an_error_trace(
    planned_db: tuple[Path, str],
) -> None:
    db, plan_id = planned_db
    command = [sys.executable, "-m", "snapplan.cli", "export", plan_id, "--db", str(db)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        process.wait(timeout=60)
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr
