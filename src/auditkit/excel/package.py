"""Package-level tidying of the .xlsx files auditkit writes (after openpyxl has saved them).

openpyxl 3.1 writes every text as an inline string and a font's children in its own order. Excel
rewrites both on its next save (and Office's validator reports them), so `tidy` puts the texts in a
shared-strings table and the font children in schema order, as Excel itself writes them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from lxml import etree

from ..packages import pack

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
               "name", "family", "charset", "scheme")
_RANK = {f"{{{_MAIN}}}{name}": i for i, name in enumerate(_FONT_ORDER)}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_M = f"{{{_MAIN}}}"


def tidy(package: bytes, change: Callable[[str, bytes], bytes] | None = None,
         strings: SharedStrings | None = None) -> bytes:
    """The package with its texts in a shared-strings table and fonts in schema order, in one pass.

    change(name, data), if given, is applied to each member first (a writer's own edits), so a
    writer rewrites its package once, not twice. Members get fixed times (same parts, same bytes).
    strings: the table to fill, for a writer whose change writes shared strings itself (see SharedStrings).
    """
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    return tidy_parts(parts, change, strings)


def tidy_parts(parts: dict[str, bytes], change: Callable[[str, bytes], bytes] | None = None,
               strings: SharedStrings | None = None) -> bytes:
    """tidy for a package's members by name (a writer that has them need not zip and unzip them).

    Each member is changed, then its inline strings are shared, before the next member is changed: a
    change that shares strings (through `strings`) numbers them as this pass would, in the package's order.
    """
    strings = SharedStrings() if strings is None else strings
    out: dict[str, bytes] = {}
    for name, data in parts.items():
        if change is not None:
            data = change(name, data)
        if b'"inlineStr"' in data and _SHEET.fullmatch(name):
            data = strings.share(data)
        out[name] = data
    parts = out
    if strings.order and "xl/sharedStrings.xml" not in parts:
        parts["xl/sharedStrings.xml"] = _sst(strings.order)
        parts["[Content_Types].xml"] = _add_content_type(parts["[Content_Types].xml"])
        parts["xl/_rels/workbook.xml.rels"] = _add_relationship(parts["xl/_rels/workbook.xml.rels"])
    if "xl/styles.xml" in parts:
        parts["xl/styles.xml"] = _reorder_fonts(parts["xl/styles.xml"])
    return pack(parts)


class SharedStrings:
    """The shared-strings table a package is given, in the order its texts first appear.

    A writer that makes a sheet's rows itself can give each text its index (`index`) instead of writing
    it inline for tidy to move (a regex pass over every cell): the same table, the same bytes.
    """

    def __init__(self) -> None:
        self.indices: dict[bytes, int] = {}
        self.order: list[bytes] = []

    def index(self, item: bytes) -> int:
        """The index of an <si>'s content (its <t>/<r> runs, as bytes), added at the end when new."""
        found = self.indices.get(item)
        if found is None:
            found = self.indices[item] = len(self.order)
            self.order.append(item)
        return found

    def share(self, xml: bytes) -> bytes:
        """A sheet's XML with its inline strings moved into the table (a bytes pass: a 30 000-row sheet in ms)."""
        index = self.index

        def shared(match: re.Match[bytes]) -> bytes:
            # the <t>/<r> runs of <is>: they become an <si> of the table as they are
            return b'<c%s t="s"%s><v>%d</v></c>' % (match.group(1), match.group(2), index(match.group(3)))

        return _INLINE.sub(shared, xml)


_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
_INLINE = re.compile(rb'<c\b([^>]*?) t="inlineStr"([^>]*)>\s*<is>(.*?)</is>\s*</c>', re.S)


def _sst(order: list[bytes]) -> bytes:
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="%s" count="%d" uniqueCount="%d">' % (_MAIN.encode(), len(order), len(order)))
    return head + b"".join(b"<si>%s</si>" % item for item in order) + b"</sst>"


def _add_content_type(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    ns = root.nsmap[None]
    override = etree.SubElement(root, f"{{{ns}}}Override")
    override.set("PartName", "/xl/sharedStrings.xml")
    override.set("ContentType", _SST_CONTENT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_relationship(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    ns = root.nsmap[None]
    taken = {rel.get("Id") for rel in root}
    n = 1
    while f"rId{n}" in taken:
        n += 1
    rel = etree.SubElement(root, f"{{{ns}}}Relationship")
    rel.set("Id", f"rId{n}")
    rel.set("Type", _SST_TYPE)
    rel.set("Target", "sharedStrings.xml")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _reorder_fonts(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    for font in root.iter(f"{_M}font"):
        children = list(font)
        ordered = sorted(children, key=lambda el: _RANK.get(el.tag, len(_RANK)))
        if ordered != children:
            for child in children:
                font.remove(child)
            font.extend(ordered)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
