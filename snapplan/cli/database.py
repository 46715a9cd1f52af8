"""Which database ``--db`` names, and opening a store on it carefully.

``--db`` takes a SQLAlchemy URL (``sqlite:///bakery.sqlite``,
``postgresql+psycopg://user@host/db``, ``mariadb+pymysql://user@host/db``) or a bare file
path, which means SQLite. The command line never creates a SQLite file just to find it empty:
commands that read require the file and snapplan's tables to exist, and only ``load`` and
``demo`` create them. Every command refuses, in one line naming ``snapplan upgrade --db ...``,
a database whose tables were written by an earlier snapplan (or by a newer one), before it
changes anything; ``upgrade`` is the one that opens it. A PostgreSQL connection attempt gives
up after 10 seconds unless the URL sets its own ``connect_timeout`` (PyMySQL's own default for
MariaDB and MySQL is 10 seconds).

A URL is never printed with its password: messages use :func:`shown`, suggested commands
:func:`as_option`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa

from snapplan.adapters.sql import SqlStore, metadata
from snapplan.adapters.sql.schema import schema_versions
from snapplan.adapters.sql.versions import require_current, stored_version
from snapplan.cli.problems import CommandError, hide_passwords, passwords_in

POSTGRES_CONNECT_TIMEOUT_S: Final = 10
_SQLITE_HEADER: Final = b"SQLite format 3\x00"


class Access(enum.Enum):
    """What a command needs from the database."""

    #: Read or plan: the database and snapplan's tables must already exist.
    EXISTING = "existing"
    #: ``load``: create the SQLite file and the tables if needed.
    CREATE = "create"
    #: ``demo``: like CREATE, but only in a new or empty database or in a snapplan one.
    DEMO = "demo"
    #: ``upgrade``: snapplan's tables must exist, of any schema version; nothing is created.
    UPGRADE = "upgrade"


def database_url(text: str) -> sa.URL:
    """The URL ``--db`` names: a SQLAlchemy URL, or a file path meaning SQLite."""
    if not text.strip():
        raise CommandError("--db is empty: give a file path or a database URL")
    if "://" not in text:
        return sa.URL.create("sqlite", database=str(Path(text).expanduser()))
    try:
        return sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError) as error:
        # ValueError: a port that is not a number.
        reason = f" ({error})" if isinstance(error, ValueError) else ""
        shown_text = hide_passwords(text, passwords_in([text]))
        raise CommandError(f"not a database URL: {shown_text!r}{reason}") from None


def shown(url: sa.URL) -> str:
    """The URL for messages, password hidden (also one in the query); a SQLite file as its path."""
    path = sqlite_file(url)
    if path is not None:
        return str(path)
    text = url.render_as_string(hide_password=True)
    return hide_passwords(text, [url.password] if url.password else [])


def as_option(text: str) -> tuple[str, bool]:
    """``--db TEXT`` as a suggested command shows it, and whether a password was hidden.

    The text as the user gave it (a relative path stays relative), unless it holds a password:
    then the URL with ``***`` in its place.
    """
    secrets = passwords_in([text])
    if not secrets:
        return text, False
    return hide_passwords(text, secrets), True


def sqlite_file(url: sa.URL) -> Path | None:
    """The file of a file-based SQLite URL; None for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.query.get("uri"):
        return None
    database = url.database
    if not database or database == ":memory:":
        return None
    return Path(database)


@contextmanager
def open_store(url: sa.URL, access: Access) -> Iterator[SqlStore]:
    """A store on ``url``, checked for ``access`` (tables created for CREATE and DEMO)."""
    path = sqlite_file(url)
    if path is not None:
        _check_sqlite_file(path, access)
    tables, version = _inspect(url)
    ours = _catalog_tables()
    if access is Access.UPGRADE:
        if not ours & tables:
            raise CommandError(f"{shown(url)} holds no snapplan tables: nothing to upgrade")
    else:
        require_current(version, shown(url), from_python=False)
    if access is Access.EXISTING and not ours <= tables:
        raise CommandError(
            f"{shown(url)} has no snapplan catalog: load one first "
            "(snapplan load CATALOG.toml --db ...)"
        )
    if access is Access.DEMO and tables and not ours <= tables:
        raise CommandError(
            f"{shown(url)} already holds other data and no snapplan catalog; "
            "demo leaves it alone: choose another --db"
        )
    store = SqlStore.from_url(url, **_engine_options(url))
    try:
        if access is not Access.UPGRADE and not ours <= tables:
            store.create_schema()
        yield store
    finally:
        store.dispose()


