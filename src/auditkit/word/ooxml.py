"""WordprocessingML pieces python-docx has no API for: content controls, fields, cell layout, links.

Every function returns a new lxml element (python-docx's element classes, so python-docx can still
read the result). Text goes into documents through `run()` only, which writes each string whole into
one `w:t`: kit generation replaces placeholder values in the XML text later, so a value must never be
split across runs or altered on the way in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_NSMAP = {"w": W_NS}
Element = etree._Element
# The prompts' grey: light enough to read as a prompt, on screen and printed, dark enough (4.5:1 on
# white) to stay legible where LibreOffice gives typed text the prompt's look (see text_control).
PLACEHOLDER_GREY = "767676"


@functools.lru_cache(maxsize=None)
def _clark(tag: str) -> str:
    return qn(tag)


def el(tag: str, attrs: dict[str, str] | None = None, *children: Element | None) -> Element:
    """A `w:` element with `w:`-qualified attributes and the given children (None skipped).

    Made like python-docx's OxmlElement (same parser, so the same element classes) with the names
    looked up once: a form has over 20 000 elements.
    """
    node = oxml_parser.makeelement(_clark(tag), nsmap=_NSMAP)
    for key, value in (attrs or {}).items():
        node.set(_clark(key), value)
    for child in children:
        if child is not None:
            node.append(child)
    return node


def val(tag: str, value: str | int) -> Element:
    return el(tag, {"w:val": str(value)})


# --- runs and paragraphs -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with direct formatting (most formatting comes from styles)."""

    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None
    size: float | None = None
    style: str | None = None  # character style id, e.g. "PlaceholderText"


def run(text: str, *, bold: bool = False, italic: bool = False, color: str | None = None,
        size: float | None = None, style: str | None = None) -> Element:
    """A `w:r` with the text whole in one `w:t` (spaces kept)."""
    r = el("w:r")
    props = []
    if style:
        props.append(val("w:rStyle", style))
    if bold:
        props.append(el("w:b"))
    if italic:
        props.append(el("w:i"))
    if color:
        props.append(val("w:color", color))
    if size:
        props.append(val("w:sz", int(round(size * 2))))
        props.append(val("w:szCs", int(round(size * 2))))
    if props:
        r.append(el("w:rPr", None, *props))
    t = el("w:t")
    t.text = text
    t.set(XML_SPACE, "preserve")
    r.append(t)
    return r


def typed_run(text: str) -> Element:
    """A run as Word saves typed text: lines separated by breaks, tabs as tab elements."""
    r = el("w:r")
    for i, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if i:
            r.append(el("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                r.append(el("w:tab"))
            if piece:
                t = el("w:t")
                t.text = piece
                t.set(XML_SPACE, "preserve")
                r.append(t)
    return r


def runs(parts: Iterable[str | Run | Element]) -> list[Element]:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(run(part))
        elif isinstance(part, Run):
            out.append(run(part.text, bold=part.bold, italic=part.italic, color=part.color, size=part.size,
                           style=part.style))
        else:
            out.append(part)
    return out


def paragraph(style_id: str | None, *parts: str | Run | Element, keep_next: bool = False,
              page_break_before: bool = False, align: str | None = None, after: int | None = None,
              before: int | None = None, keep_lines: bool = False, fill: str | None = None,
              right_tab: int | None = None) -> Element:
    """A `w:p` in a paragraph style (by style id) holding runs, fields or controls; fill: a shading
    colour; right_tab: a right-aligned tab stop with a dotted leader at this position (twips)."""
    ppr = el("w:pPr")  # its children in the schema's order, or Word calls the file damaged
    if style_id:
        ppr.append(val("w:pStyle", style_id))
    if keep_next:
        ppr.append(el("w:keepNext"))
    if keep_lines:
        ppr.append(el("w:keepLines"))
    if page_break_before:
        ppr.append(el("w:pageBreakBefore"))
    if fill:
        ppr.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill}))
    if right_tab is not None:
        ppr.append(el("w:tabs", None, el("w:tab", {"w:val": "right", "w:leader": "dot", "w:pos": str(right_tab)})))
    if before is not None or after is not None:
        spacing = el("w:spacing")
        if before is not None:
            spacing.set(qn("w:before"), str(before))
        if after is not None:
            spacing.set(qn("w:after"), str(after))
        ppr.append(spacing)
    if align:
        ppr.append(val("w:jc", align))
    p = el("w:p", None, ppr if len(ppr) else None)
    for r in runs(parts):
        p.append(r)
    return p


def tab() -> Element:
    return el("w:r", None, el("w:tab"))


def field(instruction: str, shown: str) -> list[Element]:
    """A complex field (e.g. PAGE, NUMPAGES) as runs; `shown` is the cached result until updated."""
    instr = el("w:instrText")
    instr.text = f" {instruction} "
    instr.set(XML_SPACE, "preserve")
    return [
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "begin"})),
        el("w:r", None, instr),
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "separate"})),
        run(shown),
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"})),
    ]


def bookmark(name: str, number: int, *inside: Element) -> list[Element]:
    return [el("w:bookmarkStart", {"w:id": str(number), "w:name": name}), *inside,
            el("w:bookmarkEnd", {"w:id": str(number)})]


def internal_link(anchor: str, text: str) -> Element:
    """A hyperlink to a bookmark in the same document."""
    return el("w:hyperlink", {"w:anchor": anchor, "w:history": "1"}, run(text, style="Hyperlink"))


