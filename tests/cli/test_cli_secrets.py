"""No output of the command shows a password: not its messages, hints, errors or tracebacks.

A password reaches the command in ``--db`` or in ``SNAPPLAN_DB``. Messages show the URL with
``***`` for it; the ``Next:`` hints carry ``--db`` with ``***`` (and say so) or, when the URL
came from ``SNAPPLAN_DB``, leave ``--db`` out. PostgreSQL's test server trusts every
connection, so a URL with any password works there.
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres_schemas import fresh_schema, postgres_url, search_path

from snapplan.cli import main
from snapplan.cli.next_steps import db_option
from snapplan.cli.problems import hide_passwords, passwords_in

from .conftest import EXAMPLE, run_snapplan

PASSWORD = "s3cr3t-pw"
#: Nothing listens on port 1: the connection is refused at once.
UNREACHABLE = f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:1/test"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
MISSING_ID = "00000000-0000-4000-8000-000000000000"


def no_password(result: subprocess.CompletedProcess[str]) -> None:
    assert PASSWORD not in result.stdout
    assert PASSWORD not in result.stderr


def next_steps(out: str) -> list[str]:
    return out.split("Next:\n")[1].splitlines()


# The hints: --db as given, *** for a password, nothing when SNAPPLAN_DB gave it.


def test_a_hint_repeats_a_database_without_password_as_given() -> None:
    given = argparse.Namespace(db="my bakery.sqlite", db_from_environment=False)
    assert db_option(given) == (" --db 'my bakery.sqlite'", False)
    url = argparse.Namespace(db="postgresql+psycopg://app@db/bakery", db_from_environment=False)
    assert db_option(url) == (" --db postgresql+psycopg://app@db/bakery", False)


def test_a_hint_shows_stars_for_a_password() -> None:
    given = argparse.Namespace(db=UNREACHABLE, db_from_environment=False)
    assert db_option(given) == (" --db 'postgresql+psycopg://postgres:***@127.0.0.1:1/test'", True)


def test_a_hint_leaves_out_a_database_from_snapplan_db() -> None:
    assert db_option(argparse.Namespace(db=UNREACHABLE, db_from_environment=True)) == ("", False)


@pytest.mark.parametrize(
    ("text", "secrets", "shown"),
    [
        ("postgresql://u:pw@h/db", {"pw"}, "postgresql://u:***@h/db"),
        ("postgresql://u:p%40ss@h/db", {"p%40ss", "p@ss"}, "postgresql://u:***@h/db"),
        # An unencoded "@" in the password: all of it is hidden, not just up to the first "@".
        ("postgresql://u:p@ss@h/db", {"p", "p@ss"}, "postgresql://u:***@h/db"),
        ("postgresql://u@h/db?password=pw&x=1", {"pw"}, "postgresql://u@h/db?password=***&x=1"),
        ("a://u:x@h and b://v:y@k/db", {"x", "y"}, "a://u:***@h and b://v:***@k/db"),
        ("sqlite:///a:b@c.sqlite", set(), "sqlite:///a:b@c.sqlite"),
        ("bakery.sqlite", set(), "bakery.sqlite"),
    ],
)
def test_passwords_are_found_and_hidden(text: str, secrets: set[str], shown: str) -> None:
    assert passwords_in([text]) == secrets
    assert hide_passwords(text, secrets) == shown


def test_a_known_password_is_hidden_wherever_it_stands_as_a_word() -> None:
    message = f'password "{PASSWORD}" refused (user:{PASSWORD})'
    assert hide_passwords(message, {PASSWORD}) == 'password "***" refused (user:***)'
    # A short password leaves longer words alone.
    assert hide_passwords("testing the test_db", {"test"}) == "testing the ***_db"


# Errors: the unreachable server, through --db and SNAPPLAN_DB, with and without --traceback
# (in-process: ``main`` returns the exit status).


def run_main(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``snapplan ARGS`` in this process: (status, stdout, stderr); no password in either."""
    try:
        status = main([str(arg) for arg in args])
    except SystemExit as exit_:  # a usage error
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert PASSWORD not in out
    assert PASSWORD not in err
    return status, out, err


