"""Types a host relies on: mypy --strict tells it at once when it passes a float where an amount
belongs (amounts are int, str or Decimal: a float has usually lost the value already), and every
annotation of the domain resolves at run time, where cattrs and hosts read them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing
from collections.abc import Iterable
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


def _annotated() -> Iterable[object]:
    """Every class and function written in snapplan/domain (methods included)."""
    import snapplan.domain

    for info in pkgutil.iter_modules(snapplan.domain.__path__):
        module = importlib.import_module(f"snapplan.domain.{info.name}")
        for value in vars(module).values():
            if getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value):
                yield value
            elif inspect.isclass(value):
                yield value
                for member in vars(value).values():
                    # attrs' generated __init__ is not ours: its file is "<attrs generated ...>"
                    code = getattr(member, "__code__", None)
                    if code is not None and code.co_filename == inspect.getsourcefile(module):
                        yield member


def test_every_annotation_in_the_domain_resolves_at_run_time() -> None:
    # cattrs (the SQL store, the CLI's export) and hosts read these with get_type_hints.
    checked = 0
    for value in _annotated():
        typing.get_type_hints(value)
        checked += 1
    assert checked > 100
