"""Plain tables to .xlsx: the manifest and the long tables of a consolidated report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet of a table workbook: a title (≤ 31 characters), headers and rows.

    Text is always stored as text (never as a formula), numbers as numbers. widths: column widths in
    characters (default from the content, capped at 60).
    """

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[int] = field(default_factory=tuple)


def set_text(cell, value: str) -> None:
    """Store value as text even when it looks like a formula (=, +, -, @): formula injection."""
    cell.value = value
    cell.data_type = "s"
    if value[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # type: ignore[attr-defined]


def write_tables(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write each Sheet with a bold, frozen, filterable header row."""
    wb = Workbook()
    wb.remove(wb.active)
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    for n, sheet in enumerate(sheets):
        ws = wb.create_sheet(sheet.title[:31])
        for col, header in enumerate(sheet.headers, start=1):
            c = ws.cell(row=1, column=col)
            set_text(c, header)
            c.font = Font(bold=True)
            c.fill = header_fill
        for r, row in enumerate(sheet.rows, start=2):
            for col, value in enumerate(row, start=1):
                c = ws.cell(row=r, column=col)
                if isinstance(value, str):
                    set_text(c, value)
                elif value is not None:
                    c.value = value
                c.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and len(value) > 60)
        for col, header in enumerate(sheet.headers, start=1):
            if col <= len(sheet.widths):
                width = sheet.widths[col - 1]
            else:
                longest = max([len(header)] + [len(str(r[col - 1])) for r in sheet.rows[:500] if r[col - 1] is not None])
                width = min(60, max(8, longest + 2))
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "A2"
        if sheet.rows:
            ref = f"A1:{get_column_letter(len(sheet.headers))}{len(sheet.rows) + 1}"
            table = Table(displayName=f"Taulukko{n + 1}", ref=ref)
            table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
            ws.add_table(table)
    wb.save(path)
