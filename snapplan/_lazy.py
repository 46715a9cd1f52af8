"""A package's public names, each imported from its module on first use (PEP 562).

``snapplan`` and ``snapplan.domain`` offer many names, but a program (the ``snapplan`` command's
``--help``, a host that only needs the memory store) uses few: each package keeps a table of
where its names live and takes its module-level ``__getattr__`` and ``__dir__`` from
:func:`lazy_names`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, where: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose name ``n`` lives in the module
    ``where[n]``: a name is imported on its first use and kept in the package's namespace, so
    the next use is a plain attribute."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        vars(sys.modules[package])[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__
