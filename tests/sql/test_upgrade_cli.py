"""``snapplan upgrade``, and every other command's one-line refusal of a database of 0.1.0.

The database is a copy of the SQLite file snapplan 0.1.0 wrote (``tests/fixtures/``): every
command that opens a database refuses it, exit 1, in one line naming ``snapplan upgrade --db``,
and leaves the file byte for byte as it was; ``upgrade`` upgrades it, says so, and says
"nothing to do" the second time; then the commands work on it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli.conftest import EXAMPLE, run_snapplan

from snapplan.adapters.sql import SCHEMA_VERSION, SqlStore
from snapplan.adapters.sql.schema import schema_versions

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.1.0.sqlite"
SOME_ID = "00000000-0000-4000-8000-000000000001"

#: Every command that opens a database, with arguments argparse accepts.
COMMANDS = [
    ["demo"],
    ["load", str(EXAMPLE)],
    ["sync", str(EXAMPLE)],
    ["sync", "--dry-run", str(EXAMPLE)],
    ["plan", "Holiday Market"],
    ["requirements", SOME_ID],
    ["drift", SOME_ID],
    ["export", SOME_ID],
    ["verify", SOME_ID],
    ["check"],
    ["produce", SOME_ID, "Sugar Cookies", "1"],
    ["assemble", SOME_ID, "Gift Box", "1"],
    ["waste", "--reason", "dropped", SOME_ID, "Sugar Cookie", "1"],
    ["void", "--reason", "typo", SOME_ID],
    ["progress", SOME_ID],
    ["buy", "Flour 1 kg", "1"],
    ["price", "Flour 1 kg", "2.50"],
    ["count", "Flour", "1", "kg"],
    ["use", "--reason", "spilt", "Flour", "1", "kg"],
    ["pantry"],
    ["shop", SOME_ID],
    ["cost", SOME_ID],
]


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "bakery.sqlite"
    shutil.copyfile(FIXTURE, path)
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_refuses_a_database_of_0_1_0_in_one_line(
    old_file: Path, command: list[str]
) -> None:
    before = old_file.read_bytes()
    result = run_snapplan(*command, "--db", old_file, cwd=old_file.parent)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"snapplan: error: {old_file} was written by snapplan 0.1.0 (schema version 1); this "
        f"snapplan reads schema version {SCHEMA_VERSION}: upgrade the database with "
        f"`snapplan upgrade --db {old_file}`; nothing was read or written\n"
    )
    assert old_file.read_bytes() == before
    assert sorted(p.name for p in old_file.parent.iterdir()) == ["bakery.sqlite"]


def test_upgrade_upgrades_then_has_nothing_to_do(old_file: Path) -> None:
    done = run_snapplan("upgrade", "--db", old_file, cwd=old_file.parent, check=True)
    assert done.stdout.splitlines() == [
        f"Upgraded {old_file} from schema version 1 (snapplan 0.1.0) to {SCHEMA_VERSION}:",
        "  computed the digests of 8 runs (the ledger's hash chain)",
        "  brought the tables of release 0.1.0 to this version (ingredients and material units "
        "have no measures yet)",
        "  created the tables of products, prices, the pantry and plans' contents",
        "  installed the append-only triggers of this version",
    ]
    again = run_snapplan("upgrade", "--db", old_file, cwd=old_file.parent, check=True)
    assert again.stdout == (
        f"{old_file} is up to date (schema version {SCHEMA_VERSION}): nothing to do\n"
    )
    check = run_snapplan("check", "--db", old_file, cwd=old_file.parent)
    assert check.returncode == 0, check.stderr
    pantry = run_snapplan("pantry", "--db", old_file, cwd=old_file.parent)
    assert pantry.returncode == 0, pantry.stderr


def test_upgrade_names_what_it_cannot_upgrade(tmp_path: Path) -> None:
    missing = run_snapplan("upgrade", "--db", tmp_path / "nowhere.sqlite", cwd=tmp_path)
    assert missing.returncode == 1
    assert "database file not found" in missing.stderr
    empty = tmp_path / "empty.sqlite"
    sa.create_engine(f"sqlite:///{empty}").connect().close()
    nothing = run_snapplan("upgrade", "--db", empty, cwd=tmp_path)
    assert nothing.returncode == 1
    assert (
        nothing.stderr == f"snapplan: error: {empty} holds no snapplan tables: nothing to upgrade\n"
    )


def test_a_database_of_a_newer_snapplan_is_refused_by_every_command(tmp_path: Path) -> None:
    path = tmp_path / "later.sqlite"
    store = SqlStore.from_url(f"sqlite:///{path}")
    store.create_schema()
    with store.engine.begin() as conn:
        conn.execute(sa.update(schema_versions).values(version=SCHEMA_VERSION + 1, release="9.0.0"))
    store.dispose()
    for command in (["check"], ["upgrade"], ["pantry"]):
        result = run_snapplan(*command, "--db", path, cwd=tmp_path)
        assert result.returncode == 1
        assert "was written by a newer snapplan" in result.stderr
        assert len(result.stderr.splitlines()) == 1


@pytest.mark.postgres
def test_refused_then_upgraded_on_postgresql(tmp_path: Path) -> None:
    from postgres_schemas import fresh_schema, postgres_url, search_path

    dump = (FIXTURE.parent / "release-0.1.0-postgres.sql").read_text()
    with fresh_schema("snapplan_release") as schema:
        dump = dump.replace("SELECT pg_catalog.set_config('search_path', '', false);", "")
        dump = dump.replace("public.", f'"{schema}".')
        engine = sa.create_engine(postgres_url(), connect_args=search_path(schema))
        with engine.begin() as conn:
            conn.exec_driver_sql(dump)
        engine.dispose()
        url = sa.make_url(postgres_url()).update_query_dict(search_path(schema))
        db = url.render_as_string(hide_password=False)
        refused = run_snapplan("pantry", "--db", db, cwd=tmp_path)
        assert refused.returncode == 1
        assert "was written by snapplan 0.1.0" in refused.stderr
        assert "`snapplan upgrade --db postgresql+psycopg://" in refused.stderr
        done = run_snapplan("upgrade", "--db", db, cwd=tmp_path, check=True)
        assert "computed the digests of 8 runs" in done.stdout
        again = run_snapplan("upgrade", "--db", db, cwd=tmp_path, check=True)
        assert again.stdout.endswith("nothing to do\n")
        assert run_snapplan("check", "--db", db, cwd=tmp_path).returncode == 0
