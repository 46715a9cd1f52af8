"""Use-cases over the ports. Each takes a fresh or an already-entered unit of work."""

from snapplan.services.assembly import record_assembly
from snapplan.services.catalog import add_catalog
from snapplan.services.catalog_check import check_catalog
from snapplan.services.catalog_sync import sync_catalog
from snapplan.services.drift import plan_drift
from snapplan.services.pantry_ledger import (
    record_price,
    record_purchase,
    record_stock_count,
    record_stock_use,
    void_pantry_entry,
)
from snapplan.services.planning import PlanResult, create_plan
from snapplan.services.production import record_production
from snapplan.services.progress import plan_progress
from snapplan.services.requirements import plan_requirements
from snapplan.services.shopping import plan_cost, shopping_list
from snapplan.services.snapshots import plan_snapshots
from snapplan.services.stock import pantry
from snapplan.services.verification import verify_plan
from snapplan.services.voids import void_run
from snapplan.services.waste import record_waste

__all__ = [
    "PlanResult",
    "add_catalog",
    "check_catalog",
    "create_plan",
    "pantry",
    "plan_cost",
    "plan_drift",
    "plan_progress",
    "plan_requirements",
    "plan_snapshots",
    "record_assembly",
    "record_price",
    "record_production",
    "record_purchase",
    "record_stock_count",
    "record_stock_use",
    "record_waste",
    "shopping_list",
    "sync_catalog",
    "verify_plan",
    "void_pantry_entry",
    "void_run",
]
