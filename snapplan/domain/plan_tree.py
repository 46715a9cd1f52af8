"""A plan's snapshot tree as a picture's nodes and edges, drawn by ``snapplan graph``.

The plan's event is the root; its targets hang from it (a production target's batches, an
assembly target's quantity on the edge); below them every snapshot the plan reaches: finished
goods with their components (finished units, nested goods, packaging, each quantity on the
edge), finished units with the recipe that makes them (items per batch on the edge), recipes
with their sub-recipes (batches of the sub-recipe per batch on the edge). A snapshot shared by
several parents (a frosting of two cakes, a mini box in two gift boxes) is one node with
several edges in: each shared snapshot is drawn once.

Nodes are numbered in the order a walk from the targets first meets them (targets in the plan's
order, children in their snapshot's order), so the same plan always gives the same picture.
Amounts stay exact ``Decimal`` values: the drawing spells them.
"""

from __future__ import annotations

import enum
import uuid
from collections import deque
from collections.abc import Mapping
from decimal import Decimal

import attrs

from snapplan.domain.plan import Plan
from snapplan.domain.snapshots import (
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeSnapshot,
    Snapshot,
)


class NodeKind(enum.StrEnum):
    """What a node of the picture is."""

    EVENT = "event"
    FINISHED_GOOD = "finished_good"
    FINISHED_UNIT = "finished_unit"
    RECIPE = "recipe"
    MATERIAL_UNIT = "material_unit"


class EdgeKind(enum.StrEnum):
    """What the amount on an edge counts."""

    #: A production target: batches of the recipe.
    BATCHES = "batches"
    #: An assembly target or a good's component: how many.
    QUANTITY = "quantity"
    #: A finished unit's recipe: items one batch makes.
    ITEMS_PER_BATCH = "items_per_batch"
    #: A sub-recipe: its batches per batch of the recipe above.
    SUB_RECIPE_BATCHES = "sub_recipe_batches"


@attrs.frozen
class TreeNode:
    """One node: ``key`` (``n0`` for the event, ``n1``, ``n2``... for snapshots), its kind,
    its name, and the snapshot it draws (None for the event)."""

    key: str
    kind: NodeKind
    name: str
    snapshot_id: uuid.UUID | None = None


@attrs.frozen
class TreeEdge:
    """``parent`` holds ``amount`` of ``child`` (node keys), counted as ``kind`` says."""

    parent: str
    child: str
    amount: Decimal
    kind: EdgeKind


@attrs.frozen
class PlanTree:
    """The nodes (the event first) and edges of a plan's picture."""

    nodes: tuple[TreeNode, ...]
    edges: tuple[TreeEdge, ...]


_KINDS: Mapping[type[Snapshot], NodeKind] = {
    FinishedGoodSnapshot: NodeKind.FINISHED_GOOD,
    FinishedUnitSnapshot: NodeKind.FINISHED_UNIT,
    RecipeSnapshot: NodeKind.RECIPE,
    MaterialUnitSnapshot: NodeKind.MATERIAL_UNIT,
}


def plan_tree(plan: Plan, snapshots: Mapping[uuid.UUID, Snapshot], event_name: str) -> PlanTree:
    """The picture of ``plan``, whose snapshots (every one it reaches) are ``snapshots``."""
    nodes = [TreeNode("n0", NodeKind.EVENT, event_name)]
    keys: dict[uuid.UUID, str] = {}
    edges: list[TreeEdge] = []
    pending: deque[uuid.UUID] = deque()

    def node(snapshot_id: uuid.UUID) -> str:
        key = keys.get(snapshot_id)
        if key is None:
            snapshot = snapshots[snapshot_id]
            key = keys[snapshot_id] = f"n{len(nodes)}"
            nodes.append(TreeNode(key, _KINDS[type(snapshot)], snapshot.name, snapshot_id))
            pending.append(snapshot_id)
        return key

    targets = [(t.snapshot_id, t.batches, EdgeKind.BATCHES) for t in plan.production_targets]
    targets += [(t.snapshot_id, t.quantity, EdgeKind.QUANTITY) for t in plan.assembly_targets]
    for snapshot_id, amount, kind in targets:
        if snapshot_id is not None:
            edges.append(TreeEdge("n0", node(snapshot_id), amount, kind))
    # Breadth first from the targets, in order: what the walk meets first is numbered first.
    while pending:
        snapshot_id = pending.popleft()
        parent = keys[snapshot_id]
        for child, amount, kind in _children(snapshots[snapshot_id]):
            edges.append(TreeEdge(parent, node(child), amount, kind))
    return PlanTree(tuple(nodes), tuple(edges))


def _children(snapshot: Snapshot) -> list[tuple[uuid.UUID, Decimal, EdgeKind]]:
    if isinstance(snapshot, FinishedGoodSnapshot):
        return [(c.snapshot_id, c.quantity, EdgeKind.QUANTITY) for c in snapshot.components]
    if isinstance(snapshot, FinishedUnitSnapshot):
        return [(snapshot.recipe_snapshot_id, snapshot.items_per_batch, EdgeKind.ITEMS_PER_BATCH)]
    if isinstance(snapshot, RecipeSnapshot):
        return [
            (sub.snapshot_id, sub.batches, EdgeKind.SUB_RECIPE_BATCHES)
            for sub in snapshot.sub_recipes
        ]
    return []
