"""MkDocs hooks (mkdocs.yml: ``hooks``): the pages that are generated from snapplan itself.

- ``reference/cli.md``: every command's ``--help``, rendered from
  ``snapplan.cli.parser.build_parser()`` at build time, so the page cannot drift from the parser.
- ``reference/example-catalog.md``: ``examples/bakery.toml``, shown whole. The catalog format
  page (``docs/catalog-format.md``, also shipped in the wheel) links to the example file by
  its place in the source tree; on the site that link goes to this page instead.
- The error tree on ``reference/errors.md`` (where the page says ``<!-- error-tree -->``),
  walked from the classes of ``snapplan.errors``.
- Sphinx-style roles left in docstrings (:class:`~snapplan.Plan`) become code, linked to the
  reference when the name is documented on the site.

The functions that render are plain (``cli_reference()``, ``error_tree()``), so
``tests/docs/`` checks them without building the site.
"""

from __future__ import annotations

import contextlib
import html
import inspect
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CATALOG = ROOT / "examples" / "bakery.toml"
ERROR_TREE_MARK = "<!-- error-tree -->"
#: Help is wrapped at this width, whatever the terminal building the site.
HELP_WIDTH = 100

_CLI_PAGE = "reference/cli.md"
_EXAMPLE_PAGE = "reference/example-catalog.md"


@contextlib.contextmanager
def _help_environment() -> Iterator[None]:
    """Fixed width, and no ``$SNAPPLAN_DB`` (the help would say it is set)."""
    saved = {name: os.environ.get(name) for name in ("COLUMNS", "SNAPPLAN_DB")}
    os.environ["COLUMNS"] = str(HELP_WIDTH)
    os.environ.pop("SNAPPLAN_DB", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _relative_paths(text: str) -> str:
    """The help names the catalog format and its example where this installation has them (a
    checkout, or a wheel's package data): the page names them by their place in the source."""
    from snapplan.cli.parser import REFERENCE_FILES, reference_files

    for found, (_, in_source) in zip(reference_files(), REFERENCE_FILES, strict=True):
        text = text.replace(str(found), in_source)
    return text


def cli_reference() -> str:
    """The command-line reference page: the top-level help, then each command's."""
    from snapplan.cli.parser import build_parser

    with _help_environment():
        parser: Any = build_parser()
        top = parser.format_help()
        commands = {name: sub.format_help() for name, sub in parser.commands.items()}
    parts = [
        "# Command line",
        "",
        "The `snapplan` command, installed with the package. This page is generated from the",
        "command's own parser when the site is built: it is exactly what `--help` prints.",
        "Every command that touches a database takes `--db URL` (a SQLAlchemy URL or a SQLite",
        "file path; default `$SNAPPLAN_DB`).",
        "",
        "```text",
        _relative_paths(top).rstrip(),
        "```",
        "",
    ]
    for name, text in commands.items():
        parts += [f"## `snapplan {name}`", "", "```text", _relative_paths(text).rstrip(), "```", ""]
    return "\n".join(parts)


def example_catalog() -> str:
    """The page that shows ``examples/bakery.toml``."""
    text = EXAMPLE_CATALOG.read_text(encoding="utf-8")
    return "\n".join(
        [
            "# Example catalog",
            "",
            "`examples/bakery.toml`, the worked example of the [catalog file format]"
            "(../catalog-format.md). It uses every feature of the format; `snapplan sync",
            "examples/bakery.toml --db bakery.sqlite` brings it into a database.",
            "",
            '```toml title="examples/bakery.toml"',
            text.rstrip(),
            "```",
            "",
        ]
    )


def error_classes() -> list[type[BaseException]]:
    """Every exception class defined in ``snapplan.errors``."""
    import snapplan.errors

    return [
        value
        for value in vars(snapplan.errors).values()
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and value.__module__ == "snapplan.errors"
    ]


def error_tree() -> str:
    """``SnapplanError`` and its subclasses as an indented tree, with the built-in exceptions
    each one also is (``ValidationError`` is a ``ValueError``, so ``except ValueError`` works)."""
    from snapplan.errors import SnapplanError

    defined = error_classes()
    lines: list[str] = []

    def visit(cls: type[BaseException], depth: int) -> None:
        extra = [base.__name__ for base in cls.__bases__ if base.__module__ != "snapplan.errors"]
        also = f"  (also a {', '.join(extra)})" if extra and depth else ""
        lines.append(f"{'    ' * depth}{cls.__name__}{also}")
        children = [c for c in defined if cls in c.__bases__]
        for child in children:
            visit(child, depth + 1)

    visit(SnapplanError, 0)
    return "```text\n" + "\n".join(lines) + "\n```"


_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj):<code>(~?)([\w.]+)(\(\))?</code>")


def _role_to_reference(match: re.Match[str]) -> str:
    short, name, call = match.group(1), match.group(2), match.group(3) or ""
    title = html.escape((name.rsplit(".", 1)[-1] if short else name) + call)
    if "." not in name:  # a name relative to its class: nothing to link to
        return f"<code>{title}</code>"
    # optional: an unknown name stays plain code, without a warning.
    return f'<autoref identifier="{html.escape(name)}" optional><code>{title}</code></autoref>'


def sphinx_roles_to_code(text: str) -> str:
    """Turn ``:class:<code>~snapplan.Plan</code>`` (a role as Markdown renders it) into code
    that links to the reference where the name is documented."""
    return _ROLE.sub(_role_to_reference, text)


# -- the MkDocs events ----------------------------------------------------------------------------


def on_files(files: Files, config: Any) -> Files:
    for path, content in ((_CLI_PAGE, cli_reference), (_EXAMPLE_PAGE, example_catalog)):
        files.append(File.generated(config, path, content=content()))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if page.file.src_uri == "catalog-format.md":
        return markdown.replace("](../examples/bakery.toml)", f"]({_EXAMPLE_PAGE})")
    if ERROR_TREE_MARK in markdown:
        return markdown.replace(ERROR_TREE_MARK, error_tree())
    return markdown


def on_page_content(html_text: str, page: Any, config: Any, files: Files) -> str:
    return sphinx_roles_to_code(html_text)
