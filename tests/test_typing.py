"""A host using mypy --strict is told at once when it passes a float where an amount belongs
(amounts are int, str or Decimal: a float has usually lost the value already)."""

from __future__ import annotations

from pathlib import Path

import pytest

HOST_CODE = """\
from decimal import Decimal
from snapplan import (
    Ingredient, IngredientLine, MemoryStore, ProductionTarget, record_production,
)
flour = Ingredient("Flour")
IngredientLine(flour.id, 0.5, "cup")
ProductionTarget(flour.id, 2.5)
record_production(MemoryStore().unit_of_work(), flour.id, flour.id, 1.5)
IngredientLine(flour.id, "0.5", "cup")
IngredientLine(flour.id, Decimal("0.5"), "cup")
ProductionTarget(flour.id, 2)
"""


@pytest.mark.slow
def test_mypy_strict_flags_every_float_amount_and_nothing_else(tmp_path: Path) -> None:
    from mypy import api as mypy  # the dev extra, which the tests need anyway

    host = tmp_path / "host.py"
    host.write_text(HOST_CODE, encoding="utf-8")
    out, _, status = mypy.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(host)]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1
    assert [line.split(":")[1] for line in errors] == ["6", "7", "8"], out
    assert all('incompatible type "float"' in line for line in errors), out
