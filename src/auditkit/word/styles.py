"""The styles the writers use, the check that a base document has them, and the bundled base.docx.

The bundled `templates/base.docx` is python-docx's default template (which has every built-in style
python-docx knows) with A4 pages, Finnish language, Calibri and the few custom styles below. Rebuild
it after changing STYLE_SPECS with `python -m auditkit.word.make_base templates/base.docx`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

from ..errors import Problem, TemplateError, cause, say

BASE_DOCX = "base.docx"
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
PARAGRAPH = "paragraph"
CHARACTER = "character"
TABLE = "table"
_TYPES = {PARAGRAPH: WD_STYLE_TYPE.PARAGRAPH, CHARACTER: WD_STYLE_TYPE.CHARACTER, TABLE: WD_STYLE_TYPE.TABLE}

# The colours of the bundled look (also used for table fills, which are not styles).
DARK = "1F4E79"
ACCENT = "2E74B5"
LIGHT_FILL = "E8EFF7"
LABEL_FILL = "F3F5F8"
BORDER = "A6B4C4"
GREY = "5F6B77"
WHITE = "FFFFFF"


@dataclass(frozen=True, slots=True)
class StyleSpec:
    """A style the writers use. builtin: python-docx's default template has it; else the base adds it."""

    name: str
    kind: str
    builtin: bool = True
    base: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: str | None = None
    before: float | None = None
    after: float | None = None
    keep_next: bool | None = None
    align: str | None = None


STYLE_SPECS: tuple[StyleSpec, ...] = (
    StyleSpec("Normal", PARAGRAPH, size=10.5, after=6, color="1A1A1A"),
    StyleSpec("Title", PARAGRAPH, size=28, bold=True, color=DARK, before=0, after=6),
    StyleSpec("Subtitle", PARAGRAPH, size=15, italic=False, color=GREY, before=0, after=18),
    StyleSpec("Heading 1", PARAGRAPH, size=17, bold=True, color=DARK, before=6, after=8, keep_next=True),
    StyleSpec("Heading 2", PARAGRAPH, size=13, bold=True, color=DARK, before=14, after=6, keep_next=True),
    StyleSpec("Heading 3", PARAGRAPH, size=11, bold=True, color=ACCENT, before=10, after=4, keep_next=True),
    StyleSpec("List Bullet", PARAGRAPH, after=3),
    StyleSpec("Header", PARAGRAPH, size=8.5, color=GREY),
    StyleSpec("Footer", PARAGRAPH, size=8.5, color=GREY),
    StyleSpec("Table Grid", TABLE),
    StyleSpec("Table Text", PARAGRAPH, builtin=False, base="Normal", size=10, before=2, after=2),
    StyleSpec("Table Label", PARAGRAPH, builtin=False, base="Table Text", size=9.5, bold=True, color=DARK, after=1),
    StyleSpec("Table Hint", PARAGRAPH, builtin=False, base="Table Text", size=8, italic=True, color=GREY, before=0),
    StyleSpec("Criterion Number", PARAGRAPH, builtin=False, base="Table Text", size=20, bold=True, color=DARK,
              before=4, align="center"),
    StyleSpec("Criterion Text", PARAGRAPH, builtin=False, base="Table Text", size=10.5, before=3, after=4),
    StyleSpec("Note", PARAGRAPH, builtin=False, base="Normal", size=9, italic=True, color=GREY, before=0, after=3),
    StyleSpec("Numbered", PARAGRAPH, builtin=False, base="Normal", after=4),
    StyleSpec("Placeholder Text", CHARACTER, builtin=False, color="767676"),
    StyleSpec("Hyperlink", CHARACTER, builtin=False, color="0563C1"),
)

STYLE_NAMES: tuple[str, ...] = tuple(s.name for s in STYLE_SPECS)


def missing_styles(document: DocxDocument) -> list[tuple[str, str]]:
    """The (name, kind) of every style the writers use that `document` lacks (or has as another kind)."""
    present = {(style.name, style.type) for style in document.styles}
    return [(s.name, s.kind) for s in STYLE_SPECS if (s.name, _TYPES[s.kind]) not in present]


def check_base(templates: str | os.PathLike[str] | None = None) -> list[Problem]:
    """The problems of the base document auditkit would use: missing, unreadable, or each missing style."""
    return _load_base(templates)[1]


def open_base(templates: str | os.PathLike[str] | None = None) -> DocxDocument:
    """The base document (the user's templates folder first), checked for every style the writers use.

    Raises TemplateError carrying a problem per missing style.
    """
    doc, problems = _load_base(templates)
    if problems or doc is None:
        raise TemplateError(say("{file}: the base document cannot be used", file=problems[0].file), problems)
    return doc


