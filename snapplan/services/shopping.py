"""``shopping_list``: what to buy for some plans; ``plan_cost``: what a plan costs.

See :mod:`snapplan.domain.shopping` for the order of the work (sum, convert, net once, round
to packs last) and :mod:`snapplan.domain.costs` for how a cost is built up.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from snapplan.domain.costs import PlanCost
from snapplan.domain.costs import plan_cost as compute_cost
from snapplan.domain.ledger import check_chain
from snapplan.domain.packs import POLICIES, Policy
from snapplan.domain.plan import Plan
from snapplan.domain.progress import work_left
from snapplan.domain.requirements import compute_requirements
from snapplan.domain.shopping import Need, ShoppingList, list_currency, plan_needs
from snapplan.domain.shopping import shopping_list as compute_list
from snapplan.domain.validators import parse_id
from snapplan.errors import SupersededPlanError, ValidationError
from snapplan.ports.clock import utc_now
from snapplan.ports.unit_of_work import UnitOfWork
from snapplan.services import _arguments as arguments
from snapplan.services._loading import load_plan_snapshots
from snapplan.services.stock import StockFacts


def _counted_plans(uow: UnitOfWork, plan: Plan) -> set[uuid.UUID]:
    """The plan and every plan it supersedes, directly or through earlier re-plans."""
    by_id = {p.id: p for p in uow.plans.for_event(plan.event_id)}
    counted = {plan.id}
    earlier = plan.supersedes
    while earlier is not None and earlier in by_id and earlier not in counted:
        counted.add(earlier)
        earlier = by_id[earlier].supersedes
    return counted


def _needs(uow: UnitOfWork, plan: Plan, *, remaining: bool) -> list[Need]:
    """What one plan needs from the shop: the batches still to bake and the goods still to box
    (``remaining``), or the whole plan."""
    snapshots = load_plan_snapshots(uow, plan)
    ledger = uow.runs.for_event(plan.event_id)
    check_chain(plan.event_id, ledger)
    recipes, goods = work_left(plan, snapshots, ledger, _counted_plans(uow, plan))
    event = uow.events.find_many([plan.event_id]).get(plan.event_id)
    event_name = event.name if event is not None else str(plan.event_id)
    if remaining:
        batches = {r.snapshot_id: r.remaining_batches + r.makeup_batches for r in recipes}
        boxes = {g.snapshot_id: g.remaining for g in goods}
    else:
        batches = {r.snapshot_id: r.planned_batches for r in recipes}
        boxes = {g.snapshot_id: g.planned for g in goods}
    return plan_needs(plan.id, event_name, snapshots, batches, boxes)


def shopping_list(
    uow: UnitOfWork,
    plan_ids: Iterable[uuid.UUID | str],
    *,
    policy: Policy = "cheapest",
    remaining: bool = True,
    use_pantry: bool = True,
    as_of: datetime.datetime | None = None,
    currency: str | None = None,
) -> ShoppingList:
    """What to buy for ``plan_ids`` (plans of one or several events), exactly.

    1. **Needs**, from the plans' snapshots only: with ``remaining`` (the default) the
       ingredients of the batches still to bake (remaining and make-up batches, each recipe's
       own lines) and the packaging of the goods still to assemble; with ``remaining=False``
       the whole plan. Each plan must be its event's latest (``SupersededPlanError``
       otherwise); two plans of one event are a ``ValidationError`` (checked first).
    2. **Summed, converted, netted once, then rounded to packs**: every plan's needs are summed
       per item in its stock unit (through the item's own measures; what cannot be converted
       stays on the line, which is then not complete), the pantry's on hand as of ``as_of`` is
       taken off once (not with ``use_pantry=False``), and only then are packs chosen by
       ``policy``: ``"cheapest"`` (exactly: never greedy by unit price), ``"fewest"`` or
       ``"preferred"``.
    3. Prices as of ``as_of`` (default: now) in ``currency`` (default: the one currency
       quoted; a ``ValidationError`` lists them when there are several).

    The list does not depend on the order of ``plan_ids``. Never commits.
    """
    uow = arguments.unit_of_work(uow)
    if isinstance(plan_ids, (str, uuid.UUID)):
        raise TypeError("plan_ids must be a list of plan ids, not one id")
    wanted = list(dict.fromkeys(parse_id(p, "plan_ids") for p in plan_ids))
    if policy not in POLICIES:
        raise ValidationError(f"policy must be one of {', '.join(POLICIES)}, not {policy!r:.40}")
    arguments.flag(remaining, "remaining")
    arguments.flag(use_pantry, "use_pantry")
    when = arguments.moment(as_of, "as_of") or utc_now()
    with uow:
        found = uow.plans.get_many(wanted)
        names = {
            event.id: event.name
            for event in uow.events.find_many([p.event_id for p in found]).values()
        }
        # sources come by event name (then plan id): readable, and whatever order was asked
        plans = sorted(found, key=lambda p: (names.get(p.event_id, ""), str(p.id)))
        events: dict[uuid.UUID, Plan] = {}
        for plan in plans:
            if plan.event_id in events:
                raise ValidationError(
                    f"plans {events[plan.event_id].id} and {plan.id} are two plans of one event: "
                    "list the latest plan of each event once"
                )
            events[plan.event_id] = plan
        for plan in plans:
            latest = uow.plans.latest(plan.event_id)
            if latest is not None and latest.id != plan.id:
                raise SupersededPlanError(plan.id, latest.id)
        needs = [need for plan in plans for need in _needs(uow, plan, remaining=remaining)]
        facts = StockFacts.read(uow)
    return compute_list(
        needs,
        facts.items,
        facts.products,
        facts.prices(when),
        facts.pantry(when),
        policy=policy,
        use_pantry=use_pantry,
        currency=currency,
    )


def plan_cost(
    uow: UnitOfWork,
    plan_id: uuid.UUID | str,
    *,
    as_of: datetime.datetime | None = None,
    currency: str | None = None,
) -> PlanCost:
    """What a plan costs at the prices as of ``as_of`` (default: now): one batch of each recipe
    (its lines and sub-recipes), one of each finished unit (its batch divided by its items per
    batch, exactly), one of each finished good (its components), and the plan's total (every
    recipe's planned batches, whole, as baked, times its own lines; plus the planned
    packaging).

    An item's cost per unit is its cheapest price per unit among its active products quoted in
    ``currency`` (default: the one currency quoted). A cost that needs a missing price, product
    or conversion is None, and the item is listed in ``missing``: never a zero. Exact (a
    ``Fraction`` where a division does not terminate); the past is reproducible from the price
    history. Never commits.
    """
    uow = arguments.unit_of_work(uow)
    plan_ref = parse_id(plan_id, "plan_id")
    when = arguments.moment(as_of, "as_of") or utc_now()
    with uow:
        plan = uow.plans.get(plan_ref)
        snapshots = load_plan_snapshots(uow, plan)
        facts = StockFacts.read(uow)
    requirements = compute_requirements(plan, snapshots)
    quotes = facts.prices(when)
    used = {i.ingredient_id for i in requirements.ingredients} | {
        m.material_unit_id for m in requirements.materials
    }
    money = list_currency(
        quotes.values(), [p for p in facts.products if p.item_id in used], currency
    )
    return compute_cost(
        plan.id,
        snapshots,
        requirements,
        items=facts.items,
        products=facts.products,
        quotes=quotes,
        currency=money,
    )
