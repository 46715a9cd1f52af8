"""The pure heart of snapplan: values, capture, digests, requirement math, units.

Nothing here does I/O or imports from ports, services or adapters.
"""

from snapplan.domain.capture import Capture
from snapplan.domain.catalog import (
    CatalogItem,
    CatalogView,
    Component,
    ComponentKind,
    Definition,
    FinishedGood,
    FinishedUnit,
    Ingredient,
    IngredientLine,
    MaterialUnit,
    Recipe,
    SubRecipe,
)
from snapplan.domain.catalog_check import CatalogReport, DanglingReference, DefinitionKind
from snapplan.domain.drift import Drift, TargetDrift, TargetKind
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
    CapturedSnapshot,
    ComponentSnapshot,
    FinishedGoodSnapshot,
    FinishedUnitSnapshot,
    MaterialUnitSnapshot,
    RecipeLineSnapshot,
    RecipeSnapshot,
    Snapshot,
    SnapshotKind,
    SubRecipeSnapshot,
)

__all__ = [
    "AssemblyTarget",
    "Capture",
    "CapturedSnapshot",
    "CatalogItem",
    "CatalogReport",
    "CatalogView",
    "Component",
    "ComponentKind",
    "ComponentSnapshot",
    "DanglingReference",
    "Definition",
    "DefinitionKind",
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
    "SnapshotKind",
    "SubRecipe",
    "SubRecipeSnapshot",
    "TargetDrift",
    "TargetKind",
]
