"""A library changes no process-wide state: Python's garbage collector stays as the host set
it, before, during and after a service call. Only the ``snapplan`` command, in a process of its
own, tunes the collector's thresholds."""

from __future__ import annotations

import datetime
import gc
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from snapplan import Event, Ingredient, IngredientLine, ProductionTarget, Recipe, create_plan
from snapplan.cli import main
from snapplan.testing.catalog import save


@pytest.fixture
def collector() -> Iterator[None]:
    """Whatever a test does to the collector is undone afterwards."""
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()
        else:
            gc.disable()


@pytest.mark.usefixtures("collector")
def test_a_collector_switched_off_by_the_host_during_a_call_stays_off(store: Any) -> None:
    flour = Ingredient("Flour")
    bread = Recipe("Bread", lines=[IngredientLine(flour.id, 500, "g")])
    event = Event("Market", [ProductionTarget(bread.id, 2)])
    save(store, flour, bread, event)

    def clock() -> datetime.datetime:
        gc.disable()  # the host's other thread, say, while the plan is being made
        return datetime.datetime.now(datetime.UTC)

    gc.enable()
    create_plan(store.unit_of_work(), event.id, clock=clock)
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector")
def test_the_command_called_in_a_host_process_leaves_the_collector_alone() -> None:
    gc.set_threshold(1234, 5, 6)
    with pytest.raises(SystemExit):
        main(["--version"])
    assert gc.get_threshold() == (1234, 5, 6)


def test_the_command_in_its_own_process_tunes_the_collectors_thresholds() -> None:
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys\n"
            "from snapplan.cli import main\n"
            "sys.argv = ['snapplan', '--version']\n"
            "try:\n"
            "    main()\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(gc.get_threshold())\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.splitlines()[-1] == "(50000, 20, 100)"
