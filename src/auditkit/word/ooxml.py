"""WordprocessingML pieces python-docx has no API for: content controls, fields, cell layout, links.

Every function returns a new lxml element (python-docx's element classes, so python-docx can still
read the result). Text goes into documents through `run()` only, which writes each string whole into
one `w:t`: kit generation replaces placeholder values in the XML text later, so a value must never be
split across runs or altered on the way in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from lxml import etree

from ..outputs import XML_FORBIDDEN

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


_sub = etree.SubElement
# An element's copy, deep (lxml's __copy__, called directly: copy.copy's dispatch costs a third more).
_copy: Callable[[Element], Element] = getattr(etree._Element, "__copy__")
(_P, _PPR, _PSTYLE, _KEEP_NEXT, _KEEP_LINES, _PAGE_BREAK, _SHD, _TABS, _TAB, _SPACING, _JC, _R, _RPR, _RSTYLE, _B, _I,
 _COLOR, _SZ, _SZCS, _T, _VAL, _BEFORE, _AFTER) = (qn(t) for t in (
    "w:p", "w:pPr", "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:shd", "w:tabs", "w:tab",
    "w:spacing", "w:jc", "w:r", "w:rPr", "w:rStyle", "w:b", "w:i", "w:color", "w:sz", "w:szCs", "w:t", "w:val",
    "w:before", "w:after"))


def _set(node: Element, attrs: dict[str, str]) -> Element:
    for key, value in attrs.items():
        node.set(_clark(key), value)
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
    typed: bool = False  # the text as a person typed it: lines separated by breaks, tabs as tabs (typed_run)


def run(text: str, *, bold: bool = False, italic: bool = False, color: str | None = None,
        size: float | None = None, style: str | None = None) -> Element:
    """A `w:r` with the text whole in one `w:t` (spaces kept)."""
    r = oxml_parser.makeelement(_R, nsmap=_NSMAP)
    _fill_run(r, text, bold, italic, color, size, style)
    return r


def _fill_run(r: Element, text: str, bold: bool = False, italic: bool = False, color: str | None = None,
              size: float | None = None, style: str | None = None) -> None:
    # Children made inside their parent take its namespace: a report has tens of thousands of them.
    if style or bold or italic or color or size:
        props = _sub(r, _RPR)
        if style:
            _sub(props, _RSTYLE).set(_VAL, style)
        if bold:
            _sub(props, _B)
        if italic:
            _sub(props, _I)
        if color:
            _sub(props, _COLOR).set(_VAL, color)
        if size:
            half_points = str(int(round(size * 2)))
            _sub(props, _SZ).set(_VAL, half_points)
            _sub(props, _SZCS).set(_VAL, half_points)
    t = _sub(r, _T)
    t.text = text
    t.set(XML_SPACE, "preserve")


def typed_run(text: str) -> Element:
    """A run as Word saves typed text: lines separated by breaks, tabs as tab elements."""
    r = el("w:r")
    _fill_typed(r, text)
    return r


def _typed_pieces(text: str) -> Iterator[str]:
    """Typed text as Word saves it, in order: "\n" for a line break, "\t" for a tab, else a piece of text
    (any line ending a break; no empty pieces)."""
    for i, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if i:
            yield "\n"
        for j, piece in enumerate(line.split("\t")):
            if j:
                yield "\t"
            if piece:
                yield piece


def _fill_typed(r: Element, text: str) -> None:
    for piece in _typed_pieces(text):
        if piece == "\n":
            r.append(el("w:br"))
        elif piece == "\t":
            r.append(el("w:tab"))
        else:
            t = el("w:t")
            t.text = piece
            t.set(XML_SPACE, "preserve")
            r.append(t)


def runs(parts: Iterable[str | Run | Element]) -> list[Element]:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(run(part))
        elif isinstance(part, Run):
            out.append(_run_of(part))
        else:
            out.append(part)
    return out


def _add_runs(p: Element, parts: Iterable[str | Run | Element]) -> None:
    """runs(parts) appended to p, made inside it."""
    for part in parts:
        if isinstance(part, str):
            _fill_run(_sub(p, _R), part)
        elif isinstance(part, Run):
            if part.typed:
                r = _sub(p, _R)
                _fill_run(r, "", part.bold, part.italic, part.color, part.size, part.style)
                r.remove(r[-1])  # the w:t: typed text is its lines, breaks and tabs
                _fill_typed(r, part.text)
            else:
                _fill_run(_sub(p, _R), part.text, part.bold, part.italic, part.color, part.size, part.style)
        else:
            p.append(part)


def _run_of(part: Run) -> Element:
    p = oxml_parser.makeelement(_P, nsmap=_NSMAP)
    _add_runs(p, (part,))
    r = p[0]
    p.remove(r)
    return r


def paragraph(style_id: str | None, *parts: str | Run | Element, keep_next: bool = False,
              page_break_before: bool = False, align: str | None = None, after: int | None = None,
              before: int | None = None, keep_lines: bool = False, fill: str | None = None,
              right_tab: int | None = None) -> Element:
    """A `w:p` in a paragraph style (by style id) holding runs, fields or controls; fill: a shading
    colour; right_tab: a right-aligned tab stop with a dotted leader at this position (twips).

    A paragraph of short texts only is made once per process and copied after (a copy costs a fifth of
    making it, and a round's reports repeat the same cells thousands of times: "3", "–", a criterion)."""
    key = None
    if _short_texts(parts):
        key = (style_id, parts, keep_next, page_break_before, align, after, before, keep_lines, fill, right_tab)
        made = _MEMO.get(key)
        if made is not None:
            return _copy(made)  # an lxml element's copy is deep
    p = _paragraph(style_id, parts, keep_next, page_break_before, align, after, before, keep_lines, fill, right_tab)
    if key is not None:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[key] = _copy(p)
    return p


def _short_texts(parts: Sequence[str | Run | Element]) -> bool:
    """Whether parts are texts (strings or Runs, no elements) of _MEMO_TEXT characters at most."""
    length = 0
    for part in parts:
        if type(part) is str:
            length += len(part)
        elif type(part) is Run:
            length += len(part.text)
        else:
            return False
    return length <= _MEMO_TEXT


def texts_only(parts: Sequence[str | Run | Element]) -> bool:
    """Whether parts are texts (strings or Runs), no elements."""
    for part in parts:
        if type(part) is not str and type(part) is not Run:
            return False
    return True


def short_texts(parts: Sequence[str | Run | Element]) -> bool:
    """Whether a paragraph of these parts is one `paragraph` makes once and copies (texts only, short)."""
    return _short_texts(parts)


def paragraph_xml(style_id: str | None, parts: tuple[str | Run, ...], layout: tuple[tuple[str, Any], ...]) -> bytes:
    """The XML of paragraph(style_id, *parts, **dict(layout)) as it reads inside a part that declares
    the w: namespace (no declaration of its own), made once per process for texts that repeat."""
    key = (style_id, parts, layout)
    made = _XML.get(key)
    if made is None:
        data = etree.tostring(_paragraph(style_id, parts, **dict(layout)), encoding="UTF-8")
        made = data.replace(_W_DECLARATION, b"", 1)
        if len(_XML) >= _MEMO_SIZE * 4:
            _XML.clear()
        _XML[key] = made
    return made


def text_paragraph_xml(style_id: str | None, parts: Sequence[str | Run], layout: tuple[tuple[str, Any], ...]) -> bytes:
    """paragraph_xml for texts of any length, not kept: the paragraph's and each run's properties made
    once per process by lxml, the texts escaped into them as lxml escapes them (a returned text of a
    few thousand characters is written once, not made into elements and serialised)."""
    if not parts:
        return paragraph_xml(style_id, (), layout)
    head = _HEADS.get((style_id, layout))
    if head is None:
        empty = paragraph_xml(style_id, (), layout)
        head = _HEADS[(style_id, layout)] = b"<w:p>" if empty == b"<w:p/>" else empty[:-len(b"</w:p>")]
    out = [head]
    for part in parts:
        if isinstance(part, str):
            text, typed, props = part, False, _PLAIN_RUN
        else:
            text, typed = part.text, part.typed
            props = _run_head(part.bold, part.italic, part.color, part.size, part.style)
        if XML_FORBIDDEN.search(text) is not None:  # what lxml refuses: refused as lxml refuses it
            return paragraph_xml(style_id, tuple(parts), layout)
        if not typed:
            out += (props, _T_OPEN, _text(text), _T_CLOSE)
            continue
        pieces = [props]
        for piece in _typed_pieces(text):
            if piece == "\n":
                pieces.append(b"<w:br/>")
            elif piece == "\t":
                pieces.append(b"<w:tab/>")
            else:
                pieces += (b'<w:t xml:space="preserve">', _text(piece), b"</w:t>")
        if len(pieces) == 1 and props == _PLAIN_RUN:
            out.append(b"<w:r/>")
        else:
            out += pieces
            out.append(b"</w:r>")
    out.append(b"</w:p>")
    return b"".join(out)


def _text(text: str) -> bytes:
    """Text content as lxml writes it (quotes as they are, a carriage return as a character reference)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;").encode()


@functools.lru_cache(maxsize=256)
def _run_head(bold: bool, italic: bool, color: str | None, size: float | None, style: str | None) -> bytes:
    """A run's start tag and properties as lxml writes them (up to its text)."""
    r = oxml_parser.makeelement(_R, nsmap=_NSMAP)
    _fill_run(r, "", bold, italic, color, size, style)
    data = xml_in_part(r)
    return data[:data.rindex(b"<w:t ")]


_PLAIN_RUN = b"<w:r>"
_T_OPEN, _T_CLOSE = b'<w:t xml:space="preserve">', b"</w:t></w:r>"
_HEADS: dict[tuple[str | None, tuple[tuple[str, Any], ...]], bytes] = {}
_W_DECLARATION = f' xmlns:w="{W_NS}"'.encode()
_XML: dict[tuple[object, ...], bytes] = {}  # about 300 bytes each
_MEMO: dict[tuple[object, ...], Element] = {}
_MEMO_SIZE = 2048  # paragraphs kept, then forgotten all at once: about 10 MB (each copy is its own lxml document)
_MEMO_TEXT = 120  # characters: a criterion's first sentence as a table shows it; longer texts rarely repeat


def _paragraph(style_id: str | None, parts: Sequence[str | Run | Element], keep_next: bool = False,
               page_break_before: bool = False, align: str | None = None, after: int | None = None,
               before: int | None = None, keep_lines: bool = False, fill: str | None = None,
               right_tab: int | None = None) -> Element:
    p = oxml_parser.makeelement(_P, nsmap=_NSMAP)
    if style_id or keep_next or keep_lines or page_break_before or fill or right_tab is not None \
            or before is not None or after is not None or align:
        ppr = _sub(p, _PPR)  # its children in the schema's order, or Word calls the file damaged
        if style_id:
            _sub(ppr, _PSTYLE).set(_VAL, style_id)
        if keep_next:
            _sub(ppr, _KEEP_NEXT)
        if keep_lines:
            _sub(ppr, _KEEP_LINES)
        if page_break_before:
            _sub(ppr, _PAGE_BREAK)
        if fill:
            _set(_sub(ppr, _SHD), {"w:val": "clear", "w:color": "auto", "w:fill": fill})
        if right_tab is not None:
            _set(_sub(_sub(ppr, _TABS), _TAB), {"w:val": "right", "w:leader": "dot", "w:pos": str(right_tab)})
        if before is not None or after is not None:
            spacing = _sub(ppr, _SPACING)
            if before is not None:
                spacing.set(_BEFORE, str(before))
            if after is not None:
                spacing.set(_AFTER, str(after))
        if align:
            _sub(ppr, _JC).set(_VAL, align)
    _add_runs(p, parts)
    return p


def tab() -> Element:
    return el("w:r", None, el("w:tab"))


# A tab as a paragraph's text part: the run tab() makes (<w:r><w:tab/></w:r>), for paragraphs of texts only.
TAB = Run("\t", typed=True)


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
    tbl = _copy(_table(tuple(widths), border, style_id, indent))
    for row in rows:
        tbl.append(_row(row, widths))
    return tbl


@functools.lru_cache(maxsize=1024)
def _table(widths: tuple[int, ...], border: str, style_id: str, indent: int) -> Element:
    """A table's properties and grid without rows (copy it: lru_cache keeps this one)."""
    total = sum(widths)
    edges = [el(f"w:{edge}", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": border})
             for edge in ("top", "left", "bottom", "right", "insideH", "insideV")]
    return el(
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


def keep_together(tbl: Element) -> Element:
    """Keep a table on one page where it fits, with the paragraph after it (a note, say): every
    paragraph in it keeps with the next."""
    for tr in tbl.findall(_clark("w:tr")):
        keep_with_next(tr)
    return tbl


def keep_with_next(element: Element) -> None:
    """Every paragraph in element (itself included) keeps with the next."""
    for p in element.iter(_P):
        ppr = p.find(_PPR)
        if ppr is None:
            ppr = _sub(p, _PPR)
            p.insert(0, ppr)
        if ppr.find(_KEEP_NEXT) is None:
            style = ppr.find(_PSTYLE)
            ppr.insert(0 if style is None else 1, _sub(ppr, _KEEP_NEXT))  # made inside, then moved


def table_xml(widths: Sequence[int], rows: Iterable[Row], xml_of: Callable[[Element], bytes], *,
              border: str = "A6B4C4", style_id: str = "TableGrid", indent: int = 0,
              known: Mapping[int, bytes] | None = None) -> bytes:
    """The XML of table(widths, rows, ...) as it reads inside a part that declares w:, each cell's
    paragraphs written as xml_of says (its properties and its rows' made once per process). known: the
    XML of paragraphs made before, by the id of the object standing for them (which must stay alive)."""
    out = [_opening(_table(tuple(widths), border, style_id, indent))]
    append = out.append
    get = (known or {}).get
    for row in rows:
        append(_row_opening(row.cant_split, row.height, row.header))
        column = 0
        for cell in row.cells:
            span = cell.span
            key = (sum(widths[column:column + span]) if span != 1 else widths[column], span, cell.merge, cell.fill,
                   cell.valign)
            opening = _CELL_OPENINGS.get(key)
            if opening is None:
                if len(_CELL_OPENINGS) >= 8192:
                    _CELL_OPENINGS.clear()
                opening = _CELL_OPENINGS[key] = _opening(_cell(*key))
            append(opening)
            column += span
            paragraphs = cell.paragraphs
            if paragraphs:
                for p in paragraphs:
                    made = get(id(p))
                    append(made if made is not None else xml_of(p))
            else:
                append(_EMPTY_P)
            append(b"</w:tc>")
        append(b"</w:tr>")
    append(b"</w:tbl>")
    return b"".join(out)


# A cell's start tag and properties by (width, span, merge, fill, valign).
_CELL_OPENINGS: dict[tuple[int, int, str | None, str | None, str | None], bytes] = {}


def xml_in_part(element: Element) -> bytes:
    """An element's XML as it reads inside a part that declares w: (its own declaration of w: left out)."""
    return etree.tostring(element, encoding="UTF-8").replace(_W_DECLARATION, b"", 1)


_OPENINGS: dict[int, tuple[Element, bytes]] = {}
_EMPTY_P = b"<w:p/>"


def _opening(element: Element) -> bytes:
    """The XML of element up to its end tag (its properties, as kept by an lru_cache), made once."""
    made = _OPENINGS.get(id(element))
    if made is None or made[0] is not element:
        marked = _copy(element)
        _sub(marked, _P)
        data = xml_in_part(marked)
        if len(_OPENINGS) >= 8192:
            _OPENINGS.clear()
        made = _OPENINGS[id(element)] = (element, data[:data.rindex(b"<w:p/>")])
    return made[1]


@functools.lru_cache(maxsize=64)
def _row_opening(cant_split: bool, height: int | None, header: bool) -> bytes:
    tr = oxml_parser.makeelement(_TR, nsmap=_NSMAP)
    if cant_split or height or header:
        trpr = _sub(tr, _TRPR)
        if cant_split:
            _sub(trpr, _CANT_SPLIT)
        if height:
            _set(_sub(trpr, _TR_HEIGHT), {"w:val": str(height), "w:hRule": "atLeast"})
        if header:
            _sub(trpr, _TBL_HEADER)
    return _opening(tr)


def _row(row: Row, widths: Sequence[int]) -> Element:
    # A row is copied, with its cells' properties, from one made before: a report has thousands of
    # rows of a few kinds (one copy, not one per cell).
    cells = []
    column = 0
    for cell in row.cells:
        cells.append((sum(widths[column:column + cell.span]), cell.span, cell.merge, cell.fill, cell.valign))
        column += cell.span
    key = (row.cant_split, row.height, row.header, tuple(cells))
    made = _ROWS.get(key)
    if made is None:
        made = oxml_parser.makeelement(_TR, nsmap=_NSMAP)
        if row.cant_split or row.height or row.header:
            trpr = _sub(made, _TRPR)
            if row.cant_split:
                _sub(trpr, _CANT_SPLIT)
            if row.height:
                _set(_sub(trpr, _TR_HEIGHT), {"w:val": str(row.height), "w:hRule": "atLeast"})
            if row.header:
                _sub(trpr, _TBL_HEADER)
        for width, span, merge, fill, valign in cells:
            made.append(_copy(_cell(width, span, merge, fill, valign)))
        if len(_ROWS) >= _ROWS_SIZE:
            _ROWS.clear()
        _ROWS[key] = made
    tr = _copy(made)
    for tc, cell in zip(tr.iterchildren(_TC), row.cells):
        if cell.paragraphs:
            for paragraph_ in cell.paragraphs:
                tc.append(paragraph_)
        else:
            _sub(tc, _P)
    return tr


_ROWS_SIZE = 1024
_ROWS: dict[tuple[object, ...], Element] = {}


@functools.lru_cache(maxsize=4096)
def _cell(width: int, span: int, merge: str | None, fill: str | None, valign: str | None) -> Element:
    """An empty cell with these properties (copy it: lru_cache keeps this one)."""
    tc = oxml_parser.makeelement(_TC, nsmap=_NSMAP)
    tcpr = _sub(tc, _TCPR)
    _set(_sub(tcpr, _TCW), {"w:w": str(width), "w:type": "dxa"})
    if span > 1:
        _sub(tcpr, _GRID_SPAN).set(_VAL, str(span))
    if merge:
        _sub(tcpr, _VMERGE).set(_VAL, merge)
    if fill:
        _set(_sub(tcpr, _SHD), {"w:val": "clear", "w:color": "auto", "w:fill": fill})
    if valign:
        _sub(tcpr, _VALIGN).set(_VAL, valign)
    return tc


(_TR, _TRPR, _CANT_SPLIT, _TR_HEIGHT, _TBL_HEADER, _TC, _TCPR, _TCW, _GRID_SPAN, _VMERGE, _VALIGN) = (qn(t) for t in (
    "w:tr", "w:trPr", "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tc", "w:tcPr", "w:tcW", "w:gridSpan", "w:vMerge",
    "w:vAlign"))
