"""The clock port: a callable returning an aware UTC ``datetime``."""

from __future__ import annotations

import datetime
from collections.abc import Callable

#: Injected wherever time is read, so tests can fix it.
Clock = Callable[[], datetime.datetime]


def utc_now() -> datetime.datetime:
    """The default clock: now, in UTC."""
    return datetime.datetime.now(datetime.UTC)
