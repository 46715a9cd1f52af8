"""The port contract suite, run against the SQL store on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest

from snapplan.adapters.sql import SqlStore
from snapplan.testing.contract import (
    CatalogRepositoryContract,
    PantryRepositoryContract,
    PlanRepositoryContract,
    PriceRepositoryContract,
    ProductRepositoryContract,
    RunRepositoryContract,
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
    keeps_contents = True


class TestSqlRuns(SqlStoreFixture, RunRepositoryContract):
    pass


class TestSqlUnitOfWork(SqlStoreFixture, UnitOfWorkContract):
    pass


class TestSqlProducts(SqlStoreFixture, ProductRepositoryContract):
    pass


class TestSqlPrices(SqlStoreFixture, PriceRepositoryContract):
    pass


class TestSqlPantry(SqlStoreFixture, PantryRepositoryContract):
    pass
