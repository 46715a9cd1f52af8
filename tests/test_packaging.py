"""The package as a host sees it: light import, the pytest plugin's fixtures, the example."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from snapplan import Ingredient
from snapplan.testing.catalog import save


def test_import_snapplan_pulls_in_neither_sqlalchemy_nor_hypothesis() -> None:
    probe = (
        "import sys, snapplan, snapplan.testing, snapplan.testing.plugin; "
        "print(sorted(m for m in ('sqlalchemy', 'hypothesis', 'psycopg') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_plugin_offers_a_memory_store(snapplan_memory_store: Any) -> None:
    flour = Ingredient("Flour")
    save(snapplan_memory_store, flour)
    with snapplan_memory_store.unit_of_work() as uow:
        assert uow.ingredients.get(flour.id) == flour


def test_the_plugin_offers_a_sqlite_store(snapplan_sqlite_store: Any) -> None:
    flour = Ingredient("Flour")
    save(snapplan_sqlite_store, flour)
    with snapplan_sqlite_store.unit_of_work() as uow:
        assert uow.ingredients.get(flour.id) == flour
    assert snapplan_sqlite_store.engine.dialect.name == "sqlite"


def test_the_example_plans_the_sample_bakery() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "snapplan.example"], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in out.splitlines()]
    assert ["Sugar", "Cookies", "9", "25/3", "24"] in rows
    assert ["Brownie", "120"] in rows
