"""The pictures of docs/explanation/plan-pictures.md are what the commands print for a fresh demo.

The sample bakery of ``snapplan demo`` is built in a temporary file; ``snapplan graph`` draws
its plan's tree and ``snapplan progress`` prints its progress as on a terminal (with bars). The
page holds each between ``<!-- generated: NAME ... -->`` and ``<!-- end generated -->``
markers, in a fenced block; this test compares them, so the page cannot go stale. After a
change that alters them on purpose, rewrite the page with::

    SNAPPLAN_WRITE_DOCS=1 python -m pytest tests/docs/test_pictures.py

and review the diff.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from snapplan.cli import main

PAGE = Path(__file__).resolve().parents[2] / "docs" / "explanation" / "plan-pictures.md"
#: Set to rewrite the page instead of comparing with it.
WRITE_VARIABLE = "SNAPPLAN_WRITE_DOCS"
MARKET = "Holiday Market"

_REGION = re.compile(
    r"(?P<head><!-- generated: (?P<name>\w+) [^\n]*-->\n```(?P<language>\w+)\n)"
    r"(?P<body>.*?)(?P<tail>```\n<!-- end generated -->)",
    re.S,
)


class _Terminal(io.TextIOWrapper):
    """Standard output as a terminal shows it: UTF-8, and ``isatty()`` true."""

    def isatty(self) -> bool:
        return True


def _snapplan(*args: str, terminal: bool = False) -> str:
    stream = _Terminal(io.BytesIO(), encoding="utf-8") if terminal else io.StringIO()
    with contextlib.redirect_stdout(stream):
        status = main(list(args))
    assert status == 0
    if isinstance(stream, io.TextIOWrapper):
        stream.flush()
        buffer = stream.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode("utf-8")
    return stream.getvalue()


def pictures(directory: Path) -> dict[str, str]:
    """Each picture of the page, by name, drawn from a fresh demo in ``directory``."""
    db = str(directory / "demo.sqlite")
    _snapplan("demo", "--db", db)
    progress = _snapplan("progress", MARKET, "--db", db, terminal=True)
    # The plan's id is new with every demo.
    progress = re.sub(r"^Plan \S+ for", "Plan … for", progress)
    return {
        "graph": _snapplan("graph", MARKET, "--db", db),
        "progress": f"$ snapplan progress {MARKET!r} --db snapplan-demo.sqlite\n{progress}",
    }


def regenerated(page: str, drawn: dict[str, str]) -> str:
    """``page`` with the body of each generated region replaced by its picture."""
    found = {match["name"] for match in _REGION.finditer(page)}
    assert found == set(drawn), f"the page's generated regions: {sorted(found)}"

    def replace(match: re.Match[str]) -> str:
        body = drawn[match["name"]].rstrip("\n") + "\n"
        return f"{match['head']}{body}{match['tail']}"

    return _REGION.sub(replace, page)


def test_the_pages_pictures_are_what_the_commands_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)
    page = PAGE.read_text(encoding="utf-8")
    expected = regenerated(page, pictures(tmp_path))
    if os.environ.get(WRITE_VARIABLE):
        PAGE.write_text(expected, encoding="utf-8")
    assert page == expected, (
        f"{PAGE.name} is stale: rewrite it with {WRITE_VARIABLE}=1 (see this test's docstring)"
    )


def test_the_pictures_show_a_shared_snapshot_once_and_a_bar_per_line(tmp_path: Path) -> None:
    """What the page promises of them, checked on the pictures themselves."""
    drawn = pictures(tmp_path)
    assert drawn["graph"].count('"Buttercream Frosting"') == 1
    assert len(re.findall(r'-->\|"0.5 batch"\|', drawn["graph"])) == 2
    lines = drawn["progress"].splitlines()
    assert lines[1] == f"Plan … for {MARKET!r}: in progress"
    assert "done" in lines[4].split()
    assert all(line.endswith("%") for line in lines if line.startswith("  ") and "done" not in line)
