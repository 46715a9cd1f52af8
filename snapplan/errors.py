"""The one error hierarchy of snapplan.

Every error snapplan raises on purpose is a :class:`SnapplanError`. Domain errors keep their own
type all the way to the caller; unexpected adapter failures become :class:`PersistenceError`
chained (``raise ... from``) to the driver's exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # only annotations name it: the command line's -V and --help skip uuid
    import uuid


class SnapplanError(Exception):
    """Base class of every error snapplan raises deliberately."""


class ValidationError(SnapplanError, ValueError):
    """A value was rejected at construction (a float, a non-positive amount, a blank name...)."""


class CatalogFileError(ValidationError):
    """A catalog file is malformed or inconsistent; the message says where (file, item, field)."""


class AmbiguousNameError(ValidationError):
    """A name matches two or more stored items of one kind, so a catalog sync cannot tell which
    one a given item is (:func:`snapplan.sync_catalog`): give the item the id of the one to
    update. ``.kind`` (``"ingredient"``, ``"finished_unit"``...), ``.name`` and ``.ids`` (the
    stored items') say which."""

    def __init__(self, kind: str, name: str, ids: Sequence[uuid.UUID]) -> None:
        self.kind = kind
        self.name = name
        self.ids = tuple(ids)
        label = kind.replace("_", " ")
        listed = ", ".join(str(i) for i in self.ids)
        super().__init__(
            f"{len(self.ids)} {label}s in the store are named {name!r} ({listed}): cannot tell "
            f"which one the given {label} {name!r} is; give it the id of the one to update"
        )


class NotFoundError(SnapplanError, LookupError):
    """A definition, event, snapshot or plan does not exist. ``.id`` names what was asked for;
    ``.referenced_by`` (if known) says who refers to it, e.g. ``finished good 'Gift Box'``."""

    kind = "definition"

    def __init__(
        self,
        id: uuid.UUID | str,
        message: str | None = None,
        *,
        referenced_by: str | None = None,
    ) -> None:
        self.id = id
        self.referenced_by = referenced_by
        where = f" (used by {referenced_by})" if referenced_by else ""
        super().__init__(message or f"{self.kind} {id} not found{where}")


class IngredientNotFound(NotFoundError):
    """No ingredient has this id."""

    kind = "ingredient"


class RecipeNotFound(NotFoundError):
    """No recipe has this id."""

    kind = "recipe"


class FinishedUnitNotFound(NotFoundError):
    """No finished unit has this id."""

    kind = "finished unit"


class MaterialUnitNotFound(NotFoundError):
    """No material unit (packaging) has this id."""

    kind = "material unit"


class FinishedGoodNotFound(NotFoundError):
    """No finished good has this id."""

    kind = "finished good"


class EventNotFound(NotFoundError):
    """No event has this id."""

    kind = "event"


class SnapshotNotFound(NotFoundError):
    """No snapshot has this id (or not one of the kind asked for)."""

    kind = "snapshot"


class PlanNotFound(NotFoundError):
    """No plan has this id."""

    kind = "plan"


class ProductNotFound(NotFoundError):
    """No product (a pack a shop sells) has this id."""

    kind = "product"


class ItemNotFound(NotFoundError):
    """No ingredient or material unit has this id: nothing the pantry or a product can hold."""

    kind = "ingredient or material unit"


class PriceNotFound(NotFoundError):
    """No price quote has this id."""

    kind = "price quote"


class PantryEntryNotFound(NotFoundError):
    """No pantry entry has this number (``seq``) or id."""

    kind = "pantry entry"


class CycleError(SnapplanError):
    """Finished goods or sub-recipes form a loop.

    ``.path`` is the ordered loop of catalog ids with the first element repeated at the end,
    e.g. ``(A, B, C, A)``: A contains B, B contains C, C contains A.
    """

    def __init__(self, path: Sequence[uuid.UUID], names: Sequence[str] | None = None) -> None:
        self.path = tuple(path)
        labels = (
            [f"{n} ({i})" for n, i in zip(names, self.path, strict=True)]
            if names is not None
            else [str(i) for i in self.path]
        )
        super().__init__("cycle: " + " -> ".join(labels))


class DepthLimitError(SnapplanError):
    """Nesting is deeper than the configured :class:`snapplan.Limits` allow.

    ``.depth`` is the depth reached, ``.limit`` the limit that was exceeded, ``.what`` is
    ``"goods"`` or ``"recipes"``, ``.root`` the id (and ``.root_name`` the name) of the target
    whose tree is too deep.
    """

    def __init__(
        self,
        depth: int,
        limit: int,
        what: Literal["goods", "recipes"],
        root: uuid.UUID | None = None,
        root_name: str | None = None,
    ) -> None:
        self.depth = depth
        self.limit = limit
        self.what = what
        self.root = root
        self.root_name = root_name
        where = ""
        if root_name is not None:
            where = f" below {root_name!r} ({root})"
        elif root is not None:
            where = f" below {root}"
        option = "--max-good-depth" if what == "goods" else "--max-recipe-depth"
        super().__init__(
            f"{what} nested {depth} deep{where}, limit is {limit} "
            f"(raise it with Limits({what}=...) or {option})"
        )


class ConflictError(SnapplanError):
    """A write lost a race: a duplicate id, or an optimistic version that is no longer current."""


class UnitOfWorkError(SnapplanError):
    """A unit of work was misused: a repository outside ``with``, a commit after it closed..."""


class PersistenceError(SnapplanError):
    """The store failed unexpectedly; ``__cause__`` is the original (driver) exception."""


class SnapshotIntegrityError(PersistenceError):
    """A stored snapshot does not match its digest (or a snapshot it needs is gone): the plan
    was changed behind snapplan's back. ``.snapshot_id`` names the snapshot; run
    :func:`snapplan.verify_plan` for every problem at once."""

    def __init__(self, snapshot_id: uuid.UUID | None, message: str) -> None:
        self.snapshot_id = snapshot_id
        super().__init__(message)


class LedgerIntegrityError(PersistenceError):
    """An event's ledger was changed behind snapplan's back: a stored run (or void) does not
    match its digest, or a run is missing from the chain (a hole in ``seq``). ``.event_id``
    names the event and ``.seq`` the run number; run :func:`snapplan.verify_plan` for every
    problem at once."""

    def __init__(self, event_id: uuid.UUID, seq: int, message: str) -> None:
        self.event_id = event_id
        self.seq = seq
        super().__init__(message)


class SchemaVersionError(PersistenceError):
    """The database holds snapplan's tables at another schema version than this snapplan's:
    written by an earlier release (upgrade it: ``snapplan upgrade --db URL``, or
    :func:`snapplan.adapters.sql.upgrade`), or by a newer snapplan (upgrade snapplan).
    ``.found`` is the database's schema version, ``.expected`` this snapplan's. Nothing was
    read or written."""

    def __init__(self, found: int, expected: int, message: str) -> None:
        self.found = found
        self.expected = expected
        super().__init__(message)


class NotInPlanError(NotFoundError):
    """A recipe, finished unit or good the plan does not hold (as a target or anywhere in a
    target's tree)."""

    kind = "definition in the plan"


class RunNotFound(NotFoundError):
    """No ledger entry has this id."""

    kind = "run"


class SupersededPlanError(ConflictError):
    """The plan was superseded by a re-plan: record against ``.latest_plan_id`` (the kitchen
    always works from the latest plan)."""

    def __init__(self, plan_id: uuid.UUID, latest_plan_id: uuid.UUID) -> None:
        self.plan_id = plan_id
        self.latest_plan_id = latest_plan_id
        super().__init__(
            f"plan {plan_id} was superseded by plan {latest_plan_id}: record against the latest"
        )


class KeyReusedError(ConflictError):
    """An idempotency key already names a different run of this event: never retry it."""


class ShortageError(SnapplanError):
    """Not enough on hand; ``.shortages`` says what is short, and by how much. Nothing was
    written."""

    def __init__(self, shortages: Sequence[object], action: str = "this") -> None:
        self.shortages = tuple(shortages)
        listed = "; ".join(str(s) for s in self.shortages)
        super().__init__(f"not enough on hand for {action}: {listed}")