@pytest.mark.parametrize("traceback", [False, True], ids=["one line", "--traceback"])
@pytest.mark.parametrize("source", ["--db", "SNAPPLAN_DB"])
@pytest.mark.parametrize(
    "args", [["plan", "Holiday Market"], ["requirements", MISSING_ID], ["load", EXAMPLE]]
)
def test_a_connection_error_never_shows_the_password(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str | Path],
    source: str,
    traceback: bool,
) -> None:
    extra = ["--traceback"] if traceback else []
    if source == "--db":
        monkeypatch.delenv("SNAPPLAN_DB", raising=False)
        args = [*args, "--db", UNREACHABLE]
    else:
        monkeypatch.setenv("SNAPPLAN_DB", UNREACHABLE)

    status, out, err = run_main(capsys, *args, *extra)

    assert (status, out) == (1, "")
    lines = err.splitlines()
    assert lines[0].startswith(
        "snapplan: error: cannot open the database postgresql+psycopg://postgres:***@127.0.0.1:1"
    )
    if traceback:
        assert "Traceback (most recent call last)" in err
        # The exception's own message, at the end of the traceback, hides it too.
        assert err.count("postgresql+psycopg://postgres:***@127.0.0.1:1") >= 2
    else:
        assert len(lines) == 1


def test_a_failing_process_prints_no_password(tmp_path: Path) -> None:
    result = run_snapplan(
        "plan", "Holiday Market", "--traceback", cwd=tmp_path, snapplan_db=UNREACHABLE
    )
    no_password(result)
    assert result.returncode == 1
    assert "postgres:***@127.0.0.1:1" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # A port that is not a number.
        (
            ["plan", "X", "--db", f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:x/test"],
            "not a database URL: 'postgresql+psycopg://postgres:***@127.0.0.1:x/test'",
        ),
        (
            ["--db", f"nosuchdialect://postgres:{PASSWORD}@host/db", "plan", "X"],
            "cannot use nosuchdialect://postgres:***@host/db",
        ),
    ],
)
def test_a_bad_url_with_a_password_is_one_line_without_it(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, _, err = run_main(capsys, *args)
    assert status == 1
    assert err.startswith("snapplan: error: ")
    assert err.count("\n") == 1
    assert message in err


def test_a_usage_error_that_quotes_the_url_hides_the_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The URL where the command belongs: argparse quotes it as an invalid choice.
    status, _, err = run_main(capsys, UNREACHABLE, "plan")
    assert status == 2
    assert "invalid choice: 'postgresql+psycopg://postgres:***@127.0.0.1:1/test'" in err


# A working server: what load, plan and demo print, in a fresh schema named in the URL.


@pytest.fixture
def url_with_password() -> Iterator[str]:
    """A ``--db`` URL with a password, on a fresh schema of the test server (dropped after)."""
    import sqlalchemy as sa

    with fresh_schema("snapplan_cli_secret") as schema:
        url = sa.make_url(postgres_url()).set(password=PASSWORD)
        yield url.update_query_dict(search_path(schema)).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_load_plan_and_demo_print_no_password_given_in_db(
    tmp_path: Path, url_with_password: str
) -> None:
    load = run_snapplan("load", EXAMPLE, "--db", url_with_password, cwd=tmp_path, check=True)
    plan = run_snapplan("plan", "Holiday Market", "--db", url_with_password, cwd=tmp_path)
    demo = run_snapplan("--db", url_with_password, "demo", cwd=tmp_path, check=True)

    for result in (load, plan, demo):
        no_password(result)
        assert result.returncode == 0, result.stderr
        assert "postgres:***@127.0.0.1" in result.stdout
        steps = next_steps(result.stdout)
        assert all(" --db 'postgresql+psycopg://postgres:***@" in step for step in steps[:-1])
        assert steps[-1] == (
            "  (*** stands for the password: type it in, or set SNAPPLAN_DB to the URL "
            "and leave --db out)"
        )
    assert "Loaded " in load.stdout
    assert " into postgresql+psycopg://postgres:***@127.0.0.1:5432/test?" in load.stdout
    assert "Sample bakery planned in postgresql+psycopg://postgres:***@" in demo.stdout


@pytest.mark.postgres
def test_with_snapplan_db_the_hints_leave_db_out_and_work_as_printed(
    tmp_path: Path, url_with_password: str
) -> None:
    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        result = run_snapplan(*args, cwd=tmp_path, snapplan_db=url_with_password, check=True)
        no_password(result)
        return result

    load = run("load", EXAMPLE)
    [plan_hint] = next_steps(load.stdout)
    plan = run(*shlex.split(plan_hint)[1:])
    requirements_hint, verify_hint = next_steps(plan.stdout)
    assert verify_hint.startswith("  snapplan verify ")
    requirements = run(*shlex.split(requirements_hint)[1:])

    assert "--db" not in plan_hint + requirements_hint
    assert re.fullmatch(rf"  snapplan requirements {UUID}", requirements_hint)
    assert re.search(r"Sugar Cookies\s+9\s+8 ⅓\s+24\n", requirements.stdout)
