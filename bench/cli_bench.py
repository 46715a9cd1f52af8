"""How quickly the command line answers (the performance issue's goal 4), in one run.

    python bench/cli_bench.py [--rounds R] [--json]

Each command runs in a fresh interpreter, the commands interleaved round by round (so that a
busy moment of the machine touches all of them alike); each one's best wall time of ``R``
rounds is reported, and the ratios the goals name:

- ``snapplan -V`` and ``snapplan --help`` <= 2 x ``python -c "import attrs"``;
- a read command on the demo database (``progress``, ``requirements``) <= 1.5 x
  ``python -c "import sqlalchemy"``;
- ``import snapplan`` <= 1.3 x ``import attrs, cattrs``.

The demo database is made first with ``snapplan demo`` in a temporary folder (not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    python = sys.executable
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="snapplan-cli-bench-") as folder:
        db = str(Path(folder) / "demo.sqlite")
        out = subprocess.run(
            [python, "-m", "snapplan", "demo", "--db", db],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        plan = next(line.split()[1] for line in out.splitlines() if line.split()[:1] == ["plan"])
        commands = {
            "import attrs": [python, "-c", "import attrs"],
            "import attrs, cattrs": [python, "-c", "import attrs, cattrs"],
            "import sqlalchemy": [python, "-c", "import sqlalchemy"],
            "import snapplan": [python, "-c", "import snapplan"],
            "snapplan -V": [python, "-m", "snapplan", "-V"],
            "snapplan --help": [python, "-m", "snapplan", "--help"],
            "snapplan progress": [python, "-m", "snapplan", "progress", plan, "--db", db],
            "snapplan requirements": [python, "-m", "snapplan", "requirements", plan, "--db", db],
        }
        best = dict.fromkeys(commands, float("inf"))
        for _ in range(args.rounds):
            for name, command in commands.items():
                best[name] = min(best[name], wall(command, env))
    report: dict[str, float] = {f"{name} seconds": value for name, value in best.items()}
    report["-V / import attrs"] = best["snapplan -V"] / best["import attrs"]
    report["--help / import attrs"] = best["snapplan --help"] / best["import attrs"]
    report["progress / import sqlalchemy"] = best["snapplan progress"] / best["import sqlalchemy"]
    report["requirements / import sqlalchemy"] = (
        best["snapplan requirements"] / best["import sqlalchemy"]
    )
    report["import snapplan / import attrs, cattrs"] = (
        best["import snapplan"] / best["import attrs, cattrs"]
    )
    if args.json:
        print(json.dumps(report))
        return
    for key, value in report.items():
        print(f"{key:42} {value:.4f}")


if __name__ == "__main__":
    main()
