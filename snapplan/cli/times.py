"""Times on the command line: ``--at`` and ``--as-of`` read, and times shown.

A time is ISO 8601, a date and a time of day: ``2026-12-18T09:30``, ``2026-12-18 09:30``,
``2026-12-18T08:30Z`` or ``2026-12-18T09:30+01:00``. Without an offset it is this computer's
local time (what a baker means by "09:30 this morning"). A date alone is refused rather than
guessed at (the start of the day? its end?). The library keeps every time in UTC; the command
line shows them in local time with their offset, so that they are both familiar and exact.
"""

from __future__ import annotations

import datetime

from snapplan.cli.problems import CommandError


def moment(text: str, option: str) -> datetime.datetime:
    """``text`` as an aware UTC time (see the module docstring); a :class:`CommandError`
    naming ``option`` when it is not one."""
    example = "2026-12-18T09:30, or 2026-12-18T09:30+01:00"
    try:
        parsed = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{option}: not a date and time: {text!r} (give {example})") from None
    if len(text.strip()) <= len("2026-12-18"):
        raise CommandError(
            f"{option}: {text!r} is a date without a time of day: give the time too ({example})"
        )
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # this computer's local time
    return parsed.astimezone(datetime.UTC)


def shown(when: datetime.datetime | None) -> str:
    """``2026-12-18 09:30 +01:00`` (local time, to the minute); ``-`` for None."""
    if when is None:
        return "-"
    local = when.astimezone()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"
