"""The lockstep state machine: a SQLite file store, and a MariaDB one, against the MemoryStore,
and proof that the machine catches a store that breaks the rules.

Budgets follow the hypothesis profile (``SNAPPLAN_HYPOTHESIS_PROFILE``, see conftest.py): quick
by default, thorough in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from decimal import Context, Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from snapplan.adapters.memory import MemoryStore
from snapplan.adapters.sql import SqlStore
from snapplan.domain.pantry_entries import PANTRY_TYPES
from snapplan.errors import PersistenceError
from snapplan.ports.unit_of_work import REPOSITORY_NAMES, Store
from snapplan.testing.stateful import Discrepancy, LockstepMachine, lockstep_machine

PROFILE = os.environ.get("SNAPPLAN_HYPOTHESIS_PROFILE", "quick")
#: (examples, steps per example) per profile: under 10 s quick, under 30 s thorough on a
#: shared 2-core box (about 30 ms a step on SQLite).
BUDGET = {"quick": (6, 20), "thorough": (8, 25)}
EXAMPLES, STEPS = BUDGET.get(PROFILE, BUDGET["quick"])


class SqliteLockstep(LockstepMachine):
    """A SQLite file store (its own temporary directory) against the MemoryStore."""

    def make_store(self) -> Store:
        self.directory = tempfile.TemporaryDirectory(prefix="snapplan-lockstep-")
        store = SqlStore.from_url(f"sqlite:///{Path(self.directory.name) / 'store.sqlite'}")
        store.create_schema()
        return store

    def close_store(self, store: Store) -> None:
        assert isinstance(store, SqlStore)
        store.dispose()
        self.directory.cleanup()


TestSqliteLockstep = SqliteLockstep.TestCase
TestSqliteLockstep.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.mariadb
def test_mariadb_agrees_with_the_memory_store(mariadb_factory: Callable[[], Store]) -> None:
    """The lockstep machine on MariaDB: a store per example on the session's database, emptied
    for it (InnoDB's REPEATABLE READ, binary collations, JSON_TABLE reads, its triggers)."""
    machine = lockstep_machine(
        mariadb_factory, close_store=lambda store: store.dispose(), name="MariadbLockstep"
    )
    run_state_machine_as_test(machine, settings=TestSqliteLockstep.settings)


# -- the machine has teeth -----------------------------------------------------------------------


class _Wrapped:
    """A store whose units of work pass everything to a MemoryStore's, except what a broken
    repository or unit of work (below) changes."""

    def __init__(self, inner: Store, repository: type[_Repository], unit: type[_Unit]) -> None:
        self.inner, self.repository, self.unit = inner, repository, unit

    def unit_of_work(self) -> Any:
        return self.unit(self, self.inner.unit_of_work())


class _Unit:
    def __init__(self, owner: _Wrapped, inner: Any) -> None:
        self.owner, self.inner = owner, inner

    active = property(lambda self: self.inner.active)

    def __enter__(self) -> Any:
        self.inner.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.inner.__exit__(kind, error, tb)

    def commit(self) -> None:
        self.inner.commit()

    def rollback(self) -> None:
        self.inner.rollback()

    def savepoint(self) -> Any:
        return self.inner.savepoint()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.inner, name)
        return self.owner.repository(value) if name in REPOSITORY_NAMES else value


class _Repository:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _LastWriterWins(_Repository):
    """Broken: an update at a stale version silently overwrites (no ConflictError)."""

    def update(self, item: Any) -> Any:
        return self.inner.update(attrs.evolve(item, version=self.inner.get(item.id).version))


def _normalized(value: Any) -> Any:
    """``value`` with every Decimal normalized (48.00 -> 48, 1000 -> 1E+3): equal, not alike."""
    if isinstance(value, Decimal):
        return value.normalize(Context(prec=100))
    if isinstance(value, tuple):
        return tuple(_normalized(v) for v in value)
    if isinstance(value, dict):
        return {k: _normalized(v) for k, v in value.items()}
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return attrs.evolve(value, **{f.alias: _normalized(getattr(value, f.name)) for f in fields})
    return value


class _Normalizing(_Repository):
    """Broken: reads give amounts back normalized, not as they were written."""

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)
        if name not in ("get", "get_many", "find_many", "all", "for_event", "latest"):
            return target
        return lambda *args, **kwargs: _normalized(target(*args, **kwargs))


class _PantryInSeconds(_Repository):
    """Broken: pantry entries are stored to the second (a column without microseconds), so
    what was on hand as of a time reads differently."""

    def add(self, item: Any) -> None:
        if isinstance(item, PANTRY_TYPES):
            item = attrs.evolve(item, at=item.at.replace(microsecond=0))
        self.inner.add(item)


class _SavesOnFailure(_Unit):
    """Broken: leaving the block by a store failure commits what was done so far."""

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(error, PersistenceError) and self.inner.active:
            self.inner.commit()
        self.inner.__exit__(kind, error, tb)


@pytest.mark.parametrize(
    ("repository", "unit", "complaint"),
    [
        (_LastWriterWins, _Unit, "ConflictError"),
        # what was half saved shows at once (the subject store changed) or at the next write,
        # which the half-saved rows make the subject store refuse
        (_Repository, _SavesOnFailure, "InjectedFault.*(but changed it|the subject store raised)"),
        (_Normalizing, _Unit, "differ"),
        (_PantryInSeconds, _Unit, "pantry"),
    ],
    ids=[
        "stale-update-overwrites",
        "failure-saves-half",
        "amounts-normalized",
        "pantry-in-seconds",
    ],
)
def test_the_machine_catches_a_broken_store(
    repository: type[_Repository], unit: type[_Unit], complaint: str
) -> None:
    broken = lockstep_machine(lambda: _Wrapped(MemoryStore(), repository, unit))
    with pytest.raises(Discrepancy, match=complaint):
        run_state_machine_as_test(
            broken,
            settings=settings(
                max_examples=60,
                stateful_step_count=15,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            ),
        )


def test_a_store_agrees_with_itself() -> None:
    """No false alarm: two MemoryStores in lockstep, through the factory API."""
    run_state_machine_as_test(
        lockstep_machine(MemoryStore),
        settings=settings(max_examples=3, stateful_step_count=15, deadline=None),
    )


def test_the_machine_needs_no_sql_store() -> None:
    """A host without the ``sql`` extra can import it."""
    probe = "import sys, snapplan.testing.stateful; print('sqlalchemy' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
