"""Values built without re-running validators (capture, stores reading their own rows) are
exactly the values the validating constructors would build: same fields, all valid."""

from __future__ import annotations

import attrs
from hypothesis import given

from snapplan import create_plan, plan_snapshots
from snapplan.adapters.memory import MemoryStore
from snapplan.testing import strategies as sps


def rebuilt(value: object) -> object:
    """``value`` rebuilt through its class's validating constructor, field by field."""
    if isinstance(value, tuple):
        return tuple(rebuilt(item) for item in value)
    if not attrs.has(type(value)):
        return value
    fields = {f.alias: rebuilt(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.init}
    return type(value)(**fields)


@given(case=sps.catalogs())
def test_captured_snapshots_pass_every_validator_and_equal_themselves_rebuilt(
    case: sps.CatalogCase,
) -> None:
    store = MemoryStore()
    case.save(store.unit_of_work())
    for event in case.events:
        result = create_plan(store.unit_of_work(), event.id)
        _, snapshots = plan_snapshots(store.unit_of_work(), result.plan_id)
        for snapshot in snapshots.values():
            again = rebuilt(snapshot)
            assert again == snapshot
            assert again.digest == snapshot.expected_digest(  # type: ignore[attr-defined]
                [snapshots[child].digest for child in snapshot.children()]
            )
