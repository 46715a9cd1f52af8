"""The commands suggested after a command's output, ready to copy.

They carry ``--db`` as the user gave it, with ``***`` for a password, and leave it out when it
came from ``SNAPPLAN_DB`` (still set for those commands).
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence

from snapplan.cli.database import as_option
from snapplan.cli.parser import DB_VARIABLE
from snapplan.cli.terminal import Output


def db_option(args: argparse.Namespace) -> tuple[str, bool]:
    """`` --db DB`` for a suggested command, and whether ``***`` stands for a password in it.

    Empty when ``--db`` came from ``SNAPPLAN_DB``: the suggested command finds it there too.
    """
    if getattr(args, "db_from_environment", False):
        return "", False
    text, hidden = as_option(args.db)
    return f" --db {shlex.quote(text)}", hidden


def print_next_steps(
    out: Output,
    commands: Sequence[str],
    *,
    password_hidden: bool = False,
    heading: str = "Next:",
) -> None:
    """A blank line, ``heading``, then each command indented (and what ``***`` means)."""
    print(f"\n{heading}", file=out)
    for command in commands:
        print(f"  {command}", file=out)
    if password_hidden:
        print(
            f"  (*** stands for the password: type it in, or set {DB_VARIABLE} to the URL "
            "and leave --db out)",
            file=out,
        )
