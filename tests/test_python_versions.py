"""Every Python the package claims is one it is tested on, and deprecations in it fail.

pyproject's classifiers name the supported versions; ``requires-python`` starts at the oldest;
CI (``.ci/run``) runs the suite on the oldest and on the newest (``NEWEST_PYTHON``). A
``DeprecationWarning`` raised from snapplan's own code is an error (pyproject's
``filterwarnings``), so the newest Python's deprecations fail CI rather than pass unseen.
"""

from __future__ import annotations

import re
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
CLAIMED = sorted(
    tuple(int(part) for part in match[1].split("."))
    for classifier in PROJECT["classifiers"]
    if (match := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", classifier))
)


def test_this_python_is_one_the_package_claims() -> None:
    assert sys.version_info[:2] in CLAIMED


def test_requires_python_starts_at_the_oldest_claimed_version() -> None:
    oldest = ".".join(map(str, CLAIMED[0]))
    assert PROJECT["requires-python"] == f">={oldest}"
    every_minor = [(3, minor) for minor in range(CLAIMED[0][1], CLAIMED[-1][1] + 1)]
    assert every_minor == CLAIMED  # no gap: a version between two tested ones is claimed


def test_ci_runs_the_newest_claimed_version() -> None:
    ci = REPO / ".ci" / "run"
    if not ci.exists():
        pytest.skip("no .ci/run here (an unpacked sdist)")
    newest = ".".join(map(str, CLAIMED[-1]))
    assert f"\nNEWEST_PYTHON={newest}\n" in ci.read_text()


def test_a_deprecation_warning_from_snapplan_code_is_an_error() -> None:
    code = "import warnings; warnings.warn('old', DeprecationWarning)"
    with pytest.raises(DeprecationWarning, match="old"):
        exec(code, {"__name__": "snapplan.some_module"})
    with warnings.catch_warnings(record=True) as caught:  # elsewhere: a warning, as usual
        warnings.simplefilter("always")
        exec(code, {"__name__": "some_library"})
    assert [str(w.message) for w in caught] == ["old"]
