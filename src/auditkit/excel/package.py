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


def tidy(package: bytes, change: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The package with its texts in a shared-strings table and fonts in schema order, in one pass.

    change(name, data), if given, is applied to each member first (a writer's own edits), so a
    writer rewrites its package once, not twice. Members get fixed times (same parts, same bytes).
    """
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    return tidy_parts(parts, change)


def tidy_parts(parts: dict[str, bytes], change: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """tidy for a package's members by name (a writer that has them need not zip and unzip them)."""
    if change is not None:
        parts = {name: change(name, data) for name, data in parts.items()}
    strings: dict[bytes, int] = {}
    order: list[bytes] = []
    for name in parts:
        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name) and b'"inlineStr"' in parts[name]:
            parts[name] = share(parts[name], strings, order)
    return pack(with_shared_strings(parts, order))


def with_shared_strings(parts: dict[str, bytes], order: list[bytes]) -> dict[str, bytes]:
    """The members (sheets whose texts `share` has moved into order) with the shared-strings table, its
    content type and relationship where order has texts, and the fonts in schema order."""
    if order and "xl/sharedStrings.xml" not in parts:
        parts["xl/sharedStrings.xml"] = shared_strings(order)
        parts["[Content_Types].xml"] = _add_content_type(parts["[Content_Types].xml"])
        parts["xl/_rels/workbook.xml.rels"] = _add_relationship(parts["xl/_rels/workbook.xml.rels"])
    if "xl/styles.xml" in parts:
        parts["xl/styles.xml"] = _reorder_fonts(parts["xl/styles.xml"])
    return parts


_INLINE = re.compile(rb'<c\b([^>]*?) t="inlineStr"([^>]*)>\s*<is>(.*?)</is>\s*</c>', re.S)


def share(xml: bytes, strings: dict[bytes, int], order: list[bytes]) -> bytes:
    """Move the sheet's inline strings into the table being made (order: its items; strings: an item's
    place in it), each text once (a bytes pass: a 30 000-row sheet in ms)."""

    def shared(match: re.Match[bytes]) -> bytes:
        item = match.group(3)  # the <t>/<r> runs of <is>: they become an <si> of the table as they are
        index = strings.get(item)
        if index is None:
            index = strings[item] = len(order)
            order.append(item)
        return b'<c%s t="s"%s><v>%d</v></c>' % (match.group(1), match.group(2), index)

    return _INLINE.sub(shared, xml)


def shared_strings(order: list[bytes]) -> bytes:
    """xl/sharedStrings.xml holding these items (each the <t>/<r> runs of a cell's text) in order."""
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
