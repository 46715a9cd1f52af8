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
from snapplan.adapters.sql.dialects.postgresql import PostgresqlDialect
from snapplan.adapters.sql.dialects.sqlite import SqliteDialect
from snapplan.adapters.sql.types import UtcTimestamp

SQL_PACKAGE = Path(sql_package.__file__).parent
#: Names SQLAlchemy gives database engines (``engine.dialect.name``).
ENGINE_NAMES = {"sqlite", "postgresql", "mysql", "mariadb", "oracle", "mssql"}
UNSUPPORTED = ["oracle+oracledb://", "mssql+pyodbc://", "mysql://", "mariadb://"]


def test_the_supported_engines_are_sqlite_and_postgresql() -> None:
    assert sorted(DIALECTS) == ["postgresql", "sqlite"]
    for name, dialect in DIALECTS.items():
        assert isinstance(dialect, Dialect)
        assert dialect_named(name) is dialect
        assert name in dialect.names


@pytest.mark.parametrize("url", UNSUPPORTED)
def test_a_store_on_an_engine_snapplan_does_not_run_on_is_refused_by_name(url: str) -> None:
    engine: Any = sa.create_mock_engine(url, lambda *args, **kwargs: None)
    name = engine.dialect.name
    with pytest.raises(ValidationError, match=rf"'{name}'.*runs on: postgresql, sqlite"):
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
    with pytest.raises(ValidationError, match="'mysql'"):
        SqlStore.from_url("mysql+pymysql://baker@localhost/bakery", module=driver)
    assert [engine.dialect.name for engine in disposed] == ["mysql"]


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
