"""Plain tables to .xlsx: the manifest and the long tables of a consolidated report.

openpyxl writes the frame of each table sheet (header row, widths, frozen pane, filter table, print
set-up) and whatever else a caller adds (a free-form sheet, charts). The data rows are then written
straight into the sheet's XML: openpyxl spends about 20 µs a cell, which is six seconds for the
30 000-row table of a 300-workshop round. Every string is written as text (a shared string, numbered as
package.tidy numbers the others), never as a formula; the package has fixed times, so the same tables give
the same bytes.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as _Cell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import wording
from ..outputs import XML_FORBIDDEN, looks_like_formula
from ..packages import pack
from .cells import Package
from .layout import lines_height, print_setup, row_height, text_lines
from .package import share, with_shared_strings

Cell = str | int | float | None

# Excel keeps at most 32 767 characters in a cell; longer text is cut with a note saying so.
MAX_CELL_CHARS = 32_767
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # a literal "_x0041_" would be read as "A"
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]|_x")
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_WRAP_OVER = 60  # strings longer than this wrap in their cell
_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
_CORE_TIMES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet of a table workbook: a title (≤ 31 characters), headers and rows.

    Text is always stored as text (never as a formula), numbers as numbers. widths: column widths in
    characters (default from the content, capped at 60); formats: number formats by column (e.g.
    "0.00"; "" for none).
    """

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[int] = field(default_factory=tuple)
    formats: Sequence[str] = field(default_factory=tuple)


def set_text(cell: _Cell | MergedCell, value: str) -> None:
    """Store value as text even when it looks like a formula (=, +, -, @): formula injection."""
    cell.value = cell_safe(value)
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True


def cell_safe(text: str, lang: str = "fi") -> str:
    """Text a cell can hold: characters XML forbids shown as U+FFFD, cut at Excel's limit with a note (in
    the workbook's language)."""
    text = XML_FORBIDDEN.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_CELL_CHARS:
        _ = wording("workbooks", lang)
        count = format(len(text), ",").replace(",", " ")
        note = _(" … [cut: {count} characters; the whole text is in the returned file]", count=count)
        text = text[:MAX_CELL_CHARS - len(note)] + note
    return text


def write_tables(path: Path, sheets: Sequence[Sheet], lang: str = "fi") -> None:
    """Write each Sheet with a bold, frozen, filterable header row (lang: the workbook's language, its
    footers and dc:language)."""
    book = TableBook(lang)
    for sheet in sheets:
        book.add(sheet)
    path.write_bytes(book.save())


