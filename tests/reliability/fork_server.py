"""Where the reliability tests' child processes come from: a fork server that has imported them.

Starting ``python reliability_child.py`` costs most of a second of CPU, nearly all of it
importing snapplan, SQLAlchemy and the database drivers. Instead, each pytest worker starts one
fork server (``multiprocessing``'s ``"forkserver"``, on the first child it needs) that imports
:data:`PRELOAD` once, and every child is a fork of it: a real, separate process with its own pid,
killed by SIGKILL like any other, that opens its own engine and connections (the server only
imports modules; :func:`run_child` refuses to start if it inherited a socket or an open file).
The server ends with the pytest worker that started it (it stops when the worker's end of its
"alive" pipe closes).

The parent (``reliability_support.Child``) passes the child its stdin and stdout pipe ends and
its stderr file as :class:`PassedFd`; :func:`run_child` puts them on file descriptors 0, 1 and 2,
takes the parent's environment and runs ``reliability_child.main()`` on the request, as the
script would.

Imports nothing but the standard library: the parent imports it, and ``reliability_child`` is
imported in the server only.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import stat
import sys
from multiprocessing import forkserver, reduction
from multiprocessing.context import BaseContext
from typing import Any

#: What the server imports before it forks: the child and every module its stores load on
#: their first connection (a module missing here is imported by each child, at its cost; one
#: that fails to import is left out silently).
PRELOAD = [
    "reliability_child",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql.psycopg",
    "sqlalchemy.dialects.mysql.pymysql",
    "sqlite3",
    "psycopg",
    "pymysql",
    "encodings.idna",
]


@functools.cache
def context() -> BaseContext:
    """The ``"forkserver"`` context, its server running and preloaded with :data:`PRELOAD`."""
    forkserver_context = multiprocessing.get_context("forkserver")
    forkserver_context.set_forkserver_preload(PRELOAD)
    start_server()
    return forkserver_context


def start_server() -> None:
    """Start the server with this process's ``sys.path`` as its ``PYTHONPATH``: it preloads with
    its own ``sys.path`` (Pythons 3.11 to 3.13 ignore the one they send it), which without
    pytest's additions could not import ``reliability_child``."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(sys.path)
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


class PassedFd:
    """A file descriptor of the parent, sent to the child as it starts (the child's copy is
    ``fd`` there; the parent keeps and closes its own)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, ...]:
        return _received, (reduction.DupFd(self.fd),)


def _received(duplicate: Any) -> PassedFd:
    return PassedFd(duplicate.detach())


def run_child(
    request_json: str, stdin: PassedFd, stdout: PassedFd, stderr: PassedFd, environ: dict[str, str]
) -> None:
    """In the forked child: stdin, stdout and stderr on 0, 1 and 2, the parent's environment,
    then ``reliability_child.main()`` with the request as its argument."""
    for passed, standard in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(passed.fd, standard)
        os.close(passed.fd)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    inherited = connections_beyond_stderr()
    if inherited:
        sys.stderr.write(f"the fork server left sockets or files open: fds {inherited}\n")
        os._exit(5)
    os.environ.clear()
    os.environ.update(environ)
    import reliability_child

    sys.argv = [reliability_child.__file__, request_json]
    reliability_child.main()


def connections_beyond_stderr() -> list[int]:
    """This process's open file descriptors above 2 that are sockets or regular files: what a
    database connection holds."""
    folder = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    found = []
    for fd in sorted(int(name) for name in os.listdir(folder) if int(name) > 2):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:  # the listing's own descriptor, closed since
            continue
        if stat.S_ISSOCK(mode) or stat.S_ISREG(mode):
            found.append(fd)
    return found
