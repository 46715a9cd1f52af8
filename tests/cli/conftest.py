"""Fixtures for the command-line tests: run ``snapplan`` in a subprocess, as a user would.

``run`` starts ``python -m snapplan.cli`` with the test's interpreter; ``run(..., script=True)``
starts the installed ``snapplan`` console script found next to that interpreter instead.
Both run in the test's temporary directory with ``SNAPPLAN_DB`` removed from the environment.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from snapplan.adapters.sql import SqlStore
from snapplan.cli.catalog_file import read_catalog

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bakery.toml"
#: The explicit id of the "Holiday Market" event in examples/bakery.toml.
MARKET_ID = "6f0d4a4e-2b3c-4e8f-9a51-0c7d2e1b5a10"

Run = Callable[..., subprocess.CompletedProcess[str]]


def console_script() -> Path:
    """The ``snapplan`` script installed next to the running interpreter."""
    folder = Path(sys.executable).parent
    for name in ("snapplan", "snapplan.exe"):
        if (folder / name).exists():
            return folder / name
    pytest.fail(f"no snapplan console script next to {sys.executable}: pip install -e .")


def run_snapplan(
    *args: str | Path,
    cwd: Path,
    script: bool = False,
    check: bool = False,
    snapplan_db: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``snapplan ARGS...`` in ``cwd``; with ``check``, fail the test on a non-zero exit.

    ``SNAPPLAN_DB`` is set to ``snapplan_db`` if given, else removed from the environment.
    """
    env = {k: v for k, v in os.environ.items() if k != "SNAPPLAN_DB"}
    if snapplan_db is not None:
        env["SNAPPLAN_DB"] = snapplan_db
    env["PYTHONIOENCODING"] = "utf-8"
    command = [str(console_script())] if script else [sys.executable, "-m", "snapplan.cli"]
    result = subprocess.run(
        [*command, *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(f"snapplan {args} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run ``snapplan ARGS...`` in ``tmp_path`` (keywords as :func:`run_snapplan`)."""

    def run_here(
        *args: str | Path, script: bool = False, check: bool = False
    ) -> subprocess.CompletedProcess[str]:
        return run_snapplan(*args, cwd=tmp_path, script=script, check=check)

    return run_here


def table_rows(db: Path) -> dict[str, int]:
    """Rows per snapplan table of a SQLite file, read with the standard library (or {})."""
    if not db.exists():
        return {}
    with contextlib.closing(sqlite3.connect(db)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'snapplan_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """Assert a failed run printed exactly one error line and no traceback; return the line."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("snapplan: error: "), lines[0]
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A SQLite file path in the test's directory (not created)."""
    return tmp_path / "bakery.sqlite"


@pytest.fixture
def store_on(db: Path) -> Iterator[Callable[[], SqlStore]]:
    """Opens in-process SQL stores on ``db``, to check or change what the command wrote."""
    stores: list[SqlStore] = []

    def open_store() -> SqlStore:
        store = SqlStore.from_url(f"sqlite:///{db}")
        stores.append(store)
        return store

    yield open_store
    for store in stores:
        store.dispose()


def load_in_process(catalog: Path, db: Path) -> None:
    """Load a catalog file into a SQLite file without a subprocess (set-up for other tests)."""
    store = SqlStore.from_url(f"sqlite:///{db}")
    try:
        store.create_schema()
        with store.unit_of_work() as uow:
            read_catalog(catalog).save(uow)
            uow.commit()
    finally:
        store.dispose()
