"""The per-workshop reports of a compiled round (feedback, development plan) without python-docx's package.

A round writes hundreds of these reports from one base document. python-docx would parse and check
base.docx, and compress its 350 KB of styles, for every one of them. Here the package is made once per
process, by the ordinary `Writer`, as a shell: the base with an empty body, header and footer lines
and properties that are placeholders. `ReportWriter` builds a report's body, header and footer lines
as the `Writer` does (the same XML, by the same code), and `Shell.package` splices them into the
shell, whose constant parts were compressed once; pictures are stored, not compressed again.
The shell's XML is the Writer's; only the bytes between the placeholders are each report's.

Most of a report is table cells of short texts ("3", "–", a criterion's first sentence). The
ReportWriter writes those paragraphs, and its tables, as XML text made once per process (ooxml's
text_paragraph_xml and table_xml) rather than as elements made, copied, moved and serialised per cell:
a paragraph of short texts is a token (see ReportWriter.__init__), a cell of one such paragraph one
Cell per process, and a paragraph of longer texts (a workshop's returned texts) XML written at once.
The footer's line is the same in every report and made once; the header's starts as made once. Tests
compare the result with python-docx's document element for element.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import zipfile
from copy import deepcopy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any, cast

from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Inches
from lxml import etree

from ..catalogue import Catalogue
from ..errors import TemplateError
from ..i18n import wording
from ..model import Identity
from ..outputs import XML_FORBIDDEN
from ..packages import Deflated, deflated, pack_members
from . import ooxml
from .document import Writer, comments, identity_values, keywords
from .ooxml import Element, Run

_OPEN, _CLOSE = "[[ak:", "]]"
_TOKEN = re.compile(rb"\[\[ak:([a-z0-9_.]+)\]\]")
# Whole paragraphs of XML (the body's, the header's and footer's line), then the package's own lists.
_SLOTS = {"slot.body", "slot.header", "slot.footer", "slot.rels", "slot.types"}
_TEXTS = {"title", "subject", "keywords", "comments", *(f"id.{f.name}" for f in fields(Identity))}
_RELS = "word/_rels/document.xml.rels"
_RAW = "auditkit-raw"  # a placeholder in a report's body: <?auditkit-raw 12?> (ReportWriter._raws[12])
_RAW_PLACE = re.compile(rb"<\?auditkit-raw (\d+)\?>")
_PARAGRAPH = "auditkit-paragraph"  # a paragraph of short texts: <?auditkit-paragraph 7?> (_KEYS[7])
_PARAGRAPH_PLACE = re.compile(rb"<\?auditkit-paragraph (\d+)\?>")
_TokenKey = tuple[str | None, tuple[str | Run, ...], tuple[tuple[str, Any], ...]]
_TOKENS: dict[_TokenKey, Element] = {}
_KEYS: list[_TokenKey] = []
_XMLS: list[bytes] = []  # a token's paragraph's XML (ooxml.paragraph_xml of its key)
_BY_ID: dict[int, int] = {}  # id of a token in _TOKENS: its number
_XML_BY_ID: dict[int, bytes] = {}  # id of a token in _TOKENS: its XML (a table's cells are looked up by it)
_KEPT_BY_ID: dict[int, bytes] = {}  # id of a token in _TOKENS: its XML kept with the next
_KEPT: dict[int, bytes] = {}  # a token's paragraph kept with the next (in a kept-together table)
_CELLS: dict[tuple[str, tuple[str | Run | Element, ...], str | None, str | None], ooxml.Cell] = {}  # of tokens
_TOKENS_LIMIT = 20_000


def _token_xml(index: int, keep_next: bool) -> bytes:
    """The XML of a token's paragraph, kept with the next if asked (its own keep_next as it says)."""
    if not keep_next:
        return _XMLS[index]
    made = _KEPT.get(index)
    if made is None:
        style_id, parts, layout = _KEYS[index]
        made = _KEPT[index] = ooxml.text_paragraph_xml(style_id, parts, _kept(layout))
    return made


def _kept(layout: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted({**dict(layout), "keep_next": True}.items()))


_PI: Any = etree.ProcessingInstruction
_TYPES = "[Content_Types].xml"
_MEDIA = re.compile(r"word/media/image(\d+)\.\w+")


