"""Fixtures for the SQL store's own tests: recording the statements an engine runs.

The SQL stores themselves (``sql_store``, ``sql_store_factory``, ``sqlite_factory``,
``postgres_factory``, ``postgres_url``) come from ``tests/conftest.py``, built on
:mod:`stores`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

#: The statements that read or write (transaction control left out).
WORK = ("SELECT", "INSERT", "UPDATE", "DELETE")


class StatementLog:
    """The SQL statements an engine sent to the database while recording."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    @property
    def work(self) -> list[str]:
        """The statements that read or write, in order (no BEGIN, SAVEPOINT, COMMIT ...)."""
        return [s for s in self.statements if s.lstrip().upper().startswith(WORK)]


@contextmanager
def recorded_statements(engine: sa.Engine) -> Iterator[StatementLog]:
    """Record every statement (``before_cursor_execute``) the engine runs inside the block."""
    log = StatementLog()

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        log.statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def record_statements() -> Callable[[sa.Engine], Any]:
    """``with record_statements(engine) as log:`` records the statements run in the block."""
    return recorded_statements


def work_of(engine: sa.Engine, calls: Mapping[str, Callable[[], Any]]) -> dict[str, list[str]]:
    """The statements that read or write of each call, made one after the other, by name."""
    sent: dict[str, list[str]] = {}
    for name, call in calls.items():
        with recorded_statements(engine) as log:
            call()
        sent[name] = log.work
    return sent


@pytest.fixture
def statements_of() -> Callable[[sa.Engine, Mapping[str, Callable[[], Any]]], Any]:
    """``statements_of(engine, {name: call})``: each call's statements that read or write."""
    return work_of
