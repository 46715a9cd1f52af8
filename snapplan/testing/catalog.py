"""Put any mix of catalog definitions, events, snapshots and plans into a store in one go."""

from __future__ import annotations

from typing import Any

from snapplan.ports.unit_of_work import Store, UnitOfWork, repository_of


def add_all(uow: UnitOfWork, items: Any) -> None:
    """Add each item to the repository of its type (an entered unit of work; no commit).

    Unlike :func:`snapplan.add_catalog`, this takes snapshots and plans too, one ``add`` each,
    in the order given: for tests that build a store's contents by hand.
    """
    for item in items:
        getattr(uow, repository_of(item).name).add(item)


def save(store: Store, *items: Any) -> None:
    """Add ``items`` to ``store`` in one committed unit of work."""
    with store.unit_of_work() as uow:
        add_all(uow, items)
        uow.commit()
