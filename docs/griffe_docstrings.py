"""A Griffe extension (mkdocs.yml: mkdocstrings' ``extensions``): snapplan's docstrings as
Markdown.

The docstrings are written for ``help()`` and doctest: ``>>>`` examples and reST's ``::``
before an indented block. Markdown would read ``>>>`` as three nested quotes, so each run of
doctest lines (with its expected output) becomes a ``pycon`` code block, ``# doctest:``
directives are dropped from what is shown, and a paragraph ending in ``::`` ends in ``:``
(the indented block after it is already code in Markdown).

Attributes documented the Sphinx way, by ``#:`` comment lines just above them (``#: The
plan's Merkle root``), get those lines as their docstring: Griffe reads only string literals
after an attribute.
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


def comment_docstring(lines: list[str], lineno: int) -> str | None:
    """The ``#:`` comment lines right above line ``lineno`` (1-based) of ``lines``, if any."""
    found: list[str] = []
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith("#:"):
        found.append(lines[index].strip().removeprefix("#:").strip())
        index -= 1
    return "\n".join(reversed(found)) or None


class DoctestsAsCode(griffe.Extension):
    """Rewrite every docstring with :func:`doctests_as_code` as it is loaded, and give
    attributes their ``#:`` comments as docstrings."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None and obj.is_attribute and obj.lineno is not None:
            try:
                lines = obj.module.lines
            except (AttributeError, ValueError, griffe.BuiltinModuleError):
                lines = []
            text = comment_docstring(lines, obj.lineno) if lines else None
            if text is not None:
                obj.docstring = griffe.Docstring(text, lineno=obj.lineno, parent=obj)
        if obj.docstring is not None:
            obj.docstring.value = doctests_as_code(obj.docstring.value)
