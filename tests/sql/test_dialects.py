"""One seam for what differs between database engines, and engines snapplan does not know are
refused by name instead of being taken for SQLite."""

from __future__ import annotations

import ast
import datetime
import types
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import snapplan.adapters.sql as sql_package
from snapplan import ValidationError
from snapplan.adapters.sql import SqlStore, immutability_ddl, metadata
from snapplan.adapters.sql.dialects import DIALECTS, Dialect, dialect_named
from snapplan.adapters.sql.dialects.mariadb import MariadbDialect
from snapplan.adapters.sql.dialects.postgresql import PostgresqlDialect
from snapplan.adapters.sql.dialects.sqlite import SqliteDialect
from snapplan.adapters.sql.types import UtcTimestamp

SQL_PACKAGE = Path(sql_package.__file__).parent
#: Names SQLAlchemy gives database engines (``engine.dialect.name``).
ENGINE_NAMES = {"sqlite", "postgresql", "mysql", "mariadb", "oracle", "mssql"}
UNSUPPORTED = ["oracle+oracledb://", "mssql+pyodbc://", "mssql+pymssql://"]


def test_the_supported_engines_are_sqlite_postgresql_and_mariadb_or_mysql() -> None:
    assert sorted(DIALECTS) == ["mariadb", "mysql", "postgresql", "sqlite"]
    for name, dialect in DIALECTS.items():
        assert isinstance(dialect, Dialect)
        assert dialect_named(name) is dialect
        assert name in dialect.names
    # SQLAlchemy names the engine after the URL's spelling; both spellings are one dialect.
    assert dialect_named("mysql") is dialect_named("mariadb")
    assert isinstance(dialect_named("mysql"), MariadbDialect)


@pytest.mark.parametrize("url", UNSUPPORTED)
def test_a_store_on_an_engine_snapplan_does_not_run_on_is_refused_by_name(url: str) -> None:
    engine: Any = sa.create_mock_engine(url, lambda *args, **kwargs: None)
    name = engine.dialect.name
    supported = "mariadb, mysql, postgresql, sqlite"
    with pytest.raises(ValidationError, match=rf"'{name}'.*runs on: {supported}"):
        SqlStore(engine)


def test_from_url_refuses_it_too_and_releases_the_engine_it_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    disposed: list[sa.Engine] = []
    dispose = sa.Engine.dispose

    def spy(engine: sa.Engine, *args: Any, **kwargs: Any) -> None:
        disposed.append(engine)
        dispose(engine, *args, **kwargs)

    monkeypatch.setattr(sa.Engine, "dispose", spy)
    driver = types.SimpleNamespace(paramstyle="named", Error=Exception)  # never connected
    with pytest.raises(ValidationError, match="'mssql'"):
        SqlStore.from_url("mssql+pymssql://baker@localhost/bakery", module=driver)
    assert [engine.dialect.name for engine in disposed] == ["mssql"]


def test_the_unsupported_engine_is_a_value_error_as_validation_errors_are() -> None:
    with pytest.raises(ValueError, match="'mssql'"):
        immutability_ddl("mssql")
    with pytest.raises(ValueError, match="'oracle'"):
        dialect_named("oracle")


def test_creating_the_tables_on_an_unsupported_engine_is_refused_by_name() -> None:
    statements: list[str] = []
    engine: Any = sa.create_mock_engine(
        "mssql+pyodbc://", lambda sql, *args, **kwargs: statements.append(str(sql))
    )
    with pytest.raises(ValidationError, match="'mssql'"):
        metadata.create_all(engine, checkfirst=False)


