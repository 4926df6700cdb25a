"""Package-level tidying of the .xlsx files auditkit writes (after openpyxl has saved them)."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# The order of a font's children in the schema (CT_Font as Office reads it); openpyxl writes
# name, family, b, … color, sz, which Office's own validator reports as unexpected elements.
_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
               "name", "family", "charset", "scheme")
_RANK = {f"{{{_MAIN}}}{name}": i for i, name in enumerate(_FONT_ORDER)}


def tidy_styles(package: bytes) -> bytes:
    """The package with every font's children in schema order (styles.xml only; all else as it was)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/styles.xml":
                data = _reorder_fonts(data)
            target.writestr(info, data)
    return out.getvalue()


def _reorder_fonts(xml: bytes) -> bytes:
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    for font in root.iter(f"{{{_MAIN}}}font"):
        children = list(font)
        ordered = sorted(children, key=lambda el: _RANK.get(el.tag, len(_RANK)))
        if ordered != children:
            for child in children:
                font.remove(child)
            font.extend(ordered)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
