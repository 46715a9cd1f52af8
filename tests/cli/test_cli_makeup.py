"""Issue 17, item 5 (in part): the make-up batches after a burnt tray, in the table and in JSON,
where ``makeup_batches`` is a string like every other amount."""

from __future__ import annotations

from pathlib import Path

from .conftest import Baker
from .test_cli_ledger_messages import CATALOG, FAIR


def test_make_up_batches_after_a_burnt_tray(baker: Baker, tmp_path: Path) -> None:
    (tmp_path / "fair.toml").write_text(CATALOG, encoding="utf-8")
    baker.ok("sync", "fair.toml")
    baker.ok("plan", FAIR)
    data = baker.json("progress", FAIR)
    (shortbread,) = data["recipes"]
    assert (shortbread["planned_batches"], shortbread["makeup_batches"]) == ("3", "0")

    # 5 tins of 8 wedges: 40 wedges, 3 batches of 16. All 3 baked, one tray burnt: 36 wedges.
    baker.ok("produce", FAIR, "Shortbread", "3", "--items", "36")

    (shortbread,) = baker.json("progress", FAIR)["recipes"]
    assert (shortbread["remaining_batches"], shortbread["makeup_batches"]) == ("0", "1")
    table = baker.ok("progress", FAIR)
    assert "make-up" in table
    row = next(line for line in table.splitlines() if line.startswith("  Shortbread"))
    assert row.split() == ["Shortbread", "3", "3", "0", "+1"]
