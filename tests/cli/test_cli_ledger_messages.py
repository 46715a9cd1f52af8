"""Rough edge 3 of issue 17: a retried command and a second void say that nothing new was
written, instead of printing what looks like a new write."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Baker

CATALOG = """
[[ingredient]]
name = "Butter"

[[recipe]]
name = "Shortbread"
lines = [{ingredient = "Butter", quantity = 250, unit = "g"}]

[[finished_unit]]
name = "Wedge"
recipe = "Shortbread"
items_per_batch = 16

[[finished_good]]
name = "Tin"
components = [{finished_unit = "Wedge", quantity = 8}]

[[event]]
name = "Christmas Fair"
assembly = [{finished_good = "Tin", quantity = 5}]
"""
FAIR = "Christmas Fair"


@pytest.fixture
def fair(baker: Baker, tmp_path: Path) -> Baker:
    (tmp_path / "fair.toml").write_text(CATALOG, encoding="utf-8")
    baker.ok("sync", "fair.toml")
    baker.ok("plan", FAIR)
    return baker


def test_a_retry_with_the_same_key_says_nothing_new_was_written(fair: Baker) -> None:
    first = fair.ok("produce", FAIR, "Shortbread", "1", "--key", "tray-1")
    assert first.startswith("Recorded run 1: 1 batch of Shortbread")
    again = fair.ok("produce", FAIR, "Shortbread", "1", "--key", "tray-1")
    assert again.startswith("Already recorded as run 1 (same key): nothing new written")
    assert "Recorded run" not in again
    # Another key is a new run, and the retry wrote nothing: it is run 2.
    assert fair.ok("produce", FAIR, "Shortbread", "1", "--key", "tray-2").startswith(
        "Recorded run 2:"
    )
    assert fair.ok("waste", FAIR, "Wedge", "1", "--reason", "eaten", "--key", "w").startswith(
        "Recorded run 3:"
    )
    assert fair.ok("waste", FAIR, "Wedge", "1", "--reason", "eaten", "--key", "w").startswith(
        "Already recorded as run 3 (same key)"
    )


def test_voiding_a_voided_run_says_it_already_was(fair: Baker) -> None:
    fair.ok("produce", FAIR, "Shortbread", "1")
    first = fair.ok("void", "1", "--plan", FAIR, "--reason", "wrong tray")
    assert first.startswith("Run 1 voided by run 2: 1 batch of Shortbread")
    again = fair.ok("void", "1", "--plan", FAIR, "--reason", "wrong tray")
    assert again.startswith("Run 1 was already voided by run 2 (wrong tray): nothing new written")
    # Nothing was written: the next run is number 3.
    assert fair.ok("produce", FAIR, "Shortbread", "1").startswith("Recorded run 3:")
