"""The writer every .docx builder uses: the base document, prose from templates, header, footer, identity."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any
from dataclasses import fields
from datetime import datetime, timezone

from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.image.image import Image
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Inches
from lxml import etree

from .. import __version__
from ..catalogue import Catalogue
from ..errors import TemplateError
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, language, wording
from ..model import DocumentContext, Identity
from ..packages import pack_members
from ..templating import render
from ..templating import variables as variables_of
from . import ooxml
from .contract import FORMAT_VERSION
from .ooxml import Element, Run
from .styles import DARK, STYLE_NAMES, WHITE, open_base

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id Office gives user-defined properties
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NUMBERED = re.compile(r"(\d+)[.)]\s+(.*)")


class Writer:
    """Appends paragraphs and tables to a base document and saves it with its identity.

    Styles are referred to by name; the writer looks up each style's id in the base document, so a
    base saved by Word in another language works as long as the style names exist.
    """

    def __init__(self, catalogue: Catalogue, templates: str | os.PathLike[str] | None = None, *,
                 lang: str = DEFAULT_LANGUAGE) -> None:
        """lang: the language the document is written in (its prose templates, and the language tag
        Word and LibreOffice check its spelling by)."""
        self.catalogue = catalogue
        self.templates = templates
        self.lang = language(lang).code
        self.doc = open_base(templates)
        set_language(self.doc, LANGUAGES[self.lang].tag)
        body = self.doc.element.body
        self._sect = body.find(qn("w:sectPr"))
        for child in list(body):  # a base may carry sample text: the document starts empty
            if child is not self._sect:
                body.remove(child)
        self._style_ids = {name: self.doc.styles[name].style_id for name in STYLE_NAMES}
        section = self.doc.sections[0]
        self.width = int(((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)) / 635)
        self._ids = itertools.count(1)
        self._images: dict[str, tuple[str, Image]] = {}
        taken = [int(m.group(1)) for part in self.doc.part.package.iter_parts()
                 if (m := re.fullmatch(r"/word/media/image(\d+)\.\w+", str(part.partname)))]
        self._image_numbers = itertools.count(max(taken, default=0) + 1)

    # --- building blocks --------------------------------------------------------------------------

    def sid(self, style: str) -> str:
        """The style id of a style name (of the ones in styles.STYLE_SPECS)."""
        return self._style_ids[style]

    def next_id(self) -> int:
        return next(self._ids)

    def add(self, element: Element) -> Element:
        self._sect.addprevious(element)
        return element

    def p(self, style: str | None, *parts: str | Run | Element, **layout: Any) -> Element:
        """A paragraph in style `style` (a name), not yet added."""
        return ooxml.paragraph(self.sid(style) if style else None, *parts, **layout)

    def cell(self, style: str, *parts: str | Run | Element, fill: str | None = None, align: str | None = None
             ) -> ooxml.Cell:
        """A table cell of one paragraph in style `style` (a name); a table only reads it."""
        return ooxml.Cell([self.p(style, *parts, align=align)], fill=fill)

    def para(self, style: str | None, *parts: str | Run | Element, **layout: Any) -> Element:
        """Add a paragraph in style `style` (a name)."""
        return self.add(self.p(style, *parts, **layout))

    def heading(self, level: int, *parts: str | Run | Element, page_break: bool = False) -> Element:
        return self.para(f"Heading {level}", *parts, page_break_before=page_break)

    def title_block(self, title: str, subtitle: str) -> None:
        """The top of a first page: the criteria's name, the document's title, a subtitle if any."""
        meta = self.catalogue.meta
        self.para("Table Label", f"{meta.title} ({meta.year})", after=600)
        self.para("Title", title)
        if subtitle:
            self.para("Subtitle", subtitle)

    def spacer(self, after: int = 120) -> Element:
        """An empty paragraph: keeps consecutive tables apart (Word would merge them) and spaces them."""
        return self.para(None, after=after, before=0)

    def table(self, fractions: Iterable[float], rows: Iterable[ooxml.Row], *, keep_together: bool = False) -> Element:
        """Add a table whose columns share the text width by `fractions` (on one page if keep_together)."""
        tbl = ooxml.table(self.widths(fractions), rows)
        return self.add(ooxml.keep_together(tbl) if keep_together else tbl)

    def widths(self, fractions: Iterable[float]) -> list[int]:
        fractions = list(fractions)
        total = sum(fractions)
        widths = [int(self.width * f / total) for f in fractions]
        widths[-1] += self.width - sum(widths)
        return widths

    def head_row(self, labels: Iterable[str], size: float | None = None) -> ooxml.Row:
        """A table's heading row: white labels on the dark fill, repeated on every page."""
        return ooxml.Row([ooxml.Cell([self.p("Table Label", Run(label, color=WHITE, size=size))], fill=DARK)
                          for label in labels], header=True)

    def picture(self, png: bytes, width_inches: float, description: str) -> Element:
        """A run holding a PNG picture `width_inches` wide (its height follows the picture), with
        `description` as its alternative text (read aloud by screen readers, shown by Word and
        LibreOffice as the picture's description)."""
        # python-docx's get_or_add_image and new_pic_inline search every image and id in the document
        # per picture, which for 300 pictures is most of a report's build time: keep our own index.
        digest = hashlib.sha1(png).hexdigest()
        if digest not in self._images:
            image = Image.from_blob(png)
            name = PackURI(f"/word/media/image{next(self._image_numbers)}.{image.ext}")
            self._images[digest] = (self.doc.part.relate_to(ImagePart.from_image(image, name), RT.IMAGE), image)
        rid, image = self._images[digest]
        cx, cy = image.scaled_dimensions(Inches(width_inches), None)
        inline = CT_Inline.new_pic_inline(self.next_id(), rid, image.filename, cx, cy)
        inline.docPr.set("descr", description)
        return ooxml.el("w:r", None, ooxml.el("w:drawing", None, inline))

    def text_control(self, tag: str, alias: str, placeholder: str) -> Element:
        return ooxml.text_control(self.next_id(), tag, alias, placeholder)

    def dropdown(self, tag: str, alias: str, placeholder: str, choices: Iterable[str]) -> Element:
        return ooxml.dropdown_control(self.next_id(), tag, alias, placeholder, list(choices))

    # --- prose from templates ---------------------------------------------------------------------

    def prose(self, template: str, **variables: Any) -> None:
        """Render a text template and add it (see templates/README.md for the markup)."""
        if set(variables) != variables_of(template):  # keeps templating.TEMPLATES and the writers in step
            raise TemplateError(f"{template}: given {sorted(set(variables) ^ variables_of(template))} out of step")
        self.add_markup(render(template, self.templates, lang=self.lang, **variables))

    def add_markup(self, text: str) -> None:
        """Blocks separated by blank lines: '## '/'### ' headings, '- ' bullets, '1. ' numbered steps,
        '> ' notes, else paragraphs; **bold** inside any of them."""
        for block in re.split(r"\n[ \t]*\n", text.strip()):
            lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
            if not lines:
                continue
            first = lines[0]
            if first.startswith("### ") or first.startswith("## "):
                level = 3 if first.startswith("### ") else 2
                self.heading(level, *_inline(first.split(" ", 1)[1]))
                lines = lines[1:]
                if not lines:
                    continue
                first = lines[0]
            if first.startswith("- "):
                for item in _items(lines, lambda line: line.startswith("- ")):
                    self.para("List Bullet", *_inline(item[2:]))
            elif _NUMBERED.match(first):
                for item in _items(lines, lambda line: bool(_NUMBERED.match(line))):
                    match = _NUMBERED.match(item)
                    number, rest = match.groups() if match else ("", item)
                    self.para("Numbered", f"{number}.", ooxml.TAB, *_inline(rest))
            elif first.startswith("> "):
                self.para("Note", *_inline(" ".join(line.lstrip("> ").strip() for line in lines)))
            else:
                self.para("Normal", *_inline(" ".join(lines)))

    # --- header, footer, identity -----------------------------------------------------------------

    def header_footer(self, header: Sequence[str | Run | Element], footer_left: Sequence[str | Run | Element]) -> None:
        """Header text on every page but the first (the cover); footer with "sivu X / Y" at the right."""
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        self._fill(section.header, "Header", header)
        page = wording("documents", self.lang).pgettext("footer", "page")  # sivu, sida
        footer = [*footer_left, ooxml.tab(), page + " ", *ooxml.field("PAGE", "1"), " / ", *ooxml.field("NUMPAGES", "1")]
        self._fill(section.footer, "Footer", footer)

    def _fill(self, part: BlockItemContainer, style: str, parts: Sequence[str | Run | Element]) -> None:
        """Add our line to a header or footer, after whatever the base put there (a logo, say)."""
        container = part._element
        paragraphs = container.findall(qn("w:p"))
        for p in paragraphs:
            if not "".join(str(t) for t in p.itertext()).strip() and p.find(".//" + qn("w:drawing")) is None \
                    and p.find(".//" + qn("w:pict")) is None:
                container.remove(p)  # an empty paragraph python-docx or Word left there
        line = self.p(style, *parts)
        ppr = line.find(qn("w:pPr"))
        if ppr is None:  # p() gives every paragraph its properties
            ppr = etree.SubElement(line, qn("w:pPr"))
        ppr.append(self._tabs(style))
        container.append(line)

    def _tabs(self, style: str) -> Element:
        """Clear the style's own tab stops and put one right-aligned tab at the text's right edge."""
        tabs = ooxml.el("w:tabs")
        style_ppr = self.doc.styles[style].element.pPr
        if style_ppr is not None and style_ppr.find(qn("w:tabs")) is not None:
            for stop in style_ppr.find(qn("w:tabs")):
                tabs.append(ooxml.el("w:tab", {"w:val": "clear", "w:pos": stop.get(qn("w:pos"))}))
        tabs.append(ooxml.el("w:tab", {"w:val": "right", "w:pos": str(self.width)}))
        return tabs

    def finish(self, identity: Identity, title: str, subject: str, *, when: datetime | None = None) -> bytes:
        """Set the core and custom properties and return the document's bytes.

        when: the time to record as created and modified (UTC); now unless given, so a report can
        record the time of what it reports on and the same inputs give the same document.
        """
        self._properties(identity_values(identity), title, subject, keywords(self.catalogue),
                         comments(self.catalogue, self.lang), when)
        return package_bytes(self.doc)

    def _properties(self, identity: Mapping[str, str], title: str, subject: str, keywords: str, comments: str,
                    when: datetime | None) -> None:
        """The core properties and the identity (custom properties) of the document."""
        props = self.doc.core_properties
        now = (when or datetime.now(timezone.utc)).replace(microsecond=0, tzinfo=None)
        props.title = title
        props.subject = subject
        props.author = "auditkit"
        props.last_modified_by = "auditkit"
        props.keywords = keywords
        props.comments = comments
        props.language = LANGUAGES[self.lang].tag
        props.category = subject
        props.created = props.modified = now
        props.revision = 1
        set_custom_properties(self.doc, identity)

    def landscape(self) -> None:
        """Turn the page to landscape; the text width follows the page."""
        section = self.doc.sections[0]
        width, height = section.page_width, section.page_height
        if width is not None and height is not None and width < height:
            section.page_width, section.page_height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE
        page = max(width or 0, height or 0)
        margins = (section.left_margin or 0) + (section.right_margin or 0)
        self.width = int((page - margins) / 635)


