"""Catalog text never controls the terminal: control and bidirectional characters are escaped.

A name holding ``\\x1b]0;pwned\\x07\\x1b[2J`` set the terminal's title and cleared the screen
when ``progress`` printed it; ``\\u202e`` reversed the text after it. Every command's output,
warning and error now shows such characters as escapes (``\\x1b``, ``\\u202e``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snapplan.cli import main
from snapplan.cli.tables import tables
from snapplan.cli.terminal import KEPT, EscapedOutput, escape

#: Sets the window title to "pwned", then clears the screen.
TITLE_AND_CLEAR = "\x1b]0;pwned\x07\x1b[2J"
#: How it shows once escaped.
SHOWN = r"\x1b]0;pwned\x07\x1b[2J"

ICING = f"Icing{TITLE_AND_CLEAR} Sugar"
CAKE = "Cake \u202eekac"  # "Cake cake", the second word reversed on screen
BOX = "Box\x9b31m red"  # C1 CSI: the one-byte escape some terminals obey
RIBBON = "Ribbon\u2066 isolated\u2069\u200f"


def toml(text: str) -> str:
    """``text`` as a TOML basic string, every character that is not printable as an escape."""
    return (
        '"'
        + "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in text)
        + '"'
    )


CATALOG = f"""
[[ingredient]]
name = {toml(ICING)}

[[recipe]]
name = {toml(CAKE)}
lines = [{{ ingredient = {toml(ICING)}, quantity = 2, unit = "cupz", note = "sifted\\u001b[5m" }}]

[[finished_unit]]
name = "Slice"
recipe = {toml(CAKE)}
items_per_batch = 8

[[material_unit]]
name = {toml(BOX)}

[[material_unit]]
name = {toml(RIBBON)}

[[finished_good]]
name = "Gift"
components = [
    {{ finished_unit = "Slice", quantity = 2 }},
    {{ material_unit = {toml(BOX)}, quantity = 1 }},
    {{ material_unit = {toml(RIBBON)}, quantity = 1 }},
]

[[event]]
name = {toml(f"Fair{TITLE_AND_CLEAR} Day")}
assembly = [{{ finished_good = "Gift", quantity = 4 }}]
"""


def dangerous(text: str) -> list[str]:
    """The characters of ``text`` that a terminal would obey or that reorder a line."""
    return [
        c
        for c in text
        if c != "\n" and c not in KEPT and unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs"}
    ]


class Cli:
    """``snapplan ARGS --db DB`` in-process; the exit status, stdout and stderr, as written."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            status = main([*args, "--db", str(self.db)])
        except SystemExit as exit_:
            status = int(exit_.code or 0)
        captured = self.capsys.readouterr()
        assert dangerous(captured.out) == []
        assert dangerous(captured.err) == []
        return status, captured.out, captured.err


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)
    Path("hostile.toml").write_text(CATALOG, encoding="utf-8")
    return Cli(tmp_path / "bakery.sqlite", capsys)


def test_the_catalog_holds_the_characters_as_given(cli: Cli) -> None:
    status, out, err = cli("sync", "hostile.toml")
    assert status == 0, err
    assert SHOWN in out  # the names were read with their control characters
    assert r"\u202e" in out


def test_sync_then_progress_show_every_name_escaped(cli: Cli) -> None:
    status, out, err = cli("sync", "hostile.toml")

    assert status == 0, err
    assert f"added    ingredient 'Icing{SHOWN} Sugar'" in out
    assert r"added    recipe 'Cake \u202eekac'" in out
    # The unit warning names the ingredient as it is, escaped.
    assert f"(Icing{SHOWN} Sugar), unit: 'cupz'" in err

    status, out, err = cli("plan", f"Fair{TITLE_AND_CLEAR} Day")
    assert status == 0, err
    plan_id = re.search(r"plan ([0-9a-f-]{36})", out)
    assert plan_id is not None, out
    cli("produce", plan_id[1], CAKE, "1")
    status, out, err = cli("progress", plan_id[1])

    assert status == 0, err
    assert f"Plan {plan_id[1]} for 'Fair{SHOWN} Day': in progress" in out
    rows = out.splitlines()
    assert any(row.startswith(r"  Cake \u202eekac  ") for row in rows), out
    assert any(row.startswith(r"  Box\x9b31m red  ") for row in rows), out
    assert any(row.startswith(r"  Ribbon\u2066 isolated\u2069\u200f  ") for row in rows), out
    assert any(row.startswith(f"  Icing{SHOWN} Sugar  ") for row in rows), out


