"""``snapplan progress`` draws a bar per line on a terminal, and none in a pipe (issue 17,
"Pictures")."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from snapplan.cli.progress import done_bar

from .conftest import REPO, Baker

MARKET = "Holiday Market"
BLOCKS = "\u2588\u2591"


def test_a_bar_counts_whole_tenths_and_percents_rounded_down() -> None:
    assert done_bar(Decimal(3), Decimal(0), "#-") == "########## 100%"
    assert done_bar(Decimal(3), Decimal(1), "#-") == "######---- 66%"
    assert done_bar(Fraction(25, 3), Fraction(25, 3), "#-") == "---------- 0%"
    assert done_bar(Decimal(1000), Decimal("0.001"), "#-") == "#########- 99%"  # not yet 100
    assert done_bar(Decimal(2), Decimal(5), "#-") == "---------- 0%"  # more left than planned
    assert done_bar(Decimal(0), Decimal(0), "#-") == ""  # not in the plan
    assert done_bar(None, None, "#-") == ""


def test_no_bars_in_a_pipe(baker: Baker) -> None:
    baker.ok("demo")
    table = baker.ok("progress", MARKET)
    assert "done" not in table.splitlines()[3]
    assert not set(BLOCKS + "%") & set(table)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")
def test_a_bar_per_line_on_a_terminal(baker: Baker, tmp_path: Path) -> None:
    baker.ok("demo")
    leader, follower = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "SNAPPLAN_DB"}
    env.update(PYTHONIOENCODING="utf-8", PYTHONPATH=str(REPO))
    with subprocess.Popen(
        [sys.executable, "-m", "snapplan", "progress", MARKET, "--db", str(baker.db)],
        stdout=follower,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end closed (Linux)
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0
    os.close(leader)
    lines = b"".join(chunks).decode("utf-8").replace("\r\n", "\n").splitlines()
    header = lines[3].split()
    assert header == ["recipe", "planned", "made", "left", "make-up", "done"]
    rows = {line.split()[0]: line for line in lines if line.startswith("  ")}
    assert rows["Fudge"].endswith("\u2588" * 4 + "\u2591" * 6 + " 40%")  # 2 of 5 batches
    barred = [line for line in lines if line.startswith("  ") and "%" in line]
    # Every line of the plan: 5 recipes, 2 units, 2 goods, 2 materials, 5 ingredients.
    assert len(barred) == 16
