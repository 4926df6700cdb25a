"""Edit a self-assessment form in LibreOffice Writer the way people do, and save it as .docx.

Usage (run by tests/libreoffice.run_uno under /usr/bin/python3):
    edit_form.py PIPE FORM.docx OUT.docx STEPS.json

STEPS: a list, each step on the table of criterion "criterion" (found by the number in its first
cell) and the row whose label (column B) starts with "label":
  {"do": "field", ...,  "text": T}         type into the row's text field (as fill_form.py "field")
  {"do": "insert_row_below", ..., "text": T}   Table > Insert > Rows Below, and type T in the new row's answer cell
  {"do": "comment", ..., "text": T}        Insert > Comment in the row's answer cell
Prints one line per step.
"""

import json
import sys

from _connect import connect, open_doc, save_as
from fill_form import fill, rows_by_label


def _table(doc, number):
    tables = doc.getTextTables()
    for index in range(tables.getCount()):
        table = tables.getByIndex(index)
        if table.getCellByName("A1").getString().strip() == number:
            return table
    raise SystemExit(f"no table for criterion {number}")


def _row_name(table, label):
    for name in table.getCellNames():
        if name.startswith("B") and name[1:].isdigit() and \
                table.getCellByName(name).getString().split("\n")[0].strip().startswith(label):
            return int(name[1:])
    raise SystemExit(f"no row {label!r}")


def main(pipe, source, target, steps_path):
    with open(steps_path, encoding="utf-8") as handle:
        steps = json.load(handle)
    doc = open_doc(connect(pipe), source)
    for step in steps:
        table = _table(doc, step["criterion"])
        if step["do"] == "field":
            fill(doc, rows_by_label(table, "B", "C")[step["label"]], "field", step["text"])
        elif step["do"] == "insert_row_below":
            row = _row_name(table, step["label"])
            table.getRows().insertByIndex(row, 1)  # 0-based index `row` is the row below 1-based `row`
            cell = table.getCellByName(f"C{row + 1}")
            cell.setString(step["text"])
            table.getCellByName(f"B{row + 1}").setString("")
        elif step["do"] == "comment":
            cell = rows_by_label(table, "B", "C")[step["label"]]
            note = doc.createInstance("com.sun.star.text.textfield.Annotation")
            note.Author = "Maija"
            note.Content = step["text"]
            text = cell.getText()
            text.insertTextContent(text.getStart(), note, False)
        else:
            raise SystemExit(f"unknown step {step['do']!r}")
        print(step["do"], step["criterion"], step["label"])
    doc.getTextFields().refresh()
    save_as(doc, target, "MS Word 2007 XML")


if __name__ == "__main__":
    main(*sys.argv[1:5])
