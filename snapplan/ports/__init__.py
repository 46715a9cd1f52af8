"""The ports services talk to: repositories, the unit of work, the store, the clock.

Adapters conform structurally (no inheritance needed); mypy checks them against these
protocols and :mod:`snapplan.testing.contract` checks their behaviour.
"""

from snapplan.domain.plan_contents import PlanEntry, plan_entries
from snapplan.ports.clock import Clock, utc_now
from snapplan.ports.repositories import (
    Appender,
    CatalogRepository,
    PlanRepository,
    Reader,
    RunRepository,
    SnapshotRepository,
    Versioned,
)
from snapplan.ports.unit_of_work import (
    REPOSITORIES,
    REPOSITORY_NAMES,
    RepositorySpec,
    Store,
    UnitOfWork,
    repository_of,
)

__all__ = [
    "REPOSITORIES",
    "REPOSITORY_NAMES",
    "Appender",
    "CatalogRepository",
    "Clock",
    "PlanEntry",
    "PlanRepository",
    "Reader",
    "RepositorySpec",
    "RunRepository",
    "SnapshotRepository",
    "Store",
    "UnitOfWork",
    "Versioned",
    "plan_entries",
    "repository_of",
    "utc_now",
]
