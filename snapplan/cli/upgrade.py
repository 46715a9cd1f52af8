"""``snapplan upgrade``: bring a database written by an earlier snapplan to this one.

The one command that opens a database of another schema version (the others refuse it, naming
this command). The upgrade itself is :func:`snapplan.adapters.sql.upgrade`: one transaction,
all or nothing.
"""

from __future__ import annotations

import argparse

from snapplan.adapters.sql.versions import written_by
from snapplan.cli.database import Access, database_url, open_store, shown
from snapplan.cli.problems import EXIT_OK
from snapplan.cli.terminal import Output


def upgrade(args: argparse.Namespace, out: Output) -> int:
    """Upgrade the database's tables; say what was done, or that there was nothing to do."""
    url = database_url(args.db)
    with open_store(url, Access.UPGRADE) as store:
        result = store.upgrade()
    where = shown(url)
    if not result.changed:
        print(
            f"{where} is up to date (schema version {result.to_version}): nothing to do",
            file=out,
        )
        return EXIT_OK
    assert result.from_version is not None  # the command opens only databases with tables
    print(
        f"Upgraded {where} from schema version {result.from_version} "
        f"({written_by(result.from_version)}) to {result.to_version}:",
        file=out,
    )
    for line in result.done:
        print(f"  {line}", file=out)
    return EXIT_OK
