"""A small, bounded reader of cell values from an .xlsx package, for read-back.

Why not openpyxl's load_workbook: on a returned kit workbook it spends most of its time on parts
read-back never needs (styles, every sheet's dimension), about 28 ms a file; this reads the workbook
index, the shared strings and the wanted sheets only, and stops at the last row it is asked for.
A part that declares a DTD is refused before parsing (workbooks never have one; entity expansion is
how XML bombs work), so the fast C parser can be used. Formulas are reported as formulas; their
cached values are never returned. That holds for every cell a formula covers, not only those with an
<f> of their own: an array formula (and an Excel 365 dynamic array, which spills), or a data table,
is written once in its top-left cell with the range it fills (`ref`), and the other cells of that
range carry only a cached value; a shared formula's cells carry an <f> naming the shared one.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any, TypeVar
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import XML, ParseError, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string

from ..errors import say
from .sniff import NotAWorkbook, read_part

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_STRICT = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW, _C, _V, _F, _IS, _T, _R, _SI, _DIMENSION = (
    f"{_MAIN}{t}" for t in ("row", "c", "v", "f", "is", "t", "r", "si", "dimension"))
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"([A-Za-z]{1,3})(\d+)")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+):\$?([A-Za-z]{1,3})\$?(\d+)")
_PROTECTION = re.compile(rb"<(?:\w+:)?sheetProtection\b[^>]*>")
_ON = re.compile(rb"\ssheet\s*=\s*[\"'](?:1|true)[\"']")
_XL_PREFIX = re.compile(r"_xl(?:fn|ws|udf)\.")  # how newer functions are stored (_xlfn.SEQUENCE)
# A part up to this size is parsed whole (a kit's sheets are 2-70 KB): the C parser builds the tree
# without a Python step per element, three times faster than iterparse's events. A larger part is
# parsed piece by piece, so that reading stops at the last row wanted and memory stays small.
_WHOLE_PART = 2_000_000


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell as read: value (str, int, float, bool, date/datetime or None); formula: the cell holds a
    formula, or lies in the range of an array formula, a spill or a data table (value is then the
    formula's text, e.g. "=A1+1" or "{=SEQUENCE(3)}", never a cached result)."""

    value: Any
    formula: bool = False


EMPTY = Cell(None)
Rows = dict[int, dict[int, Cell]]


class UnsafePart(Exception):
    """A part of the package declares a DTD or entities; it is refused unparsed."""


# A DTD or an entity, as written in UTF-8 (or any ASCII-compatible encoding), and in UTF-16 and
# UTF-32, which the parser reads too (they show as a NUL among a part's first bytes).
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_WIDE_DTD = tuple(word.decode().encode(encoding) for word in _DTD
                  for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))


def declares_dtd(data: bytes) -> bool:
    """Whether a part's bytes hold a DTD or an entity declaration, in any encoding the parser reads
    (expat reads no encoding that writes "<!DOCTYPE" otherwise)."""
    return any(word in data for word in _DTD) or (b"\x00" in data[:4] and any(word in data for word in _WIDE_DTD))


def _part(package: zipfile.ZipFile, name: str) -> bytes:
    data = read_part(package, name)
    if declares_dtd(data):
        raise UnsafePart(name)
    return data


def fromstring(data: bytes) -> Any:
    return XML(data)


def _elements(data: bytes, tags: tuple[str, ...]) -> Iterator[Any]:
    """The part's elements whose tag is in tags, in document order, each complete when given.

    A small part is parsed whole. When that fails (a damaged part), it is parsed piece by piece as a
    large part is, so that what comes before the damage is read as it always was.
    """
    if len(data) <= _WHOLE_PART:
        try:
            root = XML(data)
        except ParseError:
            pass
        else:
            # One tag: the C iterator filters (it visits the same nodes, in the same order: a node the
            # caller clears is not descended into either way).
            yield from (root.iter(tags[0]) if len(tags) == 1 else (node for node in root.iter() if node.tag in tags))
            return
    for _event, node in iterparse(io.BytesIO(data)):
        if node.tag in tags:
            yield node


def _children(data: bytes, tag: str) -> list[Any] | None:
    """The part's elements with this tag, when it parses whole and each is a child of the root (so none
    lies inside another: the usual part); None otherwise, for _elements to read. They are the elements
    _elements gives, in the same order: it gives every one that lies inside no other."""
    if len(data) > _WHOLE_PART:
        return None
    try:
        root = XML(data)
    except ParseError:
        return None
    if root.tag == tag:
        return None
    children = root.findall(tag)
    return children if len(children) == len(list(root.iter(tag))) else None


