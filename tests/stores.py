"""The one way tests get a store: ``make_store(kind, **options)``.

Kinds are :data:`KINDS`: ``"memory"`` (a :class:`MemoryStore`), ``"sqlite"`` (the session's SQLite
file, a fresh copy of the template; with options, a new file in the test's temporary
directory), ``"postgres"`` (the session's shared schema on the server
named by ``SNAPPLAN_TEST_POSTGRES_URL``, emptied for the new store; see
:mod:`postgres_schemas`) and ``"mariadb"`` (the session's shared database on the server named by
``SNAPPLAN_TEST_MARIADB_URL``, emptied likewise; see :mod:`mariadb_databases`). Every store
starts empty with snapplan's schema in place.

A test's :class:`Stores` (the ``stores`` fixture; ``make_store`` and ``make_database`` are its
methods, as fixtures) makes them and disposes of them all when the test ends. The fixtures of
``tests/conftest.py`` (``store_factory``, ``store``, ``sql_store_factory``, ``sql_store``,
``sqlite_factory``, ``postgres_factory``) are all built on it.

- One live store per SQL kind at a time: making a store (or a database) of a kind disposes the
  stores made before it of that kind. Property tests make one store per hypothesis example.
  PostgreSQL and MariaDB stores made without options share the session's engine (its pool and
  its compiled statements outlive them).
- ``make_store("postgres", options="-clock_timeout=1s")`` adds ``-c`` settings to the store's
  connections; other keywords go to ``sqlalchemy.create_engine`` (``connect_args`` merged).
- ``make_store("postgres", fresh=True)`` works in a schema of its own (``"mariadb"``: a
  database of its own), created and dropped for it, and is never disposed by a later
  ``make_store``.
- Several stores (or processes) on one database at once: ``database = make_database(kind)``, an
  empty :class:`Database` with no store open, then ``database.open()`` as often as needed (each
  is the caller's to dispose; ``with database.open() as store:``).

SQLite stores are copies of one template file made once per session with
``SqlStore.create_schema()``: copying a file costs a fraction of creating the tables. SQLite
stores made without options share one file and one engine (:meth:`SqliteTemplate.store`), as
the servers' stores share theirs.
"""

from __future__ import annotations

import shutil
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Final, Protocol

import attrs
import pytest
import sqlalchemy as sa
from mariadb_databases import SharedDatabase, fresh_database, url_of
from postgres_schemas import SharedSchema, fresh_schema, postgres_url, search_path

KINDS: Final = ("memory", "sqlite", "postgres", "mariadb")
SQL_KINDS: Final = ("sqlite", "postgres", "mariadb")
#: The kinds that need a server, each marked with its own name.
SERVER_KINDS: Final = ("postgres", "mariadb")


def kind_params(kinds: tuple[str, ...]) -> list[Any]:
    """``params=`` for a fixture parametrised over store kinds, each SQL kind marked with its
    name (``sqlite``, ``postgres``, ``mariadb``: CI's newest-Python run leaves them out)."""
    return [pytest.param(k, marks=getattr(pytest.mark, k)) if k in SQL_KINDS else k for k in kinds]


class MakeStore(Protocol):
    def __call__(
        self, kind: str, *, fresh: bool = False, options: str = "", **engine_kwargs: Any
    ) -> Any: ...


@attrs.frozen
class Database:
    """Where SQL stores live, in a form a child process can open too (see :meth:`request`)."""

    url: str
    engine_kwargs: dict[str, Any] = attrs.field(factory=dict)
    #: The SQLite file, or None.
    path: Path | None = None

    def open(self, *, options: str = "", **engine_kwargs: Any) -> Any:
        """A new ``SqlStore`` (its own engine) on this database; the caller disposes it.

        ``options``: more ``-c`` settings for PostgreSQL connections; ``engine_kwargs`` go to
        ``create_engine`` after this database's own (``connect_args`` merged).
        """
        from snapplan.adapters.sql import SqlStore

        kwargs = {**self.engine_kwargs, **engine_kwargs}
        connect_args = {
            **self.engine_kwargs.get("connect_args", {}),
            **engine_kwargs.get("connect_args", {}),
        }
        if options:
            if not self.url.startswith("postgresql"):
                raise TypeError(f"options= are PostgreSQL settings, not for {self.url}")
            connect_args["options"] = f"{connect_args.get('options', '')} {options}".strip()
        if connect_args:
            kwargs["connect_args"] = connect_args
        return SqlStore.from_url(self.url, **kwargs)

    def request(self) -> dict[str, Any]:
        """The JSON a child process needs to open this database."""
        return {"url": self.url, "engine_kwargs": self.engine_kwargs}


