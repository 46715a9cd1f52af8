"""An in-memory store that is a real transactional adapter, not a fake.

>>> from snapplan.adapters.memory import MemoryStore
>>> store = MemoryStore()
>>> with store.unit_of_work() as uow:
...     uow.ingredients.count()
0
"""

from snapplan.adapters.memory.store import MemoryStore
from snapplan.adapters.memory.unit_of_work import MemoryUnitOfWork

__all__ = ["MemoryStore", "MemoryUnitOfWork"]
