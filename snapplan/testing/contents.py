"""The complete contents of a store, for comparing before and after an operation."""

from __future__ import annotations

from typing import Any

from snapplan.ports.unit_of_work import REPOSITORY_NAMES, Store


def store_contents(store: Store) -> dict[str, tuple[Any, ...]]:
    """Every item of every repository (ordered by id): the catalog, products, snapshots,
    plans, runs, price quotes and pantry entries; plus each event's plans in order.

    Two calls return equal dicts exactly when nothing was added, changed or removed.
    """
    with store.unit_of_work() as uow:
        contents: dict[str, tuple[Any, ...]] = {
            name: tuple(getattr(uow, name).all()) for name in REPOSITORY_NAMES
        }
        contents["plan_order"] = tuple(
            (event.id, tuple(p.id for p in uow.plans.for_event(event.id)))
            for event in contents["events"]
        )
        return contents