class SqliteTemplate:
    """A SQLite file holding snapplan's schema, made once and copied for every SQLite store.

    Stores made without options (:meth:`store`) all live in one file of the session,
    ``store.sqlite`` next to the template, on one engine: each new store closes the engine's
    connections and copies the template over the file. A new engine per store would compile
    every statement again (a third of a small SQLite test's time).
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.sqlite"
        self._shared = folder / "store.sqlite"
        self._engine: sa.Engine | None = None
        with Database(f"sqlite:///{self.path}").open() as store:
            store.create_schema()
        # Closing the last connection checkpointed the WAL into the file: the file is the whole
        # database (a copy without its WAL would lose data).
        leftovers = sorted(p.name for p in folder.iterdir() if p != self.path)
        assert leftovers == [], f"the template left {leftovers} next to it"

    def copy(self, path: Path) -> Database:
        """A new database at ``path``: a copy of the template."""
        shutil.copyfile(self.path, path)
        return Database(f"sqlite:///{path}", path=path)

    def store(self) -> Any:
        """A store on the session's engine, its file a fresh copy of the template (the stores
        made before it must be done with: their file is replaced)."""
        from snapplan.adapters.sql import SqlStore

        if self._engine is not None:
            self._engine.dispose()
        # The earlier file is unlinked, not written over: a connection a test left open on it
        # (its own engine on ``store.engine.url``) keeps the old file and its WAL to itself.
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self._shared}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.path, self._shared)
        if self._engine is None:
            self._engine = sa.create_engine(f"sqlite:///{self._shared}")
        return SqlStore(self._engine)

    def close(self) -> None:
        """Close the shared engine's connections."""
        if self._engine is not None:
            self._engine.dispose()


class Stores:
    """The stores and databases one test makes, all disposed (or dropped) when it ends.

    ``request`` is the test's fixture request: the session's ``sqlite_template``,
    ``postgres_schema`` and ``mariadb_database`` fixtures are looked up only when a store of
    their kind is first made, so a test that makes no PostgreSQL (MariaDB) store never needs (or
    skips for lack of) that server.
    """

    def __init__(self, request: pytest.FixtureRequest, folder: Path) -> None:
        self._request = request
        self._folder = folder
        self._made = 0
        self._live: dict[str, list[Any]] = {kind: [] for kind in SQL_KINDS}
        self._fresh = ExitStack()

    def make_store(
        self, kind: str, *, fresh: bool = False, options: str = "", **engine_kwargs: Any
    ) -> Any:
        """A new, empty store of ``kind`` (see the module's docstring for the options)."""
        if kind == "memory":
            if fresh or options or engine_kwargs:
                raise TypeError("a memory store takes no options")
            from snapplan.adapters.memory import MemoryStore

            return MemoryStore()
        if kind == "sqlite" and not (fresh or options or engine_kwargs):
            self._end(kind)
            template: SqliteTemplate = self._request.getfixturevalue("sqlite_template")
            store = template.store()  # the session's engine: its statements compiled once
            self._live[kind].append(store)
            return store
        if kind in SERVER_KINDS and not (fresh or options or engine_kwargs):
            store = self._shared(kind).store()  # the session's engine: no new connection
            self._live[kind].append(store)
            return store
        store = self.make_database(kind, fresh=fresh).open(options=options, **engine_kwargs)
        if fresh:
            self._fresh.callback(store.dispose)  # runs before its schema is dropped
        else:
            self._live[kind].append(store)
        return store

    def make_database(self, kind: str, *, fresh: bool = False) -> Database:
        """An empty database of ``kind`` (``"sqlite"``, ``"postgres"`` or ``"mariadb"``) with no
        store open."""
        if kind == "sqlite":
            self._end(kind)  # a new file anyway: this only keeps open files few
            self._made += 1
            template: SqliteTemplate = self._request.getfixturevalue("sqlite_template")
            return template.copy(self._folder / f"store-{self._made}.sqlite")
        if kind == "mariadb":
            return self._mariadb_database(fresh=fresh)
        if kind != "postgres":
            raise ValueError(f"no database of kind {kind!r}; kinds: {', '.join(SQL_KINDS)}")
        if fresh:
            schema = self._fresh.enter_context(fresh_schema())
            database = Database(postgres_url(), {"connect_args": search_path(schema)})
            with database.open() as store:
                store.create_schema()
            return database
        shared = self._shared(kind)
        return Database(shared.url, {"connect_args": shared.connect_args()})

    def _mariadb_database(self, *, fresh: bool) -> Database:
        if fresh:
            database = Database(url_of(self._fresh.enter_context(fresh_database())))
            with database.open() as store:
                store.create_schema()
            return database
        return Database(self._shared("mariadb").url)

    def _shared(self, kind: str) -> Any:
        """The session's PostgreSQL schema (:class:`SharedSchema`) or MariaDB database
        (:class:`SharedDatabase`), emptied, the earlier stores of the kind disposed first (no
        engine of theirs may hold a connection while it is emptied)."""
        fixture = {"postgres": "postgres_schema", "mariadb": "mariadb_database"}[kind]
        shared: SharedSchema | SharedDatabase = self._request.getfixturevalue(fixture)
        self._end(kind)
        shared.empty()
        return shared

    def _end(self, kind: str) -> None:
        live = self._live[kind]
        while live:
            live.pop().dispose()

    def close(self) -> None:
        """Dispose of every store made, drop the fresh schemas."""
        try:
            for kind in SQL_KINDS:
                self._end(kind)
        finally:
            self._fresh.close()
