"""Rough edge 1 of issue 17: every command that takes a plan takes an event too (its id or its
name), meaning the event's latest plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import EXAMPLE, MARKET_ID, Baker

MARKET = "Holiday Market"


@pytest.fixture
def market(baker: Baker) -> str:
    """The example catalog synced and its market planned; the plan's id."""
    baker.ok("sync", EXAMPLE)
    baker.ok("plan", MARKET)
    plan_id: str = baker.json("requirements", MARKET)["plan_id"]
    return plan_id


@pytest.mark.parametrize("event", [MARKET, MARKET_ID])
def test_requirements_drift_verify_and_export_take_an_event(
    baker: Baker, market: str, event: str
) -> None:
    assert baker.json("requirements", event)["plan_id"] == market
    assert baker.json("drift", event)["plan_id"] == market
    assert f"Plan {market}: verified" in baker.ok("verify", event)
    assert json.loads(baker.ok("export", event))["plan"]["id"] == market
    # The plan's own id still works.
    assert baker.json("requirements", market)["plan_id"] == market


def test_an_event_name_follows_the_latest_plan(baker: Baker, market: str) -> None:
    baker.ok("plan", MARKET, "--force")
    latest = baker.json("requirements", MARKET)["plan_id"]
    assert latest != market
    assert baker.json("requirements", market)["plan_id"] == market  # the old one, by id


def test_an_unknown_name_or_id_is_one_line(baker: Baker, market: str, tmp_path: Path) -> None:
    assert "no event with id or name 'Holiday Markt' (did you mean 'Holiday Market'?)" in (
        baker.fails("requirements", "Holiday Markt")
    )
    missing = "00000000-0000-4000-8000-000000000000"
    assert f"plan {missing} not found (nor an event with that id)" in baker.fails("verify", missing)