def _token(name: str) -> str:
    return f"{_OPEN}{name}{_CLOSE}"


class NoShell(Exception):
    """A base document whose package the shell cannot be cut from (its reports are written by the Writer)."""


def _escape(value: str) -> bytes:
    value = XML_FORBIDDEN.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").encode()


@dataclass(frozen=True, slots=True)
class _Part:
    """A member of the shell: compressed once (constant), or its pieces between placeholders."""

    name: str
    constant: Deflated | None
    pieces: tuple[bytes, ...] = ()  # len(slots) + 1
    slots: tuple[str, ...] = ()  # a text's name, or "slot.<name>" for a slot's raw XML


class Shell:
    """The package of a report, made once by the Writer with placeholders, filled many times."""

    def __init__(self, package: bytes, nsmaps: Mapping[str, dict[str | None, str]]) -> None:
        self.nsmaps = nsmaps
        self.parts: list[_Part] = []
        with zipfile.ZipFile(io.BytesIO(package)) as z:
            names = z.namelist()
            for name in names:
                self.parts.append(self._prepare(name, z.read(name)))
        found = {key for part in self.parts for key in part.slots}
        if found != _SLOTS | _TEXTS:
            raise NoShell(f"placeholders missing or unknown: {sorted(found ^ (_SLOTS | _TEXTS))}")
        taken = [int(m.group(1)) for name in names if (m := _MEDIA.fullmatch(name))]
        self.first_image = max(taken, default=0) + 1
        rels = next(p for p in self.parts if p.name == _RELS)
        ids = re.findall(rb'Id="rId(\d+)"', b"".join(rels.pieces) if rels.constant is None else b"")
        self.first_rid = max((int(i) for i in ids), default=0) + 1

    @staticmethod
    def _prepare(name: str, data: bytes) -> _Part:
        if name == _RELS:  # the pictures' relationships go before its end
            end = data.rindex(b"</Relationships>")
            return _Part(name, None, (data[:end], data[end:]), ("slot.rels",))
        if name == _TYPES:  # the pictures' types right after its start tag
            start = data.index(b">", data.index(b"<Types")) + 1
            return _Part(name, None, (data[:start], data[start:]), ("slot.types",))
        if _OPEN.encode() not in data:
            return _Part(name, deflated(data))
        pieces, slots, last = [], [], 0
        for match in _TOKEN.finditer(data):
            key = match.group(1).decode()
            start, end = match.start(), match.end()
            if key.startswith("slot."):  # the whole paragraph holding the placeholder
                start = max(data.rfind(b"<w:p>", 0, start), data.rfind(b"<w:p ", 0, start))
                end = data.find(b"</w:p>", end) + len(b"</w:p>")
                if start < last or end < len(b"</w:p>"):
                    raise NoShell(f"{name}: the placeholder {key} is not in a paragraph of its own")
            pieces.append(data[last:start])
            slots.append(key)
            last = end
        pieces.append(data[last:])
        if any(_OPEN.encode() in piece for piece in pieces):
            raise NoShell(f"{name}: a placeholder was split")
        return _Part(name, None, tuple(pieces), tuple(slots))

    def package(self, texts: Mapping[str, str], slots: Mapping[str, bytes], images: Sequence[tuple[str, str, bytes]]
                ) -> bytes:
        """The report's package: texts escaped into their placeholders, slots' XML as it is, and
        images (relationship id, part name, PNG bytes) added as parts of the document."""
        rels = b"".join(f'<Relationship Id="{rid}" Type="{RT.IMAGE}" Target="{name[len("word/"):]}"/>'.encode()
                        for rid, name, _ in images)
        extensions = {name.rsplit(".", 1)[1] for _, name, _ in images}
        members: list[tuple[str, bytes | Deflated]] = []
        for part in self.parts:
            if part.constant is not None:
                members.append((part.name, part.constant))
                continue
            out = [part.pieces[0]]
            for key, piece in zip(part.slots, part.pieces[1:]):
                if key == "slot.rels":
                    out.append(rels)
                elif key == "slot.types":
                    out.append(b"".join(f'<Default Extension="{ext}" ContentType="image/{ext}"/>'.encode()
                                        for ext in sorted(extensions) if f'Extension="{ext}"'.encode() not in piece))
                elif key.startswith("slot."):
                    out.append(slots[key[5:]])
                else:
                    out.append(_escape(texts[key]))
                out.append(piece)
            data = b"".join(out)
            if len(data) <= _SMALL_PART:  # the package's lists and the footer are the same in most reports
                made = _DEFLATED.get(data)
                if made is None:
                    if len(_DEFLATED) >= 256:
                        _DEFLATED.clear()
                    made = _DEFLATED[data] = deflated(data)
                members.append((part.name, made))
            else:
                members.append((part.name, data))
        members += [(name, png) for _, name, png in images]
        return pack_members(members, stored=(".png", ".jpeg", ".jpg", ".gif"))


