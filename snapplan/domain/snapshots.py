"""Immutable, self-contained snapshots of catalog definitions, as a plan captured them.

A snapshot copies what it needs (names included) so that it stays readable after the live
definition is edited or removed. Parents point at children by *snapshot* id, so a child shared by
several parents of one capture is stored once. ``digest`` is a Merkle hash (see
:mod:`snapplan.domain.digests`) of the captured content plus the children's digests.

Each snapshot class says what it is (:attr:`Snapshot.kind`, a :class:`SnapshotKind`), which
snapshots it points at (:meth:`children`), what its digest covers (:meth:`content`) and which
part of the live catalog it was taken from (:attr:`catalog`), so code that handles snapshots
never asks "which kind is this?" itself.
"""

from __future__ import annotations

import abc
import datetime
import enum
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar

import attrs

from snapplan.domain.catalog import ComponentKind, is_component_kind, to_component_kind
from snapplan.domain.digests import (
    Content,
    digest_of,
    finished_good_content,
    finished_unit_content,
    material_unit_content,
    recipe_content,
)
from snapplan.domain.validators import (
    digest_hex,
    elements_of,
    is_id,
    new_id,
    nonblank_name,
    positive,
    text,
    to_amount,
    to_id,
    to_tuple,
    utc_timestamp,
)


class SnapshotKind(enum.StrEnum):
    """The four kinds of snapshot (also their tag in stored and exported documents)."""

    RECIPE = "recipe"
    FINISHED_UNIT = "finished_unit"
    MATERIAL_UNIT = "material_unit"
    FINISHED_GOOD = "finished_good"


@attrs.frozen
class RecipeLineSnapshot:
    """A captured ingredient line, with the ingredient's name copied."""

    ingredient_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    ingredient_name: str = attrs.field(validator=nonblank_name)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    unit: str = attrs.field(validator=nonblank_name)
    note: str = attrs.field(default="", validator=text)


@attrs.frozen
class SubRecipeSnapshot:
    """A captured sub-recipe: ``batches`` of the child per parent batch, and its snapshot."""

    recipe_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    batches: Decimal = attrs.field(converter=to_amount, validator=positive)
    snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)


@attrs.frozen
class ComponentSnapshot:
    """A captured component of a finished good, pointing at the child's snapshot."""

    kind: ComponentKind = attrs.field(converter=to_component_kind, validator=is_component_kind)
    source_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    quantity: Decimal = attrs.field(converter=to_amount, validator=positive)
    snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)


@attrs.frozen(kw_only=True)
class CapturedSnapshot(abc.ABC):
    """The fields every snapshot has; the base of the four snapshot classes."""

    #: What kind of snapshot this is.
    kind: ClassVar[SnapshotKind]
    #: The attribute of a :class:`~snapplan.domain.catalog.CatalogView` (and the repository of
    #: a unit of work) holding the live definition it was taken from.
    catalog: ClassVar[str]

    source_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    name: str = attrs.field(validator=nonblank_name)
    plan_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    captured_at: datetime.datetime = attrs.field(validator=utc_timestamp)
    digest: str = attrs.field(validator=digest_hex)
    id: uuid.UUID = attrs.field(factory=new_id, converter=to_id, validator=is_id)
    # The canonical JSON of content(), computed once per instance (a snapshot is immutable):
    # capture computes it to make the digest, and the store's check at add reuses it.
    _content_json: str | None = attrs.field(
        init=False, default=None, eq=False, hash=False, repr=False
    )

    def children(self) -> tuple[uuid.UUID, ...]:
        """The snapshot ids this snapshot points at, in order (with repeats, if any)."""
        return ()

    @abc.abstractmethod
    def content(self) -> Content:
        """The captured own content its digest covers (see :mod:`snapplan.domain.digests`)."""

    def content_json(self) -> str:
        """The canonical JSON of :meth:`content` (computed once)."""
        memo = self._content_json
        if memo is None:
            memo = self.content()
            object.__setattr__(self, "_content_json", memo)
        return memo

    def expected_digest(self, child_digests: Sequence[str]) -> str:
        """The digest this snapshot must carry, given its children's digests in order."""
        return digest_of(self.content_json(), child_digests)

    def checked_digest(self, child_digests: Sequence[str]) -> str:
        """:meth:`expected_digest`, without keeping the canonical JSON it builds: for a
        snapshot read back, whose digest is checked once (a plan's 30,000 snapshots would
        otherwise keep 30,000 JSON strings alive for as long as they are held)."""
        memo = self._content_json
        return digest_of(self.content() if memo is None else memo, child_digests)


