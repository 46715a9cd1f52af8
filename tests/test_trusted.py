"""Values built without re-running validators (capture, stores reading their own rows) are
exactly the values the validating constructors would build: same fields, all valid, defaults
filled as the constructor fills them."""

from __future__ import annotations

import attrs
from hypothesis import given

from snapplan import create_plan, plan_snapshots
from snapplan.adapters.memory import MemoryStore
from snapplan.domain._trusted import trusted
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


@attrs.frozen
class _Tray:
    name: str
    cookies: tuple[str, ...] = attrs.field(factory=tuple)
    count: int = 0


def test_trusted_fills_a_factory_default_by_calling_it() -> None:
    """(mutants: the factory stored instead of called, ``is False`` as ``!= False``)"""
    tray = trusted(_Tray, name="Tray 1")
    assert (tray.cookies, tray.count) == ((), 0)
    assert tray == _Tray("Tray 1")
