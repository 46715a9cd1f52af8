"""Benchmark: ``snapplan load`` and ``snapplan sync`` of a catalog file of N items, timed.

    python bench/catalog_bench.py [--n 10000 20000 100000] [--catalog plain|bakery] [--json]

Each step is the ``snapplan`` command run in its own process on a fresh SQLite file in a
temporary directory, timed from outside (start-up included):

- ``load``: the file loaded into an empty database;
- ``sync``: the file synced into an empty database (everything added);
- ``sync again``: the same file synced once more (everything matched by name, nothing written);
- ``sync changed``: the file with every recipe line's amount changed (bakery only).

The catalogs: ``plain`` is N ingredients named ``Ingredient i``, the issue's attack; ``bakery``
is N items of every kind, groups of an ingredient, a recipe with two lines (and a sub-recipe in
chains of three), a finished unit, a material unit and a finished good (nesting the previous one
in pairs), with an event every 50 groups. Loading must grow linearly: twice the items, about
twice the time (``tests/cli/test_linear_loading.py`` pins it by counting calls).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def plain(n: int) -> str:
    return "\n".join(f'[[ingredient]]\nname = "Ingredient {i}"\n' for i in range(n))


def bakery(n: int) -> str:
    parts: list[str] = []
    for i in range(n // 5):
        parts.append(f'[[ingredient]]\nname = "Ingredient {i}"\n')
        sub = f'sub_recipes = [{{ recipe = "Recipe {i - 1}", batches = 0.5 }}]\n' if i % 3 else ""
        parts.append(
            f'[[recipe]]\nname = "Recipe {i}"\n'
            f'lines = [{{ ingredient = "Ingredient {i}", quantity = 1.5, unit = "cup" }},'
            f' {{ ingredient = "Ingredient {i // 2}", quantity = 2, unit = "g" }}]\n{sub}'
        )
        parts.append(
            f'[[finished_unit]]\nname = "Unit {i}"\nrecipe = "Recipe {i}"\nitems_per_batch = 12\n'
        )
        parts.append(f'[[material_unit]]\nname = "Box {i}"\n')
        nested = f', {{ finished_good = "Good {i - 1}", quantity = 1 }}' if i % 2 else ""
        parts.append(
            f'[[finished_good]]\nname = "Good {i}"\ncomponents = ['
            f'{{ finished_unit = "Unit {i}", quantity = 6 }}, '
            f'{{ material_unit = "Box {i}", quantity = 1 }}{nested}]\n'
        )
        if i % 50 == 49:
            parts.append(
                f'[[event]]\nname = "Event {i}"\n'
                f'production = [{{ recipe = "Recipe {i}", batches = 2 }}]\n'
                f'assembly = [{{ finished_good = "Good {i}", quantity = 10 }}]\n'
            )
    return "\n".join(parts)


def timed(*args: str | Path) -> float:
    """Seconds ``snapplan ARGS`` took; it must succeed."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "snapplan.cli", *map(str, args)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def measure(n: int, catalog: str, work: Path) -> dict[str, float]:
    text = plain(n) if catalog == "plain" else bakery(n)
    path = work / f"{catalog}-{n}.toml"
    path.write_text(text, encoding="utf-8")
    times = {
        "load": timed("load", path, "--db", work / f"load-{n}.sqlite"),
        "sync": timed("sync", path, "--db", work / f"sync-{n}.sqlite"),
        "sync again": timed("sync", path, "--db", work / f"sync-{n}.sqlite"),
    }
    if catalog == "bakery":
        changed = work / f"{catalog}-{n}-changed.toml"
        changed.write_text(text.replace("quantity = 1.5", "quantity = 1.75"), encoding="utf-8")
        times["sync changed"] = timed("sync", changed, "--db", work / f"sync-{n}.sqlite")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 20_000, 100_000])
    parser.add_argument("--catalog", choices=["plain", "bakery"], default="plain")
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        for n in args.n:
            results[n] = measure(n, args.catalog, Path(directory))
            if not args.json:
                steps = results[n].items()
                shown = "  ".join(f"{step} {seconds:6.2f} s" for step, seconds in steps)
                print(f"{args.catalog} N={n:>7}  {shown}", flush=True)
    if args.json:
        print(json.dumps({"catalog": args.catalog, "seconds": results}, indent=2))


if __name__ == "__main__":
    main()
