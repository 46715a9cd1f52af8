"""The memory store's unit of work: the shared life cycle over a private staging area."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from snapplan.adapters.base.unit_of_work import BaseUnitOfWork
from snapplan.adapters.memory.staging import MemoryPlanTable, MemoryTable, Staging
from snapplan.ports.unit_of_work import RepositorySpec

if TYPE_CHECKING:
    from snapplan.adapters.memory.state import CommittedState


class MemoryUnitOfWork(BaseUnitOfWork):
    """A transaction on a :class:`~snapplan.adapters.memory.MemoryStore`.

    Writes are staged and published by ``commit()`` under the store's lock, after every check
    (duplicate ids, stale versions) has passed; reads see committed data plus the staged work.
    """

    def __init__(self, state: CommittedState) -> None:
        self._staging = Staging(state)
        super().__init__()

    def _table(self, spec: RepositorySpec) -> MemoryTable:
        if spec.name == "plans":
            return MemoryPlanTable(self._staging, spec)
        return MemoryTable(self._staging, spec)

    def _begin(self) -> None:
        self._staging.reset()

    def _publish(self) -> None:
        self._staging.publish()

    def _rollback(self, *, failing: bool) -> None:
        self._staging.reset()

    def _savepoint(self) -> AbstractContextManager[None]:
        return self._staging.savepoint()
