"""Put any mix of catalog definitions, events, snapshots and plans into a store in one go."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from snapplan.domain.catalog import FinishedGood, FinishedUnit, Ingredient, MaterialUnit, Recipe
from snapplan.domain.events import Event
from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import SNAPSHOT_TYPES

_REPOSITORY_OF: dict[type, str] = {
    Ingredient: "ingredients",
    Recipe: "recipes",
    FinishedUnit: "finished_units",
    MaterialUnit: "material_units",
    FinishedGood: "finished_goods",
    Event: "events",
    Plan: "plans",
    **dict.fromkeys(SNAPSHOT_TYPES, "snapshots"),
}


def add_all(uow: Any, items: Iterable[Any]) -> None:
    """Add each item to the repository of its type (an entered unit of work; no commit)."""
    for item in items:
        getattr(uow, _REPOSITORY_OF[type(item)]).add(item)


def save(store: Any, *items: Any) -> None:
    """Add ``items`` to ``store`` in one committed unit of work."""
    with store.unit_of_work() as uow:
        add_all(uow, items)
        uow.commit()
