"""``check_catalog``: every cycle and dangling reference in the live catalog, at once."""

from __future__ import annotations

from snapplan.domain.catalog import CatalogView
from snapplan.domain.catalog_check import CatalogReport, check_definitions
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments


def check_catalog(uow: UnitOfWork) -> CatalogReport:
    """Report all cycles (as ordered loops) and all dangling references of catalog and events.

    Capture would stop at the first of these; this finds them all, for hosts that want to check
    before planning. Never commits.
    """
    uow = arguments.unit_of_work(uow)
    with uow:
        catalog = CatalogView(
            ingredients={i.id: i for i in uow.ingredients.all()},
            recipes={r.id: r for r in uow.recipes.all()},
            finished_units={u.id: u for u in uow.finished_units.all()},
            material_units={m.id: m for m in uow.material_units.all()},
            finished_goods={g.id: g for g in uow.finished_goods.all()},
        )
        return check_definitions(catalog, uow.events.all())
