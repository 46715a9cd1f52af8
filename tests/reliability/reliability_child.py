"""The child process of the reliability tests: ``python reliability_child.py REQUEST_JSON``.

The tests do not start it as a script: ``reliability_support.Child`` forks it from a fork server
that has imported this module (:mod:`fork_server`), whose ``run_child`` gives the fork its own
stdin, stdout and stderr and the request as ``sys.argv[1]`` and calls :func:`main`, as the script
does. Either way it is a process of its own, with its own engine and connections.

It stocks nothing: the parent has already created the schema and saved the catalog. It speaks
JSON lines on stdout and waits for lines on stdin, so the parent never has to guess timings.

``{"command": "kill", "point": ...}`` plans the event and *pauses* at the point named, after
saying ``{"paused": point}``; the parent then kills it with SIGKILL. Points:

- ``"write:K"``: just before the K-th write of ``create_plan`` (``FaultyStore.on_write``);
- ``"row:K"`` (SQLite): inside ``snapshots.add_many``'s ``executemany``, right after its K-th
  row was inserted (a TEMP trigger calls back into Python);
- ``"commit"``: just before the real commit (``FaultyStore.on_commit``);
- ``"after-commit"``: after ``create_plan`` returned (the commit is done).

A paused child blocks reading stdin and never goes on: if stdin closes it exits without
committing anything.

``{"command": "race", "release": "start" | "after-read", "force": bool}`` says ``{"ready":
true}`` at its release point — before calling ``create_plan`` (``"start"``), or inside it just
before its first write, after it has read the event (``"after-read"``; in a unit of work it
entered itself, see :mod:`releases`) — waits for a ``go`` line, and reports ``{"outcome":
"planned" | "conflict" | "error", ...}``.

``{"command": "record", "action": "assemble" | "produce", "release": ..., "plan_id": ...,
"target_id": ..., "quantity": ..., "key": ...}`` records one ledger entry, released the same
way (``"after-read"``: just before its first write, after reading the ledger), retrying lost
races, and reports ``{"outcome": "recorded" | "shortage" | "error", ...}``.

``{"command": "purchase", "release": ..., "product_id": ..., "packs": ..., "price": ...,
"currency": ..., "keys": [...]}`` records one purchase per key (None: no key) the same way, one
after the other, and reports ``{"outcome": "recorded" | "error", "entry_id": ..., "seq": ...,
"attempts": ...}`` for each.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
import uuid
from typing import Any, NoReturn

import sqlalchemy as sa
from releases import call

from snapplan import ConflictError, create_plan, record_assembly, record_production
from snapplan.adapters.sql import SqlStore
from snapplan.testing.faults import FaultyStore


def say(**message: Any) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def wait_for_go() -> None:
    if sys.stdin.readline().strip() != "go":
        os._exit(4)  # the parent went away: stop without doing anything more


def pause(point: str, detail: str = "") -> NoReturn:
    say(paused=point, detail=detail)
    sys.stdin.read()  # blocks until SIGKILL; the parent keeps stdin open
    os._exit(3)  # stdin closed without a kill: never go on to commit


def open_store(request: dict[str, Any]) -> SqlStore:
    return SqlStore.from_url(request["url"], **request["engine_kwargs"])


def pause_inside_add_many(store: SqlStore, row: int) -> None:
    """Make every connection call back into Python after each snapshot row it inserts."""
    inserted = 0

    def row_inserted() -> int:
        nonlocal inserted
        inserted += 1
        if inserted == row:
            pause(f"row:{row}", f"{inserted} snapshot rows inserted")
        return 0

    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.create_function("reliability_row_inserted", 0, row_inserted)
        dbapi_connection.execute(
            "CREATE TEMP TRIGGER reliability_row_inserted AFTER INSERT ON snapplan_snapshots "
            "BEGIN SELECT reliability_row_inserted(); END"
        )

    sa.event.listen(store.engine, "connect", on_connect)


def kill(request: dict[str, Any]) -> None:
    point: str = request["point"]
    store = open_store(request)
    if point.startswith("row:"):
        pause_inside_add_many(store, int(point.removeprefix("row:")))

    def on_write(k: int, name: str) -> None:
        if point == f"write:{k}":
            pause(point, name)

    def on_commit() -> None:
        if point == "commit":
            pause(point)

    faulty = FaultyStore(store, on_write=on_write, on_commit=on_commit)
    result = create_plan(faulty.unit_of_work(), uuid.UUID(request["event_id"]))
    if point == "after-commit":
        pause(point, str(result.plan_id))
    say(finished=str(result.plan_id), writes=faulty.writes)


def race(request: dict[str, Any]) -> None:
    store = open_store(request)
    event_id = uuid.UUID(request["event_id"])
    with store.unit_of_work() as uow:  # connect now, so the race is not about connecting
        uow.events.get(event_id)

    def on_write(k: int, name: str) -> None:
        if k == 1 and request["release"] == "after-read":
            say(ready=True)
            wait_for_go()

    if request["release"] == "start":
        say(ready=True)
        wait_for_go()
    faulty = FaultyStore(store, on_write=on_write)
    try:
        result = call(
            request["release"],
            create_plan,
            faulty.unit_of_work(),
            event_id,
            force_recreate=request["force"],
        )
    except ConflictError as error:
        say(outcome="conflict", message=str(error))
    except Exception as error:
        say(outcome="error", type=type(error).__name__, message=traceback.format_exc())
    else:
        say(
            outcome="planned",
            plan_id=str(result.plan_id),
            recipe_snapshots_created=result.recipe_snapshots_created,
            finished_good_snapshots_created=result.finished_good_snapshots_created,
            snapshots_written=result.snapshots_written,
            root_digest=result.root_digest,
        )
    finally:
        store.dispose()


def record(request: dict[str, Any]) -> None:
    """Record one ledger entry (``action``: "assemble" or "produce"), retrying a lost race
    (``ConflictError`` other than a reused key or a superseded plan) until it is recorded or
    refused for good (a shortage)."""
    from snapplan import KeyReusedError, ShortageError, SupersededPlanError

    store = open_store(request)
    plan_id = uuid.UUID(request["plan_id"])
    with store.unit_of_work() as uow:  # connect now, so the race is not about connecting
        uow.plans.get(plan_id)
    first_write = [True]

    def on_write(k: int, name: str) -> None:
        if first_write[0] and request["release"] == "after-read":
            first_write[0] = False
            say(ready=True)
            wait_for_go()

    if request["release"] == "start":
        say(ready=True)
        wait_for_go()
    action = record_assembly if request["action"] == "assemble" else record_production
    attempts = 0
    try:
        while True:
            attempts += 1
            faulty = FaultyStore(store, on_write=on_write)
            try:
                run = call(
                    request["release"],
                    action,
                    faulty.unit_of_work(),
                    plan_id,
                    uuid.UUID(request["target_id"]),
                    request["quantity"],
                    key=request.get("key"),
                )
            except (KeyReusedError, SupersededPlanError):
                raise
            except ConflictError:
                if attempts >= 100:
                    raise
                continue
            say(outcome="recorded", run_id=str(run.id), seq=run.seq, attempts=attempts)
            return
    except ShortageError as error:
        say(outcome="shortage", message=str(error), attempts=attempts)
    except Exception as error:
        say(outcome="error", type=type(error).__name__, message=traceback.format_exc())
    finally:
        store.dispose()


def purchase(request: dict[str, Any]) -> None:
    """Record one purchase (``product_id``, ``packs``, ``price``, ``currency``) per key of
    ``keys`` (None: no key), one after the other, each released like ``record`` and retrying a
    lost race until it is recorded; one outcome line per purchase."""
    from snapplan import KeyReusedError, record_purchase

    store = open_store(request)
    product_id = uuid.UUID(request["product_id"])
    with store.unit_of_work() as uow:  # connect now, so the race is not about connecting
        uow.products.get(product_id)
    try:
        for key in request["keys"]:
            first_write = [True]

            def on_write(k: int, name: str, first: list[bool] = first_write) -> None:
                if first[0] and request["release"] == "after-read":
                    first[0] = False
                    say(ready=True)
                    wait_for_go()

            if request["release"] == "start":
                say(ready=True)
                wait_for_go()
            attempts = 0
            try:
                while True:
                    attempts += 1
                    faulty = FaultyStore(store, on_write=on_write)
                    try:
                        receipt = call(
                            request["release"], record_purchase, faulty.unit_of_work(),
                            product_id, request["packs"], price=request.get("price"),
                            currency=request.get("currency"), key=key,
                        )  # fmt: skip
                    except KeyReusedError:
                        raise
                    except ConflictError:
                        if attempts >= 100:
                            raise
                        continue
                    say(outcome="recorded", entry_id=str(receipt.id), seq=receipt.seq,
                        attempts=attempts)  # fmt: skip
                    break
            except Exception as error:
                say(outcome="error", type=type(error).__name__, message=traceback.format_exc())
                return
    finally:
        store.dispose()


def kill_recorder(request: dict[str, Any]) -> None:
    """Record one assembly run and pause at ``point``: "write:1" (before the ledger write),
    "commit" (before the real commit) or "after-commit"."""
    point: str = request["point"]
    store = open_store(request)

    def on_write(k: int, name: str) -> None:
        if point == f"write:{k}":
            pause(point, name)

    def on_commit() -> None:
        if point == "commit":
            pause(point)

    faulty = FaultyStore(store, on_write=on_write, on_commit=on_commit)
    run = record_assembly(
        faulty.unit_of_work(),
        uuid.UUID(request["plan_id"]),
        uuid.UUID(request["target_id"]),
        request["quantity"],
    )
    if point == "after-commit":
        pause(point, str(run.id))
    say(finished=str(run.id), writes=faulty.writes)


def main() -> None:
    request = json.loads(sys.argv[1])
    commands = {
        "kill": kill,
        "race": race,
        "record": record,
        "purchase": purchase,
        "kill-recorder": kill_recorder,
    }
    commands[request["command"]](request)


if __name__ == "__main__":
    main()
