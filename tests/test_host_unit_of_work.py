"""A host's own unit of work is accepted by every service.

Hosts wrap a store's unit of work to add logging, metrics or fault injection, forwarding what
they do not override through ``__getattr__``. The ``with`` statement needs ``__enter__`` and
``__exit__`` on the wrapper's type; everything else (``commit``, ``savepoint``, ``active``, the
repositories) may come through the instance. Every service must work through such a wrapper,
fresh or already entered, and the wrapper must see the commits it forwards.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import pytest

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    ProductionTarget,
    Recipe,
    add_catalog,
    check_catalog,
    create_plan,
    plan_drift,
    plan_progress,
    plan_requirements,
    plan_snapshots,
    record_assembly,
    record_production,
    record_waste,
    verify_plan,
    void_run,
)
from snapplan.testing.catalog import save


class LoggingUnitOfWork:
    """A host's wrapper: enters and leaves itself, forwards everything else, logs commits."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.log: list[str] = []

    def __enter__(self) -> Self:
        self._inner.__enter__()
        self.log.append("enter")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.log.append("exit")
        self._inner.__exit__(exc_type, exc, tb)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name != "commit":
            return attribute

        def logged_commit() -> None:
            self.log.append("commit")
            attribute()

        return logged_commit


def bakery(store: Any) -> dict[str, Any]:
    """Cookies (500 g flour, 24 per batch) boxed 6 to a box with a ribbon; 2 boxes planned."""
    flour = Ingredient("Flour")
    cookies = Recipe("Cookies", lines=[IngredientLine(flour.id, 500, "g")])
    cookie = FinishedUnit("Cookie", cookies.id, 24)
    ribbon = MaterialUnit("Ribbon")
    box = FinishedGood(
        "Box",
        [
            Component(ComponentKind.FINISHED_UNIT, cookie.id, 6),
            Component(ComponentKind.MATERIAL_UNIT, ribbon.id, 1),
        ],
    )
    event = Event("Market", [ProductionTarget(cookies.id, 1)], [AssemblyTarget(box.id, 2)])
    save(store, flour, cookies, cookie, ribbon, box, event)
    return {"event": event, "cookies": cookies, "box": box, "cookie": cookie}


def _planned(store: Any) -> tuple[dict[str, Any], Any]:
    things = bakery(store)
    plan_id = create_plan(store.unit_of_work(), things["event"].id).plan_id
    return things, plan_id


def _produce(uow: Any, store: Any) -> object:
    things, plan_id = _planned(store)
    return record_production(uow, plan_id, things["cookies"].id, 1)


def _assemble(uow: Any, store: Any) -> object:
    things, plan_id = _planned(store)
    record_production(store.unit_of_work(), plan_id, things["cookies"].id, 1)
    return record_assembly(uow, plan_id, things["box"].id, 1)


def _waste(uow: Any, store: Any) -> object:
    things, plan_id = _planned(store)
    record_production(store.unit_of_work(), plan_id, things["cookies"].id, 1)
    return record_waste(uow, plan_id, things["cookie"].id, 2, reason="dropped")


def _void(uow: Any, store: Any) -> object:
    things, plan_id = _planned(store)
    run = record_production(store.unit_of_work(), plan_id, things["cookies"].id, 1)
    return void_run(uow, run.id, reason="counted twice")


SERVICES: dict[str, Callable[[Any, Any], object]] = {
    "add_catalog": lambda uow, store: add_catalog(uow, [Ingredient("Salt")]),
    "check_catalog": lambda uow, store: check_catalog(uow),
    "create_plan": lambda uow, store: create_plan(uow, bakery(store)["event"].id),
    "plan_requirements": lambda uow, store: plan_requirements(uow, _planned(store)[1]),
    "plan_progress": lambda uow, store: plan_progress(uow, _planned(store)[1]),
    "plan_drift": lambda uow, store: plan_drift(uow, _planned(store)[1]),
    "plan_snapshots": lambda uow, store: plan_snapshots(uow, _planned(store)[1]),
    "verify_plan": lambda uow, store: verify_plan(uow, _planned(store)[1]),
    "record_production": _produce,
    "record_assembly": _assemble,
    "record_waste": _waste,
    "void_run": _void,
}

WRITERS = {
    "add_catalog",
    "create_plan",
    "record_production",
    "record_assembly",
    "record_waste",
    "void_run",
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_takes_a_hosts_wrapping_unit_of_work(store: Any, service: str) -> None:
    wrapper = LoggingUnitOfWork(store.unit_of_work())
    SERVICES[service](wrapper, store)
    assert wrapper.log[0] == "enter"
    assert wrapper.log[-1] == "exit"
    # a writer commits through the wrapper; a reader never does
    assert ("commit" in wrapper.log) == (service in WRITERS)


#: What each writer writes, counted: (repository, how many of them its case's set-up commits
#: on its own, outside the host's transaction).
WRITTEN = {
    "add_catalog": ("ingredients", 0),
    "create_plan": ("plans", 0),
    "record_production": ("runs", 0),
    "record_assembly": ("runs", 1),
    "record_waste": ("runs", 1),
    "void_run": ("runs", 1),
}


@pytest.mark.parametrize("service", sorted(WRITERS))
def test_a_hosts_entered_wrapper_is_joined_and_the_host_decides(store: Any, service: str) -> None:
    repository, set_up = WRITTEN[service]

    def count() -> int:
        with store.unit_of_work() as probe:
            return int(getattr(probe, repository).count())

    before = count()
    wrapper = LoggingUnitOfWork(store.unit_of_work())
    with wrapper:
        SERVICES[service](wrapper, store)
        assert getattr(wrapper, repository).count() == before + set_up + 1
        # the host leaves without committing: the service's work goes with the rest
    assert count() == before + set_up
    assert "commit" in wrapper.log  # forwarded, and a joined block's no-op


def test_an_object_without_commit_is_still_refused() -> None:
    class NotAUnit:
        def __enter__(self) -> Self:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    with pytest.raises(TypeError, match="uow must be a unit of work, not NotAUnit"):
        check_catalog(NotAUnit())  # type: ignore[arg-type]
