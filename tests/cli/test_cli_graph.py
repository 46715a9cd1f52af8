"""``snapplan graph``: the plan's snapshot tree, each shared snapshot drawn once, amounts on
the edges, in Mermaid and DOT (issue 17, "Pictures")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from snapplan import (
    AssemblyTarget,
    Component,
    ComponentKind,
    Event,
    FinishedGood,
    FinishedUnit,
    MaterialUnit,
    MemoryStore,
    ProductionTarget,
    Recipe,
    SubRecipe,
    create_plan,
    plan_snapshots,
)
from snapplan.cli.pictures import dot, dot_text, mermaid, mermaid_text
from snapplan.domain.plan_tree import EdgeKind, NodeKind, PlanTree, plan_tree
from snapplan.testing.catalog import save

from .conftest import Baker


@pytest.fixture(scope="module")
def kitchen() -> PlanTree:
    """Two cakes sharing a frosting; a hamper holding a tin twice over (directly and in a
    box); a name with quotes and markup."""
    frosting = Recipe('Frosting "Vanilla" <best>')
    cake = Recipe("Cake", sub_recipes=[SubRecipe(frosting.id, "0.5")])
    loaf = Recipe("Loaf", sub_recipes=[SubRecipe(frosting.id, "0.25")])
    slice_ = FinishedUnit("Slice", cake.id, 8)
    lid = MaterialUnit("Lid")
    tin = FinishedGood(
        "Tin",
        [
            Component(ComponentKind.FINISHED_UNIT, slice_.id, 4),
            Component(ComponentKind.MATERIAL_UNIT, lid.id, 1),
        ],
    )
    box = FinishedGood("Box", [Component(ComponentKind.FINISHED_GOOD, tin.id, 2)])
    hamper = FinishedGood(
        "Hamper",
        [
            Component(ComponentKind.FINISHED_GOOD, tin.id, 1),
            Component(ComponentKind.FINISHED_GOOD, box.id, 1),
        ],
    )
    event = Event("Fair", [ProductionTarget(loaf.id, 3)], [AssemblyTarget(hamper.id, 5)])
    store = MemoryStore()
    save(store, frosting, cake, loaf, slice_, lid, tin, box, hamper, event)
    plan_id = create_plan(store.unit_of_work(), event.id).plan_id
    plan, snapshots = plan_snapshots(store.unit_of_work(), plan_id)
    return plan_tree(plan, snapshots, "Fair")


def test_each_shared_snapshot_is_one_node_with_an_edge_per_parent(
    kitchen: PlanTree,
) -> None:
    tree = kitchen
    names = [node.name for node in tree.nodes]
    assert sorted(names) == sorted(
        ["Fair", "Loaf", "Hamper", 'Frosting "Vanilla" <best>', "Tin", "Box", "Slice", "Lid",
         "Cake"]
    )  # fmt: skip
    key = {node.name: node.key for node in tree.nodes}
    into = {
        name: [(e.parent, str(e.amount), e.kind) for e in tree.edges if e.child == key[name]]
        for name in key
    }
    assert into["Tin"] == [(key["Hamper"], "1", EdgeKind.QUANTITY),
                           (key["Box"], "2", EdgeKind.QUANTITY)]  # fmt: skip
    frosting = into['Frosting "Vanilla" <best>']
    assert sorted(frosting) == sorted(
        [(key["Loaf"], "0.25", EdgeKind.SUB_RECIPE_BATCHES),
         (key["Cake"], "0.5", EdgeKind.SUB_RECIPE_BATCHES)]
    )  # fmt: skip
    assert into["Loaf"] == [("n0", "3", EdgeKind.BATCHES)]
    assert into["Cake"] == [(key["Slice"], "8", EdgeKind.ITEMS_PER_BATCH)]
    assert tree.nodes[0].kind is NodeKind.EVENT


def test_mermaid_and_dot_quote_every_name(kitchen: PlanTree) -> None:
    tree = kitchen
    drawn = mermaid(tree)
    assert drawn.startswith("flowchart LR\n")
    assert '["Frosting #quot;Vanilla#quot; #lt;best#gt;"]' in drawn
    assert '-->|"0.25 batch"|' in drawn
    assert '-->|"8 a batch"|' in drawn
    assert '-->|"3 batches"|' in drawn
    assert len(re.findall(r"^  n\d+\W", drawn, re.M)) >= 9
    graphviz = dot(tree)
    assert graphviz.startswith("digraph plan {")
    assert graphviz.endswith("}")
    assert 'label="Frosting \\"Vanilla\\" <best>"' in graphviz
    assert mermaid_text("a#b&c") == "a#35;b#amp;c"
    assert dot_text('back\\slash "q"\nline') == '"back\\\\slash \\"q\\"\\nline"'


def test_graph_of_the_sample_bakery(baker: Baker, tmp_path: Path) -> None:
    baker.ok("demo")
    drawn = baker.ok("graph", "Holiday Market")
    assert drawn.startswith('flowchart LR\n  n0(["Holiday Market"])\n')
    frosting = re.search(r'^  (n\d+)\["Buttercream Frosting"\]$', drawn, re.M)
    assert frosting is not None
    assert drawn.count('"]\n') > 0
    edges_in = re.findall(rf'^  n\d+ -->\|"0.5 batch"\| {frosting[1]}$', drawn, re.M)
    assert len(edges_in) == 2  # both cakes, one node
    assert drawn.count('"Buttercream Frosting"') == 1
    graphviz = baker.ok("graph", "Holiday Market", "--format", "dot")
    assert graphviz.startswith("digraph plan {\n")
    assert '[label="Holiday Gift Box", shape=box3d];' in graphviz
