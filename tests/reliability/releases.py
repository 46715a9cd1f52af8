"""How a racer of the reliability tests calls a service, by the way the racers are released.

Imported by the tests (threads) and by ``reliability_child.py`` (processes), so it imports
nothing but the standard library.

- ``"start"``: with a fresh unit of work, which the service enters itself. Writing services tell
  it that it will write, so on SQLite it begins ``BEGIN IMMEDIATE``: racers take the write lock
  one after the other, each waiting for the one before (a later one reads what the earlier
  ones committed).
- ``"after-read"``: in a plain unit of work the racer entered itself (a host's ``with uow:``
  block), which the service joins. It begins deferred on SQLite too, so every racer can read
  before any of them writes — the interleaving where a check-then-write store would oversell,
  and where all but one must lose (``ConflictError``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def call(release: str, service: Callable[..., Any], uow: Any, *args: Any, **kwargs: Any) -> Any:
    """``service(uow, *args, **kwargs)`` as ``release`` says (see the module docstring)."""
    if release != "after-read":
        return service(uow, *args, **kwargs)
    with uow:
        result = service(uow, *args, **kwargs)
        uow.commit()
    return result
