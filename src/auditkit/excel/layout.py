"""How auditkit's workbooks are laid out for reading and printing: row heights that show wrapped
text whole, and the print set-up."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

_BODY = 10


def _footer_text(value: str) -> str:
    return value.replace("&", "&&")


def _lines(text: str, width: float, font_size: float) -> int:
    """How many lines a wrapped cell of this width needs (generous, so text is never cut)."""
    per_line = max(4, int(width * 1.12 * 11 / font_size) - 2)
    count = 0
    for paragraph in text.split("\n"):
        count += max(1, len(textwrap.wrap(paragraph, per_line, break_long_words=True)))
    return count


def _row_height(cells: Iterable[tuple[str, float, float]], min_lines: int = 1) -> float:
    """A row height in points that shows every wrapped cell whole."""
    best = min_lines * _BODY * 1.3 + 4
    for text, width, size in cells:
        if text:
            best = max(best, _lines(text, width, size) * size * 1.3 + 6)
    return round(min(best, 409), 1)


def text_lines(text: str, width: float, *, words: bool = False) -> int:
    """About how many lines a wrapped cell of this width (in characters) needs at 11 pt.

    By default from the length (fast, for thousands of rows, a little generous); words: wrapped
    word by word, for short bold headers whose words must not be cut.
    """
    if words:
        per_line = max(1, int(width * 0.85))  # bold
        return sum(max(1, len(textwrap.wrap(p, per_line, break_long_words=True))) for p in text.split("\n"))
    per_line = max(4, int(width * 1.1) - 3)  # word wrap leaves the end of most lines empty
    return sum(max(1, -(-len(paragraph) // per_line)) for paragraph in text.split("\n"))


def row_height(cells: Iterable[tuple[str, float]], *, words: bool = False) -> float:
    """A row height in points that shows each (text, column width) whole, within Excel's 409."""
    lines = max((text_lines(text, width, words=words) for text, width in cells), default=1)
    return min(409.0, round(lines * 14 + 3, 1))


def print_setup(ws: Worksheet, *, landscape: bool, a3: bool = False) -> None:
    """Print to the width of the page, as many pages down as needed, with the sheet and page in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if a3 else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A – sivu &P / &N"
    ws.oddFooter.center.size = 8
