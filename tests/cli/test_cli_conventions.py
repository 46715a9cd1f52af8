"""Command-line conventions: options before or after the command, -V, what to install.

In-process: :func:`snapplan.cli.main` returns the exit status (argparse's usage errors and
``--version`` raise ``SystemExit``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import snapplan
import snapplan.cli
from snapplan.cli import main
from snapplan.cli.parser import parse_arguments

from .conftest import table_rows

MISSING_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(autouse=True)
def _no_snapplan_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)


def status_of(*args: str | Path) -> int:
    try:
        return main([str(arg) for arg in args])
    except SystemExit as exit_:
        return int(exit_.code or 0)


def broken(*_: object) -> int:
    raise ZeroDivisionError("boom")


@pytest.mark.parametrize(
    "args",
    [
        ["--traceback", "export", MISSING_ID, "--db", "x.sqlite"],
        ["export", MISSING_ID, "--db", "x.sqlite", "--traceback"],
        ["export", "--traceback", MISSING_ID, "--db", "x.sqlite"],
        ["--db", "x.sqlite", "export", MISSING_ID, "--traceback"],
    ],
    ids=["before", "after", "between", "with --db before"],
)
def test_traceback_goes_before_or_after_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    monkeypatch.setattr("snapplan.cli.commands.export", broken)

    assert status_of(*args) == 70
    err = capsys.readouterr().err
    assert err.startswith("snapplan: error: internal error: ZeroDivisionError: boom\n")
    assert "Traceback (most recent call last)" in err


def test_without_traceback_an_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("snapplan.cli.commands.export", broken)
    assert status_of("export", MISSING_ID, "--db", "x.sqlite") == 70
    assert capsys.readouterr().err == "snapplan: error: internal error: ZeroDivisionError: boom\n"


@pytest.mark.parametrize(
    ("args", "db"),
    [
        (["--db", "before.sqlite", "plan", "X"], "before.sqlite"),
        (["plan", "X", "--db", "after.sqlite"], "after.sqlite"),
        (["plan", "--db", "after.sqlite", "X"], "after.sqlite"),
        # Both: the one after the command, which is closer to it, wins.
        (["--db", "before.sqlite", "plan", "X", "--db", "after.sqlite"], "after.sqlite"),
        (["--db", "before.sqlite", "demo"], "before.sqlite"),
        (["demo"], "snapplan-demo.sqlite"),
    ],
)
def test_db_goes_before_or_after_the_command(args: list[str], db: str) -> None:
    parsed = parse_arguments(args)
    assert (parsed.db, parsed.db_from_environment) == (db, False)


def test_db_given_anywhere_wins_over_snapplan_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SNAPPLAN_DB", "from-environment.sqlite")

    assert parse_arguments(["--db", "given.sqlite", "plan", "X"]).db == "given.sqlite"
    from_environment = parse_arguments(["plan", "X"])
    assert (from_environment.db, from_environment.db_from_environment) == (
        "from-environment.sqlite",
        True,
    )
    # demo does not read SNAPPLAN_DB.
    assert parse_arguments(["demo"]).db == "snapplan-demo.sqlite"


def test_db_before_the_command_reaches_the_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)

    assert status_of("--db", "first.sqlite", "demo") == 0
    out = capsys.readouterr().out
    plan = re.search(r"plan\s+([0-9a-f-]{36})", out)
    assert plan is not None
    assert status_of("--db", "first.sqlite", "requirements", plan.group(1), "--json") == 0

    assert '"plan_id": "' + plan.group(1) in capsys.readouterr().out
    assert table_rows(tmp_path / "first.sqlite")["snapplan_plans"] == 1
    assert not (tmp_path / "snapplan-demo.sqlite").exists()


def test_without_db_or_snapplan_db_a_command_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert status_of("plan", "X") == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: snapplan plan ")
    assert (
        "snapplan plan: error: the following arguments are required: --db (or set SNAPPLAN_DB)"
        in err
    )


@pytest.mark.parametrize("option", ["-V", "--version"])
def test_version(capsys: pytest.CaptureFixture[str], option: str) -> None:
    assert status_of(option) == 0
    assert capsys.readouterr().out == f"snapplan {snapplan.__version__}\n"


# A missing optional dependency: one line that says which extra to install.


def test_postgresql_without_psycopg_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` now fails

    status = status_of("plan", "X", "--db", "postgresql+psycopg://app:pw@127.0.0.1:1/bakery")

    err = capsys.readouterr().err
    assert status == 1
    assert err == (
        "snapplan: error: cannot use postgresql+psycopg://app:***@127.0.0.1:1/bakery: the "
        "PostgreSQL driver is not installed (import of psycopg halted; None in sys.modules): "
        "pip install 'snapplan[postgres]'\n"
    )


def test_postgresql_with_another_driver_points_at_psycopg(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg2", None)

    assert status_of("plan", "X", "--db", "postgresql+psycopg2://app@127.0.0.1:1/bakery") == 1

    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pip install 'snapplan[postgres]' and use a postgresql+psycopg:// URL" in err


@pytest.mark.parametrize("scheme", ["mysql+pymysql", "mariadb+pymysql"])
def test_mariadb_without_pymysql_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scheme: str
) -> None:
    monkeypatch.setitem(sys.modules, "pymysql", None)  # `import pymysql` now fails

    status = status_of("plan", "X", "--db", f"{scheme}://app:pw@127.0.0.1:1/bakery")

    err = capsys.readouterr().err
    assert status == 1
    assert err == (
        f"snapplan: error: cannot use {scheme}://app:***@127.0.0.1:1/bakery: the "
        "MySQL/MariaDB driver is not installed (import of pymysql halted; None in "
        "sys.modules): pip install 'snapplan[mysql]'\n"
    )


def test_mariadb_with_another_driver_points_at_pymysql(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "MySQLdb", None)

    assert status_of("plan", "X", "--db", "mysql+mysqldb://app@127.0.0.1:1/bakery") == 1

    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pip install 'snapplan[mysql]' and use a mysql+pymysql:// URL" in err


def test_without_sqlalchemy_the_command_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As on an installation without the sql extra: the commands' modules import SQLAlchemy.
    for name in [m for m in sys.modules if m == "sqlalchemy" or m.startswith("sqlalchemy.")]:
        monkeypatch.setitem(sys.modules, name, None)
    for name in ("snapplan.cli.commands", "snapplan.cli.database", "snapplan.cli.render"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delattr(snapplan.cli, "commands", raising=False)

    status = status_of("plan", "X", "--db", "bakery.sqlite")

    assert status == 1
    assert capsys.readouterr().err == (
        "snapplan: error: the snapplan command needs SQLAlchemy: pip install 'snapplan[sql]'\n"
    )
