"""Every example of the documentation runs, so the pages stay true.

For the README and each page written for this site (the home page, the tutorial, the how-tos and the
explanations; the reference is generated, and the catalog format page, shipped in the wheel
too, shows illustrative sessions), the fenced blocks are taken in the order they appear and
run in a fresh temporary directory, one namespace per page:

- a ``python`` block is executed (its line numbers in tracebacks are the page's own);
- a ``python`` block whose first line is ``# not run:`` is only shown (keep them rare);
- a block with a title (``python title="NAME.py"``, ``ini title="alembic.ini"``) is a file:
  it is written to that path in the directory (a module is importable by later blocks), and a
  ``test_*.py`` file is run with pytest in a subprocess when the page ends;
- a ``text title="Output"`` block right after a ``python`` block is what that block prints: each
  line must match (``…`` matches any text, e.g. an id);
- in a ``console`` block, each ``$ snapplan ...`` (or ``$ alembic ...``) line is run and must
  succeed, and every other line is output that must appear among the lines it printed (``…`` as
  above; a line that is only ``…`` stands for lines left out).

A page whose example imports a framework that is not installed (Flask, Alembic: the ``docs``
extra has them) is skipped, saying which.

Pages that need PostgreSQL get a fresh schema's URL in ``$BAKERY_POSTGRES_URL`` and are skipped
without ``SNAPPLAN_TEST_POSTGRES_URL``, as every PostgreSQL test is; pages that need MariaDB get
a fresh database's URL in ``$BAKERY_MARIADB_URL`` and are skipped without
``SNAPPLAN_TEST_MARIADB_URL``.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from mariadb_databases import fresh_database, url_of
from postgres_schemas import fresh_schema, postgres_url

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
#: The pages whose examples run (paths in docs/, a trailing / for a whole folder).
RUN = ("index.md", "tutorial.md", "how-to/", "explanation/")
NOT_RUN = "# not run:"
#: The commands console blocks may run.
COMMANDS = ("snapplan", "alembic")
#: Third-party modules an example may need; without them its page is skipped.
OPTIONAL = frozenset({"flask", "alembic"})
POSTGRES_VARIABLE = "BAKERY_POSTGRES_URL"
MARIADB_VARIABLE = "BAKERY_MARIADB_URL"

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+)(?P<info>[^`\n]*)$")
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')


@attrs.frozen
class Block:
    """One fenced block of a page: its language, title, first line number and text."""

    language: str
    title: str | None
    line: int
    text: str


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a page, in order (indented fences included: admonitions, tabs)."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None or not opening["info"].strip():
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        info = opening["info"].strip()
        language = info.split()[0]
        title = _TITLE.search(info)
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i].removeprefix(indent))
            i += 1
        start = i - len(body) + 1  # 1-based number of the block's first line
        found.append(Block(language, title["title"] if title else None, start, "\n".join(body)))
        i += 1
    return found


def pages() -> list[Path]:
    """The pages of :data:`RUN` that have examples, and the README."""
    written = sorted(
        page
        for page in DOCS.rglob("*.md")
        if _runs(page.relative_to(DOCS).as_posix())
        and any(b.language in ("python", "console") for b in blocks(page))
    )
    return [REPO / "README.md", *written]


def _runs(name: str) -> bool:
    return any(name == run or (run.endswith("/") and name.startswith(run)) for run in RUN)


def matches(expected: str, actual: str) -> bool:
    """``expected`` with ``…`` standing for any text equals ``actual`` (both right-stripped)."""
    pattern = ".*?".join(re.escape(part) for part in expected.rstrip().split("…"))
    return re.fullmatch(pattern, actual.rstrip()) is not None


def check_output(expected: str, printed: str, where: str) -> None:
    """Every expected line (but a lone ``…``) matches a printed line, in order."""
    actual = printed.splitlines()
    position = 0
    for line in expected.splitlines():
        if line.strip() in ("…", "...", ""):
            continue
        while position < len(actual) and not matches(line, actual[position]):
            position += 1
        assert position < len(actual), f"{where}: not printed (in this order): {line!r}\n{printed}"
        position += 1


@contextlib.contextmanager
def page_imports(directory: Path) -> Iterator[None]:
    """Modules written by a page are importable while it runs, and forgotten after."""
    sys.path.insert(0, str(directory))
    before = set(sys.modules)
    try:
        yield
    finally:
        sys.path.remove(str(directory))
        for name in set(sys.modules) - before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(directory)):
                del sys.modules[name]


def run_python(block: Block, page: Path, namespace: dict[str, Any]) -> str:
    """Execute a block in the page's namespace; what it printed."""
    code = compile("\n" * (block.line - 1) + block.text, str(page), "exec")
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)
    except ModuleNotFoundError as missing:
        if missing.name not in OPTIONAL:
            raise
        pytest.skip(f"{page.name} needs {missing.name} (pip install 'snapplan[docs]')")
    return printed.getvalue()