def comparisons_with_engine_names(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                if isinstance(operand, ast.Constant) and operand.value in ENGINE_NAMES:
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
        # A driver's error codes, as attributes or getattr() names.
        driver_codes = ("sqlstate", "sqlite_errorcode")
        if (isinstance(node, ast.Attribute) and node.attr in driver_codes) or (
            isinstance(node, ast.Constant) and node.value in driver_codes
        ):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_outside_the_dialects_asks_which_engine_it_runs_on() -> None:
    modules = list(SQL_PACKAGE.glob("*.py"))
    assert len(modules) > 5
    assert [hit for path in modules for hit in comparisons_with_engine_names(path)] == []


def test_each_engine_binds_a_time_as_it_stores_it() -> None:
    noon = datetime.datetime(2024, 12, 24, 12, 0, tzinfo=datetime.UTC)
    assert SqliteDialect().bind_timestamp(noon) == noon.replace(tzinfo=None)
    assert PostgresqlDialect().bind_timestamp(noon) == noon
    assert MariadbDialect().bind_timestamp(noon) == noon.replace(tzinfo=None)  # DATETIME(6)
    column_type = UtcTimestamp()
    for name, dialect in DIALECTS.items():
        bound = column_type.process_bind_param(
            noon, sa.create_mock_engine(f"{name}://", lambda *args, **kwargs: None).dialect
        )
        assert bound == dialect.bind_timestamp(noon)


@pytest.mark.parametrize("dialect", list(DIALECTS.values()), ids=list(DIALECTS))
def test_a_list_of_ids_is_bound_as_one_parameter(dialect: Dialect) -> None:
    table = metadata.tables["snapplan_runs"]
    for count in (2, 50):
        ids = [uuid.uuid4() for _ in range(count)]
        compiled = sa.select(table.c.id).where(dialect.any_of(table.c.id, ids))
        statement = compiled.compile(
            dialect=sa.create_mock_engine(f"{dialect.name}://", lambda *a, **k: None).dialect
        )
        assert list(statement.params) == ["ids"]


def create_table_ddl(url: str) -> str:
    dialect = sa.create_mock_engine(url, lambda *args, **kwargs: None).dialect
    return "\n".join(
        str(sa.schema.CreateTable(table).compile(dialect=dialect))
        for table in metadata.sorted_tables
    )


def test_both_spellings_of_a_mariadb_url_make_the_same_tables() -> None:
    """SQLAlchemy's ``mariadb`` spelling would make ids MariaDB's native UUID, which the
    ``mysql`` spelling reads as text: a database created through one URL would not be read
    through the other."""
    mariadb = create_table_ddl("mariadb+pymysql://")
    assert mariadb == create_table_ddl("mysql+pymysql://")
    assert " UUID" not in mariadb
    assert "id CHAR(32) NOT NULL" in mariadb
    assert mariadb.count("ENGINE=InnoDB CHARSET=utf8mb4 COLLATE utf8mb4_bin") == len(
        metadata.tables
    )


def test_mariadb_columns_keep_microseconds_long_names_and_index_bounded_keys() -> None:
    mariadb = create_table_ddl("mariadb+pymysql://")
    assert "recorded_at DATETIME(6) NOT NULL" in mariadb
    assert "captured_at DATETIME(6) NOT NULL" in mariadb
    assert "name LONGTEXT NOT NULL" in mariadb  # TEXT stops at 64 KiB
    assert "`key` VARCHAR(200)" in mariadb  # InnoDB indexes no unbounded text
    # amounts as text: the domain bounds their digits far below TEXT's 64 KiB
    assert "items_per_batch TEXT NOT NULL" in mariadb


def test_the_seam_leaves_postgresql_and_sqlite_tables_as_they_were() -> None:
    postgresql = create_table_ddl("postgresql+psycopg://")
    assert "key TEXT" in postgresql
    assert "recorded_at TIMESTAMP WITH TIME ZONE NOT NULL" in postgresql
    assert "id UUID NOT NULL" in postgresql
    assert "name TEXT NOT NULL" in postgresql
    sqlite = create_table_ddl("sqlite://")
    assert '"key" TEXT' in sqlite
    assert "recorded_at DATETIME NOT NULL" in sqlite
    assert "COLLATE" not in postgresql + sqlite


def driver_error(number: int) -> Exception:
    import pymysql

    return pymysql.err.OperationalError(number, "a message from the server")


@pytest.mark.parametrize(
    ("number", "duplicate", "lost_race"),
    [
        (1062, True, False),  # duplicate entry
        (1586, True, False),  # duplicate entry, with the key's name
        (1213, False, True),  # deadlock
        (1205, False, True),  # lock wait timeout
        (1020, False, True),  # record changed since the snapshot (innodb_snapshot_isolation)
        (1644, False, False),  # SIGNAL from an append-only table's trigger
        (4025, False, False),  # a CHECK failed
        (2013, False, False),  # lost connection
    ],
)
def test_mariadb_errors_are_told_apart_by_their_number(
    number: int, duplicate: bool, lost_race: bool
) -> None:
    dialect = dialect_named("mariadb")
    assert dialect.is_duplicate(driver_error(number)) is duplicate
    assert dialect.is_lost_race(driver_error(number)) is lost_race
    assert not dialect.is_duplicate(None)
    assert not dialect.is_lost_race(ValueError("no number"))


def test_no_indexed_column_is_unbounded_text_on_mariadb() -> None:
    """InnoDB indexes no TEXT without a prefix length (and a prefix would make two keys that
    share it collide): every indexed text column of a table must be bounded (``BoundedText``)."""
    dialect = sa.create_mock_engine("mariadb+pymysql://", lambda *a, **k: None).dialect
    indexed = 0
    for table in metadata.sorted_tables:
        keys = [tuple(table.primary_key.columns)]
        keys += [tuple(c.columns) for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
        keys += [tuple(index.columns) for index in table.indexes]
        for column in {column for key in keys for column in key}:
            indexed += 1
            compiled = column.type.compile(dialect)
            assert "TEXT" not in compiled, (table.name, column.name)
            assert "JSON" not in compiled, (table.name, column.name)
    assert indexed > 2 * len(metadata.tables)