@attrs.frozen(kw_only=True)
class RecipeSnapshot(CapturedSnapshot):
    """A recipe as captured, with its lines and its sub-recipes (by snapshot id)."""

    kind: ClassVar[SnapshotKind] = SnapshotKind.RECIPE
    catalog: ClassVar[str] = "recipes"

    lines: tuple[RecipeLineSnapshot, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(RecipeLineSnapshot)
    )
    sub_recipes: tuple[SubRecipeSnapshot, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(SubRecipeSnapshot)
    )
    scale_factor: Decimal = attrs.field(default=Decimal(1), converter=to_amount, validator=positive)

    def children(self) -> tuple[uuid.UUID, ...]:
        """The sub-recipes' snapshots."""
        return tuple(sub.snapshot_id for sub in self.sub_recipes)

    def content(self) -> Content:
        """Name, lines (ingredient names included) and sub-recipes."""
        return recipe_content(
            self.name,
            ((x.ingredient_id, x.ingredient_name, x.quantity, x.unit, x.note) for x in self.lines),
            ((sub.recipe_id, sub.batches) for sub in self.sub_recipes),
        )


@attrs.frozen(kw_only=True)
class FinishedUnitSnapshot(CapturedSnapshot):
    """A finished unit as captured, pointing at its recipe's snapshot."""

    kind: ClassVar[SnapshotKind] = SnapshotKind.FINISHED_UNIT
    catalog: ClassVar[str] = "finished_units"

    recipe_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    recipe_snapshot_id: uuid.UUID = attrs.field(converter=to_id, validator=is_id)
    items_per_batch: Decimal = attrs.field(converter=to_amount, validator=positive)

    def children(self) -> tuple[uuid.UUID, ...]:
        """The recipe's snapshot."""
        return (self.recipe_snapshot_id,)

    def content(self) -> Content:
        """Name, recipe and items per batch."""
        return finished_unit_content(self.name, self.recipe_id, self.items_per_batch)


@attrs.frozen(kw_only=True)
class MaterialUnitSnapshot(CapturedSnapshot):
    """A material unit (packaging) as captured."""

    kind: ClassVar[SnapshotKind] = SnapshotKind.MATERIAL_UNIT
    catalog: ClassVar[str] = "material_units"

    def content(self) -> Content:
        """Its name."""
        return material_unit_content(self.name)


@attrs.frozen(kw_only=True)
class FinishedGoodSnapshot(CapturedSnapshot):
    """A finished good as captured: its components in order, each with the child's snapshot."""

    kind: ClassVar[SnapshotKind] = SnapshotKind.FINISHED_GOOD
    catalog: ClassVar[str] = "finished_goods"

    components: tuple[ComponentSnapshot, ...] = attrs.field(
        default=(), converter=to_tuple, validator=elements_of(ComponentSnapshot)
    )

    def children(self) -> tuple[uuid.UUID, ...]:
        """The components' snapshots, in order."""
        return tuple(c.snapshot_id for c in self.components)

    def content(self) -> Content:
        """Name and components in order."""
        return finished_good_content(
            self.name, ((c.kind, c.source_id, c.quantity) for c in self.components)
        )


#: Any of the four snapshot kinds.
Snapshot = RecipeSnapshot | FinishedUnitSnapshot | MaterialUnitSnapshot | FinishedGoodSnapshot
SNAPSHOT_TYPES: tuple[type[Snapshot], ...] = (
    RecipeSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    FinishedGoodSnapshot,
)
