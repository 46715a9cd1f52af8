"""The port contract suite, run against the SQL store on SQLite and on PostgreSQL."""

from __future__ import annotations

import attrs
import pytest

from snapplan import ConflictError, Ingredient, NotFoundError, Recipe
from snapplan.adapters.sql import SqlStore
from snapplan.testing.contents import store_contents
from snapplan.testing.contract import (
    CatalogRepositoryContract,
    PlanRepositoryContract,
    SnapshotRepositoryContract,
    UnitOfWorkContract,
)


class SqlStoreFixture:
    @pytest.fixture
    def store(self, sql_store: SqlStore) -> SqlStore:
        return sql_store


class TestSqlCatalog(SqlStoreFixture, CatalogRepositoryContract):
    pass


class TestSqlSnapshots(SqlStoreFixture, SnapshotRepositoryContract):
    pass


class TestSqlPlans(SqlStoreFixture, PlanRepositoryContract):
    pass


class TestSqlUnitOfWork(SqlStoreFixture, UnitOfWorkContract):
    def test_a_failed_commit_persists_nothing(self, store: SqlStore) -> None:
        """The contract's scenario, ordered so that it can happen on SQLite too.

        SQLite has one writer at a time: while ``clash`` holds the write lock, the other unit
        cannot commit at all (it waits for the busy timeout, then gets ``ConflictError``, see
        test_sqlite.py). So here ``clash`` only reads before the other unit commits; its first
        write then fails (SQLite: its read snapshot is stale; PostgreSQL and memory: the row is
        gone), and nothing of it is persisted.
        """
        existing = Ingredient("Flour")
        with store.unit_of_work() as uow:
            uow.ingredients.add(existing)
            uow.commit()
        before = store_contents(store)
        clash = store.unit_of_work()
        with clash:
            assert clash.ingredients.get(existing.id) == existing
            with store.unit_of_work() as other:
                other.ingredients.remove(existing.id)
                other.commit()
            with pytest.raises((ConflictError, NotFoundError)):
                clash.recipes.add(Recipe("Bread"))
                clash.ingredients.update(attrs.evolve(existing, name="Bread flour"))
                clash.commit()
        after = store_contents(store)
        assert after["recipes"] == before["recipes"] == ()
        assert after["ingredients"] == ()