class Package:
    """The parts of a workbook read-back needs, from an open zip (checked by sniff.load_package)."""

    def __init__(self, package: zipfile.ZipFile) -> None:
        self.zip = package
        self.date1904, listed = _remembered(_workbook_index, _part(package, "xl/workbook.xml"))
        targets = self._relationships("xl/_rels/workbook.xml.rels", "xl")
        self.sheets: dict[str, str] = {}  # name -> part
        self.sheet_state: dict[str, str] = {}
        for name, rid, state in listed:
            if name and rid in targets:
                self.sheets[name] = targets[rid]
                self.sheet_state[name] = state
        self.strings_part = next((t for t in targets.values() if t.endswith("sharedStrings.xml")), None)
        self.styles_part = next((t for t in targets.values() if t.endswith("styles.xml")), None)
        self._strings: list[str] | None = None
        self._string_at: dict[str | None, Cell] = {}  # a shared string's cell by its index as written ("12")
        self._date_styles: set[int] | None = None
        # sheet -> (the used range the sheet declares, the first cell found with a value past the rows read)
        self.beyond: dict[str, tuple[str, str]] = {}
        self._covering: list[tuple[int, int, int, int, str]] = []
        self._shared: dict[str, str] = {}
        # sheet -> whether it is protected (<sheetProtection sheet="1">), noted when its rows are read
        self.protected: dict[str, bool] = {}

    def _relationships(self, part: str, base: str) -> dict[str, str]:
        return {rid: path for rid, (_kind, path) in self._typed_relationships(part, base).items()}

    def _typed_relationships(self, part: str, base: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, part path) of a relationships part (external targets left out)."""
        return dict(_remembered(_relationships, _part(self.zip, part), base))

    def comments(self, sheet: str) -> dict[tuple[int, int], str]:
        """The comments (notes) on a sheet's cells: {(row, column): text}. Excel 365's threaded comments
        are read from their own part (the copy Excel also writes for older versions is left out), the
        author's name Excel puts before a note's text is taken off."""
        part = self.sheets[sheet]
        rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        if rels not in self.zip.namelist():
            return {}
        out: dict[tuple[int, int], str] = {}
        threaded: dict[tuple[int, int], str] = {}
        for kind, target in self._typed_relationships(rels, posixpath.dirname(part)).values():
            if target not in self.zip.namelist():
                continue
            if kind.endswith("/threadedComment"):
                for node in fromstring(_part(self.zip, target)):
                    if node.tag.endswith("}threadedComment"):
                        text = "".join(t.text or "" for t in node.iter() if t.tag.endswith("}text"))
                        _add_comment(threaded, node.get("ref", ""), text)
            elif kind.endswith("/comments"):
                root = fromstring(_part(self.zip, target))
                authors = [a.text or "" for a in root.iter(f"{_MAIN}author")]
                for node in root.iter(f"{_MAIN}comment"):
                    body = node.find(f"{_MAIN}text")
                    text = _unescape(_string_item(body)) if body is not None else ""
                    author_id = node.get("authorId", "")
                    author = authors[int(author_id)] if author_id.isdigit() and int(author_id) < len(authors) else ""
                    if author and text.startswith(author + ":"):
                        text = text[len(author) + 1:]
                    _add_comment(out, node.get("ref", ""), text)
        out.update(threaded)
        return {at: text for at, text in out.items() if text}

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = strings = []
            if self.strings_part and self.strings_part in self.zip.namelist():
                data = _part(self.zip, self.strings_part)
                items = _children(data, _SI)
                for node in (items if items is not None else _elements(data, (_SI,))):
                    # <si><t>text</t></si>, most strings, as _string_item reads it, in one step
                    text = (node[0].text or "") if len(node) == 1 and node[0].tag == _T else _string_item(node)
                    strings.append(_unescape(text) if "_x" in text else text)
                    if items is None:
                        node.clear()
        return self._strings

    def _string_cell(self, raw: str | None) -> Cell:
        """The cell of a shared string by its index as written, made once: a table's labels and choices
        repeat on every row."""
        cell = self._string_at.get(raw)
        if cell is None:
            index = int(raw or "")
            strings = self._strings if self._strings is not None else self.strings
            cell = self._string_at[raw] = Cell(strings[index]) if 0 <= index < len(strings) else Cell(None)
        return cell

    @property
    def date_styles(self) -> set[int]:
        """Indexes of cell formats that show a number as a date."""
        if self._date_styles is None:
            self._date_styles = set()
            if self.styles_part and self.styles_part in self.zip.namelist():
                self._date_styles = set(_date_styles(_part(self.zip, self.styles_part)))
        return self._date_styles

    def rows(self, sheet: str, max_row: int, max_col: int) -> Rows:
        """The cells of rows 1..max_row, columns 1..max_col of a sheet, sparse: {row: {column: Cell}}.

        Reading stops at the first row past max_row, whatever size the sheet declares. What lies
        beyond (a declared used range, or a value in the first row past max_row) is noted in
        `beyond[sheet]`.
        """
        out: Rows = {}
        row_no = 0
        declared, found = "", ""
        covering: list[tuple[int, int, int, int, str]] = []  # ranges filled by one formula, and its text
        self._covering = covering  # (_formula adds to it)
        self._shared = {}  # shared formula index -> its text (from the cell that defines it)
        data = _part(self.zip, self.sheets[sheet])
        protection = _protection(data)
        self.protected[sheet] = bool(protection and _ON.search(protection.group(0)))
        by_index = self._string_at
        for node in _elements(data, (_ROW, _DIMENSION)):
            if node.tag == _DIMENSION:
                declared = node.get("ref", "")
                continue
            r = node.get("r")
            row_no = int(float(r)) if r else row_no + 1
            if row_no > max_row:
                found = next((c.get("r") or f"row {row_no}" for c in node if c.tag == _C and len(c)), "")
                break
            cells: dict[int, Cell] = {}
            col = 0
            for c in node.findall(_C):  # the row's <c> children, in order
                ref = c.get("r")
                col = (_ref_column(ref) if ref else 0) or col + 1
                if col > max_col or not len(c):  # not len(c): no <v>, <f> or <is>, an empty (styled) cell
                    continue
                first = c[0]
                tag = first.tag
                if tag == _F:  # a formula (c.find(_F) as _cell reads it: the first <f> is this one)
                    cells[col] = Cell(self._formula(first), formula=True)
                    continue
                if len(c) == 1 and not covering:  # a string alone, as _cell reads it, in one step
                    kind = c.get("t")
                    if kind == "s" and tag == _V:  # a shared string (a label, a choice: most cells)
                        cells[col] = by_index.get(first.text) or self._string_cell(first.text)
                        continue
                    if kind == "inlineStr" and tag == _IS:  # a typed text, as openpyxl saves it
                        if len(first) == 1 and first[0].tag == _T:  # <is><t>text</t></is>, as _string_item reads it
                            text = first[0].text or ""
                        else:
                            text = _string_item(first)
                        cells[col] = Cell(_unescape(text) if "_x" in text else text)
                        continue
                cell = self._cell(c, row_no, col)
                if cell is not EMPTY:
                    cells[col] = cell
            if cells:
                out[row_no] = cells
            node.clear()
        self.beyond[sheet] = (declared, found)
        return out

    def _cell(self, c: Any, row: int = 0, col: int = 0) -> Cell:
        kind = c.get("t", "n")
        formula = c.find(_F)
        if formula is not None:
            return Cell(self._formula(formula), formula=True)
        for top, left, bottom, right, text in self._covering:
            if top <= row <= bottom and left <= col <= right:
                return Cell(text, formula=True)  # a cell of an array, spill or data table: its value is cached
        if kind == "inlineStr":
            inline = c.find(_IS)
            return Cell(_unescape(_string_item(inline))) if inline is not None else EMPTY
        raw = c.findtext(_V)
        if raw is None:
            return EMPTY
        if kind == "s":
            return self._string_cell(raw)
        if kind in ("str", "e"):
            return Cell(_unescape(raw))
        if kind == "b":
            return Cell(raw.strip() in ("1", "true"))
        if kind == "d":
            try:
                return Cell(dt.datetime.fromisoformat(raw.strip()))
            except ValueError:
                return Cell(raw)
        number: float | int = float(raw)
        if float(number).is_integer() and abs(number) < 2**53:
            number = int(number)
        style = c.get("s")
        if style and style.isdigit() and int(style) in self.date_styles:
            return Cell(_from_serial(number, self.date1904))
        return Cell(number)


    def _formula(self, f: Any) -> str:
        """The formula as Excel shows it; the range it fills (array, spill, data table) is remembered."""
        kind = f.get("t", "normal")
        text = f.text or ""
        if "_xl" in text:
            text = _XL_PREFIX.sub("", text)
        if kind == "shared":
            index = f.get("si", "")
            if text:
                self._shared[index] = text
            text = "=" + (text or self._shared.get(index, ""))
        elif kind == "dataTable":
            text = "{=TABLE(" + ",".join(f.get(r, "") for r in ("r1", "r2") if f.get(r)) + ")}"
        elif kind == "array":
            text = "{=" + text + "}"
        else:
            text = "=" + text
        span = _RANGE.fullmatch(f.get("ref", "")) if kind in ("array", "dataTable") else None
        if span:
            top, bottom = int(span.group(2)), int(span.group(4))
            left, right = (column_index_from_string(span.group(i).upper()) for i in (1, 3))
            if (bottom, right) != (top, left):
                self._covering.append((top, left, bottom, right, text))
        return text


# A small part is remembered by its bytes, with what was read from it: every workbook of a kit has the
# same workbook.xml and relationships (the same bytes give the same result; a part that fails is not
# remembered, and fails again as it did).
_MEMO_BYTES = 65_536
_memo: dict[tuple[Any, ...], Any] = {}
_Result = TypeVar("_Result")


def _remembered(read: Callable[..., _Result], data: bytes, *args: str) -> _Result:
    """read(data, *args), remembered for a small part."""
    if len(data) > _MEMO_BYTES:
        return read(data, *args)
    key = (read, data, *args)
    if key not in _memo:
        if len(_memo) >= 64:
            _memo.clear()
        _memo[key] = read(data, *args)
    result: _Result = _memo[key]
    return result


def _workbook_index(data: bytes) -> tuple[bool, tuple[tuple[str | None, str | None, str], ...]]:
    """Whether a workbook part counts dates from 1904, and its sheets: (name, relationship id, state)."""
    root = fromstring(data)
    if root.tag == f"{_STRICT}workbook":
        raise NotAWorkbook(say("is saved as Strict Open XML, which auditkit does not read; open it in Excel and "
                               "save it as Excel Workbook (.xlsx)."))
    pr = root.find(f"{_MAIN}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
    sheets = root.find(f"{_MAIN}sheets")
    return date1904, tuple((sheet.get("name"), sheet.get(f"{_REL}id"), sheet.get("state", "visible"))
                           for sheet in (sheets if sheets is not None else ()))


def _relationships(data: bytes, base: str) -> tuple[tuple[str, tuple[str, str]], ...]:
    """Relationship id -> (type, part path) of a relationships part (external targets left out), as pairs."""
    root = fromstring(data)
    out: dict[str, tuple[str, str]] = {}
    for rel in root.iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return tuple(out.items())


def _protection(data: bytes) -> re.Match[bytes] | None:
    """The first <sheetProtection ...> tag, as _PROTECTION.search(data) finds it, without trying the
    pattern at every "<" of the sheet: a match holds the word, and between its "<" and the word's
    first occurrence there is no other "<" (only a namespace prefix, or more of the match), so no
    match starts before the last "<" in front of that occurrence."""
    first = data.find(b"sheetProtection")
    if first < 0:
        return None
    return _PROTECTION.search(data, max(data.rfind(b"<", 0, first), 0))


@functools.lru_cache(maxsize=16)
def _date_styles(data: bytes) -> frozenset[int]:
    """Indexes of the cell formats in a styles part that show a number as a date: made once per
    distinct part (every workbook of a kit has the same styles part, parsed otherwise once per file)."""
    root = fromstring(data)
    codes = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in root.iter(f"{_MAIN}numFmt")}
    xfs = root.find(f"{_MAIN}cellXfs")
    found = set()
    for i, xf in enumerate(xfs if xfs is not None else ()):
        fid = int(xf.get("numFmtId", 0))
        code = codes.get(fid, BUILTIN_FORMATS.get(fid, ""))
        if code and is_date_format(code):
            found.add(i)
    return frozenset(found)


@functools.lru_cache(maxsize=4096)
def _ref_column(ref: str) -> int:
    """The column number of a cell reference ("B12" -> 2), 0 when it is not one: a kit's sheets have
    the same few hundred references in every returned file."""
    match = _REF.fullmatch(ref)
    return column_index_from_string(match.group(1).upper()) if match else 0


def _add_comment(out: dict[tuple[int, int], str], ref: str, text: str) -> None:
    match = _REF.fullmatch(ref.replace("$", ""))
    text = text.replace("\r\n", "\n").strip()
    if match and text:
        at = (int(match.group(2)), column_index_from_string(match.group(1).upper()))
        out[at] = f"{out[at]}\n{text}" if at in out else text  # a thread's replies, in order


def cell_text(value: Any) -> str:
    """A cell's value as the text a person sees: numbers without a trailing .0, dates as ISO dates."""
    if value.__class__ is str:  # most values (as below, in one step)
        return value.replace("\r\n", "\n").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _string_item(node: Any) -> str:
    """The text of a shared string or inline string: plain <t>, or rich-text runs <r><t>; never the
    phonetic guide (<rPh>)."""
    parts: list[str] = []
    for child in node:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            parts.append(child.findtext(_T) or "")
    return "".join(parts)


def _unescape(text: str) -> str:
    """OOXML writes characters XML cannot hold as _xHHHH_ (e.g. a carriage return as _x000D_)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).replace("\r\n", "\n")


def _from_serial(number: float, date1904: bool) -> Any:
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    try:
        moment = base + dt.timedelta(days=float(number))
    except (OverflowError, ValueError):
        return number
    return moment.date() if moment.time() == dt.time() else moment