def test_requirements_tables_stay_aligned_and_json_is_ascii(cli: Cli) -> None:
    cli("sync", "hostile.toml")
    _, out, _ = cli("plan", f"Fair{TITLE_AND_CLEAR} Day")
    plan_id = re.findall(r"plan ([0-9a-f-]{36})", out)[0]

    status, table, err = cli("requirements", plan_id)
    status_json, as_json, _ = cli("requirements", plan_id, "--json")

    assert status == status_json == 0, err
    packaging = table[table.index("Packaging") :].splitlines()[1:4]
    # Escaped before the columns were measured: the amounts line up.
    assert len({row.rindex(" ") for row in packaging}) == 1, packaging
    assert as_json.isascii()
    assert r"Icing\u001b]0;pwned\u0007\u001b[2J Sugar" in as_json
    assert {m["name"] for m in json.loads(as_json)["materials"]} == {BOX, RIBBON}


def test_drift_and_errors_show_names_escaped(cli: Cli) -> None:
    cli("sync", "hostile.toml")
    _, out, _ = cli("plan", f"Fair{TITLE_AND_CLEAR} Day")
    plan_id = re.findall(r"plan ([0-9a-f-]{36})", out)[0]

    Path("hostile.toml").write_text(CATALOG.replace("quantity = 2, unit", "quantity = 3, unit"))
    cli("sync", "hostile.toml")
    status, out, err = cli("drift", plan_id)
    assert status == 0, err
    note = r"(sifted\x1b[5m)"
    assert (
        f"recipe 'Cake \\u202eekac': line 1 (Icing{SHOWN} Sugar): 2 cupz {note} -> 3 cupz {note}"
    ) in out

    # A name the plan does not hold, typed with the same characters, in an error message.
    status, out, err = cli("produce", plan_id, f"Pie{TITLE_AND_CLEAR}", "1")
    assert status == 1
    assert err.startswith("snapplan: error: the plan holds no recipe named 'Pie")
    assert SHOWN in err
    # A file name is printed as the operating system gave it back: escaped too.
    status, out, err = cli("sync", f"missing{TITLE_AND_CLEAR}.toml")
    assert status == 1
    assert err == f"snapplan: error: missing{SHOWN}.toml: No such file or directory\n"
    # And a usage error (argparse's own message).
    status, out, err = cli("progress", plan_id, f"--exact{TITLE_AND_CLEAR}")
    assert status == 2
    assert SHOWN in err


# -- the function -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[2J", r"\x1b[2J"),
        ("a\x07b\x00c\x7fd", r"a\x07b\x00c\x7fd"),
        ("\x85\x9b", r"\x85\x9b"),  # C1
        ("tab\there\r\n", r"tab\there\r\n"),
        ("\u202a\u202b\u202c\u202d\u202e", r"\u202a\u202b\u202c\u202d\u202e"),
        ("\u2066\u2067\u2068\u2069", r"\u2066\u2067\u2068\u2069"),
        ("\u200e\u200f\u061c", r"\u200e\u200f\u061c"),  # the marks
        ("\u200b\u2060\ufeff\u00ad", r"\u200b\u2060\ufeff\xad"),  # invisible
        ("tag\U000e0041\U000e0042", r"tag\U000e0041\U000e0042"),  # hidden ASCII
        ("\u2028\u2029", r"\u2028\u2029"),
        (
            "Crème brûlée, 6\u00a0inch, 抹茶, 👩\u200d🍳",
            "Crème brûlée, 6\u00a0inch, 抹茶, 👩\u200d🍳",
        ),
    ],
)
def test_escape(text: str, shown: str) -> None:
    assert escape(text) == shown


@given(st.text())
def test_escaped_text_holds_nothing_that_steers_a_terminal(text: str) -> None:
    assert dangerous(escape(text)) == []
    assert dangerous(escape(text, lines=True)) == []
    assert escape(text, lines=True).count("\n") == text.count("\n")
    assert escape(escape(text)) == escape(text)  # printable already: unchanged


def test_a_table_cell_cannot_break_its_row() -> None:
    text = tables(("Things", ("name", "n"), [("two\nlines", "1"), ("one", "2")]))
    assert text.splitlines() == ["Things", "  name        n", r"  two\nlines  1", "  one         2"]


def test_the_escaped_output_keeps_line_breaks(capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    out = EscapedOutput(sys.stdout)
    print(f"a{TITLE_AND_CLEAR}\nb", file=out)
    out.flush()
    assert capsys.readouterr().out == f"a{SHOWN}\nb\n"
