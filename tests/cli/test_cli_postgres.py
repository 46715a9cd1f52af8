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
