"""What every store shares: the unit of work's life cycle and the repositories.

An adapter subclasses :class:`~snapplan.adapters.base.unit_of_work.BaseUnitOfWork`, providing
its transaction hooks (``_begin``, ``_publish``, ``_rollback``, ``_savepoint``) and one
:class:`~snapplan.adapters.base.table.Table` per repository; the repositories themselves, the
guards and the commit rules are written once, here.
"""

from snapplan.adapters.base.table import LedgerTable, PlanTable, RunTable, Table
from snapplan.adapters.base.unit_of_work import BaseUnitOfWork

__all__ = ["BaseUnitOfWork", "LedgerTable", "PlanTable", "RunTable", "Table"]