_SMALL_PART = 8192
_DEFLATED: dict[bytes, Deflated] = {}  # small parts' compressed bytes, by their bytes


def _base_key(templates: str | os.PathLike[str] | None) -> tuple[str, int, int]:
    """The base document a writer would open, as a cache key (path, size, modification time)."""
    from ..templating import template_path
    from .styles import BASE_DOCX, open_base

    try:
        path = template_path(BASE_DOCX, templates)
    except TemplateError:
        open_base(templates)  # raises the TemplateError every report raises without a base
        raise
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


@dataclass(frozen=True, slots=True)
class _Base:
    """What a ReportWriter needs of the base document and the shell made from it."""

    shell: Shell
    style_ids: Mapping[str, str]
    tabs: Mapping[str, Element]
    width: int
    # The header's and footer's lines as made before: a line's start (its properties and tab stops) by
    # style, and a whole footer by its texts (the same in every report).
    lines: dict[tuple[object, ...], bytes] = field(default_factory=dict)


_BASES: dict[tuple[Any, ...], _Base | None] = {}
_INLINES: dict[tuple[int, str, str, int, int], Element] = {}


def _base(catalogue: Catalogue, templates: str | os.PathLike[str] | None, landscape: bool, when: datetime | None,
          lang: str = "fi") -> _Base:
    """The shell for a base document, page orientation and time, made once per process (a few kept).

    Raises TemplateError when the base is broken (as the Writer does), NoShell when the shell cannot
    be cut from its package."""
    key = (_base_key(templates), str(templates or ""), landscape, when, lang)
    if key not in _BASES:
        if len(_BASES) >= 8:
            _BASES.pop(next(iter(_BASES)))
        try:
            _BASES[key] = _make_base(catalogue, templates, landscape, when, lang)
        except NoShell:
            _BASES[key] = None
    base = _BASES[key]
    if base is None:
        raise NoShell(str(key[0][0]))
    return base


def _make_base(catalogue: Catalogue, templates: str | os.PathLike[str] | None, landscape: bool,
               when: datetime | None, lang: str) -> _Base:
    w = Writer(catalogue, templates, lang=lang)  # opens and checks the base: raises TemplateError as every report does
    if landscape:
        w.landscape()
    w.para(None, _token("slot.body"))
    w.header_footer([_token("slot.header")], [_token("slot.footer")])
    w._properties({f.name: _token(f"id.{f.name}") for f in fields(Identity)}, _token("title"), _token("subject"),
                  _token("keywords"), _token("comments"), when)
    out = io.BytesIO()
    w.doc.save(out)
    section = w.doc.sections[0]
    nsmaps = {"body": dict(w.doc.element.body.nsmap), "header": dict(section.header._element.nsmap),
              "footer": dict(section.footer._element.nsmap)}
    return _Base(Shell(out.getvalue(), nsmaps), dict(w._style_ids), {s: w._tabs(s) for s in ("Header", "Footer")},
                 w.width)


