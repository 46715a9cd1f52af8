"""The command line on PostgreSQL: the same workflow, in a fresh schema named in the URL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from postgres_schemas import fresh_schema, postgres_url, search_path

from .conftest import EXAMPLE, Run

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A ``--db`` URL whose ``search_path`` is a fresh, empty schema (dropped afterwards)."""
    import sqlalchemy as sa

    with fresh_schema("snapplan_cli") as schema:
        url = sa.make_url(postgres_url()).update_query_dict(search_path(schema))
        yield url.render_as_string(hide_password=False)


def test_load_plan_requirements_drift_export_on_postgresql(run: Run, postgres_db: str) -> None:
    run("load", EXAMPLE, "--db", postgres_db, check=True)
    planned = run("plan", "Holiday Market", "--db", postgres_db, check=True).stdout
    match = re.search(r"plan ([0-9a-f-]{36})", planned)
    assert match is not None, planned
    plan_id = match.group(1)

    needs = json.loads(
        run("requirements", plan_id, "--db", postgres_db, "--json", check=True).stdout
    )
    drift = run("drift", plan_id, "--db", postgres_db, "--exit-code", check=True).stdout
    export = json.loads(run("export", plan_id, "--db", postgres_db, check=True).stdout)

    cookies = next(b for b in needs["batches"] if b["name"] == "Sugar Cookies")
    assert (cookies["batches"], cookies["needed_batches"], cookies["leftover_units"]) == (
        "9",
        "25/3",
        "24",
    )
    butter = next(i for i in needs["ingredients"] if i["name"] == "Butter")
    assert (butter["quantity"], butter["unit"]) == ("2751.796185", "g")
    assert f"Plan {plan_id}: no drift" in drift
    assert export["plan"]["id"] == plan_id
    assert len(export["snapshots"]) == 11


def test_the_pantry_and_the_shopping_list_on_postgresql(run: Run, postgres_db: str) -> None:
    """The example's market: butter 2751.796185 g, 4 blocks bought: 8 more, 248.203815 g left
    over; flour 6500 g: 3 x 1.5 kg and a 2 kg bag (13.90); 30 eggs counted: none to buy."""
    db = ("--db", postgres_db)
    synced = run("sync", EXAMPLE, *db, check=True).stdout
    run("plan", "Holiday Market", *db, check=True)
    bought = run("buy", "Butter 250 g block", "4", "--price", "2.50", *db, check=True).stdout
    run("count", "Eggs", "30", "each", *db, check=True)
    run("use", "Eggs", "2", "each", "--reason", "breakfast", *db, check=True)
    voided = run("void", "3", "--pantry", "--reason", "not eaten", *db, check=True).stdout

    held = json.loads(run("pantry", "--json", *db, check=True).stdout)
    found = json.loads(run("shop", "Holiday Market", "--json", *db, check=True).stdout)
    cost = json.loads(run("cost", "Holiday Market", "--json", *db, check=True).stdout)

    assert "8 prices recorded" in synced
    assert "Butter on hand now: 1000 g" in bought
    assert "Eggs on hand now: 30 each" in voided
    on_hand = {item["name"]: (item["on_hand"], item["unit"]) for item in held["items"]}
    assert on_hand["Butter"] == ("1000", "g")
    assert on_hand["Eggs"] == ("30", "each")
    lines = {line["name"]: line for line in found["lines"]}
    butter = lines["Butter"]
    assert [(p["name"], p["count"]) for p in butter["packs"]] == [("Butter 250 g block", 8)]
    assert (butter["needed"], butter["left_over"]) == ("2751.796185", "248.203815")
    assert sorted((p["name"], p["count"]) for p in lines["Flour"]["packs"]) == [
        ("Flour 1.5 kg bag", 3), ("Flour 2 kg bag", 1)
    ]  # fmt: skip
    assert lines["Flour"]["cost"] == "13.9"
    assert (lines["Eggs"]["to_buy"], lines["Eggs"]["packs"]) == ("0", [])
    assert [(m["name"], m["why"]) for m in found["missing"]] == [("Cocoa", "unconvertible")]
    assert (cost["currency"], cost["complete"]) == ("EUR", False)
