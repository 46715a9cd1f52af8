"""Depth limits for nested finished goods and sub-recipes."""

from __future__ import annotations

from typing import Any

import attrs

from snapplan.errors import ValidationError


def _positive_int(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"{attribute.name} must be an int >= 1, not {value!r}")


@attrs.frozen
class Limits:
    """How deep capture may go.

    ``goods`` counts levels of finished goods below the root good (a chain of 11 goods is 10
    levels and passes the default); ``recipes`` counts recipes on one sub-recipe path, the root
    included (A→B→C is 3 and passes the default; A→B→C→D fails).
    """

    goods: int = attrs.field(default=10, validator=_positive_int)
    recipes: int = attrs.field(default=3, validator=_positive_int)
