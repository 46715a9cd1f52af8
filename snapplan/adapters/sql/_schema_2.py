"""The upgrade from schema version 1 (release 0.1.0) to 2 (the pantry and the shopping list).

What changed, found by comparing the tables release 0.1.0 wrote (``tests/fixtures/``) with
:data:`~snapplan.adapters.sql.metadata` and :func:`~snapplan.adapters.sql.immutability_ddl`:

- ``snapplan_ingredients`` and ``snapplan_material_units`` gained ``measures`` (JSON, not
  null): ``[]``, none known, for every stored one;
- the tables ``snapplan_products``, ``snapplan_prices`` and ``snapplan_pantry`` (the last two
  append-only), ``snapplan_plan_contents`` (append-only; left empty: a plan without contents
  is read whole, as release 0.1.0 read every plan) and ``snapplan_schema_versions`` are new;
- every run's document gained its ``digest``, its link in the event's hash chain
  (:mod:`snapplan.domain.chain`): computed here for every stored run, event by event in ledger
  order, so that the chain verifies afterwards exactly as if the runs had been recorded now;
- the append-only tables refuse ``TRUNCATE`` on PostgreSQL (a statement trigger);
- on SQLite, every id column has its canonical-id ``CHECK``: SQLite cannot add a constraint to
  a table, so every table of release 0.1.0 is rebuilt (the engine's
  :meth:`~snapplan.adapters.sql.dialects.Dialect.reshape_table`), rows copied unchanged.

Everything runs on the caller's connection, in its transaction.
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa

from snapplan.adapters.converter import converter
from snapplan.adapters.sql import schema
from snapplan.adapters.sql.dialects import Dialect
from snapplan.domain.chain import DIGEST_FIELD, chain_start
from snapplan.domain.runs import Run
from snapplan.errors import PersistenceError

#: The tables release 0.1.0 made.
TABLES_OF_RELEASE_0_1_0: Final = (
    schema.ingredients,
    schema.recipes,
    schema.finished_units,
    schema.material_units,
    schema.finished_goods,
    schema.events,
    schema.snapshots,
    schema.plans,
    schema.runs,
)

#: The tables this version adds.
NEW_TABLES: Final = (
    schema.products,
    schema.prices,
    schema.pantry,
    schema.plan_contents,
    schema.schema_versions,
)

#: What the new columns hold in the rows that were stored before them.
FILL: Final[dict[str, Any]] = {"measures": []}

#: A placeholder digest that validates, for reading a run that has none yet.
_UNSEALED: Final = "0" * 64


def upgrade_to_2(connection: sa.Connection, dialect: Dialect) -> list[str]:
    """Bring a database of schema version 1 to version 2, on ``connection`` (in its
    transaction); return what was done, one line each."""
    done = []
    for table in schema.IMMUTABLE_TABLES:
        for statement in dialect.immutability_removal_ddl(table):
            connection.exec_driver_sql(statement)
    sealed = _seal_the_ledger(connection)
    done.append(f"computed the digests of {sealed} runs (the ledger's hash chain)")
    stored = set(sa.inspect(connection).get_table_names())
    for table in TABLES_OF_RELEASE_0_1_0:
        if table.name in stored:
            dialect.reshape_table(connection, table, FILL)
    done.append(
        "brought the tables of release 0.1.0 to this version (ingredients and material units "
        "have no measures yet)"
    )
    for table in NEW_TABLES:
        table.create(connection, checkfirst=True)
    done.append("created the tables of products, prices, the pantry and plans' contents")
    for table in schema.IMMUTABLE_TABLES:
        for statement in dialect.immutability_ddl(table):
            connection.exec_driver_sql(statement)
    done.append("installed the append-only triggers of this version")
    return done


def _seal_the_ledger(connection: sa.Connection) -> int:
    """Give every run that has no digest the one its content and the run before it give, event
    by event in ``seq`` order; return how many were given one."""
    runs = schema.runs
    rows = connection.execute(
        sa.select(runs.c.id, runs.c.event_id, runs.c.seq, runs.c.document).order_by(
            runs.c.event_id, runs.c.seq
        )
    ).all()
    changes: list[dict[str, Any]] = []
    event = None
    previous = ""
    for row in rows:
        if row.event_id != event:
            event, previous = row.event_id, chain_start(row.event_id)
        document = dict(row.document)
        if DIGEST_FIELD in document:
            previous = document[DIGEST_FIELD]
            continue
        try:
            run: Run = converter.structure({**document, DIGEST_FIELD: _UNSEALED}, Run)  # type: ignore[arg-type]
        except Exception as error:
            raise PersistenceError(
                f"run {row.seq} ({row.id}) of event {row.event_id} could not be read back to "
                f"compute its digest: {error}; nothing was changed"
            ) from error
        previous = run.expected_digest(previous)
        changes.append({"run_id": row.id, "sealed": {**document, DIGEST_FIELD: previous}})
    if changes:
        connection.execute(
            runs.update()
            .where(runs.c.id == sa.bindparam("run_id"))
            .values(document=sa.bindparam("sealed", type_=runs.c.document.type)),
            changes,
        )
    return len(changes)
