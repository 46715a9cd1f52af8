"""How quickly the command line answers (the performance issue's goal 4), in one run.

    python bench/cli_bench.py [--rounds R] [--baseline DIR] [--json]

Each command runs in a fresh interpreter, the commands interleaved round by round (so that a
busy moment of the machine touches all of them alike); each one's best wall time of ``R``
rounds is reported, and the ratios the goals name; and the same for CPU time (user + system),
which a busy shared machine disturbs far less than wall time (the goals are wall times: on an
idle machine, where a command waits for nothing, the two agree):

- ``snapplan -V`` and ``snapplan --help`` <= 2 x ``python -c "import attrs"``;
- a read command on the demo database (``progress``, ``requirements``, ``pantry``, ``runs``)
  <= 1.5 x ``python -c "import sqlalchemy"``;
- ``import snapplan`` <= 1.3 x ``import attrs, cattrs``.

The demo database is made first with ``snapplan demo`` in a temporary folder (not timed).
Every module is read from its bytecode, as an installed package's are (pip compiles them): the
commands run with a bytecode cache of their own in that folder (``PYTHONPYCACHEPREFIX``, so
that no ``__pycache__`` is written into the source tree; ``PYTHONDONTWRITEBYTECODE`` is
dropped), filled by one untimed round. Without it, a source checkout run with
``PYTHONDONTWRITEBYTECODE`` compiles all of snapplan in every command (about 0.35 s of CPU for
a read command, issue 19) while SQLAlchemy and attrs load from their installed bytecode.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The command's wall time and its CPU time (user + system, of the process it ran)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


#: The ratios the goals name: (what, over what).
RATIOS = {
    "-V / import attrs": ("snapplan -V", "import attrs"),
    "--help / import attrs": ("snapplan --help", "import attrs"),
    "progress / import sqlalchemy": ("snapplan progress", "import sqlalchemy"),
    "requirements / import sqlalchemy": ("snapplan requirements", "import sqlalchemy"),
    "pantry / import sqlalchemy": ("snapplan pantry", "import sqlalchemy"),
    "runs / import sqlalchemy": ("snapplan runs", "import sqlalchemy"),
    "import snapplan / import attrs, cattrs": ("import snapplan", "import attrs, cattrs"),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        help="also time snapplan's commands from this source tree (e.g. an export of main), "
        "interleaved with this one's; its figures are reported with ' (baseline)'",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    python = sys.executable
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="snapplan-cli-bench-") as folder:
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
        db = str(Path(folder) / "demo.sqlite")
        out = subprocess.run(
            [python, "-m", "snapplan", "demo", "--db", db],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        plan = next(line.split()[1] for line in out.splitlines() if line.split()[:1] == ["plan"])
        snapplan = {
            "import snapplan": ["-c", "import snapplan"],
            "snapplan -V": ["-m", "snapplan", "-V"],
            "snapplan --help": ["-m", "snapplan", "--help"],
            "snapplan progress": ["-m", "snapplan", "progress", plan, "--db", db],
            "snapplan requirements": ["-m", "snapplan", "requirements", plan, "--db", db],
            "snapplan pantry": ["-m", "snapplan", "pantry", "--db", db],
            "snapplan runs": ["-m", "snapplan", "runs", plan, "--db", db],
        }
        runs: dict[str, tuple[list[str], dict[str, str]]] = {
            "import attrs": ([python, "-c", "import attrs"], env),
            "import attrs, cattrs": ([python, "-c", "import attrs, cattrs"], env),
            "import sqlalchemy": ([python, "-c", "import sqlalchemy"], env),
        }
        runs.update({name: ([python, *argv], env) for name, argv in snapplan.items()})
        if args.baseline is not None:
            # The baseline's own bytecode cache: both trees hold modules of the same paths.
            other = {
                **env,
                "PYTHONPATH": str(Path(args.baseline).resolve()),
                "PYTHONPYCACHEPREFIX": str(Path(folder) / "bytecode-baseline"),
            }
            for name, argv in snapplan.items():
                runs[f"{name} (baseline)"] = ([python, *argv], other)
        for command, command_env in runs.values():  # untimed: fills the bytecode caches
            timed(command, command_env)
        best = dict.fromkeys(runs, float("inf"))
        best_cpu = dict.fromkeys(runs, float("inf"))
        for _ in range(args.rounds):
            for name, (command, command_env) in runs.items():
                elapsed, cpu = timed(command, command_env)
                best[name] = min(best[name], elapsed)
                best_cpu[name] = min(best_cpu[name], cpu)
    report: dict[str, float] = {f"{name} seconds": value for name, value in best.items()}
    report.update({f"{name} cpu seconds": value for name, value in best_cpu.items()})
    for ratio, (what, over) in RATIOS.items():
        report[ratio] = best[what] / best[over]
        report[f"{ratio} (cpu)"] = best_cpu[what] / best_cpu[over]
        if args.baseline is not None:
            report[f"{ratio} (baseline)"] = best[f"{what} (baseline)"] / best[over]
            report[f"{ratio} (baseline, cpu)"] = best_cpu[f"{what} (baseline)"] / best_cpu[over]
    if args.json:
        print(json.dumps(report))
        return
    for key, value in report.items():
        print(f"{key:52} {value:.4f}")


if __name__ == "__main__":
    main()
