"""``main``: run one ``snapplan`` command, report a failure in one line."""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Iterable, Sequence

from snapplan.cli.parser import DB_VARIABLE, parse_arguments
from snapplan.cli.problems import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    describe,
    hide_passwords,
    passwords_in,
)
from snapplan.cli.terminal import EscapedOutput, escape


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``snapplan`` with ``argv`` (default: the process arguments); return the exit status.

    Every failure is one line on stderr, ``snapplan: error: ...``, and a non-zero status (see
    :mod:`snapplan.cli.problems`); usage errors exit 2, as argparse does. No output shows a
    password given in the arguments or in ``SNAPPLAN_DB``.
    """
    if argv is None:  # the snapplan command, in a process of its own
        _tune_collector()
    _tolerate_unprintable_output()
    arguments = list(sys.argv[1:] if argv is None else argv)
    secrets = passwords_in([*arguments, os.environ.get(DB_VARIABLE, "")])
    args = parse_arguments(arguments, secrets=secrets)
    try:
        # The one import inside a function in snapplan/cli, on purpose. The commands need
        # SQLAlchemy, most of the command's start-up time: `snapplan --help` and usage errors
        # take 0.13 s without it, 0.4 s with it. And without the `sql` extra this import fails
        # here, where it becomes the one-line message below. `commands` imports nothing that
        # imports this module: no cycle (tests/cli/test_cli_imports.py checks both).
        from snapplan.cli import commands

        # Catalog text in the output never steers the terminal (snapplan.cli.terminal).
        status: int = getattr(commands, args.command)(args, EscapedOutput(sys.stdout))
        sys.stdout.flush()
        return status
    except KeyboardInterrupt:
        print("snapplan: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`snapplan export ... | head`): stop quietly, as Python's docs
        # recommend, so that the final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except ModuleNotFoundError as error:
        missing = _MISSING_EXTRA.get((error.name or "").partition(".")[0])
        if missing is None:
            return _fail(error, args.traceback, secrets)
        print(f"snapplan: error: {missing}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as error:
        return _fail(error, args.traceback, secrets)


#: What to install when a module of an optional dependency is missing.
_MISSING_EXTRA = {
    "sqlalchemy": "the snapplan command needs SQLAlchemy: pip install 'snapplan[sql]'",
    "psycopg": "PostgreSQL needs the psycopg driver: pip install 'snapplan[postgres]'",
    "pymysql": "MySQL and MariaDB need the PyMySQL driver: pip install 'snapplan[mysql]'",
}


def _fail(error: Exception, show_traceback: bool, secrets: Iterable[str]) -> int:
    message, status = describe(error)
    print(f"snapplan: error: {escape(hide_passwords(message, secrets))}", file=sys.stderr)
    if show_traceback:
        text = "".join(traceback.format_exception(error))
        print(escape(hide_passwords(text, secrets), lines=True), end="", file=sys.stderr)
    return status


def _tune_collector() -> None:
    # The command owns its process, so it may tune Python's cyclic garbage collector (the
    # library never does): a young collection every 50,000 allocations instead of 700, older
    # ones less often. A plan builds tens of thousands of values that live until it is written
    # and make no cycles. Measured: `snapplan plan` of holiday-3000 on SQLite, 5-10 % less
    # CPU time (docs/explanation/performance.md).
    gc.set_threshold(50_000, 20, 100)


def _tolerate_unprintable_output() -> None:
    # A name the terminal's encoding cannot show must not turn into an internal error.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