def run_command(argv: list[str]) -> tuple[int, str]:
    """Run ``snapplan`` or ``alembic`` in this process (an interpreter start per command
    would cost a second each); the exit status and what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        if argv[0] == "snapplan":
            from snapplan.cli import main

            status = main(argv[1:])
        else:
            alembic = pytest.importorskip("alembic.config", reason="the page runs alembic")

            def print_stdout(config: Any, text: str, *arg: Any) -> None:
                print(text % arg if arg else text)  # Config's own stream was bound at import

            try:
                with mock.patch.object(alembic.Config, "print_stdout", print_stdout):
                    alembic.main(argv=argv[1:], prog="alembic")
                status = 0
            except SystemExit as stopped:
                status = stopped.code if isinstance(stopped.code, int) else 1
    return status, printed.getvalue()


def run_console(block: Block, page: Path) -> None:
    """Run each command; its output lines must appear in what it printed."""
    commands: list[tuple[list[str], list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            commands.append((shlex.split(line[2:]), []))
        elif commands:
            commands[-1][1].append(line)
    assert commands, f"{page}:{block.line}: a console block without a command"
    for argv, expected in commands:
        assert argv[0] in COMMANDS, f"{page}:{block.line}: not a command that runs: {argv}"
        status, printed = run_command(argv)
        where = f"{page}:{block.line}: {shlex.join(argv)}"
        assert status == 0, f"{where} exited {status}\n{printed}"
        check_output("\n".join(expected), printed, where)


def run_tests(files: list[Path], page: Path, directory: Path) -> None:
    """Run the test modules a page wrote, as a host would (``pytest FILE``)."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *map(str, files)],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{page}: the page's tests failed\n{result.stdout}"


def run_page(page: Path, directory: Path) -> None:
    """Every block of a page, in order (see the module docstring)."""
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    test_files: list[Path] = []
    page_blocks = blocks(page)
    with page_imports(directory):
        for index, block in enumerate(page_blocks):
            if block.language == "console":
                run_console(block, page)
            if block.title not in (None, "Output"):
                path = directory / block.title
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(block.text + "\n", encoding="utf-8")
                if path.suffix == ".py" and path.name.startswith("test_"):
                    test_files.append(path)
                continue
            if block.language != "python" or block.text.startswith(NOT_RUN):
                continue
            printed = run_python(block, page, namespace)
            following = page_blocks[index + 1] if index + 1 < len(page_blocks) else None
            if following is not None and following.title == "Output":
                check_output(following.text, printed, f"{page}:{block.line}")
    if test_files:
        run_tests(test_files, page, directory)


def needs_postgres(page: Path) -> bool:
    return POSTGRES_VARIABLE in page.read_text(encoding="utf-8")


def needs_mariadb(page: Path) -> bool:
    return MARIADB_VARIABLE in page.read_text(encoding="utf-8")


@pytest.fixture
def postgres_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``$BAKERY_POSTGRES_URL``: a fresh schema of the test server, dropped afterwards."""
    url = postgres_url()  # skips, saying why, without a server
    with fresh_schema("snapplan_docs") as schema:
        monkeypatch.setenv(POSTGRES_VARIABLE, f"{url}?options=-csearch_path%3D{schema}")
        yield


@pytest.fixture
def mariadb_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``$BAKERY_MARIADB_URL``: a fresh database on the test server, dropped afterwards (skips,
    saying why, without a server)."""
    with fresh_database("snapplan_docs") as database:
        monkeypatch.setenv(MARIADB_VARIABLE, url_of(database))
        yield


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_examples_of_a_page_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if needs_postgres(page):
        request.getfixturevalue("postgres_environment")
    if needs_mariadb(page):
        request.getfixturevalue("mariadb_environment")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)
    run_page(page, tmp_path)


def test_the_tutorial_and_every_how_to_have_examples_that_run() -> None:
    ran = {page.relative_to(DOCS).as_posix() for page in pages() if page.is_relative_to(DOCS)}
    expected = {"tutorial.md"} | {
        page.relative_to(DOCS).as_posix() for page in (DOCS / "how-to").glob("*.md")
    }
    assert expected <= ran
    for name in expected:
        runnable = [
            b
            for b in blocks(DOCS / name)
            if b.language == "python" and not b.text.startswith(NOT_RUN)
        ]
        assert runnable, f"{name} runs no Python"


def test_blocks_that_are_only_shown_are_rare() -> None:
    shown = [
        (page.name, b.line)
        for page in pages()
        for b in blocks(page)
        if b.language == "python" and b.text.startswith(NOT_RUN)
    ]
    assert len(shown) <= 3, shown


def test_the_harness_reads_fences_titles_and_line_numbers(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        'Text\n\n```python title="m.py"\nX = 1\n```\n\n!!! note\n    ```console\n'
        "    $ snapplan -V\n    snapplan …\n    ```\n",
        encoding="utf-8",
    )
    assert blocks(page) == [
        Block("python", "m.py", 4, "X = 1"),
        Block("console", None, 9, "$ snapplan -V\nsnapplan …"),
    ]
    assert matches("plan … written", "plan 1234 written")
    assert not matches("plan … written", "plan 1234 read")
