"""How auditkit's workbooks are laid out for reading and printing: row heights that show wrapped
text whole, and the print set-up, for the scoring workbooks and the table workbooks alike.

Neither Excel nor LibreOffice fits a row to wrapped text when it opens a file, so every row that
wraps gets a height here. Two estimates: `fitted_height` words each cell at its own font size (the
scoring workbooks, a few hundred cells), `row_height` counts characters at 11 pt (the tables of a
round, tens of thousands of cells; `words=True` for short bold headers whose words must not be cut).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import wording

BODY_PT = 10  # the scoring workbooks' body text
MAX_HEIGHT = 409  # Excel's highest row, in points
PAGE_FOOTER = "&A – sivu &P / &N"  # the sheet's name, page n / pages (Finnish; page_footer in any language)


def page_footer(lang: str = "fi") -> str:
    """The footer's middle: the sheet's name, page n / pages (&A, &P and &N are the codes for them)."""
    _ = wording("workbooks", lang)
    return _("&A – page &P / &N")


def wrapped_lines(text: str, width: float, font_size: float) -> int:
    """How many lines a wrapped cell of this width needs (generous, so text is never cut)."""
    per_line = max(4, int(width * 1.12 * 11 / font_size) - 2)
    count = 0
    for paragraph in text.split("\n"):
        count += max(1, len(textwrap.wrap(paragraph, per_line, break_long_words=True)))
    return count


def fitted_height(cells: Iterable[tuple[str, float, float]], min_lines: int = 1) -> float:
    """A row height in points that shows every (text, column width, font size) whole, word by word."""
    best = min_lines * BODY_PT * 1.3 + 4
    for text, width, size in cells:
        if text:
            best = max(best, wrapped_lines(text, width, size) * size * 1.3 + 6)
    return round(min(best, MAX_HEIGHT), 1)


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
    """A row height in points that shows each (text, column width) at 11 pt whole, within Excel's 409."""
    return lines_height(max((text_lines(text, width, words=words) for text, width in cells), default=1))


def lines_height(lines: int) -> float:
    """The height in points of a row of this many lines at 11 pt, within Excel's 409."""
    return min(float(MAX_HEIGHT), round(lines * 14 + 3, 1))


def print_setup(ws: Worksheet, *, landscape: bool = True, a3: bool = False, one_page: bool = False,
                footer_left: str | None = None, footer_right: str | None = None, lang: str = "fi") -> None:
    """Print to the width of the page (one_page: and its height), landscape unless told, A4 or A3, with the
    sheet and page in the footer. footer_left / footer_right (the scoring workbooks: the workshop and the
    round) go beside it, on narrower top and bottom margins. lang: the workbook's language (the footer's "page")."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if a3 else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages as the rows need
    if ws.sheet_properties.pageSetUpPr is not None:  # openpyxl makes one with every sheet
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    footer = ws.oddFooter
    if footer is None:  # openpyxl gives every sheet one
        return
    if footer_left is not None or footer_right is not None:
        ws.print_options.horizontalCentered = False
        ws.page_margins.top = 0.5
        ws.page_margins.bottom = 0.6
        ws.page_margins.footer = 0.25
        footer.left.text = _footer_text(footer_left or "")
        footer.left.size = 8
    footer.center.text = page_footer(lang)
    footer.center.size = 8
    if footer_left is not None or footer_right is not None:
        footer.right.text = _footer_text(footer_right or "")
        footer.right.size = 8


def _footer_text(value: str) -> str:
    """A value in a header or footer, where & is a control character: a literal & is written &&."""
    return value.replace("&", "&&")


_CUSTOM_HEIGHT = re.compile(rb'(<row r="(\d+)"[^>]*?) customHeight="1"')


def growing_rows(xml: bytes, rows: set[int]) -> bytes:
    """The rows people type in keep their height as a starting point but lose customHeight: Excel
    and LibreOffice then grow such a row to fit what is typed (on screen and in print), where a
    custom height would keep it fixed and hide the rest of a long reason. Neither fits a row to its
    text on opening the file (LibreOffice 7.4 was tried), so the starting height must show the
    criterion's text whole."""
    return _CUSTOM_HEIGHT.sub(lambda m: m.group(1) if int(m.group(2)) in rows else m.group(0), xml)
