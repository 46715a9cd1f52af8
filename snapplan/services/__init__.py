"""Use-cases over the ports. Each takes a fresh or an already-entered unit of work."""

from snapplan.services.catalog import add_catalog
from snapplan.services.catalog_check import check_catalog
from snapplan.services.drift import plan_drift
from snapplan.services.planning import PlanResult, create_plan
from snapplan.services.requirements import plan_requirements
from snapplan.services.snapshots import plan_snapshots

__all__ = [
    "PlanResult",
    "add_catalog",
    "check_catalog",
    "create_plan",
    "plan_drift",
    "plan_requirements",
    "plan_snapshots",
]
