"""Fill a self-assessment form in LibreOffice as a person would, and save it as .docx (run by tests).

usage: fill_form.py PIPE FORM.docx OUT.docx SPEC.json

SPEC: {"criteria": {"12": {"<row label>": [how, text], ...}}, "sheet": {"<row label>": [how, text]}}
how: "field"    type into the cell's text control as a person does: click the grey prompt (LibreOffice
                selects it) and type, Enter between lines (a plain-text control of an older
                form is an input field: clicking it opens a box to type into),
     "choose"   choose an entry of the cell's drop-down control,
     "type"     select the cell's contents and type over them (the control is gone afterwards).
Criterion tables are found by the number in their first cell, rows by the label in their label
column (B, or D for the second field of a row of two), as a person finds them on the page. Prints one line per filled cell.
"""

import json
import sys

import uno
from _connect import run, connect, open_doc, props, save_as


def portions(cell):
    """The text portions of a cell's paragraphs."""
    paragraphs = cell.getText().createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if not paragraph.supportsService("com.sun.star.text.Paragraph"):
            continue
        parts = paragraph.createEnumeration()
        while parts.hasMoreElements():
            yield parts.nextElement()


def dispatch(doc, command, **arguments):
    url = uno.createUnoStruct("com.sun.star.util.URL")
    url.Complete = url.Main = command
    url.Protocol, url.Path = ".uno:", command[len(".uno:"):]
    frame = doc.getCurrentController().getFrame()
    frame.queryDispatch(url, "", 0).dispatch(url, props(**arguments))


def type_over(doc, control, text):
    """Select the control's prompt, as a click does, and type the text line by line (Enter between)."""
    cursor = control.getText().createTextCursorByRange(control.getAnchor())
    doc.getCurrentController().select(cursor)
    for i, line in enumerate(text.split("\n")):
        if i:
            dispatch(doc, ".uno:InsertPara")
        dispatch(doc, ".uno:InsertText", Text=line)


def fill(doc, cell, how, text):
    if how == "type":
        cell.setString(text)
        return
    for portion in portions(cell):
        kind = portion.TextPortionType
        if how == "field" and kind == "TextField":
            portion.TextField.setPropertyValue("Content", text)
            return
        if how == "field" and kind == "ContentControl" and not portion.ContentControl.ListItems:
            type_over(doc, portion.ContentControl, text)
            return
        if how == "choose" and kind == "ContentControl":
            control = portion.ContentControl
            entries = [dict((p.Name, p.Value) for p in item)["DisplayText"] for item in control.ListItems]
            if text not in entries:
                raise SystemExit(f"{text!r} is not an entry of the drop-down ({entries})")
            # Choosing an entry replaces the control's text with it, as the drop-down does.
            cursor = control.getText().createTextCursorByRange(control.getAnchor())
            cursor.setString(text)
            control.setPropertyValue("ShowingPlaceHolder", False)
            return
    raise SystemExit(f"no {how} control in the cell (it holds {cell.getString()!r})")


def rows_by_label(table, label_column, value_column):
    """{first line of the label cell: value cell} for a table whose columns are named by letter."""
    out = {}
    for name in table.getCellNames():
        if name.startswith(label_column) and name[len(label_column):].isdigit():
            row = name[len(label_column):]
            value = table.getCellByName(value_column + row)
            if value is not None:
                out[table.getCellByName(name).getString().split("\n")[0].strip()] = value
    return out


def main(pipe, source, target, spec_path):
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    desktop = connect(pipe)
    doc = open_doc(desktop, source)
    tables = doc.getTextTables()
    done = set()
    for index in range(tables.getCount()):
        table = tables.getByIndex(index)
        first = table.getCellByName("A1").getString().strip()
        if first in spec.get("criteria", {}):
            # Labels in column B, and in column D of a row of two fields side by side (LibreOffice
            # names the cells of such a row A–E).
            rows = {**rows_by_label(table, "B", "C"), **rows_by_label(table, "D", "E")}
            for label, (how, text) in spec["criteria"][first].items():
                fill(doc, rows[label], how, text)
                print(f"filled criterion {first}, {label}")
            done.add(first)
        elif first in ("Työpaja", "Verkstad") and spec.get("sheet"):  # the data sheet, Finnish or Swedish
            rows = rows_by_label(table, "A", "B")
            for label, (how, text) in spec["sheet"].items():
                fill(doc, rows[label], how, text)
                print(f"filled data sheet, {label}")
    missing = set(spec.get("criteria", {})) - done
    if missing:
        raise SystemExit(f"no table for criteria {sorted(missing)}")
    doc.getTextFields().refresh()
    save_as(doc, target, "MS Word 2007 XML")


if __name__ == "__main__":
    run(main, *sys.argv[1:5])
