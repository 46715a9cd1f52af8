"""``add_catalog``: put catalog definitions and events into a store in one go."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from snapplan.domain.catalog import CatalogItem
from snapplan.domain.events import Event
from snapplan.ports.repositories import CatalogRepository
from snapplan.ports.unit_of_work import REPOSITORY_NAMES, UnitOfWork, repository_of
from snapplan.services import _arguments as arguments
from snapplan.services._atomic import atomic


def add_catalog(uow: UnitOfWork, items: Iterable[CatalogItem | Event]) -> None:
    """Add every item to the repository of its type: one ``add_many`` per repository.

    Items may come in any order and mix (ingredients, recipes, finished units, material units,
    finished goods, events); references between them are not checked (see
    :func:`snapplan.check_catalog`). All or nothing: a duplicate id adds none of them. Given a
    fresh unit of work this enters and commits it; given an entered one it joins it.

    >>> from snapplan import Ingredient, MemoryStore, add_catalog
    >>> store = MemoryStore()
    >>> add_catalog(store.unit_of_work(), [Ingredient("Flour"), Ingredient("Sugar")])
    >>> with store.unit_of_work() as uow:
    ...     uow.ingredients.count()
    2
    """
    uow = arguments.unit_of_work(uow)
    by_repository: dict[str, list[CatalogItem | Event]] = defaultdict(list)
    for item in items:
        spec = repository_of(item)
        if spec.port is not CatalogRepository:
            raise TypeError(f"add_catalog adds catalog definitions and events, not {spec.name}")
        by_repository[spec.name].append(item)
    with atomic(uow):
        for name in REPOSITORY_NAMES:
            if by_repository[name]:
                getattr(uow, name).add_many(by_repository[name])
        uow.commit()
