"""``snapplan demo``: a planned sample in a SQLite file, safe to run again, never clobbering."""

from __future__ import annotations

import contextlib
import re
import shlex
import sqlite3
from pathlib import Path

from snapplan.cli.buying_views import TIMES as X

from .conftest import Run, one_error_line, table_rows

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_demo_prints_the_requirements_and_runs_twice_in_a_row(run: Run, tmp_path: Path) -> None:
    first = run("demo")
    second = run("demo")

    for result in (first, second):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert "Sample bakery planned in snapplan-demo.sqlite" in result.stdout
        assert re.search(r"Sugar Cookies\s+9\s+8 ⅓\s+24\n", result.stdout)
        assert re.search(r"Flour\s+6500\s+g\n", result.stdout)
    assert "each demo run adds a fresh copy" in second.stdout
    assert f"entry 2  bought 6 {X} Butter 250 g block (1500 g of Butter)" in first.stdout
    assert "entry 7  counted 30 each of Eggs" in first.stdout
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

    assert len(follow_ups) == 12
    for line in follow_ups:
        words = shlex.split(line, comments=True)
        assert words[0] == "snapplan"
        result = run(*words[1:])
        assert result.returncode == 0, (line, result.stderr)
    assert (tmp_path / "my demo.sqlite").exists()


def test_demo_stocks_a_pantry_and_ends_with_the_shopping_list_of_its_plan(run: Run) -> None:
    """Worked by hand. The evening before: 2 x 2 kg flour, 6 x 250 g butter, 2 x 1 kg sugar,
    a 250 g tin of cocoa, 30 eggs counted. The first morning used 5 batches of cookies (5 x
    (500 + 100) g flour = 3000 g, 5 x 225 g butter = 1125 g, 5 x 0.75 cup sugar) and 2 of
    brownies (2 cup sugar, 1 cup cocoa, 8 eggs); sugar at 1 cup = 200 g: 5.75 cup = 1150 g.

    Still to make: 4 batches of cookies, 3 of brownies, 2 of each cake and 2 of frosting:
    flour 4 x 600 + 2 x 300 + 2 x 250 = 3500 g against 1000 g on hand: 2500 g to buy, the
    cheapest way 2 x 1.5 kg at 3.30 (6.60; 2 kg + 1.5 kg is 7.30, 2 x 2 kg 8.00); butter
    4 x 225 + 2 x 250 = 1400 g against 375 g: 5 blocks, 225 g left over; sugar (3 + 3 + 4) cup
    = 2000 g against 850 g: 2 bags, 850 g left over. 12.50 + 6.60 + 3.60 = 22.70 EUR; cocoa's
    cups have no measure to grams: listed, and the list incomplete.
    """
    out = run("demo", check=True).stdout
    shopping = out.split("Shopping list for 'Holiday Market'")[1].split("Next:")[0]

    assert re.search(r"Flour\s+1000\s+g\s", out.split("Pantry as of")[1])
    assert re.search(r"Cocoa\s+250\s+g\s+-\s+-1 cup\n", out)
    assert re.search(rf"Butter\n  5 {X} Butter 250 g block\s+12.50 EUR", shopping)
    assert "left over 225 g  (need 1400 g, on hand 375 g)" in shopping
    assert re.search(rf"Flour\n  2 {X} Flour 1.5 kg bag\s+6.60 EUR", shopping)
    assert re.search(rf"Sugar\n  2 {X} Sugar 1 kg bag\s+3.60 EUR", shopping)
    assert "! Cocoa: 2 cup cannot be put in g" in shopping
    assert "Total: 22.70 EUR" in shopping
    assert "! Incomplete: Cocoa (unconvertible)" in shopping


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
