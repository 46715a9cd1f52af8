"""Shared fixtures: a factory of fresh, empty stores for every adapter under test.

``store_factory`` is parametrised over ``memory``, ``sqlite`` (a temp file) and ``postgres`` (a
fresh schema per store on the server named by ``SNAPPLAN_TEST_POSTGRES_URL``). Tests that take
it therefore run once per adapter; the PostgreSQL run skips, saying why, when the variable is
not set.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from postgres_schemas import fresh_schema, postgres_url, search_path

from snapplan.adapters.memory import MemoryStore

settings.register_profile(
    "quick", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("SNAPPLAN_HYPOTHESIS_PROFILE", "quick"))

StoreFactory = Callable[[], Any]


def _sqlite_factory(tmp_path: Path) -> Iterator[StoreFactory]:
    from snapplan.adapters.sql import SqlStore

    made: list[Any] = []

    def make() -> Any:
        for old in made:  # one store at a time: property tests make one per example
            old.dispose()
        store = SqlStore.from_url(f"sqlite:///{tmp_path / f'store-{len(made)}.sqlite'}")
        store.create_schema()
        made.append(store)
        return store

    yield make
    for store in made:
        store.dispose()


def _postgres_factory() -> Iterator[StoreFactory]:
    from snapplan.adapters.sql import SqlStore

    url = postgres_url()
    # one store at a time: property tests make one per example, and each open engine holds
    # server connections
    current = ExitStack()

    def make() -> Any:
        current.close()
        schema = current.enter_context(fresh_schema())
        store = SqlStore.from_url(url, connect_args=search_path(schema))
        current.callback(store.dispose)  # runs before the schema is dropped
        store.create_schema()
        return store

    with current:
        yield make


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """A callable returning a fresh, empty store of the parametrised kind."""
    if request.param == "memory":
        yield MemoryStore
    elif request.param == "sqlite":
        yield from _sqlite_factory(tmp_path)
    else:
        yield from _postgres_factory()


@pytest.fixture
def store(store_factory: StoreFactory) -> Any:
    """One fresh, empty store of each kind."""
    return store_factory()
