"""Finding what the command line names: events by id or name."""

from __future__ import annotations

import difflib
import uuid

from snapplan.cli.problems import CommandError
from snapplan.domain.events import Event
from snapplan.ports.unit_of_work import UnitOfWork


def find_event(uow: UnitOfWork, text: str) -> Event:
    """The event with id ``text``, else the one event named exactly ``text``."""
    try:
        event_id = uuid.UUID(text)
    except ValueError:
        pass
    else:
        return uow.events.get(event_id)
    named = [event for event in uow.events.all() if event.name == text]
    if len(named) == 1:
        return named[0]
    if not named:
        close = difflib.get_close_matches(text, sorted({e.name for e in uow.events.all()}), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CommandError(f"no event with id or name {text!r}{hint}")
    ids = ", ".join(str(event.id) for event in named)
    raise CommandError(f"{len(named)} events are named {text!r}; give one of their ids: {ids}")
