"""Depth limits for nested finished goods and sub-recipes."""

from __future__ import annotations

from typing import Any

import attrs

from snapplan.domain.validators import fail


def _positive_int(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(instance, attribute, f"must be an int >= 1, not {value!r:.40}")


@attrs.frozen
class Limits:
    """How deep capture may go.

    ``goods`` counts levels of finished goods below the root good (a chain of 11 goods is 10
    levels and passes the default); ``recipes`` counts recipes on one sub-recipe path, the root
    included (a chain of 10 recipes passes the default, 11 fail). Real kitchens nest about four
    deep (layer cake → caramel frosting → caramel sauce → simple syrup); the defaults leave
    ample room and still stop a runaway catalog before it costs anything: loading stops at the
    first level past the limit.
    """

    goods: int = attrs.field(default=10, validator=_positive_int)
    recipes: int = attrs.field(default=10, validator=_positive_int)
