"""The pure heart of snapplan: values, capture, digests, requirement math, units.

Nothing here does I/O or imports from ports, services or adapters.
"""

from snapplan.domain.capture import Capture, CatalogView
from snapplan.domain.catalog import (
    CatalogItem,
    Component,
    ComponentKind,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Recipe,
    SubRecipe,
)
from snapplan.domain.catalog_check import CatalogReport, DanglingReference
from snapplan.domain.drift import Drift, TargetDrift
from snapplan.domain.events import AssemblyTarget, Event, ProductionTarget
from snapplan.domain.limits import Limits
from snapplan.domain.plan import Plan
from snapplan.domain.requirements import (
    FinishedUnitRequirement,
    IngredientRequirement,
    MaterialRequirement,
    RecipeRequirement,
    Requirements,
)
from snapplan.domain.snapshots import (
    ComponentSnapshot,
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeLineSnapshot,
    RecipeSnapshot,
    Snapshot,
    SubRecipeSnapshot,
)

__all__ = [
    "AssemblyTarget",
    "Capture",
    "CatalogItem",
    "CatalogReport",
    "CatalogView",
    "Component",
    "ComponentKind",
    "ComponentSnapshot",
    "DanglingReference",
    "Drift",
    "Event",
    "FinishedGood",
    "FinishedGoodSnapshot",
    "FinishedUnit",
    "FinishedUnitRequirement",
    "FinishedUnitSnapshot",
    "Ingredient",
    "IngredientLine",
    "IngredientRequirement",
    "Limits",
    "MaterialRequirement",
    "MaterialUnit",
    "MaterialUnitSnapshot",
    "Plan",
    "ProductionTarget",
    "Recipe",
    "RecipeLineSnapshot",
    "RecipeRequirement",
    "RecipeSnapshot",
    "Requirements",
    "Snapshot",
    "SubRecipe",
    "SubRecipeSnapshot",
    "TargetDrift",
]
