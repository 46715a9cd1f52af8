"""The one place tests create and drop PostgreSQL schemas.

Every PostgreSQL test works in a fresh schema of the server named by
``SNAPPLAN_TEST_POSTGRES_URL`` and drops it afterwards; without the variable the test is
skipped with :data:`NO_POSTGRES` as its reason (``.ci/run`` fails when it sees that reason).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get("SNAPPLAN_TEST_POSTGRES_URL")
NO_POSTGRES = "SNAPPLAN_TEST_POSTGRES_URL is not set; PostgreSQL tests need a server URL"


def postgres_url() -> str:
    """The test server's URL; skips the calling test when none is configured."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    return POSTGRES_URL


@contextmanager
def fresh_schema(prefix: str = "snapplan_test") -> Iterator[str]:
    """A new, empty schema on the test server, dropped (with all it holds) on exit."""
    admin = sa.create_engine(postgres_url())
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield schema
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


def search_path(schema: str, options: str = "") -> dict[str, str]:
    """``connect_args`` that make every connection work in ``schema``."""
    return {"options": f"-csearch_path={schema} {options}".strip()}
