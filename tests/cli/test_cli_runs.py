"""Rough edge 2 of issue 17: ``snapplan runs PLAN`` lists the event's ledger, so a baker finds
the number to void without old output."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from .conftest import Baker
from .test_cli_ledger_messages import CATALOG, FAIR


@pytest.fixture
def fair(baker: Baker, tmp_path: Path) -> Baker:
    (tmp_path / "fair.toml").write_text(CATALOG, encoding="utf-8")
    baker.ok("sync", "fair.toml")
    baker.ok("plan", FAIR)
    return baker


def test_runs_lists_number_time_what_by_key_and_void(fair: Baker) -> None:
    fair.ok("produce", FAIR, "Shortbread", "2", "--by", "Ann", "--key", "tray-1")
    fair.ok("produce", FAIR, "Shortbread", "2", "--by", "Ann", "--key", "tray-1")  # a retry
    fair.ok("assemble", FAIR, "Tin", "2")
    fair.ok("void", "2", "--plan", FAIR, "--reason", "wrong count", "--by", "Bo")

    table = fair.ok("runs", FAIR).splitlines()

    assert table[0] == "Runs"
    assert table[1].split() == ["run", "at", "what", "by", "key"]
    first, second, third = table[2:]
    assert first.split()[0] == "1"
    assert "2 batches of Shortbread (32 made)" in first
    assert "Ann  tray-1" in first
    assert "voided" not in first
    assert "2 x Tin assembled" in second
    assert second.rstrip().endswith("voided by 3")
    assert "void of run 2 (wrong count)" in third
    assert "Bo" in third
    assert len(table) == 5  # the retry wrote nothing


def test_runs_as_json(fair: Baker) -> None:
    fair.ok("produce", FAIR, "Shortbread", "1", "--key", "k")
    fair.ok("void", "1", "--plan", FAIR, "--reason", "burnt")
    fair.ok("plan", FAIR, "--force")
    fair.ok("produce", FAIR, "Shortbread", "1")

    runs = fair.json("runs", FAIR)["runs"]

    assert [(r["seq"], r["kind"], r["voids"], r["voided_by"]) for r in runs] == [
        (1, "production", None, 2),
        (2, "void", 1, None),
        (3, "production", None, None),
    ]
    assert runs[0]["key"] == "k"
    assert runs[1]["what"] == "void of run 1 (burnt)"
    assert runs[0]["plan_id"] != runs[2]["plan_id"]  # recorded under the earlier plan
    recorded = datetime.datetime.fromisoformat(runs[0]["recorded_at"])
    assert recorded.utcoffset() == datetime.timedelta(0)
    assert "(plan " in fair.ok("runs", FAIR).splitlines()[2]  # the earlier plan, marked


def test_an_empty_ledger(fair: Baker) -> None:
    assert fair.ok("runs", FAIR) == "The event's ledger has no runs yet.\n"
    assert fair.json("runs", FAIR) == {"runs": []}
