"""``snapplan graph``: a plan's snapshot tree as a picture, in Mermaid or Graphviz DOT.

The tree (:mod:`snapplan.domain.plan_tree`) is the event, its targets, and every snapshot the
plan reaches, each shared snapshot drawn once, amounts on the edges. Mermaid is what a Markdown
page renders (GitHub, MkDocs Material); DOT is for Graphviz (``dot -Tsvg``). Names are quoted
for each language, so a name cannot break the picture; amounts are spelt as everywhere else on
the command line (``0.5``, ``25/3``).

Shapes say what a node is: the event a stadium (Mermaid) or a house (DOT), a finished good a
box with double sides, a finished unit rounded, a recipe a rectangle, packaging a flag
(Mermaid) or a note (DOT).
"""

from __future__ import annotations

import argparse

from snapplan.cli.database import Access, database_url, open_store
from snapplan.cli.lookup import find_plan
from snapplan.cli.problems import EXIT_OK
from snapplan.cli.tables import amount
from snapplan.cli.terminal import Output
from snapplan.domain.plan_tree import EdgeKind, NodeKind, PlanTree, TreeEdge, plan_tree
from snapplan.services import plan_snapshots

#: ``snapplan graph --format`` choices.
FORMATS = ("mermaid", "dot")


def graph(args: argparse.Namespace, out: Output) -> int:
    """Print the plan's snapshot tree in the format asked for."""
    with open_store(database_url(args.db), Access.EXISTING) as store, store.unit_of_work() as uow:
        plan, snapshots = plan_snapshots(uow, find_plan(uow, args.plan).id)
        event = uow.events.find_many([plan.event_id]).get(plan.event_id)
    name = event.name if event is not None else f"event {plan.event_id}"
    tree = plan_tree(plan, snapshots, name)
    print(mermaid(tree) if args.format == "mermaid" else dot(tree), file=out)
    return EXIT_OK


def edge_label(edge: TreeEdge) -> str:
    """The amount on an edge in words: ``2 batches``, ``6``, ``36 a batch``, ``0.5 batch``."""
    text = amount(edge.amount)
    if edge.kind is EdgeKind.BATCHES or edge.kind is EdgeKind.SUB_RECIPE_BATCHES:
        return f"{text} batch" if edge.amount <= 1 else f"{text} batches"
    if edge.kind is EdgeKind.ITEMS_PER_BATCH:
        return f"{text} a batch"
    return text


# -- Mermaid -------------------------------------------------------------------------------------

_MERMAID_SHAPES = {
    NodeKind.EVENT: ('(["', '"])'),
    NodeKind.FINISHED_GOOD: ('[["', '"]]'),
    NodeKind.FINISHED_UNIT: ('("', '")'),
    NodeKind.RECIPE: ('["', '"]'),
    NodeKind.MATERIAL_UNIT: ('>"', '"]'),
}


_MERMAID_COLOURS = {
    NodeKind.EVENT: "fill:#6d4c41,stroke:#3e2723,color:#fff",
    NodeKind.FINISHED_GOOD: "fill:#ffe0b2,stroke:#e65100",
    NodeKind.FINISHED_UNIT: "fill:#fff8e1,stroke:#ff8f00",
    NodeKind.RECIPE: "fill:#efebe9,stroke:#6d4c41",
    NodeKind.MATERIAL_UNIT: "fill:#e3f2fd,stroke:#1565c0",
}


def mermaid_text(text: str) -> str:
    """``text`` safe inside a quoted Mermaid label: its markup characters as entity codes."""
    codes = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}
    return "".join(codes.get(character, character) for character in text)


def mermaid(tree: PlanTree) -> str:
    """A Mermaid flowchart, left to right, one class per kind of node."""
    lines = ["flowchart LR"]
    for node in tree.nodes:
        opening, closing = _MERMAID_SHAPES[node.kind]
        lines.append(f"  {node.key}{opening}{mermaid_text(node.name)}{closing}")
    for edge in tree.edges:
        label = mermaid_text(edge_label(edge))
        lines.append(f'  {edge.parent} -->|"{label}"| {edge.child}')
    for kind in NodeKind:
        members = [node.key for node in tree.nodes if node.kind is kind]
        if members:
            lines.append(f"  classDef {kind.value} {_MERMAID_COLOURS[kind]}")
            lines.append(f"  class {','.join(members)} {kind.value}")
    return "\n".join(lines)


# -- Graphviz DOT --------------------------------------------------------------------------------

_DOT_SHAPES = {
    NodeKind.EVENT: "house",
    NodeKind.FINISHED_GOOD: "box3d",
    NodeKind.FINISHED_UNIT: "box, style=rounded",
    NodeKind.RECIPE: "box",
    NodeKind.MATERIAL_UNIT: "note",
}


def dot_text(text: str) -> str:
    """``text`` as a DOT quoted string (backslashes and quotes escaped, line breaks spelt)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "\\r").replace("\n", "\\n") + '"'


def dot(tree: PlanTree) -> str:
    """A Graphviz digraph, left to right."""
    lines = ["digraph plan {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    lines.append('  edge [fontname="Helvetica", fontsize=10];')
    for node in tree.nodes:
        lines.append(f"  {node.key} [label={dot_text(node.name)}, shape={_DOT_SHAPES[node.kind]}];")
    for edge in tree.edges:
        lines.append(f"  {edge.parent} -> {edge.child} [label={dot_text(edge_label(edge))}];")
    lines.append("}")
    return "\n".join(lines)