# Members kept as they are in a package: pictures are compressed already (a round's consolidated report
# has about 12 MB of them, which python-docx's save would deflate again for nothing).
STORED = (".png", ".jpeg", ".jpg", ".gif")


def package_bytes(doc: DocxDocument) -> bytes:
    """The document's package, as python-docx's save writes it (the same members in the same order,
    each XML part compressed as zipfile compresses it), but pictures stored and times fixed."""
    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()

    def members() -> Iterator[tuple[str, bytes]]:  # one at a time: a report's body is tens of MB as text
        yield CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob
        yield PACKAGE_URI.rels_uri.membername, package.rels.xml
        for part in parts:
            yield part.partname.membername, part.blob
            if len(part.rels):
                yield part.partname.rels_uri.membername, part.rels.xml

    return pack_members(members(), stored=STORED)


def set_language(doc: DocxDocument, tag: str) -> None:
    """Say a document's language (fi-FI, sv-FI) where Word and LibreOffice look: the default run
    properties' w:lang and the settings' theme font language (other scripts' languages kept)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = rpr.makeelement(qn("w:lang"), {})
                rpr.append(lang)
            lang.set(qn("w:val"), tag)
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), tag)


def keywords(catalogue: Catalogue) -> str:
    """A document's keywords (core properties): the criteria and their version."""
    return f"{catalogue.meta.title}; {catalogue.version}"


