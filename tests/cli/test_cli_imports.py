"""The command line's modules depend on each other one way, and the library not on them.

Read from the source with :mod:`ast`: every import in ``snapplan/cli`` sits at the top of its
module (one deliberate exception, below), the imports among its modules form no cycle, and no
module of the library outside ``snapplan/cli`` imports it (``tests/test_packaging.py`` checks
that ``import snapplan`` loads none of it).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs

import snapplan
from snapplan.cli.parser import DEFAULT_GOOD_DEPTH, DEFAULT_RECIPE_DEPTH, build_parser
from snapplan.domain.limits import Limits

SNAPPLAN = Path(snapplan.__file__).resolve().parent
CLI = "snapplan.cli"

#: Imports inside a function in snapplan/cli that are there on purpose, (importer, imported):
#: ``main`` loads the commands, and with them SQLAlchemy, only once the arguments are parsed,
#: so that ``--help`` and usage errors stay quick and a missing ``sql`` extra is one line.
DELIBERATE = {("snapplan.cli.app", "snapplan.cli.commands")}


@attrs.frozen
class Import:
    importer: str
    imported: str
    top: bool
    line: int


def module_of(path: Path) -> str:
    parts = path.relative_to(SNAPPLAN.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_of(path): path for path in SNAPPLAN.rglob("*.py")}


def _target(module: str, name: str) -> str:
    """``from MODULE import NAME``: the submodule NAME if there is one, else MODULE."""
    return f"{module}.{name}" if f"{module}.{name}" in MODULES else module


def imports_of(module: str) -> Iterator[Import]:
    """Every import statement of ``module``, and whether it runs when the module is loaded."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))

    def walk(node: ast.AST, top: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, alias.name, top, child.lineno)
            elif isinstance(child, ast.ImportFrom) and child.module is not None:
                for alias in child.names:
                    yield Import(module, _target(child.module, alias.name), top, child.lineno)
            else:
                scoped = isinstance(
                    child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
                )
                yield from walk(child, top and not scoped)

    return walk(tree, True)


def in_cli(module: str) -> bool:
    return module == CLI or module.startswith(CLI + ".")


CLI_IMPORTS = [i for module in MODULES if in_cli(module) for i in imports_of(module)]


def test_every_import_in_the_command_line_is_at_the_top_of_its_module() -> None:
    inside_functions = {(i.importer, i.imported) for i in CLI_IMPORTS if not i.top}

    assert inside_functions == DELIBERATE
    for i in CLI_IMPORTS:
        if not i.top:  # said why, just above
            above = MODULES[i.importer].read_text(encoding="utf-8").splitlines()[i.line - 2]
            assert above.strip().startswith("#"), (i, above)


def test_the_command_line_modules_import_each_other_without_a_cycle() -> None:
    # Every import counts, the deliberate one in a function too: it must not close a loop.
    edges: dict[str, set[str]] = {module: set() for module in MODULES if in_cli(module)}
    for i in CLI_IMPORTS:
        if in_cli(i.imported) and i.imported != CLI:
            edges[i.importer].add(i.imported)

    assert find_cycle(edges) is None


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph (its nodes, the first repeated at the end), or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "on path"
        path.append(node)
        for child in sorted(edges[node]):
            if state.get(child) == "on path":
                return [*path[path.index(child) :], child]
            if child not in state:
                found = visit(child)
                if found is not None:
                    return found
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found is not None:
                return found
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_no_module_of_the_library_imports_the_command_line() -> None:
    found = [
        i
        for module in MODULES
        if not in_cli(module) and module != "snapplan.__main__"  # `python -m snapplan`
        for i in imports_of(module)
        if in_cli(i.imported)
    ]

    assert found == []


def modules_after(flag: str, loaded: str) -> str:
    """What ``loaded`` (an expression over ``sys.modules``) lists once ``snapplan FLAG`` ran in
    a fresh interpreter."""
    probe = (
        "import sys\n"
        "from snapplan.cli import main\n"
        "try:\n"
        f"    main([{flag!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print({loaded})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()[-1]


def test_help_loads_no_database_code() -> None:
    # What the deliberate import in a function is for.
    loaded = "[m for m in ('sqlalchemy', 'snapplan.cli.commands') if m in sys.modules]"
    assert modules_after("--help", loaded) == "[]"


def test_version_and_help_define_no_class_of_the_domain() -> None:
    # Issue 19: `snapplan -V` and `--help` answer within twice `import attrs`
    # (bench/cli_bench.py): they import neither attrs, the domain, nor tomllib.
    loaded = (
        "sorted(m for m in sys.modules if m in ('attr', 'tomllib', 'cattrs')"
        " or m.startswith('snapplan.domain'))"
    )
    for flag in ("-V", "--help"):
        assert modules_after(flag, loaded) == "[]", flag


def test_the_parser_s_depth_defaults_are_the_limits_defaults() -> None:
    limits = Limits()
    arguments = build_parser().parse_args(["plan", "Holiday Market"])

    assert (limits.recipes, limits.goods) == (DEFAULT_RECIPE_DEPTH, DEFAULT_GOOD_DEPTH)
    assert arguments.max_recipe_depth == limits.recipes
    assert arguments.max_good_depth == limits.goods