def has_catalog(url: sa.URL) -> bool:
    """Whether the database exists and holds snapplan's tables; creates and changes nothing.

    A missing SQLite file has none; a file that is not a SQLite database is a
    :class:`CommandError`, as for :func:`open_store`.
    """
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            return False
        _check_sqlite_file(path, Access.EXISTING)
    tables, version = _inspect(url)
    require_current(version, shown(url), from_python=False)
    return _catalog_tables() <= tables


def _catalog_tables() -> set[str]:
    """snapplan's tables but the schema version's (which a database of an unrecorded version
    lacks: :mod:`snapplan.adapters.sql.versions`)."""
    return set(metadata.tables) - {schema_versions.name}


def _inspect(url: sa.URL) -> tuple[set[str], int | None]:
    """The tables in the database and the schema version of snapplan's (None: it has none),
    looked up before anything is changed.

    A plain engine, without the SQL store's connection set-up (which switches a SQLite file to
    WAL), so that a database we then decide to leave alone is left exactly as it was. This is
    the first connection: the place to say that the database cannot be reached.
    """
    try:
        engine = sa.create_engine(url, **_engine_options(url))
    except ImportError as error:
        raise CommandError(f"cannot use {shown(url)}: {_missing_driver(url, error)}") from None
    except sa.exc.ArgumentError as error:
        # An unknown dialect.
        raise CommandError(f"cannot use {shown(url)}: {error}") from None
    try:
        with engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            version = stored_version(connection) if tables & set(metadata.tables) else None
        return tables, version
    except sa.exc.OperationalError as error:
        reason = str(error.orig if error.orig is not None else error)
        raise CommandError(f"cannot open the database {shown(url)}: {reason}") from error
    finally:
        engine.dispose()


#: snapplan's driver for each server engine: (the engine, the driver's URL name, the driver,
#: the extra that installs it).
_DRIVERS: Final = {
    "postgresql": ("PostgreSQL", "psycopg", "psycopg 3", "postgres"),
    "mysql": ("MySQL/MariaDB", "pymysql", "PyMySQL", "mysql"),
    "mariadb": ("MySQL/MariaDB", "pymysql", "PyMySQL", "mysql"),
}


def _missing_driver(url: sa.URL, error: ImportError) -> str:
    """Why a driver cannot be loaded, and what to install (snapplan's own driver of the
    engine, in the extra that brings it)."""
    backend = url.get_backend_name()
    if backend not in _DRIVERS:
        return str(error)
    engine, name, driver, extra = _DRIVERS[backend]
    if url.get_driver_name() == name:
        return f"the {engine} driver is not installed ({error}): pip install 'snapplan[{extra}]'"
    return (
        f"{error}; snapplan's {engine} driver is {driver}: pip install 'snapplan[{extra}]' "
        f"and use a {backend}+{name}:// URL"
    )


def _check_sqlite_file(path: Path, access: Access) -> None:
    if path.is_dir():
        raise CommandError(f"{path} is a directory, not a database file")
    if path.exists():
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
        if header and header != _SQLITE_HEADER:
            raise CommandError(f"{path} is not a SQLite database")
    elif access in (Access.EXISTING, Access.UPGRADE):
        raise CommandError(f"database file not found: {path}")
    elif not path.absolute().parent.is_dir():
        raise CommandError(f"directory not found: {path.absolute().parent}")


def _engine_options(url: sa.URL) -> dict[str, Any]:
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        return {"connect_args": {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}}
    return {}