# --- content controls --------------------------------------------------------------------------


def _sdt(number: int, tag: str, alias: str, placeholder: str, kind: Element | None) -> Element:
    # Word's order within sdtPr: (rPr,) alias, tag, id, placeholder flag, then the control's type. No
    # rPr: Word gives typed text the control's rPr, and answers must not come out grey.
    props = el(
        "w:sdtPr", None,
        val("w:alias", alias), val("w:tag", tag) if tag else None, val("w:id", number),
        el("w:showingPlcHdr"), kind,
    )
    # The colour is direct too: LibreOffice shows a plain-text control as a field and ignores its style.
    content = el("w:sdtContent", None, run(placeholder, style="PlaceholderText", color=PLACEHOLDER_GREY))
    return el("w:sdt", None, props, content)


def text_control(number: int, tag: str, alias: str, placeholder: str) -> Element:
    """An inline rich-text content control showing `placeholder` as a grey prompt.

    Rich text, not plain text: LibreOffice 7.4 turns a plain-text control into an input field that
    prints its prompt black, so a blank form would look filled in; it shows a rich-text control as a
    content control with the prompt grey, and clicking it selects the prompt to be typed over. Word
    shows the prompt grey and removes it on the first keystroke. (LibreOffice 7.4 leaves typed text
    grey and the placeholder flag set; the reader therefore trusts the flag only in a control that
    kept its id, which Word keeps and LibreOffice 7.4 drops.)
    """
    return _sdt(number, tag, alias, placeholder, None)


def dropdown_control(number: int, tag: str, alias: str, placeholder: str, choices: Sequence[str]) -> Element:
    """An inline drop-down content control offering `choices` (value = display text)."""
    items = [el("w:listItem", {"w:displayText": c, "w:value": c}) for c in choices]
    return _sdt(number, tag, alias, placeholder, el("w:dropDownList", None, *items))


# --- tables ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    """A table cell: its paragraphs and layout. span: grid columns; merge: "restart"/"continue"."""

    paragraphs: list[Element]
    fill: str | None = None
    span: int = 1
    merge: str | None = None
    valign: str | None = None


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    height: int | None = None  # twips, at least
    header: bool = False  # repeat on every page the table runs onto
    cant_split: bool = True


def table(widths: Sequence[int], rows: Iterable[Row], *, border: str = "A6B4C4", style_id: str = "TableGrid",
          indent: int = 0) -> Element:
    """A fixed-layout table whose columns are `widths` twips wide, with thin borders of colour `border`."""
    total = sum(widths)
    edges = [el(f"w:{edge}", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": border})
             for edge in ("top", "left", "bottom", "right", "insideH", "insideV")]
    tbl = el(
        "w:tbl", None,
        el("w:tblPr", None,
           val("w:tblStyle", style_id),
           el("w:tblW", {"w:w": str(total), "w:type": "dxa"}),
           el("w:tblInd", {"w:w": str(indent), "w:type": "dxa"}),
           el("w:tblBorders", None, *edges),
           el("w:tblLayout", {"w:type": "fixed"}),
           el("w:tblCellMar", None,
              el("w:top", {"w:w": "57", "w:type": "dxa"}), el("w:left", {"w:w": "100", "w:type": "dxa"}),
              el("w:bottom", {"w:w": "57", "w:type": "dxa"}), el("w:right", {"w:w": "100", "w:type": "dxa"})),
           el("w:tblLook", {"w:val": "0000", "w:firstRow": "0", "w:lastRow": "0", "w:firstColumn": "0",
                            "w:lastColumn": "0", "w:noHBand": "1", "w:noVBand": "1"})),
        el("w:tblGrid", None, *(el("w:gridCol", {"w:w": str(w)}) for w in widths)),
    )
    for row in rows:
        tbl.append(_row(row, widths))
    return tbl


def keep_together(tbl: Element) -> Element:
    """Keep a table on one page where it fits, with the paragraph after it (a note, say): every
    paragraph in it keeps with the next."""
    for tr in tbl.findall(_clark("w:tr")):
        for p in tr.iter(_clark("w:p")):
            ppr = p.find(_clark("w:pPr"))
            if ppr is None:
                ppr = el("w:pPr")
                p.insert(0, ppr)
            if ppr.find(_clark("w:keepNext")) is None:
                style = ppr.find(_clark("w:pStyle"))
                ppr.insert(0 if style is None else 1, el("w:keepNext"))
    return tbl


def _row(row: Row, widths: Sequence[int]) -> Element:
    trpr = el("w:trPr")
    if row.cant_split:
        trpr.append(el("w:cantSplit"))
    if row.height:
        trpr.append(el("w:trHeight", {"w:val": str(row.height), "w:hRule": "atLeast"}))
    if row.header:
        trpr.append(el("w:tblHeader"))
    tr = el("w:tr", None, trpr if len(trpr) else None)
    column = 0
    for cell in row.cells:
        width = sum(widths[column:column + cell.span])
        column += cell.span
        tcpr = el("w:tcPr", None, el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
        if cell.span > 1:
            tcpr.append(val("w:gridSpan", cell.span))
        if cell.merge:
            tcpr.append(val("w:vMerge", cell.merge))
        if cell.fill:
            tcpr.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": cell.fill}))
        if cell.valign:
            tcpr.append(val("w:vAlign", cell.valign))
        tc = el("w:tc", None, tcpr)
        for p in cell.paragraphs or [paragraph(None)]:
            tc.append(p)
        tr.append(tc)
    return tr
