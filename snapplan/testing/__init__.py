"""The testing kit, for snapplan's own tests and for host applications.

- :mod:`snapplan.testing.strategies` — hypothesis strategies for every domain type and for whole
  consistent catalogs with events (``pip install snapplan[testing]``).
- :mod:`snapplan.testing.faults` — a store wrapper that fails at the k-th write or at commit.
- :mod:`snapplan.testing.contents` — the complete contents of a store, for before/after checks.
- :mod:`snapplan.testing.contract` — the port contract suite, as base classes to subclass.
- :mod:`snapplan.testing.stateful` — a hypothesis state machine driving a store and a
  ``MemoryStore`` in lockstep (random operations, injected faults, compared after every step).
- :mod:`snapplan.testing.plugin` — pytest fixtures, loaded through the ``pytest11`` entry point.

Importing this package imports neither hypothesis nor pytest.
"""
