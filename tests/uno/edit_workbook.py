"""Edit a workbook in LibreOffice Calc the way people do before returning it, and save it.

Usage (run by tests/libreoffice.run_uno under /usr/bin/python3):
    edit_workbook.py PIPE SOURCE.xlsx TARGET JOBS.json

JOBS.json: {"filter": "Calc MS Excel 2007 XML" (default), "steps": [...]}, each step one of
  {"do": "unprotect", "sheet": S}
  {"do": "type", "sheet": S, "cell": C, "text": T}       typed through the user interface (.uno:EnterString)
  {"do": "choose", "sheet": S, "cell": C, "index": N}    the N-th entry (0-based) of the cell's drop-down
  {"do": "array", "sheet": S, "range": R, "formula": F}  an array formula over R (Ctrl+Shift+Enter)
  {"do": "copy_sheet", "sheet": S, "as": NAME}           Move or Copy Sheet > Copy, placed after S
  {"do": "insert_row_below", "sheet": S, "cell": C}      a new row right below C's row
  {"do": "comment", "sheet": S, "cell": C, "text": T}    Insert > Comment
  {"do": "sort", "sheet": S, "range": R, "by": N}        Data > Sort of R by its N-th column (0-based), ascending
  {"do": "import_sheet", "sheet": S, "from": PATH}       Move or Copy Sheet > Copy of sheet S from another workbook
                                                          (PATH) into this one, in place of its own sheet S
A cell may be given as "{tpk-07}F": column F of the row whose column A holds the criterion id tpk-07
(found on the sheet as it is at that step); "{tpk-07+1}F" is the row below it. Prints one line per step.
"""

import json
import re
import sys

import uno
from _connect import run, connect, open_doc, props, save_as


def _enter(frame, text):
    url = uno.createUnoStruct("com.sun.star.util.URL")
    url.Complete = url.Main = ".uno:EnterString"
    url.Protocol, url.Path = ".uno:", "EnterString"
    frame.queryDispatch(url, "", 0).dispatch(url, props(StringName=text))


def _ref(sheet, ref):
    """A cell or range name, with {criterion id} replaced by that criterion's row."""
    def row_of(match):
        ids = sheet.getCellRangeByName("A1:A400").getDataArray()
        for i, (value,) in enumerate(ids):
            if value == match.group(1):
                return str(i + 1)
        raise SystemExit(f"criterion {match.group(1)} not found in column A")

    return re.sub(r"\{([^}+]+)(?:\+(\d+))?\}([A-Z]+)",
                  lambda m: m.group(3) + str(int(row_of(m)) + int(m.group(2) or 0)), ref)


def main():
    pipe, source, target, jobs_path = sys.argv[1:5]
    with open(jobs_path, encoding="utf-8") as handle:
        jobs = json.load(handle)
    doc = open_doc(connect(pipe), source)
    controller = doc.getCurrentController()
    frame = controller.getFrame()
    for step in jobs["steps"]:
        sheet = doc.Sheets.getByName(step["sheet"])
        controller.setActiveSheet(sheet)
        do = step["do"]
        if do == "unprotect":
            sheet.unprotect("")
        elif do in ("type", "choose"):
            cell = sheet.getCellRangeByName(_ref(sheet, step["cell"]))
            text = step.get("text")
            if do == "choose":
                name = cell.Validation.Formula1
                text = [row[0] for row in doc.NamedRanges.getByName(name).getReferredCells().getDataArray()][step["index"]]
            controller.select(cell)
            _enter(frame, text)
        elif do == "array":
            sheet.getCellRangeByName(_ref(sheet, step["range"])).setArrayFormula(step["formula"])
        elif do == "copy_sheet":
            index = [doc.Sheets.getByIndex(i).Name for i in range(doc.Sheets.Count)].index(step["sheet"])
            doc.Sheets.copyByName(step["sheet"], step["as"], index + 1)
        elif do == "insert_row_below":
            row = sheet.getCellRangeByName(_ref(sheet, step["cell"])).CellAddress.Row
            sheet.getRows().insertByIndex(row + 1, 1)
        elif do == "comment":
            address = sheet.getCellRangeByName(_ref(sheet, step["cell"])).CellAddress
            sheet.getAnnotations().insertNew(address, step["text"])
        elif do == "sort":
            cells = sheet.getCellRangeByName(_ref(sheet, step["range"]))
            field = uno.createUnoStruct("com.sun.star.table.TableSortField")
            field.Field, field.IsAscending = step["by"], True
            descriptor = props(SortFields=uno.Any("[]com.sun.star.table.TableSortField", (field,)),
                               ContainsHeader=False)
            uno.invoke(cells, "sort", (descriptor,))
        elif do == "import_sheet":
            other = open_doc(connect(pipe), step["from"])
            names = [doc.Sheets.getByIndex(i).Name for i in range(doc.Sheets.Count)]
            index = names.index(step["sheet"])
            doc.Sheets.importSheet(other, step["sheet"], index + 1)
            other.close(True)
            doc.Sheets.removeByName(step["sheet"])
            doc.Sheets.getByIndex(index).Name = step["sheet"]
        else:
            raise SystemExit(f"unknown step {do!r}")
        print(do, step.get("cell") or step.get("range") or step["sheet"])
    save_as(doc, target, jobs.get("filter", "Calc MS Excel 2007 XML"))


if __name__ == "__main__":
    run(main)