class ReportWriter(Writer):
    """A Writer whose document is spliced into a shell made once per process (see the module's doc).

    Everything a report builder does with a Writer works the same, but `doc` is not there: python-docx
    never sees the report.
    """

    def __init__(self, catalogue: Catalogue, templates: str | os.PathLike[str] | None = None, *,
                 landscape: bool = False, when: datetime | None = None, lang: str = "fi") -> None:
        """when: the time the document records (now, to the second, unless given); lang: the document's
        language. Raises TemplateError when the base document is broken, NoShell when a shell cannot be
        made from it."""
        self.catalogue = catalogue
        self.templates = templates
        self.lang = lang
        self._when = when
        now = when or datetime.now(timezone.utc).replace(microsecond=0)
        self._base = _base(catalogue, templates, landscape, now, lang)
        self._style_ids = dict(self._base.style_ids)
        self.width = self._base.width
        self._ids = itertools.count(1)
        self._body = etree.Element(qn("w:body"), nsmap=self._base.shell.nsmaps["body"])  # type: ignore[arg-type]
        self._lines: dict[str, Element] = {}
        self._line_xml: dict[str, bytes] = {}
        self._pictures: dict[bytes, tuple[str, str, bytes, Image]] = {}
        self._image_numbers = itertools.count(self._base.shell.first_image)
        self._rids = itertools.count(self._base.shell.first_rid)
        # Paragraphs of short texts (most of a report: its table cells) go in as their XML, made once
        # per process. p() gives such a paragraph as a token (a processing instruction numbering its
        # key, one per key and process); a table writes the XML of the tokens in its cells, and a
        # token added to the body is a placeholder that finish replaces: no element made, copied,
        # moved between trees or serialised again. Where the body does not call WordprocessingML w:
        # (a base of its own), paragraphs are elements.
        self._raw = self._base.shell.nsmaps["body"].get("w") == ooxml.W_NS
        self._raws: list[bytes] = []  # what the body's placeholders stand for: paragraphs and tables
        # A paragraph of texts too long to keep (a returned text) is a placeholder too, its XML made at
        # once (ooxml.text_paragraph_xml); its key is kept for a kept-together table to make it again.
        self._long: dict[int, _TokenKey] = {}
        if len(_KEYS) >= _TOKENS_LIMIT:  # no report holds tokens of another: forgotten between reports
            _TOKENS.clear()
            _KEYS.clear()
            _XMLS.clear()
            _BY_ID.clear()
            _XML_BY_ID.clear()
            _KEPT_BY_ID.clear()
            _KEPT.clear()
            _CELLS.clear()

    def add(self, element: Element) -> Element:
        if isinstance(element, etree._ProcessingInstruction) and element.target == _PARAGRAPH:
            self._raws.append(_XMLS[int(element.text or "")])
            element = _PI(_RAW, str(len(self._raws) - 1))
        self._body.append(element)
        return element

    def p(self, style: str | None, *parts: str | Run | Element, **layout: Any) -> Element:
        """A paragraph, not yet added; of texts only, a token standing for its XML (see __init__), which
        para, add, a table's cell or an element of the report's own take as they take a paragraph (each
        p() call's result used once, as an element is)."""
        if not self._raw:
            return super().p(style, *parts, **layout)
        # The layout as the call gives it (a call's keywords come in one order; two orders are two
        # tokens of the same XML).
        key = (self._style_ids[style] if style else None, cast(tuple[str | Run, ...], parts),
               tuple(layout.items()) if layout else ())
        token = _TOKENS.get(key)
        if token is not None:
            if token.getparent() is not None:  # put into an element of the report's own: a token of its own
                return _PI(_PARAGRAPH, token.text)
            return token
        if not ooxml.texts_only(parts):
            return super().p(style, *parts, **layout)
        if not ooxml.short_texts(parts):
            self._raws.append(ooxml.text_paragraph_xml(*key))
            self._long[len(self._raws) - 1] = key
            return _PI(_RAW, str(len(self._raws) - 1))
        token = _TOKENS[key] = _PI(_PARAGRAPH, str(len(_KEYS)))
        _BY_ID[id(token)] = len(_KEYS)
        _KEYS.append(key)
        _XMLS.append(ooxml.text_paragraph_xml(*key))  # its XML written at once (many are a workshop's own)
        _XML_BY_ID[id(token)] = _XMLS[-1]
        return token

    def cell(self, style: str, *parts: str | Run | Element, fill: str | None = None, align: str | None = None
             ) -> ooxml.Cell:
        """A cell of one paragraph of short texts is made once per process (the same Cell each time: a
        table only reads it, and a round's reports repeat the same cells thousands of times)."""
        if not self._raw:
            return super().cell(style, *parts, fill=fill, align=align)
        key = (self._style_ids[style], parts, fill, align)
        made = _CELLS.get(key)
        if made is None:
            paragraph = self.p(style, *parts, align=align)
            made = ooxml.Cell([paragraph], fill=fill)
            if id(paragraph) in _BY_ID:  # a token (not a paragraph of the report's own)
                _CELLS[key] = made
        return made

    def table(self, fractions: Iterable[float], rows: Iterable[ooxml.Row], *, keep_together: bool = False) -> Element:
        """The table goes in as its XML, made here (no elements but those of paragraphs made as
        elements), with a placeholder in the body."""
        if not self._raw:
            return super().table(fractions, rows, keep_together=keep_together)
        # A token's XML is taken from `known` by the token's id; xml_of writes the other paragraphs (and a
        # token's kept with the next the first time a kept-together table has it).

        def xml_of(paragraph: Element) -> bytes:
            index = _BY_ID.get(id(paragraph))
            if index is not None:
                made = _token_xml(index, keep_together)
                if keep_together:
                    _KEPT_BY_ID[id(paragraph)] = made
                return made
            if isinstance(paragraph, etree._ProcessingInstruction):
                number = int(paragraph.text or "")
                if paragraph.target == _PARAGRAPH:
                    return _token_xml(number, keep_together)
                if not keep_together:
                    return self._raws[number]
                style_id, parts, layout = self._long[number]
                return ooxml.text_paragraph_xml(style_id, parts, _kept(layout))
            if keep_together:
                ooxml.keep_with_next(paragraph)
            return ooxml.xml_in_part(paragraph)

        known = _KEPT_BY_ID if keep_together else _XML_BY_ID
        self._raws.append(ooxml.table_xml(self.widths(fractions), rows, xml_of, known=known))
        return self.add(_PI(_RAW, str(len(self._raws) - 1)))

    def landscape(self) -> None:
        raise TypeError("a ReportWriter's page is chosen when it is made: ReportWriter(..., landscape=True)")

    def picture(self, png: bytes, width_inches: float, description: str) -> Element:
        # By the bytes themselves: a picture's bytes are hashed once (drawn pictures are kept, and bytes
        # keep their hash), where a digest would read them through for every report.
        if png not in self._pictures:
            image = Image.from_blob(png)
            name = f"word/media/image{next(self._image_numbers)}.{image.ext}"
            self._pictures[png] = (f"rId{next(self._rids)}", name, png, image)
        rid, _, _, image = self._pictures[png]
        cx, cy = image.scaled_dimensions(Inches(width_inches), None)
        key = (self.next_id(), rid, image.filename, cx, cy)
        made = _INLINES.get(key)
        if made is None:  # python-docx parses its XML for every picture: made once, then copied
            if len(_INLINES) >= 64:
                _INLINES.clear()
            made = _INLINES[key] = CT_Inline.new_pic_inline(*key)
        inline = _copy(made)
        cast(CT_Inline, inline).docPr.set("descr", description)
        return ooxml.el("w:r", None, ooxml.el("w:drawing", None, inline))

    def header_footer(self, header: Sequence[str | Run | Element], footer_left: Sequence[str | Run | Element]) -> None:
        page = wording("documents", self.lang).pgettext("footer", "page")  # as Writer.header_footer says it
        footer = [*footer_left, ooxml.tab(), page + " ", *ooxml.field("PAGE", "1"), " / ", *ooxml.field("NUMPAGES", "1")]
        made = self._base.lines
        texts = self._raw and ooxml.texts_only(header) and ooxml.texts_only(footer_left) and all(
            self._base.shell.nsmaps[slot].get("w") == ooxml.W_NS for slot in ("header", "footer"))
        # Lines of texts (as the reports' are): the footer's made once per base and texts, the header's
        # written from its start made once. Otherwise elements, serialised by finish.
        footer_key = ("footer", tuple(footer_left), page)
        for slot, style, parts in (("header", "Header", header), ("footer", "Footer", footer)):
            if texts and slot == "header" and header:
                self._line_xml[slot] = self._header_xml(style, cast(Sequence[str | Run], parts))
                continue
            if texts and slot == "footer" and footer_key in made:
                self._line_xml[slot] = made[footer_key]
                continue
            line = Writer.p(self, style, *parts)  # an element: its tab stops are added to it
            ppr = line.find(qn("w:pPr"))
            if ppr is None:
                ppr = etree.SubElement(line, qn("w:pPr"))
            ppr.append(_copy(self._base.tabs[style]))
            self._lines[slot] = line
            if texts and slot == "footer":
                self._line_xml[slot] = made[footer_key] = _inner([line], self._base.shell.nsmaps[slot])

    def _header_xml(self, style: str, parts: Sequence[str | Run]) -> bytes:
        """The header's line of texts: its start (properties and tab stops) made once, its runs written."""
        style_id = self._style_ids[style]
        start = self._base.lines.get(("start", style))
        if start is None:
            line = Writer.p(self, style)
            cast(Element, line.find(qn("w:pPr"))).append(_copy(self._base.tabs[style]))
            whole = _inner([line], self._base.shell.nsmaps["header"])
            start = self._base.lines[("start", style)] = whole[:-len(b"</w:p>")]
        plain = ooxml.paragraph_xml(style_id, (), ())[:-len(b"</w:p>")]
        made = ooxml.text_paragraph_xml(style_id, tuple(parts), ())
        return start + made[len(plain):]

    def finish(self, identity: Identity, title: str, subject: str, *, when: datetime | None = None) -> bytes:
        if when != self._when:
            raise ValueError("a ReportWriter records the time it was made with: ReportWriter(..., when=...)")
        texts = {"title": title, "subject": subject, "keywords": keywords(self.catalogue),
                 "comments": comments(self.catalogue, self.lang),
                 **{f"id.{name}": value for name, value in identity_values(identity).items()}}
        body = _inner_of(self._body)
        if self._raws:
            raws = self._raws
            body = _RAW_PLACE.sub(lambda m: raws[int(m.group(1))], body)
        if _PARAGRAPH.encode() in body:  # a token put into an element of the report's own
            body = _PARAGRAPH_PLACE.sub(lambda m: _token_xml(int(m.group(1)), False), body)
        slots = {"body": body}
        for slot in ("header", "footer"):
            made = self._line_xml.get(slot)
            line = self._lines.get(slot)
            slots[slot] = made if made is not None else _inner([line] if line is not None else [],
                                                               self._base.shell.nsmaps[slot])
        images = [(rid, name, png) for rid, name, png, _ in self._pictures.values()]
        return self._base.shell.package(texts, slots, images)


