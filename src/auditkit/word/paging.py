"""How tall a report's parts print, estimated without laying the document out.

LibreOffice never fills a table-of-contents field, and Word fills one only when asked; so a report
that wants page numbers in its contents must know them when it is written. A report planned with
this module starts each section on a new page and cuts long tables into pieces that fit a page by
these estimates, which err on the safe side (wider letters, taller lines and a fuller page than
Calibri or its twin Carlito ever need): each piece then fills exactly one page, and the page of
every section is known. tests/test_report_docx.py checks the numbers against LibreOffice's PDF.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from docx.section import Section
from docx.shared import Length

from .styles import STYLE_SPECS

EM = 0.46  # a character's width in ems, generous: Finnish text in Calibri measures 0.40-0.43
LINE = 1.25  # a line's height in ems (Calibri: 1.22)
FILL = 0.95  # the share of a page a plan fills
CELL_MARGINS = 2 * 57 / 20 + 1  # points: a table cell's top and bottom margin (ooxml.table), and the border
_SPECS = {s.name: s for s in STYLE_SPECS}


def style_metrics(style: str) -> tuple[float, float, float]:
    """(size, space before, space after) in points of a style of styles.STYLE_SPECS, following its base."""
    size = before = after = None
    name: str | None = style
    while name is not None and (size is None or before is None or after is None):
        spec = _SPECS[name]
        size = spec.size if size is None else size
        before = spec.before if before is None else before
        after = spec.after if after is None else after
        name = spec.base or (None if name == "Normal" else "Normal")
    return size or 10.5, before or 0.0, after or 0.0


def lines(text: str, width: float, size: float) -> int:
    """How many lines `text` wraps to in a column `width` points wide at `size` points."""
    per_line = max(1, int(width / (size * EM)))
    return sum(max(1, len(textwrap.wrap(part, per_line, break_long_words=True))) for part in text.split("\n"))


def paragraph_height(text: str, width: float, style: str, *, before: float | None = None,
                     after: float | None = None) -> float:
    size, style_before, style_after = style_metrics(style)
    return (lines(text, width, size) * size * LINE + (style_before if before is None else before)
            + (style_after if after is None else after))


@dataclass(frozen=True, slots=True)
class Measure:
    """A cell's text for the estimate: what it shows, its column's share of the width, its style."""

    text: str
    share: float
    style: str = "Table Text"


@dataclass(frozen=True, slots=True)
class Page:
    """The text area of the document's pages, in points, and the part a plan fills."""

    width: float
    height: float

    @classmethod
    def of(cls, section: Section) -> Page:
        """The page of a python-docx section (the base document's page size and margins)."""
        def pt(length: Length | None) -> float:
            return (length or 0) / 12700

        return cls(pt(section.page_width) - pt(section.left_margin) - pt(section.right_margin),
                   pt(section.page_height) - pt(section.top_margin) - pt(section.bottom_margin))

    @property
    def budget(self) -> float:
        return self.height * FILL

    def text(self, text: str, style: str, share: float = 1.0, **spacing: float) -> float:
        return paragraph_height(text, self.width * share - 4, style, **spacing)

    def row(self, cells: Sequence[Measure]) -> float:
        """A table row: its tallest cell (one paragraph each) with the cell margins."""
        return CELL_MARGINS + max((self.text(c.text, c.style, c.share) for c in cells), default=0.0)


def pages_for(heights: Sequence[float], first: float, budget: float, header: float = 0.0) -> list[list[int]]:
    """Cut rows (their heights) into pages: the first page has `first` points left, every later one
    `budget`; each page repeats a header of `header` points. Returns the row indexes per page (the
    first page may be empty when not even one row fits after what precedes it, or when a short table
    that would be cut fits whole on the next page)."""
    total = header + sum(heights)
    if total > first and total <= budget * 0.4:
        return [[], list(range(len(heights)))]
    out: list[list[int]] = [[]]
    room = first - header
    for index, height in enumerate(heights):
        # A row that does not fit goes to the next page; on the first page even as its first row (a
        # header alone at the foot of a page helps no one), on a later one only after another row.
        if height > room and (out[-1] or len(out) == 1):
            out.append([])
            room = budget - header
        out[-1].append(index)
        room -= height
    return out


def count_pages(height: float, budget: float) -> int:
    return max(1, math.ceil(height / budget))
