"""Shared fixtures: the hypothesis profiles, and every way a test gets a store.

All stores come from :mod:`stores` (``make_store(kind, **options)``); the fixtures here only
choose the kinds:

- ``make_store`` / ``make_database``: any kind, any options (see :mod:`stores`);
- ``store_factory`` / ``store``: parametrised over ``memory``, ``sqlite``, ``postgres`` and
  ``mariadb``;
- ``sql_store_factory`` / ``sql_store``: parametrised over ``sqlite``, ``postgres`` and
  ``mariadb``;
- ``sqlite_factory`` / ``postgres_factory`` / ``mariadb_factory``: one kind (extra keywords go
  to ``make_store``).

A factory returns a fresh, empty store each time it is called. PostgreSQL tests work in one
schema per session, MariaDB tests in one database per session, emptied for each new store; they
skip, saying why, when ``SNAPPLAN_TEST_POSTGRES_URL`` (``SNAPPLAN_TEST_MARIADB_URL``) is not
set.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from mariadb_databases import SharedDatabase
from mariadb_databases import mariadb_url as mariadb_server_url
from postgres_schemas import SharedSchema
from postgres_schemas import postgres_url as server_url
from stores import KINDS, SQL_KINDS, Database, MakeStore, SqliteTemplate, Stores, kind_params

# quick: a developer's run (the default). thorough: CI's main run, hypothesis's own default
# number of examples for every property (the store properties' SQL cases take a share of it:
# tests/store_properties.py), the lockstep machine its own budget (tests/test_stateful.py).
settings.register_profile(
    "quick", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("SNAPPLAN_HYPOTHESIS_PROFILE", "quick"))

StoreFactory = Callable[..., Any]


# -- once per session -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteTemplate]:
    """A SQLite file with snapplan's schema, copied for every SQLite store."""
    template = SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))
    yield template
    template.close()


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[SharedSchema]:
    """The session's PostgreSQL schema, with snapplan's tables; skips without a server."""
    schema = SharedSchema(server_url())
    schema.create()
    yield schema
    schema.drop()


@pytest.fixture(scope="session")
def mariadb_database() -> Iterator[SharedDatabase]:
    """The session's MariaDB database, with snapplan's tables; skips without a server."""
    mariadb_server_url()
    database = SharedDatabase()
    database.create()
    yield database
    database.drop()


# -- per test ---------------------------------------------------------------------------------


@pytest.fixture
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    """Makes the test's stores and databases; disposes of them all afterwards."""
    made = Stores(request, tmp_path)
    yield made
    made.close()


@pytest.fixture
def make_store(stores: Stores) -> MakeStore:
    """``make_store(kind, *, fresh=False, options="", **engine_kwargs)``: a new, empty store."""
    return stores.make_store


@pytest.fixture
def make_database(stores: Stores) -> Callable[..., Database]:
    """``make_database(kind, *, fresh=False)``: an empty SQL database, no store open on it."""
    return stores.make_database


_SHARED = {"postgres": "postgres_schema", "mariadb": "mariadb_database"}


def _factory(request: pytest.FixtureRequest, make_store: MakeStore, kind: str) -> StoreFactory:
    if kind in _SHARED:
        request.getfixturevalue(_SHARED[kind])  # set up (or skip) before the test runs
    return functools.partial(make_store, kind)


@pytest.fixture(params=kind_params(KINDS))
def store_factory(request: pytest.FixtureRequest, make_store: MakeStore) -> StoreFactory:
    """A callable returning a fresh, empty store of the parametrised kind."""
    return _factory(request, make_store, request.param)


@pytest.fixture
def store(store_factory: StoreFactory) -> Any:
    """One fresh, empty store of each kind."""
    return store_factory()


@pytest.fixture(params=kind_params(SQL_KINDS))
def sql_store_factory(request: pytest.FixtureRequest, make_store: MakeStore) -> StoreFactory:
    """Makes fresh, empty SQL stores of the parametrised engine (keywords: see ``make_store``)."""
    return _factory(request, make_store, request.param)


@pytest.fixture
def sql_store(sql_store_factory: StoreFactory) -> Any:
    """One fresh, empty SQL store on each engine."""
    return sql_store_factory()


@pytest.fixture
def sqlite_factory(request: pytest.FixtureRequest, make_store: MakeStore) -> StoreFactory:
    """Makes SQL stores on fresh SQLite files (extra keywords go to ``create_engine``)."""
    return _factory(request, make_store, "sqlite")


@pytest.fixture
def postgres_factory(request: pytest.FixtureRequest, make_store: MakeStore) -> StoreFactory:
    """Makes SQL stores on the emptied shared schema (``options``: more ``-c`` settings)."""
    return _factory(request, make_store, "postgres")


@pytest.fixture
def mariadb_factory(request: pytest.FixtureRequest, make_store: MakeStore) -> StoreFactory:
    """Makes SQL stores on the emptied shared MariaDB database."""
    return _factory(request, make_store, "mariadb")


@pytest.fixture
def mariadb_url() -> str:
    """The MariaDB test server's URL (the test is skipped when none is configured)."""
    return mariadb_server_url()


@pytest.fixture
def postgres_url() -> str:
    """The test server's URL (the test is skipped when none is configured)."""
    return server_url()
