"""The pure heart of snapplan: values, capture, digests, requirement math, units.

Nothing here does I/O or imports from ports, services or adapters.
"""

from typing import TYPE_CHECKING

from snapplan._lazy import lazy_names

if TYPE_CHECKING:
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

# Where each public name lives. The modules are imported on first use of a name (a module-level
# ``__getattr__``, PEP 562), so importing the package costs almost nothing: what a program uses
# is what it pays for (the command line's ``--version`` loads none of the domain).
_WHERE: dict[str, str] = {
    "Capture": "snapplan.domain.capture",
    "CatalogItem": "snapplan.domain.catalog",
    "CatalogView": "snapplan.domain.catalog",
    "Component": "snapplan.domain.catalog",
    "ComponentKind": "snapplan.domain.catalog",
    "Definition": "snapplan.domain.catalog",
    "FinishedGood": "snapplan.domain.catalog",
    "FinishedUnit": "snapplan.domain.catalog",
    "Ingredient": "snapplan.domain.catalog",
    "IngredientLine": "snapplan.domain.catalog",
    "MaterialUnit": "snapplan.domain.catalog",
    "Recipe": "snapplan.domain.catalog",
    "SubRecipe": "snapplan.domain.catalog",
    "CatalogReport": "snapplan.domain.catalog_check",
    "DanglingReference": "snapplan.domain.catalog_check",
    "DefinitionKind": "snapplan.domain.catalog_check",
    "Drift": "snapplan.domain.drift",
    "TargetDrift": "snapplan.domain.drift",
    "TargetKind": "snapplan.domain.drift",
    "AssemblyTarget": "snapplan.domain.events",
    "Event": "snapplan.domain.events",
    "ProductionTarget": "snapplan.domain.events",
    "Limits": "snapplan.domain.limits",
    "Plan": "snapplan.domain.plan",
    "FinishedUnitRequirement": "snapplan.domain.requirements",
    "IngredientRequirement": "snapplan.domain.requirements",
    "MaterialRequirement": "snapplan.domain.requirements",
    "RecipeRequirement": "snapplan.domain.requirements",
    "Requirements": "snapplan.domain.requirements",
    "CapturedSnapshot": "snapplan.domain.snapshots",
    "ComponentSnapshot": "snapplan.domain.snapshots",
    "FinishedGoodSnapshot": "snapplan.domain.snapshots",
    "FinishedUnitSnapshot": "snapplan.domain.snapshots",
    "MaterialUnitSnapshot": "snapplan.domain.snapshots",
    "RecipeLineSnapshot": "snapplan.domain.snapshots",
    "RecipeSnapshot": "snapplan.domain.snapshots",
    "Snapshot": "snapplan.domain.snapshots",
    "SnapshotKind": "snapplan.domain.snapshots",
    "SubRecipeSnapshot": "snapplan.domain.snapshots",
}


__getattr__, __dir__ = lazy_names(__name__, _WHERE)


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
