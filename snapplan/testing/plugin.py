"""pytest plugin (loaded through the ``pytest11`` entry point wherever snapplan is installed).

Fixtures:

- ``snapplan_memory_store`` — a fresh :class:`~snapplan.adapters.memory.MemoryStore`.
- ``snapplan_sqlite_store`` — a fresh ``SqlStore`` on a temporary SQLite file, schema created
  (needs ``snapplan[sql]``; the test is skipped with the reason if SQLAlchemy is missing).

The module imports nothing heavy at load time, so it never slows down or breaks a host's test
run, with or without the ``testing`` and ``sql`` extras.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def snapplan_memory_store() -> Any:
    """A fresh, empty in-memory store."""
    from snapplan.adapters.memory import MemoryStore

    return MemoryStore()


@pytest.fixture
def snapplan_sqlite_store(tmp_path: Path) -> Iterator[Any]:
    """A fresh SQLite-file store with its schema created; disposed after the test."""
    try:
        from snapplan.adapters.sql import SqlStore
    except ImportError as missing:  # pragma: no cover - depends on the host's extras
        pytest.skip(f"snapplan_sqlite_store needs snapplan[sql]: {missing}")
    store = SqlStore.from_url(f"sqlite:///{tmp_path / 'snapplan.sqlite'}")
    store.create_schema()
    yield store
    store.dispose()
