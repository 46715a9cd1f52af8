"""The generated parts of the documentation site are complete: every public name, every
command, every error. (``mkdocs build --strict`` in CI checks links, anchors and the rest.)"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

import snapplan
import snapplan.adapters.sql
from snapplan.cli.parser import build_parser

DOCS = Path(__file__).resolve().parents[2] / "docs"


def load(name: str) -> ModuleType:
    """A module of docs/ (not a package: MkDocs and Griffe load them by path)."""
    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hooks() -> ModuleType:
    pytest.importorskip("mkdocs", reason="the site's hooks need the docs extra (mkdocs)")
    return load("hooks")


@pytest.fixture(scope="module")
def griffe_docstrings() -> ModuleType:
    pytest.importorskip("griffe", reason="the docstring extension needs the docs extra")
    return load("griffe_docstrings")


def documented(page: str) -> set[str]:
    """The names a reference page renders with ``::: name``."""
    return set(re.findall(r"^::: (\S+)$", (DOCS / page).read_text(encoding="utf-8"), re.M))


def test_every_public_name_of_snapplan_is_in_the_reference() -> None:
    """On the snapplan page, or, for an error, on the errors page (all of snapplan.errors)."""
    assert "snapplan.errors" in documented("reference/errors.md")
    on_the_page = documented("reference/snapplan.md")
    for name in snapplan.__all__:
        value = getattr(snapplan, name)
        is_error = isinstance(value, type) and value.__module__ == "snapplan.errors"
        assert is_error or f"snapplan.{name}" in on_the_page, name


def test_the_sql_reference_lists_every_public_name_of_the_sql_store() -> None:
    page = (DOCS / "reference/sql.md").read_text(encoding="utf-8")
    for name in snapplan.adapters.sql.__all__:
        assert f"        - {name}\n" in page, name


def test_the_command_line_page_has_every_command_and_no_local_path(hooks: ModuleType) -> None:
    page = hooks.cli_reference()
    commands = build_parser().commands  # type: ignore[attr-defined]
    assert len(commands) >= 14
    for name in commands:
        assert f"## `snapplan {name}`" in page
        assert f"usage: snapplan {name}" in page
    assert str(hooks.ROOT) not in page
    assert "format:   docs/catalog-format.md" in page


def test_the_error_tree_has_every_error_under_snapplan_error(hooks: ModuleType) -> None:
    tree = hooks.error_tree()
    names = [line.split()[0] for line in tree.splitlines()[1:-1]]
    errors = {cls.__name__ for cls in hooks.error_classes()}
    assert names[0] == "SnapplanError"
    assert set(names) == errors
    assert "    ValidationError  (also a ValueError)" in tree
    assert "        SupersededPlanError" in tree  # a ConflictError


def test_sphinx_roles_become_code_linked_where_documented(hooks: ModuleType) -> None:
    html = "see :class:<code>~snapplan.Plan</code> and :meth:<code>dispose</code>"
    assert hooks.sphinx_roles_to_code(html) == (
        'see <autoref identifier="snapplan.Plan" optional><code>Plan</code></autoref>'
        " and <code>dispose</code>"
    )


def test_the_example_catalog_page_shows_the_whole_file(hooks: ModuleType) -> None:
    page = hooks.example_catalog()
    assert hooks.EXAMPLE_CATALOG.read_text(encoding="utf-8").rstrip() in page


def test_doctests_become_code_blocks(griffe_docstrings: ModuleType) -> None:
    text = "Plan it::\n\n    x\n\n>>> create_plan(uow, 1)  # doctest: +SKIP\nresult\n\nAfter."
    assert griffe_docstrings.doctests_as_code(text) == (
        "Plan it:\n\n    x\n\n```pycon\n>>> create_plan(uow, 1)\nresult\n```\n\nAfter."
    )


def test_comment_docstrings_are_read_above_an_attribute(griffe_docstrings: ModuleType) -> None:
    lines = ["x = 1", "#: The plan's root,", "#: kept outside.", "root: str = ''"]
    assert griffe_docstrings.comment_docstring(lines, 4) == "The plan's root,\nkept outside."
    assert griffe_docstrings.comment_docstring(lines, 1) is None
