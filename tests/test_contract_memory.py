"""The port contract suite, run against the memory store."""

from __future__ import annotations

import pytest

from snapplan.adapters.memory import MemoryStore
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


class MemoryStoreFixture:
    @pytest.fixture
    def store(self) -> MemoryStore:
        return MemoryStore()


class TestMemoryCatalog(MemoryStoreFixture, CatalogRepositoryContract):
    pass


class TestMemorySnapshots(MemoryStoreFixture, SnapshotRepositoryContract):
    pass


class TestMemoryPlans(MemoryStoreFixture, PlanRepositoryContract):
    keeps_contents = True


class TestMemoryRuns(MemoryStoreFixture, RunRepositoryContract):
    pass


class TestMemoryUnitOfWork(MemoryStoreFixture, UnitOfWorkContract):
    pass


class TestMemoryProducts(MemoryStoreFixture, ProductRepositoryContract):
    pass


class TestMemoryPrices(MemoryStoreFixture, PriceRepositoryContract):
    pass


class TestMemoryPantry(MemoryStoreFixture, PantryRepositoryContract):
    pass
