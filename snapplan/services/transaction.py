"""How every service runs: in the caller's transaction or in one of its own.

- A fresh unit of work is entered, and committed on success when the service writes.
- An already-entered one is joined; a writing service works inside a savepoint, so a failure
  leaves the caller's transaction exactly as it was, and success commits nothing (the caller
  decides).
- Domain errors pass through with their own type; anything else is an adapter failure and
  becomes ``PersistenceError`` chained to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import nullcontext
from typing import TypeVar

from snapplan.domain.names import to_uuid
from snapplan.errors import PersistenceError, SnapplanError, ValidationError
from snapplan.ports.unit_of_work import UnitOfWork

R = TypeVar("R")


def identity(value: uuid.UUID | str) -> uuid.UUID:
    """A service's id argument as a ``UUID``; its string form is accepted too."""
    result = to_uuid(value)
    if not isinstance(result, uuid.UUID):
        raise ValidationError(f"not a UUID: {value!r}")
    return result


def run_in_unit_of_work(uow: UnitOfWork, work: Callable[[], R], *, writes: bool) -> R:
    """Run ``work`` as described in the module docstring and return its result."""
    try:
        if uow.active:
            with uow.savepoint() if writes else nullcontext():
                return work()
        with uow:
            result = work()
            if writes:
                uow.commit()
            return result
    except SnapplanError:
        raise
    except Exception as error:
        raise PersistenceError(f"store failed: {type(error).__name__}: {error}") from error
