"""Catalog warnings: typos in units, nesting deeper than the default limits, names load copies.

Warnings are lines on stderr starting ``snapplan: warning:``; the command still succeeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from snapplan.cli import main
from snapplan.cli.catalog_file import parse_catalog
from snapplan.cli.catalog_warnings import catalog_warnings, depth_warnings, suggest_unit
from snapplan.domain.limits import Limits

TYPO = """
[[ingredient]]
name = "Flour"

[[ingredient]]
name = "Salt"
measures = ["1 pinch = 0.4 g"]  # a unit of its own, converted by its measure: no warning

[[recipe]]
name = "Bread"
lines = [
    { ingredient = "Flour", quantity = 4, unit = "cupz" },
    { ingredient = "Salt", quantity = 1, unit = "pinch" },
    { ingredient = "Salt", quantity = 1, unit = "tsp." },
]
"""


@pytest.fixture(autouse=True)
def _in_tmp_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SNAPPLAN_DB", raising=False)


def snapplan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def write(text: str, name: str = "catalog.toml") -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


# -- units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("cupz", "cup"),
        ("CUPZ", "cup"),
        ("tsp.", "tsp"),
        ("kgs", "kg"),
        ("gramms", "grams"),
        ("tbps", "tbsp"),  # two letters swapped
        ("tbs", "tbsp"),
        ("teaspon", "teaspoon"),
        ("mililiter", "milliliter"),
        ("fl. oz", "fl oz"),
    ],
)
def test_a_unit_close_to_a_known_one_gets_a_suggestion(written: str, suggested: str) -> None:
    assert suggest_unit(written) == suggested


@pytest.mark.parametrize(
    "written",
    # Known units and aliases, and real units of their own that merely look short or similar.
    ["cup", "Cups", "g", "fl oz", "each", "pinch", "sprig", "clove", "can", "cl", "dl", "pt", "T",
     "pkg", "stick", "slice", "dash", "head", "bunch"],
)  # fmt: skip
def test_known_and_unrelated_units_get_none(written: str) -> None:
    assert suggest_unit(written) is None


def test_load_warns_once_per_line_whose_unit_looks_like_a_typo(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = snapplan(capsys, "load", write(TYPO), "--db", "bakery.sqlite")

    assert status == 0
    assert out.startswith("Loaded catalog.toml into bakery.sqlite: 2 ingredients, 1 recipe")
    assert err.splitlines() == [
        "snapplan: warning: catalog.toml: recipe 'Bread', line 1 (Flour), unit: 'cupz' is not a "
        "known unit; did you mean 'cup'? (an unknown unit is kept as written, never converted "
        "or added to other units)",
        "snapplan: warning: catalog.toml: recipe 'Bread', line 3 (Salt), unit: 'tsp.' is not a "
        "known unit; did you mean 'tsp'? (an unknown unit is kept as written, never converted "
        "or added to other units)",
    ]


def test_a_clean_file_loads_without_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    clean = TYPO.replace('"cupz"', '"cup"').replace('"tsp."', '"tsp"')

    status, _, err = snapplan(capsys, "load", write(clean), "--db", "bakery.sqlite")

    assert (status, err) == (0, "")


UNMEASURED = """
[[ingredient]]
name = "Butter"

[[ingredient]]
name = "Eggs"

[[recipe]]
name = "Cake"
lines = [
    { ingredient = "Butter", quantity = 1, unit = "stick" },
    { ingredient = "Eggs", quantity = 2, unit = "large" },
    { ingredient = "Eggs", quantity = 2, unit = "each" },
]

[[recipe]]
name = "Pie"
lines = [{ ingredient = "Butter", quantity = 2, unit = "stick" }]
"""


def test_an_unknown_unit_the_ingredient_cannot_convert_points_to_its_measures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 17, rough edge 8: `stick` and `large` were accepted silently, and never summed
    with anything (`large` eggs and `each` eggs gave two lines)."""
    status, _, err = snapplan(capsys, "load", write(UNMEASURED), "--db", "bakery.sqlite")

    assert status == 0
    assert err.splitlines() == [
        "snapplan: warning: catalog.toml: recipe 'Cake', line 1 and 1 more line (Butter), unit: "
        "'stick' is not a known unit: it is kept as written, on a line of its own, and the "
        "pantry and the shopping list convert it only through the ingredient's measures: give "
        "ingredient 'Butter' one, measures = [\"1 stick = N g\"] (see Measures in the catalog "
        "format)",
        "snapplan: warning: catalog.toml: recipe 'Cake', line 2 (Eggs), unit: 'large' is not a "
        "known unit: it is kept as written, on a line of its own, and the pantry and the "
        "shopping list convert it only through the ingredient's measures: give ingredient "
        "'Eggs' one, measures = [\"1 large = N each\"] (see Measures in the catalog format)",
    ]
    measured = UNMEASURED.replace(
        'name = "Butter"', 'name = "Butter"\nmeasures = ["1 stick = 113 g"]'
    ).replace('name = "Eggs"', 'name = "Eggs"\nmeasures = ["1 large = 1 each"]')
    status, _, err = snapplan(capsys, "sync", write(measured), "--db", "bakery.sqlite")
    assert (status, err) == (0, "")


# -- depth ------------------------------------------------------------------------------------


