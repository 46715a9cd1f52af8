"""Rough edge 6 of issue 17, on the command line: ``snapplan drift`` says that the event gained
a target since the plan, lost one, or changed an amount, apart from definition changes."""

from __future__ import annotations

from pathlib import Path

from .conftest import EXAMPLE, Baker

MARKET = "Holiday Market"


def test_drift_lists_the_events_target_changes_apart(baker: Baker, tmp_path: Path) -> None:
    catalog = tmp_path / "bakery.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    catalog.write_text(text, encoding="utf-8")
    baker.ok("sync", catalog)
    baker.ok("plan", MARKET)
    plan = baker.json("requirements", MARKET)["plan_id"]
    assert "no drift" in baker.ok("drift", plan)

    edited = text.replace(
        '    { recipe = "Chocolate Cake", batches = 2 },\n',
        '    { recipe = "Fudge Brownies", batches = 1 },\n',
    )
    gift_boxes = 'finished_good = "Holiday Gift Box", quantity = '
    catalog.write_text(edited.replace(gift_boxes + "50", gift_boxes + "60"), encoding="utf-8")
    baker.ok("sync", catalog)

    out = baker.ok("drift", plan)
    assert out.startswith(f"Plan {plan}: drift found\n")
    section = out.split("Targets of the event changed since the plan\n")[1].splitlines()
    assert section == [
        "  production  'Chocolate Cake': removed (was 2 batches)",
        "  production  'Fudge Brownies': added (1 batch)",
        "  assembly    'Holiday Gift Box': 50 -> 60",
    ]
    assert "Changed since the plan" not in out  # no definition changed
    assert baker("drift", plan, "--exit-code") == 3
    data = baker.json("drift", plan)
    assert data["changed"] is True
    assert data["changed_ids"] == []
    assert [(c["name"], c["change"], c["before"], c["after"]) for c in data["target_changes"]] == [
        ("Chocolate Cake", "removed", "2", None),
        ("Fudge Brownies", "added", None, "1"),
        ("Holiday Gift Box", "amount", "50", "60"),
    ]
