"""``snapplan demo``: a planned sample in a SQLite file, safe to run again, never clobbering."""

from __future__ import annotations

import contextlib
import re
import shlex
import sqlite3
from pathlib import Path

from .conftest import Run, one_error_line, table_rows

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_demo_prints_the_requirements_and_runs_twice_in_a_row(run: Run, tmp_path: Path) -> None:
    first = run("demo")
    second = run("demo")

    for result in (first, second):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert "Sample bakery planned in snapplan-demo.sqlite" in result.stdout
        assert re.search(r"Sugar Cookies\s+9\s+25/3\s+24\n", result.stdout)
        assert re.search(r"Flour\s+6500\s+g\n", result.stdout)
    assert "each demo run adds a fresh copy" in second.stdout
    plans = [re.search(rf"plan\s+({UUID})", r.stdout) for r in (first, second)]
    assert plans[0] is not None
    assert plans[1] is not None
    assert plans[0].group(1) != plans[1].group(1)
    rows = table_rows(tmp_path / "snapplan-demo.sqlite")
    assert rows["snapplan_events"] == 2
    assert rows["snapplan_plans"] == 2


def test_the_follow_up_commands_demo_prints_work(run: Run, tmp_path: Path) -> None:
    out = run("demo", "--db", "my demo.sqlite", check=True).stdout
    follow_ups = out.split("Next:\n")[1].splitlines()

    assert len(follow_ups) == 7
    for line in follow_ups:
        words = shlex.split(line, comments=True)
        assert words[0] == "snapplan"
        result = run(*words[1:])
        assert result.returncode == 0, (line, result.stderr)
    assert (tmp_path / "my demo.sqlite").exists()


def test_the_installed_console_script_runs_demo(run: Run, tmp_path: Path) -> None:
    result = run("demo", "--db", "script.sqlite", script=True)

    assert result.returncode == 0, result.stderr
    assert "Batches" in result.stdout
    assert table_rows(tmp_path / "script.sqlite")["snapplan_plans"] == 1


def test_demo_leaves_a_file_that_is_not_a_database_untouched(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("my shopping list\n")

    # in a real process (`python -m snapplan.cli`): one line, no traceback
    line = one_error_line(run("demo", "--db", notes, module="snapplan.cli"))

    assert "is not a SQLite database" in line
    assert notes.read_text() == "my shopping list\n"


def test_demo_leaves_another_applications_database_untouched(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "shop.sqlite"
    with contextlib.closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE customers (name TEXT)")
        connection.commit()
    before = other.read_bytes()

    line = one_error_line(run("demo", "--db", other))

    assert "demo leaves it alone" in line
    assert other.read_bytes() == before
    assert table_rows(other) == {}


def test_demo_help_says_what_happens_to_an_existing_file(run: Run) -> None:
    text = " ".join(run("demo", "--help", check=True).stdout.split())

    assert "snapplan-demo.sqlite" in text
    assert "adds a fresh copy of the sample with new ids" in text
    assert "never deletes or empties anything" in text
