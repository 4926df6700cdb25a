"""Fill a scoring workbook in LibreOffice Calc as a person would, and save it as .xlsx.

Usage (run by tests/libreoffice.run_uno under /usr/bin/python3):
    fill_workbook.py PIPE SOURCE.xlsx TARGET.xlsx FILLS.json

FILLS.json: {"sheet": the ratings sheet (default "Arviointi"), "id_header": the id column's header (default
"Tunniste"), "unprotect_and_insert_row": bool, "fills": [{"id": "tpk-03", "column": "F", "choose": 2} or
{"id": ..., "column": ..., "type": "text"}]}. A row is found by the criterion id in column A (so
inserted rows do not matter); "choose" picks the n-th entry (0-based) of the cell's own drop-down list,
read from the list its validation refers to; "type" enters text through the user interface
(.uno:EnterString), which respects sheet protection and validation as typing does.
Prints one line per entry as entered: "<id> <column> <value>".
"""

import json
import sys

import uno
from _connect import run, connect, open_doc, props, save_as


def _enter(frame, text):
    """Type text into the selected cell and press Enter (.uno:EnterString, as the input line does)."""
    url = uno.createUnoStruct("com.sun.star.util.URL")
    url.Complete = url.Main = ".uno:EnterString"
    url.Protocol, url.Path = ".uno:", "EnterString"
    frame.queryDispatch(url, "", 0).dispatch(url, props(StringName=text))


def _row_of(sheet, criterion_id, last=400):
    ids = sheet.getCellRangeByName(f"A1:A{last}").getDataArray()
    for i, (value,) in enumerate(ids):
        if value == criterion_id:
            return i + 1
    raise SystemExit(f"criterion {criterion_id} not found in column A")


def _drop_down(doc, cell):
    """The entries of the cell's drop-down, as the list it refers to holds them."""
    name = cell.Validation.Formula1
    ranges = doc.NamedRanges
    if not ranges.hasByName(name):
        raise SystemExit(f"the drop-down refers to {name!r}, which is not a defined name")
    return [row[0] for row in ranges.getByName(name).getReferredCells().getDataArray()]


def main():
    pipe, source, target, spec_path = sys.argv[1:5]
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    doc = open_doc(connect(pipe), source)
    sheet = doc.Sheets.getByName(spec.get("sheet", "Arviointi"))  # a Swedish workbook's is "Bedömning"
    controller = doc.getCurrentController()
    controller.setActiveSheet(sheet)
    frame = controller.getFrame()
    if spec.get("unprotect_and_insert_row"):
        sheet.unprotect("")
        header = _row_of(sheet, spec.get("id_header", "Tunniste"))
        sheet.getRows().insertByIndex(header - 1, 1)  # a new row right above the table's header
        controller.select(sheet.getCellRangeByName(f"B{header}"))
        _enter(frame, "Täyttäjät: Maija ja Olli")
    for fill in spec["fills"]:
        row = _row_of(sheet, fill["id"])
        cell = sheet.getCellRangeByName(f"{fill['column']}{row}")
        value = _drop_down(doc, cell)[fill["choose"]] if "choose" in fill else fill["type"]
        controller.select(cell)
        _enter(frame, value)
        print(fill["id"], fill["column"], value)
    save_as(doc, target, "Calc MS Excel 2007 XML")


if __name__ == "__main__":
    run(main)
