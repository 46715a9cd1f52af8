"""A kitchen sheet as one self-contained HTML page that prints cleanly.

No external assets (no fonts, scripts, images or links to fetch): the style is inline, so the
page works offline and prints the same anywhere. Each recipe card and each packing list is a
``<section>`` that is never split across printed pages and ends its page (``break-after:
page``); on screen the cards flow as a column of boxes. Every name and note is escaped with
:func:`html.escape`.
"""

from __future__ import annotations

import html
import uuid

from snapplan.cli.kitchen_spelling import batches_of, kitchen_number, measure
from snapplan.domain.catalog import ComponentKind
from snapplan.domain.sheets import KitchenSheet, PackingList, RecipeCard

#: The page's style: readable at the bench, one card per printed page, black on white.
STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 46rem; padding: 1.5rem; color: #1b1b1b; background: #fff;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
section { border: 2px solid #6d4c41; border-radius: 10px; padding: 1rem 1.25rem;
  margin: 0 0 1.25rem; break-inside: avoid; page-break-inside: avoid; }
h2 { font-size: 1.3rem; margin: 0 0 .6rem; display: flex; gap: .6rem; align-items: baseline; }
h2 .number { background: #6d4c41; color: #fff; border-radius: 999px; padding: 0 .55rem;
  font-size: 1rem; }
h2 .batches { margin-left: auto; font-weight: 600; color: #6d4c41; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-size: .8rem; text-transform: uppercase; color: #555;
  white-space: nowrap; }
td, th { padding: .3rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.amount, td.count { white-space: nowrap; font-weight: 600; font-variant-numeric: tabular-nums;
  width: 1%; }
td.tick { width: 1.5rem; color: #6d4c41; }
tr.sub td { font-style: italic; }
.note { color: #555; font-size: .9rem; }
p.makes { margin: .6rem 0 0; color: #333; }
h2.part { border: 0; margin: 2rem 0 1rem; font-size: 1.4rem; }
@media print {
  body { max-width: none; padding: 0; }
  section { break-after: page; page-break-after: always; border-color: #000; }
  section:last-of-type { break-after: auto; page-break-after: auto; }
  h2.part { display: none; }
}
"""


def sheet_html(found: KitchenSheet, title: str) -> str:
    """The whole page: a title, the recipe cards in order, then the packing lists."""
    numbers = card_numbers(found)
    body = [f"<h1>{html.escape(title)}</h1>"]
    body += [_card(number, card, numbers) for number, card in enumerate(found.cards, start=1)]
    if found.packing:
        body.append('<h2 class="part">Packing</h2>')
    body += [_packing(packing) for packing in found.packing]
    if not found.cards and not found.packing:
        body.append("<p>Nothing left to make.</p>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def card_numbers(found: KitchenSheet) -> dict[uuid.UUID, int]:
    """Each card's number (from 1), by recipe snapshot id."""
    return {card.snapshot_id: number for number, card in enumerate(found.cards, start=1)}


def where_made(number: int | None) -> str:
    """Where a sub-recipe is made: its card (``card 1, made first``), or nowhere left to make
    it (``--remaining`` once it is all made)."""
    return f"card {number}, made first" if number is not None else "made already"


def _card(number: int, card: RecipeCard, numbers: dict[uuid.UUID, int]) -> str:
    rows = [
        '<tr><td class="tick">☐</td>'
        f'<td class="amount">{html.escape(measure(line.quantity, line.unit))}</td>'
        f"<td>{html.escape(line.ingredient)}"
        + (f' <span class="note">({html.escape(line.note)})</span>' if line.note else "")
        + "</td></tr>"
        for line in card.lines
    ]
    for sub in card.sub_recipes:
        where = where_made(numbers.get(sub.snapshot_id))
        rows.append(
            '<tr class="sub"><td class="tick">☐</td>'
            f'<td class="amount">{html.escape(batches_of(sub.batches))}</td>'
            f'<td>{html.escape(sub.name)} <span class="note">({where})</span></td></tr>'
        )
    makes = "".join(
        f'<p class="makes">Makes {html.escape(kitchen_number(m.items))} {html.escape(m.name)}</p>'
        for m in card.makes
    )
    return (
        '<section class="card">\n'
        f'<h2><span class="number">{number}</span> {html.escape(card.name)}'
        f' <span class="batches">{html.escape(batches_of(card.batches))}</span></h2>\n'
        "<table>\n" + "\n".join(rows) + "\n</table>\n" + makes + "</section>"
    )


def _packing(packing: PackingList) -> str:
    rows = [
        '<tr><td class="tick">☐</td>'
        f'<td class="count">{html.escape(kitchen_number(line.each))}</td>'
        f'<td class="count">{html.escape(kitchen_number(line.total))}</td>'
        f"<td>{html.escape(line.name)}"
        + (
            ' <span class="note">(packed above)</span>'
            if line.kind is ComponentKind.FINISHED_GOOD
            else ""
        )
        + "</td></tr>"
        for line in packing.lines
    ]
    return (
        '<section class="packing">\n'
        f"<h2>{html.escape(packing.name)}"
        f' <span class="batches">{html.escape(kitchen_number(packing.quantity))} to box</span>'
        "</h2>\n<table>\n<tr><th></th><th>each</th><th>in all</th><th>item</th></tr>\n"
        + "\n".join(rows)
        + "\n</table>\n</section>"
    )
