"""Property tests on every store, each store kind with its own share of the profile's examples.

``@on_every_store(case=strategy, ...)`` turns ``body(store_factory, case, ...)`` into one test
per store kind (through the ``store_factory`` fixture), each a hypothesis test of its own: the
memory store runs every example the loaded profile asks for (``thorough``: 100), SQLite half of
them, and a server store (PostgreSQL, MariaDB) a fifth, each at least 10. The properties are
about the domain and the services, which every store runs alike; what a store adds is its own
answer on the same kinds of input, and the SQL stores run one adapter (only the dialect seam
differs, and the contract suite, the statement counts and the ledger races cover that seam on
every engine). A SQL example costs a fresh store, and a server's a network round trip per
statement and a shared schema emptied again: at full share these few tests were most of CI's
time.

Each kind's test is a separate ``@given`` function (``settings`` are fixed per function), so
hypothesis shrinks and replays each kind's failures as usual; the fixture arrives as a keyword.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy
from stores import KINDS, SERVER_KINDS

#: A store of a kind runs one in this many of the profile's examples (at least FLOOR).
SHARE: Final = {"memory": 1, "sqlite": 2, **dict.fromkeys(SERVER_KINDS, 5)}
FLOOR: Final = 10


def examples_for(kind: str) -> int:
    """How many examples a property runs on a store of ``kind`` under the loaded profile."""
    examples: int = settings.default.max_examples
    return examples if SHARE[kind] == 1 else max(FLOOR, examples // SHARE[kind])


def on_every_store(
    **strategies: SearchStrategy[Any],
) -> Callable[[Callable[..., None]], Callable[[Any, pytest.FixtureRequest], None]]:
    """A property over ``strategies`` run on every store kind, servers with fewer examples."""

    def decorate(body: Callable[..., None]) -> Callable[[Any, pytest.FixtureRequest], None]:
        per_kind = {
            kind: settings(
                max_examples=examples_for(kind),
                suppress_health_check=[HealthCheck.function_scoped_fixture],
            )(given(**strategies)(body))
            for kind in KINDS
        }

        def test(store_factory: Any, request: pytest.FixtureRequest) -> None:
            kind = request.node.callspec.params["store_factory"]
            per_kind[kind](store_factory=store_factory)

        # not functools.wraps: pytest would follow __wrapped__ and ask for body's arguments
        test.__name__, test.__qualname__, test.__doc__ = (
            body.__name__,
            body.__qualname__,
            body.__doc__,
        )
        test.__module__ = body.__module__
        return test

    return decorate