def comments(catalogue: Catalogue, lang: str = DEFAULT_LANGUAGE) -> str:
    """A document's comments (core properties): what made it, from which content."""
    _ = wording("documents", lang)
    return _("auditkit {version}, content {content} ({hash})", version=__version__, content=catalogue.version,
             hash=catalogue.short_hash)



def header_parts(title: str, ctx: DocumentContext | None) -> list[str]:
    """The page header: the document's title, the workshop and the round (those that are known)."""
    parts = [title]
    for value in ((ctx.workshop.name, ctx.round_name or ctx.round_id) if ctx else ()):
        if value:
            parts += [" · ", value]
    return parts


def identity(catalogue: Catalogue, ctx: DocumentContext | None, role: str) -> Identity:
    """What a document says it is (its custom properties)."""
    if ctx is None:
        return Identity(FORMAT_VERSION, catalogue.version, catalogue.hash, role=role)
    return Identity(
        format_version=FORMAT_VERSION,
        content_version=catalogue.version,
        content_hash=catalogue.hash,
        round_id=ctx.round_id,
        workshop_id=ctx.workshop.id,
        workshop_name=ctx.workshop.name,
        role=role,
        kit_id=ctx.kit_id,
        round_instance=ctx.round_instance,
    )


def identity_values(identity: Identity) -> dict[str, str]:
    return {f.name: getattr(identity, f.name) for f in fields(Identity)}


def set_custom_properties(doc: DocxDocument, values: Mapping[str, str]) -> None:
    """Write docProps/custom.xml (user-defined properties, all text), replacing any the base had."""
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})  # type: ignore[dict-item]  # None: the default namespace (lxml)
    for pid, (name, value) in enumerate(values.items(), start=2):  # Office numbers them from 2
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = doc.part.package
    try:
        part = package.part_related_by(RT.CUSTOM_PROPERTIES)
        part._blob = blob
    except KeyError:
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _inline(text: str) -> list[str | Run]:
    """Text with **bold** spans as runs."""
    parts: list[str | Run] = []
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            parts.append(text[position:match.start()])
        parts.append(Run(match.group(1), bold=True))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return parts


def _items(lines: list[str], starts: Callable[[str], bool]) -> list[str]:
    """Group lines into list items: a line that does not start an item continues the previous one."""
    items: list[str] = []
    for line in lines:
        if starts(line) or not items:
            items.append(line)
        else:
            items[-1] += " " + line
    return items
