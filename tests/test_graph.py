"""Graph walks of the domain (snapplan/domain/graph.py): loops found and reported in a fixed
order, parents before children, children before parents with heights and a depth bound.

Nodes are compared by value: :func:`pure_domain.node` makes a fresh UUID object on each call.
"""

from __future__ import annotations

import pytest
from pure_domain import node

from snapplan.domain import graph

# -- loops ------------------------------------------------------------------------------------


def test_find_loops_compares_nodes_by_value_and_sorts_loops_by_their_first_node() -> None:
    # two tangles: 5 -> 1 -> 5 and 3 -> 9 -> 4 -> 3; each loop starts at its smallest node
    graph_ = {
        node(5): [node(1)],
        node(1): [node(5)],
        node(3): [node(9)],
        node(9): [node(4)],
        node(4): [node(3)],
        node(7): [node(7)],  # a node naming itself is a loop of one
        node(8): [node(3)],  # leads into a tangle without being in it
    }
    assert graph.find_loops(graph_) == [
        (node(1), node(5), node(1)),
        (node(3), node(9), node(4), node(3)),
        (node(7), node(7)),
    ]


def test_find_loops_reports_one_shortest_loop_per_tangle() -> None:
    # 1 -> 2 -> 3 -> 1 and 2 -> 1: one tangle {1, 2, 3}; the shortest loop through 1 is 1, 2, 1
    graph_ = {node(1): [node(2)], node(2): [node(3), node(1)], node(3): [node(1)]}
    assert graph.find_loops(graph_) == [(node(1), node(2), node(1))]


# -- walks ------------------------------------------------------------------------------------


def test_parents_first_puts_every_node_before_its_children() -> None:
    children = {1: [2, 3], 2: [4], 3: [4], 4: [], 5: [3]}
    order = graph.parents_first([1, 5], lambda n: children[n])
    assert sorted(order) == [1, 2, 3, 4, 5]
    for parent, below in children.items():
        for child in below:
            assert order.index(parent) < order.index(child)


def test_parents_first_is_the_reversed_walk_of_children_first_reading_each_node_once() -> None:
    children = {1: [2, 3], 2: [4], 3: [4, 6], 4: [], 5: [3, 6], 6: []}
    read: list[int] = []

    def below(n: int) -> list[int]:
        read.append(n)
        return children[n]

    heights: dict[int, int] = {}
    walked = [n for root in (1, 5) for n in graph.children_first(root, below, heights=heights)]
    read.clear()
    assert graph.parents_first([1, 5], below) == walked[::-1] == [5, 1, 3, 6, 2, 4]
    assert sorted(read) == [1, 2, 3, 4, 5, 6]


def test_parents_first_reports_the_ordered_loop() -> None:
    children = {1: [2], 2: [3], 3: [4, 2], 4: []}
    with pytest.raises(graph.LoopFound) as found:
        graph.parents_first([1], lambda n: children[n])
    assert found.value.path == (2, 3, 2)
    with pytest.raises(graph.LoopFound) as itself:
        graph.parents_first([7], lambda n: [7])
    assert itself.value.path == (7, 7)


def test_children_first_records_heights_and_skips_known_nodes() -> None:
    children = {1: [2, 3], 2: [4], 3: [], 4: []}
    heights: dict[int, int] = {}
    assert graph.children_first(1, lambda n: children[n], heights=heights) == [4, 2, 3, 1]
    assert heights == {4: 1, 2: 2, 3: 1, 1: 3}
    assert graph.children_first(2, lambda n: children[n], heights=heights) == []


@pytest.mark.parametrize(("limit", "fails"), [(3, False), (2, True)])
def test_children_first_allows_exactly_max_nodes_on_a_path(limit: int, fails: bool) -> None:
    children = {1: [2], 2: [3], 3: []}
    if fails:
        with pytest.raises(graph.TooDeep) as deep:
            graph.children_first(1, lambda n: children[n], heights={}, max_nodes=limit)
        assert deep.value.nodes == 3
    else:
        walk = graph.children_first(1, lambda n: children[n], heights={}, max_nodes=limit)
        assert walk == [3, 2, 1]


def test_children_first_counts_a_known_subtree_at_its_full_height() -> None:
    children = {0: [1], 1: [2], 2: [3], 3: []}
    heights: dict[int, int] = {}
    graph.children_first(1, lambda n: children[n], heights=heights)  # heights 3, 2, 1
    with pytest.raises(graph.TooDeep) as deep:
        graph.children_first(0, lambda n: children[n], heights=heights, max_nodes=3)
    assert deep.value.nodes == 4
    assert graph.children_first(0, lambda n: children[n], heights=heights, max_nodes=4) == [0]


def test_a_walk_goes_below_a_node_with_more_than_256_children() -> None:
    """(mutant: ``i < len(below)`` as ``i is not len(below)``, true only for small ints)"""
    below = {0: list(range(1, 301))}
    order = graph.children_first(0, lambda n: below.get(n, []), heights={})
    assert order[-1] == 0
    assert sorted(order[:-1]) == list(range(1, 301))
