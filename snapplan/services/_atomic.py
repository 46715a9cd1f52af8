"""How a writing service holds its unit of work: its own transaction, or a savepoint of the
caller's.

A service that writes reads like its use-case::

    with atomic(uow):
        ...  # the steps
        uow.commit()

Given a fresh unit of work, ``atomic`` enters it (and the service's ``commit()`` persists),
first telling it that it will write when it can be told: a unit of work with a ``will_write()``
method (the SQL store's: on SQLite its transaction then begins as a writer, waiting for the
write lock instead of failing when a read comes first). The method is looked up on the
instance, so a host's wrapper that forwards attributes (``__getattr__``) forwards it too; a unit
without it is simply not told.
Given one the caller already entered, it joins it inside a savepoint: a failure undoes exactly
the service's work, leaving the caller's transaction as it was, and the service's ``commit()``
is a joined block's no-op (the caller decides). Errors are never translated here: the adapters
translate driver failures; everything else surfaces as itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from snapplan.ports.unit_of_work import UnitOfWork


@contextmanager
def atomic(uow: UnitOfWork) -> Iterator[UnitOfWork]:
    """Enter ``uow`` for a writing use-case (see the module docstring)."""
    with ExitStack() as stack:
        joined = uow.active
        if not joined:
            will_write = getattr(uow, "will_write", None)
            if callable(will_write):
                will_write()
        stack.enter_context(uow)
        if joined:
            stack.enter_context(uow.savepoint())
        yield uow
