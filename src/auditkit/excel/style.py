"""The look of the scoring workbooks: shared style objects (openpyxl stores each distinct one once),
text written as text, sheet protection."""

from __future__ import annotations

from copy import copy
from typing import Any, cast

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet

from ..outputs import looks_like_formula
from .layout import BODY_PT as BODY


THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
PLAIN = Font(name="Calibri", size=BODY)
BOLD = Font(name="Calibri", size=BODY, bold=True)
SMALL = Font(name="Calibri", size=9)
TITLE = Font(name="Calibri", size=14, bold=True, color="1F4E79")
HEADING = Font(name="Calibri", size=12, bold=True, color="1F4E79")
WHITE_BOLD = Font(name="Calibri", size=BODY, bold=True, color="FFFFFF")
ELEMENT_FONT = Font(name="Calibri", size=11, bold=True, color="FFFFFF")
ITALIC = Font(name="Calibri", size=BODY, italic=True, bold=True)
NOTE_FONT = Font(name="Calibri", size=9, color="7F3F00")
FILL_HEADER = PatternFill("solid", fgColor="1F4E79")
FILL_ELEMENT = PatternFill("solid", fgColor="2E75B6")
FILL_AREA = PatternFill("solid", fgColor="DDEBF7")
FILL_SUB = PatternFill("solid", fgColor="EEF5FB")
FILL_INPUT = PatternFill("solid", fgColor="FFFBE6")
FILL_SHOWN = PatternFill("solid", fgColor="F2F2F2")
FILL_OUTSIDE = PatternFill("solid", fgColor="E7E6E6")
FILL_WARN = PatternFill("solid", fgColor="F8CBAD")
FILL_GAP = PatternFill("solid", fgColor="FFE699")
UNLOCKED = Protection(locked=False)

AnyCell = Cell | MergedCell


def as_text(cell: AnyCell, value: str | None) -> AnyCell:
    """Write a string from outside as text, never as a formula (formula injection, see PITFALLS)."""
    if value is None:
        return cell
    cell.value = value
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell


def style_of(cell: AnyCell) -> Any:
    """A cell's finished style array: copying it to another cell is ~10x faster than setting its parts
    (openpyxl hashes each); openpyxl keeps it in _style, which its type stubs do not name."""
    return cast(Any, cell)._style


def set_style(cell: AnyCell, style: Any) -> None:
    cast(Any, cell)._style = copy(style)


def protect(ws: Worksheet) -> None:
    """Protect a sheet without a password; people may still resize rows and columns."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False