def recipe_chain(length: int) -> str:
    """Recipes R1 -> R2 -> ... -> R<length>, each the sub-recipe of the one before."""
    text = ""
    for n in range(1, length + 1):
        text += f'[[recipe]]\nname = "R{n}"\n'
        if n < length:
            text += f'sub_recipes = [{{ recipe = "R{n + 1}", batches = 1 }}]\n'
    return text


def good_chain(length: int) -> str:
    """Goods G1 > G2 > ... > G<length>, each holding the next (length - 1 levels below G1)."""
    text = '[[material_unit]]\nname = "Box"\n'
    for n in range(1, length + 1):
        inner = f'finished_good = "G{n + 1}"' if n < length else 'material_unit = "Box"'
        text += f'[[finished_good]]\nname = "G{n}"\ncomponents = [{{ {inner}, quantity = 1 }}]\n'
    return text


def test_a_chain_of_recipes_within_the_default_limit_is_quiet() -> None:
    assert depth_warnings(parse_catalog(recipe_chain(10))) == []
    assert depth_warnings(parse_catalog(good_chain(11))) == []  # 10 levels below G1


def test_a_sub_recipe_chain_deeper_than_the_default_names_its_root_and_the_flag() -> None:
    assert depth_warnings(parse_catalog(recipe_chain(12))) == [
        "recipe 'R1': its sub-recipes nest 12 recipes deep ('R1' -> 'R2' -> 'R3' -> ... -> "
        "'R11' -> 'R12'), more than the default limit of 10; planning it will need "
        "--max-recipe-depth 12"
    ]


def test_nested_goods_deeper_than_the_default_name_their_root_and_the_flag() -> None:
    assert depth_warnings(parse_catalog(good_chain(12))) == [
        "finished good 'G1': goods nest 11 levels below it ('G1' -> 'G2' -> 'G3' -> ... -> "
        "'G11' -> 'G12'), more than the default limit of 10; planning it will need "
        "--max-good-depth 11"
    ]


def test_only_the_roots_of_deep_chains_are_named_and_limits_can_be_given() -> None:
    # R1 -> R2 -> R3 and X -> R2: two roots, each 3 recipes deep (X's path: X, R2, R3).
    text = (
        recipe_chain(3) + '[[recipe]]\nname = "X"\nsub_recipes = [{ recipe = "R2", batches = 2 }]\n'
    )
    found = depth_warnings(parse_catalog(text), Limits(recipes=2))
    assert [line.split(":")[0] for line in found] == ["recipe 'R1'", "recipe 'X'"]
    assert all(line.endswith("--max-recipe-depth 3") for line in found)


def test_catalog_warnings_prefix_the_file_name() -> None:
    (warning,) = catalog_warnings(parse_catalog(recipe_chain(11)), source="deep.toml")
    assert warning.startswith("deep.toml: recipe 'R1': its sub-recipes nest 11 recipes deep")


def test_sync_warns_about_depth_too(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = snapplan(capsys, "sync", write(recipe_chain(11)), "--db", "b.sqlite")

    assert status == 0
    assert err.startswith("snapplan: warning: catalog.toml: recipe 'R1': its sub-recipes nest 11")
    assert err.rstrip().endswith("planning it will need --max-recipe-depth 11")


# -- load: a name the database already has -------------------------------------------------------


def test_load_warns_when_it_adds_a_name_the_database_has_and_points_at_sync(
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean = TYPO.replace('"cupz"', '"cup"').replace('"tsp."', '"tsp"')
    snapplan(capsys, "load", write(clean), "--db", "bakery.sqlite")

    status, out, err = snapplan(capsys, "load", "catalog.toml", "--db", "bakery.sqlite")

    assert status == 0
    assert out.startswith("Loaded catalog.toml")
    lines = err.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("snapplan: warning: ingredient 'Flour' is already in the database (")
    assert lines[0].endswith("); load added another one")
    assert lines[2].startswith("snapplan: warning: recipe 'Bread' is already in the database (")
    assert lines[3] == (
        "snapplan: warning: load always adds copies; to update a database from an edited file, "
        "use snapplan sync catalog.toml --db bakery.sqlite"
    )


def test_many_copies_are_summed_up(capsys: pytest.CaptureFixture[str]) -> None:
    many = "".join(f'[[material_unit]]\nname = "Box {n}"\n' for n in range(8))
    snapplan(capsys, "load", write(many), "--db", "bakery.sqlite")

    _, _, err = snapplan(capsys, "load", "catalog.toml", "--db", "bakery.sqlite")

    lines = err.splitlines()
    assert len(lines) == 6
    assert lines[4] == "snapplan: warning: ... and 4 more like these"


def test_load_then_plan_by_name_is_ambiguous_which_the_warning_foretold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fair = '[[event]]\nname = "Fair"\n'
    snapplan(capsys, "load", write(fair), "--db", "bakery.sqlite")
    _, _, warned = snapplan(capsys, "load", "catalog.toml", "--db", "bakery.sqlite")

    status, _, err = snapplan(capsys, "plan", "Fair", "--db", "bakery.sqlite")

    assert "snapplan: warning: event 'Fair' is already in the database" in warned
    assert status == 1
    assert "2 events are named 'Fair'" in err
