"""Savepoints that really undo, and units of work inside a caller's own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from snapplan import (
    ConflictError,
    CycleError,
    Event,
    EventNotFound,
    Ingredient,
    ProductionTarget,
    Recipe,
    SubRecipe,
    create_plan,
)
from snapplan.adapters.sql import SqlStore
from snapplan.testing.catalog import save

host_metadata = sa.MetaData()
orders = sa.Table(
    "host_orders",
    host_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.Text, nullable=False),
)


@pytest.fixture
def store(sql_store: SqlStore) -> Iterator[SqlStore]:
    """A SQL store sharing its database with a host table, ``host_orders``."""
    host_metadata.create_all(sql_store.engine)
    yield sql_store
    host_metadata.drop_all(sql_store.engine)


def ingredient_names(store: SqlStore) -> list[str]:
    with store.unit_of_work() as uow:
        return sorted(i.name for i in uow.ingredients.all())


def order_notes(store: SqlStore) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(conn.execute(sa.select(orders.c.note)).scalars())


# -- savepoints ---------------------------------------------------------------------------------


def test_a_savepoint_undoes_its_work_and_keeps_earlier_work(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        uow.ingredients.add(Ingredient("Flour"))
        with pytest.raises(RuntimeError), uow.savepoint():
            uow.ingredients.add(Ingredient("Sugar"))
            assert uow.ingredients.count() == 2
            raise RuntimeError("undo the sugar")
        assert [i.name for i in uow.ingredients.all()] == ["Flour"]
        uow.commit()
    assert ingredient_names(store) == ["Flour"]


def test_nested_savepoints_undo_only_the_inner_one(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        with uow.savepoint():
            uow.ingredients.add(Ingredient("Butter"))
            with pytest.raises(RuntimeError), uow.savepoint():
                uow.ingredients.add(Ingredient("Lard"))
                raise RuntimeError("undo the lard")
            uow.ingredients.add(Ingredient("Salt"))
        uow.commit()
    assert ingredient_names(store) == ["Butter", "Salt"]


def test_a_released_savepoint_is_still_rolled_back_with_its_transaction(store: SqlStore) -> None:
    # With the sqlite3 driver's legacy transaction control, a SAVEPOINT before any write ran
    # outside a transaction, and its RELEASE committed it. The engine set-up prevents that.
    with store.unit_of_work() as uow, uow.savepoint():
        uow.ingredients.add(Ingredient("Yeast"))
        # leaves without commit
    assert ingredient_names(store) == []


def test_a_failed_write_leaves_the_transaction_usable(store: SqlStore) -> None:
    flour = Ingredient("Flour")
    save(store, flour)
    with store.unit_of_work() as uow:
        uow.ingredients.add(Ingredient("Sugar"))
        with pytest.raises(ConflictError):
            uow.ingredients.add(flour)  # on PostgreSQL this would abort a bare transaction
        with pytest.raises(ConflictError):
            uow.ingredients.add_many([Ingredient("Cocoa"), flour])
        uow.ingredients.add(Ingredient("Salt"))
        uow.commit()
    assert ingredient_names(store) == ["Flour", "Salt", "Sugar"]


def test_after_commit_a_unit_still_reads_and_sees_what_it_committed(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        uow.ingredients.add(Ingredient("Flour"))
        uow.commit()
        assert [i.name for i in uow.ingredients.all()] == ["Flour"]


def test_rollback_undoes_the_work_so_far_and_the_unit_goes_on(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        uow.ingredients.add(Ingredient("Lard"))
        uow.rollback()
        assert uow.ingredients.count() == 0
        uow.ingredients.add(Ingredient("Butter"))
        uow.commit()
    assert ingredient_names(store) == ["Butter"]


# -- joining a caller's connection -------------------------------------------------------------


def test_the_callers_rollback_discards_snapplans_committed_work(store: SqlStore) -> None:
    with store.engine.connect() as conn:
        conn.begin()
        conn.execute(orders.insert(), {"note": "caller"})
        with store.unit_of_work(connection=conn) as uow:
            uow.ingredients.add(Ingredient("Flour"))
            uow.commit()  # releases snapplan's savepoint only
        assert conn.in_transaction()
        conn.rollback()
    assert ingredient_names(store) == []
    assert order_notes(store) == []


def test_the_callers_commit_decides_and_snapplans_commit_alone_publishes_nothing(
    store: SqlStore,
) -> None:
    with store.engine.connect() as conn:
        conn.begin()
        conn.execute(orders.insert(), {"note": "caller"})
        with store.unit_of_work(connection=conn) as uow:
            uow.ingredients.add(Ingredient("Flour"))
            uow.commit()
        assert ingredient_names(store) == []  # another connection sees nothing yet
        conn.commit()
    assert ingredient_names(store) == ["Flour"]
    assert order_notes(store) == ["caller"]


def test_a_failure_inside_leaves_the_callers_earlier_work_intact_and_committable(
    store: SqlStore,
) -> None:
    ids = uuid.uuid4(), uuid.uuid4()
    loop = [
        Recipe(name, sub_recipes=[SubRecipe(ids[1 - i], 1)], id=ids[i])
        for i, name in enumerate("AB")
    ]
    looping_event = Event("Loop", [ProductionTarget(ids[0], 1)])
    save(store, *loop, looping_event)
    with store.engine.connect() as conn:
        conn.begin()
        conn.execute(orders.insert(), {"note": "before"})
        with pytest.raises(RuntimeError), store.unit_of_work(connection=conn) as uow:
            uow.ingredients.add(Ingredient("Flour"))
            raise RuntimeError("snapplan's block fails")
        with pytest.raises(CycleError):
            create_plan(store.unit_of_work(connection=conn), looping_event.id)
        with pytest.raises(EventNotFound):
            create_plan(store.unit_of_work(connection=conn), uuid.uuid4())
        with pytest.raises(ConflictError), store.unit_of_work(connection=conn) as uow:
            uow.recipes.add(loop[0])  # a driver error inside the caller's transaction
            uow.commit()
        conn.execute(orders.insert(), {"note": "after"})
        conn.commit()
    assert order_notes(store) == ["after", "before"]
    assert ingredient_names(store) == []
    with store.unit_of_work() as uow:
        assert uow.snapshots.count() == 0
        assert uow.plans.count() == 0


def test_a_plan_made_in_the_callers_transaction_is_kept_by_the_callers_commit(
    store: SqlStore,
) -> None:
    recipe = Recipe("Bread")
    event = Event("Market", [ProductionTarget(recipe.id, 2)])
    save(store, recipe, event)
    with store.engine.connect() as conn, conn.begin():
        result = create_plan(store.unit_of_work(connection=conn), event.id)
        conn.execute(orders.insert(), {"note": f"plan {result.plan_id}"})
    with store.unit_of_work() as uow:
        assert uow.plans.get(result.plan_id).event_id == event.id
    assert order_notes(store) == [f"plan {result.plan_id}"]


def test_a_caller_connection_without_a_transaction_gets_one_and_keeps_control(
    store: SqlStore,
) -> None:
    with store.engine.connect() as conn:
        with store.unit_of_work(connection=conn) as uow:
            uow.ingredients.add(Ingredient("Flour"))
            uow.commit()
        assert conn.in_transaction()  # begun for the caller, left for the caller to end
    assert ingredient_names(store) == []  # closing the connection rolled back
    with store.engine.connect() as conn:
        with store.unit_of_work(connection=conn) as uow:
            uow.ingredients.add(Ingredient("Sugar"))
            uow.commit()
        conn.commit()
    assert ingredient_names(store) == ["Sugar"]
