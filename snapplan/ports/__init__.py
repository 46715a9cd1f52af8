"""The ports services talk to: repositories, the unit of work, the store, the clock.

Adapters conform structurally (no inheritance needed); mypy checks them against these
protocols and :mod:`snapplan.testing.contract` checks their behaviour.
"""

from snapplan.ports.clock import Clock, utc_now
from snapplan.ports.repositories import (
    CatalogRepository,
    PlanRepository,
    SnapshotRepository,
)
from snapplan.ports.unit_of_work import REPOSITORY_NAMES, Store, UnitOfWork

__all__ = [
    "REPOSITORY_NAMES",
    "CatalogRepository",
    "Clock",
    "PlanRepository",
    "SnapshotRepository",
    "Store",
    "UnitOfWork",
    "utc_now",
]
