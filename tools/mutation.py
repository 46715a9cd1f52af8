"""Mutation testing of snapplan/domain with cosmic-ray (slow: never run in CI).

Usage (from the repository root, after ``pip install -e ".[dev,mutation]"``)::

    nice -n 10 .venv/bin/python tools/mutation.py                  # random sample, seed 2024
    nice -n 10 .venv/bin/python tools/mutation.py --jobs 2         # two mutants at a time
    nice -n 10 .venv/bin/python tools/mutation.py --sample 400 --seed 7
    nice -n 10 .venv/bin/python tools/mutation.py --all            # every mutant (hours)
    nice -n 10 .venv/bin/python tools/mutation.py --only build/mutation/survivors.keys
    .venv/bin/python tools/mutation.py --list                      # count mutants, run nothing

What it does:

1. copies the working tree (tracked files and new, not ignored ones) to ``--workdir``
   (default ``build/mutation/src``, one copy per ``--jobs``, each tested by a cosmic-ray HTTP
   worker on localhost), so mutants never touch your checkout;
2. ``cosmic-ray init`` over the folder ``snapplan/domain`` (every ``.py`` file in it, including
   files added later) with cosmic-ray's core operators;
3. keeps a random sample (``--sample N``, ``--seed S``: the mutants are sorted by file, operator
   and occurrence, then ``random.Random(S).sample`` picks N of them; the others are marked
   skipped), or every mutant (``--all``), or the mutants named in a keys file (``--only``);
4. runs the baseline (the tests must pass unmutated), then every kept mutant against the
   in-memory tests (:data:`TESTS`, stopping at the first failure; SQLite and PostgreSQL tests
   and tests marked slow are deselected, ``SNAPPLAN_TEST_POSTGRES_URL`` is removed from the
   environment, and Hypothesis runs with a fixed seed and no example database, so a run is
   reproducible);
5. writes ``report.txt`` (the score and every surviving mutant's diff) and ``survivors.keys``
   (one ``file:operator:occurrence`` a line, for ``--only``) next to the copy, and prints them.

A mutant's key names it exactly while the file it is in is unchanged. The same seed over the
same sources draws the same sample; a change to a domain file changes the mutants (and so the
sample) of the whole run, which is why the report states the commit it ran on.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = "snapplan/domain"

#: The tests each mutant runs against, fastest and most domain-specific first (``-x`` stops
#: at the first failure, so a mutant is usually killed in the first file or two): the files
#: that work on the pure domain, then the scenarios and properties run on the memory store.
TESTS = [
    "tests/test_units.py",
    "tests/test_graph.py",
    "tests/test_digests.py",
    "tests/test_values.py",
    "tests/test_typing.py",
    "tests/test_requirements_scenarios.py",
    "tests/test_drift_and_check.py",
    "tests/test_drift_changes.py",
    "tests/test_memory_store.py",
    "tests/test_planning_scenarios.py",
    "tests/test_properties.py",
    "tests/test_execution_scenarios.py",
    "tests/test_execution_rules.py",
    "tests/test_ledger_properties.py",
    "tests/test_integrity.py",
    "tests/test_trusted.py",
    "tests/test_digest_spelling.py",
]
#: Only the in-memory variants of tests parametrised over stores, and no slow test (the mypy
#: run of test_typing.py checks a host's code, not the domain's behaviour).
SELECT = "not sqlite and not postgres and not slow"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--sample", type=int, default=330, help="mutants drawn at random (330)")
    how.add_argument("--all", action="store_true", help="run every mutant")
    how.add_argument("--only", type=Path, help="run the mutants whose keys this file lists")
    how.add_argument("--list", action="store_true", help="count the mutants and stop")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the sample (2024)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant (120)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (1)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "mutation")
    args = parser.parse_args(argv)

    workdir: Path = args.workdir.resolve()
    # one copy per job: cosmic-ray writes each mutant into the files of the copy testing it
    copies = [workdir / ("src" if job == 1 else f"src-{job}") for job in range(1, args.jobs + 1)]
    session = workdir / "session.sqlite"
    config = workdir / "cosmic-ray.toml"
    args.source = _git("rev-parse", "--short", "HEAD").strip()  # what the report says it ran on
    if _git("status", "--porcelain", "--untracked-files=no").strip():
        args.source += " with uncommitted changes"
    for copy in copies:
        _copy_tree(copy)
    tests = [t for t in TESTS if (copies[0] / t).exists()]
    ports = [_free_port() for _ in copies] if args.jobs > 1 else []
    config.write_text(_config(args.timeout, tests, ports))
    session.unlink(missing_ok=True)

    env = dict(os.environ)
    env.pop("SNAPPLAN_TEST_POSTGRES_URL", None)
    env.pop("SNAPPLAN_HYPOTHESIS_PROFILE", None)  # the quick profile
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # a mutant must never run from a stale .pyc

    def cosmic_ray(*words: str) -> None:
        subprocess.run([_tool("cosmic-ray"), *words], cwd=copies[0], env=env, check=True)

    cosmic_ray("init", str(config), str(session))
    keep = _choose(session, args)
    if args.list:
        return 0
    print(f"running {keep} mutants of {TARGET} (see {workdir / 'report.txt'})", flush=True)
    started = time.monotonic()
    with contextlib.ExitStack() as workers:
        for copy, port in zip(copies, ports, strict=False):
            workers.enter_context(_http_worker(copy, port, env))
        cosmic_ray("baseline", str(config))
        cosmic_ray("exec", str(config), str(session))
    minutes = (time.monotonic() - started) / 60
    report = _report(session, args, minutes)
    (workdir / "report.txt").write_text(report)
    print(report)
    return 0


def _copy_tree(src: Path) -> None:
    """The working tree's files (tracked, and new ones git does not ignore) into ``src``."""
    listed = _git("ls-files", "--cached", "--others", "--exclude-standard", "-z")
    shutil.rmtree(src, ignore_errors=True)
    for name in filter(None, listed.split("\0")):
        origin = ROOT / name
        if origin.is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, src / name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _http_worker(copy: Path, port: int, env: dict[str, str]) -> Iterator[None]:
    """A cosmic-ray HTTP worker testing mutants in ``copy`` (stopped when the block ends)."""
    log = (copy.parent / f"worker-{port}.log").open("w")
    worker = subprocess.Popen(
        [_tool("cosmic-ray"), "http-worker", "--port", str(port)],
        cwd=copy,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(600):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if worker.poll() is not None:
                sys.exit(f"the cosmic-ray worker in {copy} stopped; see {log.name}")
            time.sleep(0.1)
        yield
    finally:
        worker.terminate()
        worker.wait()
        log.close()


def _config(timeout: float, tests: list[str], ports: list[int]) -> str:
    # Each run starts without a Hypothesis example database, so one mutant's failing example
    # never helps kill the next one; `python -m` puts the copy first on sys.path (before the
    # editable install of the checkout).
    pytest = " ".join(
        [
            f"{sys.executable} -m pytest -x -q -p no:cacheprovider --hypothesis-seed=0",
            f"-k '{SELECT}'",
            *tests,
        ]
    )
    command = f"rm -rf .hypothesis; exec {pytest}"
    return (
        "[cosmic-ray]\n"
        f'module-path = "{TARGET}"\n'
        f"timeout = {timeout}\n"
        "excluded-modules = []\n"
        f"test-command = {_toml_string(f'sh -c {_sh_quote(command)}')}\n"
        "\n[cosmic-ray.distributor]\n"
        + ('name = "local"\n' if not ports else 'name = "http"\n')
        + (
            "\n[cosmic-ray.distributor.http]\n"
            + "worker-urls = ["
            + ", ".join(f'"http://127.0.0.1:{port}"' for port in ports)
            + "]\n"
            if ports
            else ""
        )
    )


def _choose(session: Path, args: argparse.Namespace) -> int:
    """Mark every mutant not chosen as skipped; return how many are kept."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(session), WorkDB.Mode.open) as db:
        items = sorted(db.work_items, key=_key)
        per_file = collections.Counter(str(i.mutations[0].module_path) for i in items)
        print(f"{len(items)} mutants in {TARGET}: " + ", ".join(
            f"{Path(name).name} {count}" for name, count in sorted(per_file.items())
        ))  # fmt: skip
        if args.list:
            return len(items)
        if args.all:
            chosen = items
        elif args.only:
            wanted = set(args.only.read_text().split())
            chosen = [i for i in items if _key(i) in wanted]
            missing = wanted - {_key(i) for i in chosen}
            if missing:
                sys.exit(f"no such mutant (the sources changed?): {sorted(missing)[0]}")
        else:
            chosen = random.Random(args.seed).sample(items, min(args.sample, len(items)))
        chosen_ids = {i.job_id for i in chosen}
        db.set_multiple_results(
            [i.job_id for i in items if i.job_id not in chosen_ids],
            WorkResult(worker_outcome=WorkerOutcome.SKIPPED),
        )
        return len(chosen)


def _key(item: object) -> str:
    mutation = item.mutations[0]  # type: ignore[attr-defined]
    return f"{mutation.module_path}:{mutation.operator_name}:{mutation.occurrence}"


def _report(session: Path, args: argparse.Namespace, minutes: float) -> str:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    with use_db(str(session), WorkDB.Mode.open) as db:
        done = [
            (item, result)
            for item, result in db.completed_work_items
            if result.worker_outcome != WorkerOutcome.SKIPPED
        ]
    done.sort(key=lambda pair: _key(pair[0]))
    outcomes = collections.Counter(
        "timeout (killed)"
        if r.test_outcome == TestOutcome.KILLED and r.output == "timeout"
        else str(r.test_outcome or r.worker_outcome)
        for _, r in done
    )
    survivors = [(i, r) for i, r in done if r.test_outcome == TestOutcome.SURVIVED]
    ran = sum(1 for _, r in done if r.test_outcome is not None)
    killed = ran - len(survivors)
    how = (
        "all mutants"
        if args.all
        else f"the mutants listed in {args.only}"
        if args.only
        else f"a random sample of {args.sample} (seed {args.seed})"
    )
    lines = [
        f"cosmic-ray over {TARGET} at {args.source} (and new files git does not ignore)",
        f"run: {how}; {len(done)} mutants in {minutes:.1f} min",
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())),
        f"score: {killed} / {ran} killed ({100 * killed / max(ran, 1):.1f} %), "
        f"{len(survivors)} survived",
        "",
    ]
    for item, result in survivors:
        lines += [f"SURVIVED {_key(item)}", (result.diff or "").rstrip(), ""]
    (args.workdir.resolve() / "survivors.keys").write_text(
        "".join(f"{_key(i)}\n" for i, _ in survivors)
    )
    return "\n".join(lines) + "\n"


def _git(*words: str) -> str:
    return subprocess.run(
        ["git", *words], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    if not found.exists():
        sys.exit(f'{name} not found next to {sys.executable}: pip install -e ".[mutation]"')
    return str(found)


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    sys.exit(main())
