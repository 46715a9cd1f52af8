"""Finding what the command line names, by id or by name: events, plans (an event's latest),
products, and the items a pantry holds (ingredients and material units)."""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Iterable
from typing import TypeVar

from snapplan.cli.problems import CommandError
from snapplan.domain.catalog import Ingredient, MaterialUnit
from snapplan.domain.events import Event
from snapplan.domain.plan import Plan
from snapplan.domain.products import Product
from snapplan.errors import ItemNotFound, PlanNotFound
from snapplan.ports.unit_of_work import UnitOfWork


def find_event(uow: UnitOfWork, text: str) -> Event:
    """The event with id ``text``, else the one event named exactly ``text``."""
    try:
        event_id = uuid.UUID(text)
    except ValueError:
        pass
    else:
        return uow.events.get(event_id)
    named = [event for event in uow.events.all() if event.name == text]
    if len(named) == 1:
        return named[0]
    if not named:
        close = difflib.get_close_matches(text, sorted({e.name for e in uow.events.all()}), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CommandError(f"no event with id or name {text!r}{hint}")
    ids = ", ".join(str(event.id) for event in named)
    raise CommandError(f"{len(named)} events are named {text!r}; give one of their ids: {ids}")


def find_plan(uow: UnitOfWork, text: str) -> Plan:
    """The plan with id ``text``, else the latest plan of the event ``text`` names (its id or
    its name, as :func:`find_event`)."""
    try:
        wanted = uuid.UUID(text)
    except ValueError:
        pass
    else:
        found = uow.plans.find_many([wanted])
        if wanted in found:
            return found[wanted]
        if wanted not in uow.events.find_many([wanted]):
            raise PlanNotFound(wanted, f"plan {wanted} not found (nor an event with that id)")
    event = find_event(uow, text)
    latest = uow.plans.latest(event.id)
    if latest is None:
        raise CommandError(f"event {event.name!r} has no plan yet: snapplan plan {text!r} first")
    return latest


def find_product(uow: UnitOfWork, text: str) -> Product:
    """The product with id ``text``, else the one named ``text`` (exactly, else ignoring case)."""
    try:
        product_id = uuid.UUID(text)
    except ValueError:
        pass
    else:
        return uow.products.get(product_id)
    return _named(uow.products.all(), text, "product", "snapplan sync a catalog with [[product]]")


def find_item(uow: UnitOfWork, text: str) -> Ingredient | MaterialUnit:
    """The ingredient or material unit with id ``text``, else the one named ``text`` (exactly,
    else ignoring case)."""
    try:
        item_id = uuid.UUID(text)
    except ValueError:
        pass
    else:
        for found in (
            uow.ingredients.find_many([item_id]),
            uow.material_units.find_many([item_id]),
        ):
            if item_id in found:
                return found[item_id]
        raise ItemNotFound(item_id)
    items: list[Ingredient | MaterialUnit] = [*uow.ingredients.all(), *uow.material_units.all()]
    return _named(items, text, "ingredient or material unit", "")


N = TypeVar("N", Product, Ingredient | MaterialUnit)


def _named(candidates: Iterable[N], text: str, what: str, hint: str) -> N:
    """The one candidate named ``text``: exactly, else ignoring case; a one-line error naming
    the ids when several are, and a close name when none is."""
    held = list(candidates)
    for exact in (True, False):
        named = [
            c for c in held if (c.name == text if exact else c.name.casefold() == text.casefold())
        ]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            ids = ", ".join(str(c.id) for c in named)
            raise CommandError(
                f"{len(named)} {what}s are named {text!r}; give one of their ids: {ids}"
            )
    close = difflib.get_close_matches(text, sorted({c.name for c in held}), n=1)
    if close:
        raise CommandError(f"no {what} named {text!r} (did you mean {close[0]!r}?)")
    raise CommandError(f"no {what} named {text!r}" + (f" ({hint})" if hint and not held else ""))
