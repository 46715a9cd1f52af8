"""The command line on MariaDB: the PostgreSQL workflow with only the ``--db`` URL changed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from stores import Database

from .conftest import EXAMPLE, Run

pytestmark = pytest.mark.mariadb


def test_load_plan_produce_progress_verify_on_mariadb(
    run: Run, make_database: Callable[..., Database]
) -> None:
    db = make_database("mariadb").url  # the session's database, emptied: snapplan's tables
    run("load", EXAMPLE, "--db", db, check=True)
    planned = run("plan", "Holiday Market", "--db", db, check=True).stdout
    match = re.search(r"plan ([0-9a-f-]{36})", planned)
    assert match is not None, planned
    plan_id = match.group(1)

    needs = json.loads(run("requirements", plan_id, "--db", db, "--json", check=True).stdout)
    cookies = next(b for b in needs["batches"] if b["name"] == "Sugar Cookies")
    assert (cookies["batches"], cookies["needed_batches"]) == ("9", "25/3")
    butter = next(i for i in needs["ingredients"] if i["name"] == "Butter")
    assert (butter["quantity"], butter["unit"]) == ("2751.796185", "g")  # as on PostgreSQL

    run("produce", plan_id, "Sugar Cookies", "2", "--key", "tray-1", "--db", db, check=True)
    run("produce", plan_id, "Sugar Cookies", "2", "--key", "Tray-1", "--db", db, check=True)
    progress = json.loads(run("progress", plan_id, "--db", db, "--json", check=True).stdout)
    cookies_done = next(r for r in progress["recipes"] if r["name"] == "Sugar Cookies")
    assert cookies_done["produced_batches"] == "4"  # "tray-1" and "Tray-1": two keys
    assert ": verified:" in run("verify", plan_id, "--db", db, check=True).stdout
