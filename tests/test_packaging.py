"""The package as a host sees it: light import (no database driver, no hypothesis, no command
line), the pytest plugin's fixtures; the sdist and the wheel as built from the project's files,
and the wheel installed in a fresh venv.
"""

from __future__ import annotations

import email.parser
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from email.message import Message
from pathlib import Path
from typing import Any

import attrs
import pytest

from snapplan import Ingredient
from snapplan.testing.catalog import save


def test_import_snapplan_pulls_in_neither_sqlalchemy_nor_hypothesis() -> None:
    probe = (
        "import sys, snapplan, snapplan.testing, snapplan.testing.plugin; "
        "print(sorted(m for m in ('sqlalchemy', 'hypothesis', 'psycopg') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_plugin_offers_a_memory_store(snapplan_memory_store: Any) -> None:
    flour = Ingredient("Flour")
    save(snapplan_memory_store, flour)
    with snapplan_memory_store.unit_of_work() as uow:
        assert uow.ingredients.get(flour.id) == flour


def test_the_plugin_offers_a_sqlite_store(snapplan_sqlite_store: Any) -> None:
    flour = Ingredient("Flour")
    save(snapplan_sqlite_store, flour)
    with snapplan_sqlite_store.unit_of_work() as uow:
        assert uow.ingredients.get(flour.id) == flour
    assert snapplan_sqlite_store.engine.dialect.name == "sqlite"


def imported_by(code: str) -> list[str]:
    """The modules ``python -c code`` imports (``sys.modules`` after it), sorted."""
    listed = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return listed.split()


def test_the_whole_library_imports_no_module_of_the_command_line() -> None:
    modules = imported_by("import snapplan; [getattr(snapplan, n) for n in snapplan.__all__]")
    assert "snapplan.services" in modules  # the listing is what it should be
    assert [m for m in modules if m == "snapplan.cli" or m.startswith("snapplan.cli.")] == []


def test_import_snapplan_imports_a_name_s_module_on_its_first_use() -> None:
    # the package and the few lines that make its names load on first use, nothing else
    imported = [m for m in imported_by("import snapplan") if m.startswith("snapplan")]
    assert imported == ["snapplan", "snapplan._lazy"]
    modules = imported_by("from snapplan import Limits")
    assert "snapplan.domain.limits" in modules
    assert "snapplan.services" not in modules


# The built distributions.

REPO = Path(__file__).resolve().parents[1]
#: Where a wheel ships what the help points at (pyproject: wheel force-include).
SHIPPED = {
    "snapplan/docs/catalog-format.md": "docs/catalog-format.md",
    "snapplan/docs/bakery.toml": "examples/bakery.toml",
}


@attrs.frozen
class Built:
    sdist: Path
    wheel: Path

    def sdist_names(self) -> set[str]:
        with tarfile.open(self.sdist) as archive:
            return {name.partition("/")[2] for name in archive.getnames()}

    def wheel_names(self) -> set[str]:
        with zipfile.ZipFile(self.wheel) as archive:
            return set(archive.namelist())

    def metadata(self) -> Message:
        with zipfile.ZipFile(self.wheel) as archive:
            text = archive.read("snapplan-0.1.0.dist-info/METADATA").decode()
        return email.parser.Parser().parsestr(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sdist and the wheel, built from this source tree by the project's build backend."""
    pytest.importorskip("hatchling", reason="building needs the dev extra (hatchling)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    [sdist] = out.glob("snapplan-*.tar.gz")
    [wheel] = out.glob("snapplan-*.whl")
    return Built(sdist, wheel)


def test_the_sdist_holds_the_tests_and_what_they_read(built: Built) -> None:
    names = built.sdist_names()
    tests = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "tests").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert tests <= names
    assert {"tests/postgres_schemas.py", "tests/cli/conftest.py"} <= tests
    assert {"pyproject.toml", "LICENSE", "README.md", "PKG-INFO", *SHIPPED.values()} <= names


def test_the_sdist_holds_every_file_the_readme_links_to(built: Built) -> None:
    readme = (REPO / "README.md").read_text()
    links = set(re.findall(r"\]\(([^)#:]+)\)", readme))  # relative links: no scheme
    assert links
    assert links <= built.sdist_names()


def test_the_wheel_ships_what_the_help_points_at_and_the_license(built: Built) -> None:
    names = built.wheel_names()
    assert set(SHIPPED) <= names
    assert "snapplan-0.1.0.dist-info/licenses/LICENSE" in names
    assert "snapplan/py.typed" in names
    with zipfile.ZipFile(built.wheel) as archive:
        for shipped, source in SHIPPED.items():
            assert archive.read(shipped) == (REPO / source).read_bytes()


def test_the_metadata_says_the_license_and_the_pythons_that_are_tested(built: Built) -> None:
    metadata = built.metadata()
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n")
    classifiers = metadata.get_all("Classifier") or []
    assert not [c for c in classifiers if c.startswith("License ::")]  # the expression says it
    assert "Development Status :: 3 - Alpha" in classifiers
    pythons = {
        c.removeprefix("Programming Language :: Python :: ")
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    assert pythons == {"3.11", "3.12", "3.13"}
    assert metadata["Requires-Python"] == ">=3.11"


@pytest.mark.slow  # a venv and an install: CI's newest-Python run is that install already
def test_the_wheel_installed_in_a_fresh_venv_runs_help_and_demo(
    built: Built, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    # The wheel alone (--no-deps): its dependencies are this environment's, seen by the new
    # venv after its own site-packages (a .pth file). Resolving and installing them costs ten
    # times more and is CI's newest-Python step already (the sdist with its extras in a fresh
    # venv); the metadata that names them is checked above.
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(own).joinpath("_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    subprocess.run([*install, "--no-deps", str(built.wheel)], check=True, capture_output=True)
    script = python.with_name("snapplan")
    work = tmp_path / "work"  # no source tree here: only the installed wheel can answer
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SNAPPLAN_DB")}

    def run(*args: str | Path) -> str:
        result = subprocess.run(
            [str(script), *map(str, args)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    help_text = run("--help")
    pointed_at = [Path(p) for p in re.findall(r"^  (?:format|example): +(\S+)$", help_text, re.M)]
    demo = run("demo", "--db", work / "demo.sqlite")
    loaded = run("load", pointed_at[1], "--db", work / "bakery.sqlite")

    assert [p.name for p in pointed_at] == ["catalog-format.md", "bakery.toml"]
    for path in pointed_at:
        assert path.is_file()
        assert path.is_relative_to(venv)  # the installed copy, not the source tree's
    assert re.search(r"Sugar Cookies\s+9\s+8 ⅓\s+24\n", demo)
    assert "5 ingredients, 5 recipes" in loaded
    assert run("-V") == "snapplan 0.1.0\n"
