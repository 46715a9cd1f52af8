"""snapplan: schema version 2 (the pantry and the shopping list)

An Alembic revision for hosts whose Alembic environment owns the database: put
``snapplan.adapters.sql:migrations`` in ``version_locations`` and ``alembic upgrade heads``
runs it (the how-to "Add snapplan's tables to an Alembic project").

It brings the database to at least schema version 2, in the migration's transaction, exactly as
``snapplan upgrade`` does (:func:`snapplan.adapters.sql.upgrade_connection`): snapplan's tables
created where there are none, those of snapplan 0.1.0 (schema version 1) upgraded in place, the
version recorded. There is no downgrade: restore the backup taken before upgrading.

Revision ID: snapplan_0002
Revises:
"""

from alembic import op

from snapplan.adapters.sql import upgrade_connection

revision = "snapplan_0002"
down_revision = None
branch_labels = ("snapplan",)
depends_on = None


def upgrade() -> None:
    upgrade_connection(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError(
        "snapplan's tables are not downgraded: restore the backup taken before the upgrade"
    )