class TableBook:
    """A workbook of table sheets, plus any sheet a caller builds on `wb` (inside the excel package)."""

    def __init__(self, lang: str = "fi") -> None:
        self.lang = lang  # the workbook's language: its footers, notes and dc:language
        self.wb = Workbook()
        self.wb.properties.language = wording("workbooks", lang).tag
        self.wb.remove(self.wb.worksheets[0])
        self._pending: dict[str, tuple[Worksheet, Sheet]] = {}
        self._styles: dict[tuple[Worksheet, str, bool, bool], int] = {}

    def add(self, sheet: Sheet, *, a3: bool = False) -> Worksheet:
        """A table sheet: header row, widths, a frozen pane and a filter table over all the rows,
        printed landscape (A4, or A3 for a wide table) to the width of the page.

        Returns the worksheet (its data rows are not there until save), for charts or formatting.
        """
        ws = self.wb.create_sheet(sheet.title[:31])
        for col, header in enumerate(sheet.headers, start=1):
            c = ws.cell(row=1, column=col)
            set_text(c, header)
            c.font = Font(name="Calibri", bold=True)  # named: LibreOffice shows an unnamed font as serif
            c.fill = _HEADER_FILL
            c.alignment = Alignment(vertical="top", wrap_text=True)
        for col, header in enumerate(sheet.headers, start=1):
            if col <= len(sheet.widths):
                width = sheet.widths[col - 1]
            else:
                longest = max([len(header)] + [len(str(r[col - 1])) for r in sheet.rows[:500] if r[col - 1] is not None])
                width = min(60, max(8, longest + 2))
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.row_dimensions[1].height = row_height(
            ((h, ws.column_dimensions[get_column_letter(i)].width) for i, h in enumerate(sheet.headers, 1)), words=True)
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        print_setup(ws, landscape=True, a3=a3, lang=self.lang)
        if sheet.rows:
            ref = f"A1:{get_column_letter(len(sheet.headers))}{len(sheet.rows) + 1}"
            table = Table(displayName=f"Taulukko{len(self.wb.worksheets)}", ref=ref)
            # Named here: left unnamed, openpyxl reads every cell of the range to name them.
            table.tableColumns = [TableColumn(id=i, name=str(h)) for i, h in enumerate(sheet.headers, start=1)]
            table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
            ws.add_table(table)
        self._pending[ws.title] = (ws, sheet)
        return ws

    def save(self) -> bytes:
        """The package, with every table's rows and fixed times (same tables, same bytes), tidied as
        package.tidy tidies a package."""
        # The rows' cell styles are made before openpyxl saves the styles. Each sheet's rows are made when
        # its part is, their texts given shared-string indices as they are written (after those of the
        # parts before, and of the sheet's own header row), not written inline for tidy's regex to move.
        styles = {title: self._row_styles(ws, sheet) for title, (ws, sheet) in self._pending.items()}
        raw = io.BytesIO()
        self.wb.save(raw)
        with zipfile.ZipFile(raw) as source:
            sheets = Package(source).sheets
            spliced = {sheets[title]: title for title in self._pending}
            parts = {info.filename: source.read(info) for info in source.infolist()}
        strings: dict[bytes, int] = {}
        order: list[bytes] = []
        for name, data in parts.items():
            if _SHEET.fullmatch(name) and b'"inlineStr"' in data:
                data = share(data, strings, order)
            if name in spliced:
                ws, sheet = self._pending[spliced[name]]
                data = _splice(data, self._rows_xml(ws, sheet, *styles[spliced[name]], strings, order), sheet)
            elif name == "docProps/core.xml":
                data = _CORE_TIMES.sub(b"", data)
            parts[name] = data
        return pack(with_shared_strings(parts, order))

    def _style(self, ws: Worksheet, number_format: str, wrap: bool, quote: bool) -> int:
        key = (ws, number_format, wrap, quote)
        if key not in self._styles:
            probe = _Cell(ws, row=1, column=1)
            probe.alignment = Alignment(vertical="top", wrap_text=wrap)
            if number_format:
                probe.number_format = number_format
            if quote:
                probe.quotePrefix = True
            self._styles[key] = probe.style_id
        return self._styles[key]

    def _row_styles(self, ws: Worksheet, sheet: Sheet) -> tuple[list[int], dict[tuple[bool, bool], int]]:
        """The style ids of the rows' cells: numbers by column, text by (wraps, looks like a formula)."""
        formats = [sheet.formats[i] if i < len(sheet.formats) else "" for i in range(len(sheet.headers))]
        number = [self._style(ws, f, False, False) for f in formats]
        text = {(wrap, quote): self._style(ws, "", wrap, quote) for wrap in (False, True) for quote in (False, True)}
        return number, text

    def _rows_xml(self, ws: Worksheet, sheet: Sheet, number: list[int], text: dict[tuple[bool, bool], int],
                  strings: dict[bytes, int], order: list[bytes]) -> bytes:
        """The data rows' XML, each text a shared string: the rows hold references, indices and numbers."""
        letters = [get_column_letter(i) for i in range(1, len(sheet.headers) + 1)]
        # Text longer than its column wraps (else it would be cut at the next filled cell).
        widths = [ws.column_dimensions[letter].width or _WRAP_OVER for letter in letters]
        fits = [min(_WRAP_OVER, width) for width in widths]
        # Names, roles and files repeat on every row: each text's cell (after its reference) and its lines when
        # it wraps (0 when not) are made once per column.
        columns: list[tuple[str, int, dict[str, tuple[str, int] | None], dict[int, str], float, float]] = [
            (f'<c r="{letter}', style, {"": None}, {}, fit, width)
            for letter, style, fit, width in zip(letters, number, fits, widths)]
        heights: dict[int, str] = {}
        out: list[str] = []
        chunks: list[bytes] = []
        for r, row in enumerate(sheet.rows, start=2):
            cells = []
            lines = 0  # the most lines of a wrapped text in the row
            n = str(r)
            for value, column in zip(row, columns):
                if value is None:
                    continue
                if type(value) is str:
                    known_of = column[2]
                    known = known_of.get(value)
                    if known is None:
                        if not value:
                            continue
                        known = known_of[value] = self._text_cell(value, column[4], column[5], text, strings, order)
                    tail, wrapped = known
                    if wrapped > lines:
                        lines = wrapped
                    cells.append(f"{column[0]}{n}{tail}")
                    continue
                head, style, _known_of, whole_of, fit, width = column
                if type(value) is int:  # numbers and ratings: each one's cell (after its reference) once per column
                    whole = whole_of.get(value)
                    if whole is None:
                        whole = whole_of[value] = f'" s="{style}"><v>{value!r}</v></c>'
                    cells.append(f"{head}{n}{whole}")
                elif type(value) is float and math.isfinite(value):
                    cells.append(f'{head}{n}" s="{style}"><v>{value!r}</v></c>')
                elif isinstance(value, str):  # a str's subclass: as the str it is
                    if value:
                        cell, wrapped = self._text_cell(str(value), fit, width, text, strings, order)
                        lines = max(lines, wrapped)
                        cells.append(f"{head}{n}{cell}")
                elif isinstance(value, bool):
                    cells.append(f'{head}{n}" s="{style}" t="b"><v>{int(value)}</v></c>')
                elif isinstance(value, (int, float)) and math.isfinite(value):
                    cells.append(f'{head}{n}" s="{style}"><v>{value!r}</v></c>')
            # LibreOffice does not fit a row to wrapped text it loads: without a height it would overlap.
            if lines:
                height = heights.get(lines)
                if height is None:
                    height = heights[lines] = f'" ht="{lines_height(lines)}" customHeight="1">'
                out.append(f'<row r="{n}{height}{"".join(cells)}</row>')
            else:
                out.append(f'<row r="{n}">{"".join(cells)}</row>')
            if len(out) >= 1000:  # a thousand rows at a time as bytes, not the whole table as a str too
                chunks.append("".join(out).encode("utf-8"))
                out.clear()
        chunks.append("".join(out).encode("utf-8"))
        return b"".join(chunks)

    def _text_cell(self, value: str, fit: float, width: float, text: dict[tuple[bool, bool], int],
                   strings: dict[bytes, int], order: list[bytes]) -> tuple[str, int]:
        """A text's cell after its reference (its style and shared-string index, the text added to the table
        when new, as package.share adds it), and its lines when it wraps (else 0)."""
        wrap = len(value) > fit or "\n" in value
        space = ' xml:space="preserve"' if value != value.strip() else ""
        item = f"<t{space}>{_xml_text(value, self.lang)}</t>".encode("utf-8")
        index = strings.get(item)
        if index is None:
            index = strings[item] = len(order)
            order.append(item)
        cell = f'" s="{text[(wrap, looks_like_formula(value))]}" t="s"><v>{index}</v></c>'
        return cell, text_lines(value, width) if wrap else 0


def _xml_text(value: str, lang: str = "fi") -> str:
    if len(value) <= MAX_CELL_CHARS and not _SPECIAL.search(value):
        return value
    text = _ESCAPE_LIKE.sub("_x005F_", cell_safe(value, lang))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _splice(xml: bytes, rows: bytes, sheet: Sheet) -> bytes:
    """Put the data rows after the header row and widen the declared dimension to them."""
    last = f"{get_column_letter(len(sheet.headers))}{len(sheet.rows) + 1}"
    xml = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>'.encode(), xml, count=1)
    end = xml.rindex(b"</sheetData>")
    return b"".join((xml[:end], rows, xml[end:]))
