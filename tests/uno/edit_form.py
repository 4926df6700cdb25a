"""Edit a self-assessment form in LibreOffice Writer the way people do, and save it as .docx.

Usage (run by tests/libreoffice.run_uno under /usr/bin/python3):
    edit_form.py PIPE FORM.docx OUT.docx STEPS.json

STEPS: a list, each step on the table of criterion "criterion" (found by the number in its first
cell) and the row whose label (column B) starts with "label":
  {"do": "field", ...,  "text": T}         type into the row's text field (as fill_form.py "field")
  {"do": "insert_row_below", ..., "text": T}   Table > Insert > Rows Below, and type T in the new row's answer cell
  {"do": "comment", ..., "text": T}        Insert > Comment in the row's answer cell
  {"do": "type_in_label", ..., "text": T}  Enter at the end of the row's label cell, and type T there
  {"do": "type_below", "criterion": N, "text": T}   click the empty line under the criterion's table and type T
  {"do": "text_box", "criterion": N, "text": T}     Insert > Text Box on the line under the table, holding T
  {"do": "paste_all_from", "from": PATH}   Select All and Copy in another form (PATH), Select All and Paste here
  {"do": "footnote", ..., "text": T}       Insert > Footnote at the end of the row's answer cell, holding T
  {"do": "tracked", ..., "text": T}        Edit > Track Changes > Record on, then type T into the row's field
Prints one line per step.
"""

import json
import sys

import uno
from _connect import run, connect, open_doc, save_as
from fill_form import dispatch, fill, rows_by_label

PARAGRAPH_BREAK = 0  # com.sun.star.text.ControlCharacter.PARAGRAPH_BREAK


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


def _paragraph_after(doc, table):
    """The paragraph right under a table (the kit leaves an empty one there)."""
    items = doc.getText().createEnumeration()
    found = False
    while items.hasMoreElements():
        item = items.nextElement()
        if found:
            return item
        found = item.supportsService("com.sun.star.text.TextTable") and item.getName() == table.getName()
    raise SystemExit("no paragraph under the table")


def main(pipe, source, target, steps_path):
    with open(steps_path, encoding="utf-8") as handle:
        steps = json.load(handle)
    desktop = connect(pipe)
    doc = open_doc(desktop, source)
    for step in steps:
        if step["do"] == "paste_all_from":
            other = open_doc(desktop, step["from"])
            for _ in range(3):  # in a document that starts with a table, Select All grows step by step
                dispatch(other, ".uno:SelectAll")
            dispatch(other, ".uno:Copy")
            for _ in range(3):
                dispatch(doc, ".uno:SelectAll")
            dispatch(doc, ".uno:Paste")
            other.close(True)
            print("paste_all_from", step["from"])
            continue
        table = _table(doc, step["criterion"])
        if step["do"] in ("type_below", "text_box"):
            below = _paragraph_after(doc, table)
            if step["do"] == "type_below":
                below.setString(step["text"])
            else:
                frame = doc.createInstance("com.sun.star.text.TextFrame")
                frame.setPropertyValue("AnchorType", uno.Enum("com.sun.star.text.TextContentAnchorType", "AT_PARAGRAPH"))
                below.getText().insertTextContent(below.getStart(), frame, False)
                frame.getText().setString(step["text"])
            print(step["do"], step["criterion"])
            continue
        if step["do"] == "field":
            fill(doc, rows_by_label(table, "B", "C")[step["label"]], "field", step["text"])
        elif step["do"] == "insert_row_below":
            row = _row_name(table, step["label"])
            table.getRows().insertByIndex(row, 1)  # 0-based index `row` is the row below 1-based `row`
            cell = table.getCellByName(f"C{row + 1}")
            cell.setString(step["text"])
            table.getCellByName(f"B{row + 1}").setString("")
        elif step["do"] == "type_in_label":
            text = table.getCellByName(f"B{_row_name(table, step['label'])}").getText()
            text.insertControlCharacter(text.getEnd(), PARAGRAPH_BREAK, False)
            text.insertString(text.getEnd(), step["text"], False)
        elif step["do"] == "footnote":
            text = rows_by_label(table, "B", "C")[step["label"]].getText()
            note = doc.createInstance("com.sun.star.text.Footnote")
            text.insertTextContent(text.getEnd(), note, False)
            note.setString(step["text"])
        elif step["do"] == "tracked":
            doc.setPropertyValue("RecordChanges", True)
            fill(doc, rows_by_label(table, "B", "C")[step["label"]], "field", step["text"])
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
    run(main, *sys.argv[1:5])
