"""A Griffe extension (mkdocs.yml: mkdocstrings' ``extensions``): snapplan's docstrings as
Markdown.

The docstrings are written for ``help()`` and doctest: ``>>>`` examples and reST's ``::``
before an indented block. Markdown would read ``>>>`` as three nested quotes, so each run of
doctest lines (with its expected output) becomes a ``pycon`` code block, ``# doctest:``
directives are dropped from what is shown, and a paragraph ending in ``::`` ends in ``:``
(the indented block after it is already code in Markdown).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")


def doctests_as_code(text: str) -> str:
    """Fence the doctest examples of a docstring (see the module docstring)."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    fenced = False
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith("```"):
            fenced = not fenced
        if fenced or not stripped.startswith(">>>"):
            out.append(line[:-2] + ":" if line.endswith("::") and not fenced else line)
            i += 1
            continue
        indent = line[: len(line) - len(stripped)]
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip():  # the example runs to the next blank line
            out.append(_DIRECTIVE.sub("", lines[i]))
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestsAsCode(griffe.Extension):
    """Rewrite every docstring with :func:`doctests_as_code` as it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = doctests_as_code(obj.docstring.value)
