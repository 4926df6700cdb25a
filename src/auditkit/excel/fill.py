"""Filling a kit's workbook as a person would have typed: the simulated returns of the demo and the bench.

Only the ratings sheet's XML is rewritten (every other part is copied as it is), so the identity, the
protection, the drop-downs and the formulas stay exactly as the kit made them, and a 300-workbook
bench fills in well under a second per ten workbooks. Strings are written as inline text, never as
formulas, whatever they start with.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter

from ..catalogue import Catalogue, require_criteria
from ..errors import UsageError
from ..packages import rewrite, set_modified
from . import contract as k
from .cells import Package, cell_text
from .tables import row_height

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C, _V, _F, _IS, _T, _ROW, _SHEET_DATA = (f"{{{_NS}}}{t}" for t in ("c", "v", "f", "is", "t", "row", "sheetData"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot hold, and text that would read as such an escape: OOXML writes both as _xHHHH_.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_LETTERS = re.compile(r"[A-Z]+")

Value = str | int | float | bool | None


def fill_workbook(package: bytes, catalogue: Catalogue, answers: Mapping[int, Mapping[str, Value]], *,
                  saved_at: str | None = None) -> bytes:
    """Return a copy of a kit's workbook (self or peer) with answers typed into its ratings sheet.

    answers: criterion number -> {column key: value}, the keys being the role's input columns
    ("rating", "reasoning" for role self; "rating", "na_accepted", "reasoning",
    "observations", "strengths", "development" for peer). A value is written as given: an int or
    float as a number, a string (a drop-down label, "kolme", "=HYPERLINK(...)") always as text, None
    empties the cell. saved_at: an ISO time to record as the file's last save (docProps/core.xml),
    as the program a person saves with would; by default it is left as the kit made it.
    Raises ValueError for a package that is not a kit workbook, an unknown criterion number or a
    column the role does not let people fill.
    """
    require_criteria(catalogue, answers)
    by_number = {c.number: c.id for c in catalogue.criteria}
    try:
        source = zipfile.ZipFile(io.BytesIO(package))
    except zipfile.BadZipFile:
        raise UsageError("the package is not an .xlsx file; give a workbook of a kit") from None
    with source:
        sheet_part, layout, rows, sheet = _locate(source)
        columns = {c.key: i for i, c in enumerate(layout.columns, 1) if c.is_input}
        wrong = sorted({key for fields in answers.values() for key in fields if key not in columns})
        if wrong:
            raise UsageError(f"a {layout.role} workbook has no input column {', '.join(map(repr, wrong))}; "
                             f"use {', '.join(columns)}")
        edits: dict[int, dict[int, Value]] = {}
        for number, fields in answers.items():
            cid = by_number[number]
            if cid not in rows:
                raise UsageError(f"the workbook has no row for criterion {number} ({cid})")
            edits.setdefault(rows[cid], {}).update({columns[key]: value for key, value in fields.items()})

        def change(name: str, data: bytes) -> bytes:
            if name == sheet_part:
                return _edit_sheet(data, edits, layout, sheet)
            if saved_at is not None and name == "docProps/core.xml":
                return set_modified(data, saved_at)
            return data

        return rewrite(source, change, compresslevel=1)


def _locate(source: zipfile.ZipFile) -> tuple[str, k.Layout, dict[str, int], str]:
    """The ratings sheet's part, the role's layout (from the header row), criterion id -> row, and the
    sheet's name (a workbook in any language the kit writes)."""
    wb = Package(source)
    sheet = next((name for name in k.sheet_names("ratings") if name in wb.sheets), "")
    if not sheet:
        raise UsageError(f"the package has no sheet {' or '.join(k.sheet_names('ratings'))}; give a workbook of a kit")
    widest = max(len(layout.columns) for layout in k.LAYOUTS.values())
    table = wb.rows(sheet, 10_000, widest)  # our own kit file: no hostile size to bound
    shown = table.get(k.HEADER_ROW, {})
    header = [cell_text(shown[c].value) if c in shown else "" for c in range(1, widest + 1)]
    found = next((layout for layout in k.LAYOUTS.values() for lang in k.LANGUAGES
                  if header[:len(layout.columns)] == [c.header_in(lang) for c in layout.columns]), None)
    if found is None:
        raise UsageError(f"the sheet {sheet} does not have the header row of a kit workbook")
    rows = {cell.value: r for r, cells in table.items() if r > k.HEADER_ROW
            for cell in (cells.get(1),) if cell is not None and isinstance(cell.value, str)}
    return wb.sheets[sheet], found, rows, sheet


def _edit_sheet(xml: bytes, edits: Mapping[int, Mapping[int, Value]], layout: k.Layout, sheet: str) -> bytes:
    root = etree.fromstring(xml)
    data = root.find(_SHEET_DATA)
    if data is None:
        raise UsageError(f"the sheet {sheet} has no cells; give a workbook of a kit")
    rows = {int(row.get("r", "0")): row for row in data.iterchildren(_ROW)}
    for r, cells in edits.items():
        row = rows[r]
        existing = {c.get("r"): c for c in row.iterchildren(_C)}
        for col, value in sorted(cells.items()):
            ref = f"{get_column_letter(col)}{r}"
            cell = existing.get(ref)
            if cell is None:
                cell = _insert_cell(row, ref, col)
            _set_value(cell, value)
        _grow(row, [(value, layout.columns[col - 1].width) for col, value in cells.items() if isinstance(value, str)])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _grow(row: Any, texts: list[tuple[str, float]]) -> None:
    """Fit the row to the typed text as Excel and LibreOffice do on typing, unless its height was set
    by hand (customHeight)."""
    if row.get("customHeight") in ("1", "true") or not texts:
        return
    needed = row_height(texts)
    if needed > float(row.get("ht") or 0):
        row.set("ht", str(needed))


def _insert_cell(row: Any, ref: str, col: int) -> Any:
    """A new cell in its place among the row's cells (they must stay in column order)."""
    cell = etree.Element(_C, r=ref)
    for other in row.iterchildren(_C):
        letters = _LETTERS.match(other.get("r", ""))
        if letters and column_index_from_string(letters.group(0)) > col:
            other.addprevious(cell)
            return cell
    row.append(cell)
    return cell


def _set_value(cell: Any, value: Value) -> None:
    """Replace the cell's content, keeping its style (fill, unlocked protection)."""
    for child in list(cell):
        cell.remove(child)
    cell.attrib.pop("t", None)
    if value is None:
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, _V).text = "1" if value else "0"
    elif isinstance(value, (int, float)):
        cell.set("t", "n")
        etree.SubElement(cell, _V).text = repr(value) if isinstance(value, float) else str(value)
    elif isinstance(value, str):
        cell.set("t", "inlineStr")
        text = etree.SubElement(etree.SubElement(cell, _IS), _T)
        text.text = _NOT_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
        if text.text != text.text.strip():
            text.set(_XML_SPACE, "preserve")
    else:
        raise UsageError(f"cannot type a {type(value).__name__} into a workbook: {value!r}")
