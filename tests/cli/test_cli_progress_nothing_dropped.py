"""``snapplan progress`` after a rename in the catalog file: what the old ingredient was used
for still shows, as a baker meets it (``sync``, ``plan --force``, ``progress``)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Run

CATALOG = """
[[ingredient]]
name = "Butter"

[[recipe]]
name = "Buttercream"
lines = [{ ingredient = "Butter", quantity = 3, unit = "cup" }]

[[event]]
name = "Fair"
production = [{ recipe = "Buttercream", batches = 3 }]
"""


def test_a_renamed_ingredient_still_shows_what_it_was_used_for(run: Run, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(CATALOG, encoding="utf-8")
    db = ("--db", "bakery.sqlite")
    run("sync", "catalog.toml", *db, check=True)
    run("plan", "Fair", *db, check=True)
    run("produce", "Fair", "Buttercream", "1", *db, check=True)  # 3 cup of Butter
    # renamed in the file, without an id: sync adds "Unsalted butter" as a new ingredient
    catalog.write_text(CATALOG.replace('"Butter"', '"Unsalted butter"'), encoding="utf-8")
    run("sync", "catalog.toml", *db, check=True)
    run("plan", "Fair", "--force", *db, check=True)

    table = run("progress", "Fair", *db, check=True).stdout
    data = json.loads(run("progress", "Fair", "--json", *db, check=True).stdout)

    rows = [line.split() for line in table.splitlines()]
    assert ["Butter", "(not", "in", "this", "plan)", "0", "cups", "3", "cups", "0", "cups"] in rows
    assert ["Unsalted", "butter", "9", "cups", "0", "cups", "9", "cups"] in rows
    lines = {i["name"]: i for i in data["ingredients"]}
    assert set(lines) == {"Butter", "Unsalted butter"}
    assert (lines["Butter"]["planned"], lines["Butter"]["used"]) == ("0", "3")
    assert (lines["Butter"]["unit"], lines["Butter"]["in_plan"]) == ("cup", False)
    assert lines["Unsalted butter"]["in_plan"] is True
    assert data["unmatched"] == []
