"""The sample bakery's kitchen sheet in the docs: generated here from ``snapplan demo`` so it
cannot go stale, and rendered in a real browser.

- The text sheet and the HTML page of the demo's plan must equal the committed files in
  ``docs/how-to/kitchen-sheets/``; with ``SNAPPLAN_WRITE_DOCS=1`` they are rewritten instead
  (review the diff and commit it).
- Headless Chromium (Debian's ``chromium`` package, or ``$SNAPPLAN_CHROMIUM``) renders the page
  to a PNG screenshot, which must not be blank: its pixels are decoded with the standard
  library (:mod:`zlib`) and the non-white ones counted. With ``SNAPPLAN_WRITE_DOCS=1`` the
  screenshot becomes the docs picture (``docs/images/kitchen-sheet.png``). Without Chromium
  that test is skipped, saying so; the committed picture is checked either way.
- Printed to PDF by the same browser, each card and each packing list takes one page.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from .conftest import REPO, Run

WRITE_VARIABLE = "SNAPPLAN_WRITE_DOCS"
SHEETS = REPO / "docs" / "how-to" / "kitchen-sheets"
TEXT = SHEETS / "holiday-market.txt"
PAGE = SHEETS / "holiday-market.html"
PICTURE = REPO / "docs" / "images" / "kitchen-sheet.png"
#: The browser window the picture is taken in (CSS pixels): the first cards of the sheet.
WINDOW = (900, 1300)


def updating() -> bool:
    return os.environ.get(WRITE_VARIABLE) == "1"


def matches_committed(path: Path, generated: str) -> None:
    """``generated`` must be ``path``'s text; with ``SNAPPLAN_WRITE_DOCS=1``, it becomes it."""
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated, encoding="utf-8", newline="\n")
    committed = path.read_text(encoding="utf-8") if path.exists() else None
    assert committed == generated, (
        f"{path.relative_to(REPO)} is stale: run this test with {WRITE_VARIABLE}=1 and commit"
    )


@pytest.fixture
def demo_sheets(run: Run, tmp_path: Path) -> tuple[str, Path]:
    """The demo's planned sheet as text, and its HTML page (a file in ``tmp_path``)."""
    run("demo", "--db", "demo.sqlite", check=True)
    text = run("sheet", "Holiday Market", "--db", "demo.sqlite", check=True).stdout
    run("sheet", "Holiday Market", "--db", "demo.sqlite", "--html", "sheet.html", check=True)
    return text, tmp_path / "sheet.html"


def test_the_docs_show_the_demo_sheet_as_it_is(demo_sheets: tuple[str, Path]) -> None:
    text, page = demo_sheets
    assert "3. Sugar Cookies: 9 batches\n" in text
    assert "   6 ¾ cups  Sugar\n" in text  # 9 x 0.75 cup
    matches_committed(TEXT, text)
    matches_committed(PAGE, page.read_text(encoding="utf-8"))


def chromium() -> str | None:
    """The headless browser to render with: ``$SNAPPLAN_CHROMIUM``, else Debian's chromium."""
    given = os.environ.get("SNAPPLAN_CHROMIUM")
    if given:
        return given
    return next(
        (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))),
        None,
    )


def screenshot(browser: str, page: Path, picture: Path, profile: Path) -> None:
    """Render ``page`` in headless Chromium to ``picture`` (PNG), window :data:`WINDOW`."""
    width, height = WINDOW
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",  # as root in a CI container
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={picture}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_a_browser_renders_the_sheet_and_the_picture_is_not_blank(
    demo_sheets: tuple[str, Path], tmp_path: Path
) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium: apt-get install chromium (or set SNAPPLAN_CHROMIUM)")
    _, page = demo_sheets
    picture = tmp_path / "sheet.png"

    screenshot(browser, page, picture, tmp_path / "profile")

    width, height, inked = non_white_pixels(picture.read_bytes())
    assert (width, height) == WINDOW
    # cards, borders and text: far from blank (a blank page has 0), far from a solid fill
    assert 0.02 < inked / (width * height) < 0.6, inked
    if updating():
        PICTURE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(picture, PICTURE)


def test_printed_each_card_and_each_packing_list_takes_a_page(
    demo_sheets: tuple[str, Path], tmp_path: Path
) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium: apt-get install chromium (or set SNAPPLAN_CHROMIUM)")
    _, page = demo_sheets
    printed = tmp_path / "sheet.pdf"

    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    pages = re.findall(rb"/Type\s*/Page\b(?!s)", printed.read_bytes())
    assert len(pages) == 5 + 2  # 5 recipe cards, 2 packing lists: one page each


def test_the_docs_picture_is_a_rendered_sheet() -> None:
    png = PICTURE.read_bytes()
    width, height, channels, pixels = png_data(png)
    assert (width, height) == WINDOW
    assert len(zlib.decompress(pixels)) == height * (width * channels + 1)  # whole, not cut
    # a blank page compresses to a few kilobytes; cards, borders and text do not
    assert len(pixels) > 20_000, len(pixels)
    how_to = (REPO / "docs" / "how-to" / "kitchen-sheets.md").read_text(encoding="utf-8")
    assert "](../images/kitchen-sheet.png)" in how_to


# -- reading a PNG with the standard library ---------------------------------------------------


def png_data(png: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, channels, compressed pixel data) of an 8-bit RGB or RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks: dict[bytes, list[bytes]] = {}
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        chunks.setdefault(kind, []).append(png[at + 8 : at + 8 + length])
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    assert (depth, colour in (2, 6), interlace) == (8, True, 0), (depth, colour, interlace)
    return width, height, {2: 3, 6: 4}[colour], b"".join(chunks[b"IDAT"])


def non_white_pixels(png: bytes) -> tuple[int, int, int]:
    """(width, height, pixels that are not white) of an 8-bit RGB or RGBA PNG."""
    width, height, channels, pixels = png_data(png)
    raw = zlib.decompress(pixels)
    stride = width * channels
    previous = bytearray(stride)
    inked = 0
    for row in range(height):
        start = row * (stride + 1)
        line = _unfiltered(raw[start], raw[start + 1 : start + 1 + stride], previous, channels)
        pixels_of_row = zip(line[0::channels], line[1::channels], line[2::channels], strict=True)
        inked += sum(1 for pixel in pixels_of_row if pixel != (255, 255, 255))
        previous = line
    return width, height, inked


def _unfiltered(kind: int, data: bytes, above: bytearray, step: int) -> bytearray:
    """One scanline with its PNG filter (none, sub, up, average, Paeth) undone."""
    line = bytearray(data)
    if kind == 0:
        return line
    if kind == 2:
        return bytearray((x + b) & 0xFF for x, b in zip(line, above, strict=True))
    for i in range(len(line)):
        a = line[i - step] if i >= step else 0
        b = above[i]
        if kind == 1:
            line[i] = (line[i] + a) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (a + b) // 2) & 0xFF
        else:
            c = above[i - step] if i >= step else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            predicted = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + predicted) & 0xFF
    return line