def _copy(element: Element) -> Element:
    return deepcopy(element)


def _inner_of(parent: Element) -> bytes:
    """The children of parent serialised (parent declares the namespaces its part's root declares)."""
    if not len(parent):
        return b""
    data = etree.tostring(parent, encoding="UTF-8", xml_declaration=False)
    return data[data.index(b">") + 1:data.rindex(b"</")]


def _inner(elements: list[Element], nsmap: Mapping[str | None, str]) -> bytes:
    """The elements serialised as they would be inside a parent declaring nsmap (no declarations of
    their own where the parent's serve)."""
    wrap = etree.Element(qn("w:body"), nsmap=dict(nsmap))  # type: ignore[arg-type]
    for element in elements:
        wrap.append(element)
    return _inner_of(wrap)


def report_writer(catalogue: Catalogue, templates: str | os.PathLike[str] | None = None, *, stamped: bool = True,
                  landscape: bool = False, when: datetime | None = None, lang: str = "fi") -> Writer:
    """The writer a per-workshop report is built with: a ReportWriter, or with stamped=False the plain
    Writer (python-docx's whole package, the reference the tests compare against), which is also what
    a base document the shell cannot be made from gets."""
    if stamped:
        try:
            return ReportWriter(catalogue, templates, landscape=landscape, when=when, lang=lang)
        except NoShell:
            pass  # a base whose package is made otherwise: python-docx writes it whole
    w = Writer(catalogue, templates, lang=lang)
    if landscape:
        w.landscape()
    return w


__all__ = ["NoShell", "ReportWriter", "Shell", "report_writer"]
