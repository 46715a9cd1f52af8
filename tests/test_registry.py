"""One registry of repositories (``snapplan.ports.REPOSITORIES``), and everything else agrees
with it: the ``UnitOfWork`` port's typed properties, the shared unit of work's attributes and
repository classes, the memory store's indexes, the SQL store's tables, codecs and
constraints, the lockstep machine's kinds."""

from __future__ import annotations

import uuid
from typing import Any, get_args, get_origin, get_type_hints

import pytest

from snapplan import MemoryStore, add_catalog
from snapplan.adapters.base import BaseUnitOfWork
from snapplan.adapters.base.repositories import records_for
from snapplan.adapters.memory.state import INDEXED, UNIQUE
from snapplan.ports import (
    REPOSITORIES,
    REPOSITORY_NAMES,
    CatalogRepository,
    UnitOfWork,
    repository_of,
)
from snapplan.testing.samples import planned_snapshots, sample_ledger


def _port_members(port: type) -> set[str]:
    return {name for name in dir(port) if not name.startswith("_")}


def test_the_port_has_one_typed_property_per_entry_in_its_order() -> None:
    properties = [
        name
        for name, value in vars(UnitOfWork).items()
        if isinstance(value, property) and name != "active"
    ]
    assert properties == list(REPOSITORY_NAMES)
    for spec in REPOSITORIES:
        hint = get_type_hints(getattr(UnitOfWork, spec.name).fget)["return"]
        assert (get_origin(hint) or hint) is spec.port, spec.name
        if get_args(hint):  # CatalogRepository[Ingredient] holds ingredients
            assert get_args(hint) == spec.holds, spec.name


def test_the_base_unit_has_one_repository_attribute_per_entry() -> None:
    attributes = [
        name
        for name, value in vars(BaseUnitOfWork).items()
        if type(value).__name__ == "_Repository"
    ]
    assert attributes == list(REPOSITORY_NAMES)


def test_each_repository_of_a_unit_does_what_its_port_says(store: Any) -> None:
    with store.unit_of_work() as uow:
        for spec in REPOSITORIES:
            repository = getattr(uow, spec.name)
            assert isinstance(repository, records_for(spec)), spec.name
            for member in _port_members(spec.port):
                assert callable(getattr(repository, member)), f"{spec.name}.{member}"
            # what the port does not offer, the repository does not either (append only)
            for member in _port_members(CatalogRepository) - _port_members(spec.port):
                assert not hasattr(repository, member), f"{spec.name}.{member}"


def test_every_value_type_is_held_by_one_repository() -> None:
    held = [kind for spec in REPOSITORIES for kind in spec.holds]
    assert len(held) == len(set(held))
    for spec in REPOSITORIES:
        for kind in spec.holds:
            # (a bare instance: only its type matters)
            assert repository_of(object.__new__(kind)) is spec


def test_the_memory_store_indexes_what_the_registry_says() -> None:
    assert {spec.name: spec.indexed for spec in REPOSITORIES if spec.indexed} == INDEXED
    assert {spec.name: spec.unique for spec in REPOSITORIES if spec.unique} == UNIQUE
    assert INDEXED
    assert UNIQUE


def _sql_unique_groups(table: Any) -> set[tuple[str, ...]]:
    import sqlalchemy as sa

    groups = {
        tuple(column.name for column in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint)
    }
    groups |= {
        tuple(column.name for column in index.columns) for index in table.indexes if index.unique
    }
    return groups - {("id",)}  # (the identity, unique everywhere)


def _sql_lookups(table: Any) -> set[str]:
    """The columns a lookup can start an index with: indexes and unique constraints."""
    import sqlalchemy as sa

    firsts = {next(iter(index.columns)).name for index in table.indexes}
    firsts |= {
        next(iter(constraint.columns)).name
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint) and constraint.columns
    }
    return firsts


def test_the_sql_store_has_a_table_and_codec_per_entry_with_its_indexes_and_unique_groups() -> None:
    from snapplan.adapters.sql.rows import CODECS
    from snapplan.adapters.sql.schema import IMMUTABLE_TABLES

    assert list(CODECS) == list(REPOSITORY_NAMES)
    for spec in REPOSITORIES:
        codec = CODECS[spec.name]
        assert codec.table.name == f"snapplan_{spec.name}"
        cls = getattr(codec, "cls", None)
        assert cls is None or cls in spec.holds, spec.name
        assert _sql_unique_groups(codec.table) == set(spec.unique), spec.name
        assert set(spec.indexed) <= _sql_lookups(codec.table), spec.name
    # append-only in the database itself: every repository that is not a catalog one, and the
    # plans' contents (kept beside the plans)
    assert {table.name for table in IMMUTABLE_TABLES} == {
        CODECS[spec.name].table.name for spec in REPOSITORIES if spec.port is not CatalogRepository
    } | {"snapplan_plan_contents"}


def test_the_lockstep_machine_edits_the_catalog_repositories() -> None:
    from snapplan.testing.stateful import CATALOG_KINDS

    assert (
        tuple(spec.name for spec in REPOSITORIES if spec.port is CatalogRepository) == CATALOG_KINDS
    )
    assert CATALOG_KINDS[-1] == "events"
    assert "runs" not in CATALOG_KINDS


@pytest.mark.parametrize("kind", ["snapshot", "plan", "run"])
def test_add_catalog_takes_nothing_but_catalog_definitions_and_events(kind: str) -> None:
    sample = planned_snapshots()
    item = {
        "snapshot": sample.snapshots[0],
        "plan": sample.plan,
        "run": sample_ledger(uuid.uuid4(), uuid.uuid4())[0],
    }[kind]
    store = MemoryStore()
    with pytest.raises(TypeError, match="catalog definitions and events"):
        add_catalog(store.unit_of_work(), [item])
    with store.unit_of_work() as uow:
        assert all(getattr(uow, name).count() == 0 for name in REPOSITORY_NAMES)