def _load_base(templates: str | os.PathLike[str] | None) -> tuple[DocxDocument | None, list[Problem]]:
    from ..templating import template_path

    try:
        path = template_path(BASE_DOCX, templates)
    except TemplateError:
        return None, [Problem(BASE_DOCX, "", say("base document missing; copy base.docx from the bundled templates "
                                                 "folder."), code="base-missing")]
    try:
        doc = Document(str(path))
    except Exception as err:  # python-docx raises several kinds for a file that is not a .docx
        return None, [Problem(str(path), "", say("not a Word document (.docx) ({cause}); save it in Word as .docx or "
                                                 "copy the bundled base.docx.", cause=cause(err)), code="base-not-docx")]
    return doc, [Problem(str(path), f"style '{name}'", say(
        "missing ({kind} style); add it (Word: Styles > New Style, same name) or start from the bundled base.docx.",
        kind=_STYLE_KIND.get(kind, kind)), code="style-missing") for name, kind in missing_styles(doc)]


_STYLE_KIND = {"paragraph": say("paragraph"), "character": say("character"), "table": say("table")}


# --- building the bundled base.docx ------------------------------------------------------------


def make_base_document() -> bytes:
    """The bundled base document: python-docx's default template, restyled (see STYLE_SPECS)."""
    doc = Document()
    _drop_stale_parts(doc)
    _defaults(doc)
    for spec in STYLE_SPECS:
        _apply(doc, spec)
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)  # A4
    section.left_margin = section.right_margin = Twips(1134)  # 2 cm
    section.top_margin, section.bottom_margin = Twips(1304), Twips(1134)
    section.header_distance = section.footer_distance = Twips(567)
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "fi-FI")
    for tag in ("w:decimalSymbol", "w:listSeparator"):
        node = settings.find(qn(tag))
        if node is not None:
            node.set(qn("w:val"), "," if tag == "w:decimalSymbol" else ";")
    doc.core_properties.title = "auditkit base document"
    doc.core_properties.author = "auditkit"
    doc.core_properties.language = "fi-FI"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _drop_stale_parts(doc: DocxDocument) -> None:
    """python-docx's template carries a preview image of an empty page (no preview beats a wrong one)
    and Word 2010's stylesWithEffects.xml, which would disagree with the restyled styles.xml (Word
    may then call the file unreadable); both are optional."""
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            del doc.part.rels[rid]


def _defaults(doc: DocxDocument) -> None:
    """Calibri (Carlito in LibreOffice) and Finnish for every run unless a style says otherwise."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), "Calibri")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fi-FI")
    lang.set(qn("w:eastAsia"), "fi-FI")
    lang.set(qn("w:bidi"), "ar-SA")


def _apply(doc: DocxDocument, spec: StyleSpec) -> None:
    if spec.builtin:
        style = doc.styles[spec.name]
    else:
        style = doc.styles.add_style(spec.name, _TYPES[spec.kind])
        style.quick_style = True
        if spec.base:
            style.base_style = doc.styles[spec.base]
    if spec.kind == TABLE:
        return
    font = style.font
    if spec.name.startswith(("Heading", "Title", "Subtitle")):
        # The default template takes these from the theme (Cambria); pin them to the body font.
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            rpr.remove(fonts)
        font.name = "Calibri"
    if spec.size is not None:
        font.size = Pt(spec.size)
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.italic is not None:
        font.italic = spec.italic
    if spec.color is not None:
        font.color.rgb = RGBColor.from_string(spec.color)
    if spec.name == "Hyperlink":
        font.underline = True
    if spec.kind != PARAGRAPH:
        return
    fmt = style.paragraph_format
    if spec.before is not None:
        fmt.space_before = Pt(spec.before)
    if spec.after is not None:
        fmt.space_after = Pt(spec.after)
    if spec.keep_next is not None:
        fmt.keep_with_next = spec.keep_next
    if spec.align == "center":
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if spec.name == "Title":
        ppr = style.element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:  # the default Title has a rule under it; the cover draws its own
            ppr.remove(border)
    if spec.name == "Numbered":
        fmt.left_indent = Twips(397)
        fmt.first_line_indent = Twips(-397)
        fmt.tab_stops.add_tab_stop(Twips(397))
    if spec.name.startswith("Heading"):
        # Headings in the default template are coloured by the theme and spaced for Letter pages.
        fmt.line_spacing = 1.0
