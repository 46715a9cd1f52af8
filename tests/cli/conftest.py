"""Fixtures for the command-line tests: run ``snapplan`` as a user would, mostly in-process.

``run`` (and :func:`run_snapplan`) call :func:`snapplan.cli.main` in this process with the
arguments, in the given directory and with ``SNAPPLAN_DB`` set or removed, catching its output;
they return a ``subprocess.CompletedProcess`` as a subprocess would. A few smoke tests start a
real process instead: ``script=True`` runs the installed ``snapplan`` console script found next
to the test's interpreter, ``module="snapplan.cli"`` (or ``"snapplan"``) runs
``python -m MODULE`` with the test's interpreter.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from stores import Database

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
    module: str | None = None,
    check: bool = False,
    snapplan_db: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``snapplan ARGS...`` in ``cwd``; with ``check``, fail the test on a non-zero exit.

    In-process unless ``script`` (the console script) or ``module`` (``python -m MODULE``) asks
    for a subprocess. ``SNAPPLAN_DB`` is set to ``snapplan_db`` if given, else removed from the
    environment.
    """
    argv = [str(arg) for arg in args]
    if script or module is not None:
        result = _in_a_subprocess(argv, cwd, snapplan_db, script=script, module=module)
    else:
        result = _in_process(argv, cwd, snapplan_db)
    if check and result.returncode != 0:
        pytest.fail(f"snapplan {args} exited {result.returncode}:\n{result.stderr}")
    return result


def _in_a_subprocess(
    argv: list[str], cwd: Path, snapplan_db: str | None, *, script: bool, module: str | None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SNAPPLAN_DB"}
    if snapplan_db is not None:
        env["SNAPPLAN_DB"] = snapplan_db
    env["PYTHONIOENCODING"] = "utf-8"
    if script:
        command = [str(console_script())]
    else:
        command = [sys.executable, "-m", module or "snapplan.cli"]
    return subprocess.run(
        [*command, *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def _in_process(
    argv: list[str], cwd: Path, snapplan_db: str | None
) -> subprocess.CompletedProcess[str]:
    """``snapplan.cli.main(argv)`` as a process would see it: its own cwd, environment, streams.

    The streams are UTF-8 text over bytes, as with ``PYTHONIOENCODING=utf-8``, and offer
    ``reconfigure`` as real ones do (``main`` makes them tolerate unprintable text). Argparse's
    ``SystemExit`` (usage errors, ``--help``) becomes the exit status, as in a process.
    """
    from snapplan.cli import main

    out, err = _text_stream(), _text_stream()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        if snapplan_db is None:
            patch.delenv("SNAPPLAN_DB", raising=False)
        else:
            patch.setenv("SNAPPLAN_DB", snapplan_db)
        patch.setenv("COLUMNS", "80")  # help text wrapped as in a pipe, not as in this terminal
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exit_:
                status = _exit_status(exit_.code, err)
    return subprocess.CompletedProcess(["snapplan", *argv], status, _text_of(out), _text_of(err))


def _text_stream() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")


def _text_of(stream: io.TextIOWrapper) -> str:
    """What a reader of the stream's bytes gets with ``text=True`` (universal newlines)."""
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    text = buffer.getvalue().decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _exit_status(code: object, err: io.TextIOWrapper) -> int:
    """The status ``sys.exit(code)`` gives a process."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)
    return 1


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Run ``snapplan ARGS...`` in ``tmp_path`` (keywords as :func:`run_snapplan`)."""

    def run_here(
        *args: str | Path, script: bool = False, module: str | None = None, check: bool = False
    ) -> subprocess.CompletedProcess[str]:
        return run_snapplan(*args, cwd=tmp_path, script=script, module=module, check=check)

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
    database = Database(f"sqlite:///{db}", path=db)

    def open_store() -> SqlStore:
        store: SqlStore = database.open()
        stores.append(store)
        return store

    yield open_store
    for store in stores:
        store.dispose()


def load_in_process(catalog: Path, db: Path) -> None:
    """Load a catalog file into a SQLite file without a subprocess (set-up for other tests)."""
    with Database(f"sqlite:///{db}", path=db).open() as store:
        store.create_schema()
        with store.unit_of_work() as uow:
            read_catalog(catalog).save(uow)
            uow.commit()


class Baker:
    """``snapplan ARGS --db DB`` in-process, in the test's directory: ``ok`` (must succeed,
    returns stdout), ``fails`` (must fail with one error line, returns it)."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys
        self.out = self.err = ""

    def __call__(self, *args: str | Path) -> int:
        from snapplan.cli import main

        self.capsys.readouterr()
        try:
            status = main([*(str(a) for a in args), "--db", str(self.db)])
        except SystemExit as exit_:  # usage errors
            status = int(exit_.code or 0)
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return status

    def ok(self, *args: str | Path) -> str:
        status = self(*args)
        assert status == 0, self.err
        assert self.err == "", self.err
        return self.out

    def fails(self, *args: str | Path) -> str:
        status = self(*args)
        assert status != 0, self.out
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("snapplan: error: "), lines[0]
        return lines[0]

    def json(self, *args: str | Path) -> Any:
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture
def baker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Baker:
    """A :class:`Baker` on ``bakery.sqlite`` in the test's directory (no ``SNAPPLAN_DB``)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)
    return Baker(tmp_path / "bakery.sqlite", capsys)
