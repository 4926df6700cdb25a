"""The glossary (käsitteet): on its own, and as the self-assessment form's appendix."""

from __future__ import annotations

import os
from dataclasses import replace

from ..catalogue import Catalogue, Concept
from ..i18n import DEFAULT_LANGUAGE, wording
from ..labels import AUDIT_TYPE, KIND_HEADING, label, labels
from ..model import DocumentContext
from ..templating import common_variables
from . import ooxml
from .contract import GLOSSARY_ROLE, title
from .document import Writer, header_parts, identity
from .ooxml import Run


def concept_anchor(catalogue: Catalogue, term: str) -> str:
    """The bookmark of a concept in the glossary (short and ASCII, as Word wants bookmark names)."""
    index = next(i for i, c in enumerate(catalogue.concepts) if c.term == term)
    return f"kasite_{index + 1}"


def write_glossary(w: Writer, level: int, *, anchors: bool = False) -> None:
    """Add the concepts by kind (headings at `level`), definitions word for word, sources, the note,
    in the writer's language (the definitions in the content's own).

    anchors: bookmark each term so that criteria can link to it.
    """
    catalogue = w.catalogue
    _ = wording("documents", w.lang)
    for kind, heading in labels(KIND_HEADING, w.lang).items():
        concepts = catalogue.concepts_of(kind)
        if not concepts:
            continue
        w.heading(level, heading)
        if kind == "other":
            w.para("Normal", _("Concepts the publication names without defining them:"))
            for concept in concepts:
                w.para("List Bullet", *_term(w, concept, anchors))
            continue
        for concept in concepts:
            w.heading(level + 1, *_term(w, concept, anchors))
            for text in concept.paragraphs:
                w.para("Normal", text)
            if concept.source:
                w.para("Note", _("Source: {source}.", source=concept.source))
    sources = [c for c in catalogue.concepts if c.source]
    w.heading(level, _.pgettext("heading", "Sources"))
    meta = catalogue.meta
    w.para("Normal", f"{meta.publisher} ({meta.year}). {meta.subtitle or meta.title}. ", Run(meta.source))
    for concept in sources:
        w.para("Normal", _("{source} (in the definition of the concept {term}).", source=concept.source,
                           term=concept.term))
    if catalogue.note:
        w.heading(level, catalogue.note.title)
        for text in catalogue.note.paragraphs:
            w.para("Normal", text)


def _term(w: Writer, concept: Concept, anchor: bool) -> list:
    if not anchor:
        return [concept.term]
    return ooxml.bookmark(concept_anchor(w.catalogue, concept.term), w.next_id(), ooxml.run(concept.term))


def build_glossary(catalogue: Catalogue, ctx: DocumentContext | None = None, *,
                   templates: str | os.PathLike[str] | None = None, lang: str | None = None) -> bytes:
    """The glossary as its own .docx: core, key and other concepts, the sources, the renaming note.

    ctx (optional) puts the workshop and round in the header. lang: the document's language (default:
    ctx.language, else Finnish). Raises TemplateError for a broken template or base document.
    """
    w = Writer(catalogue, templates, lang=lang or (ctx.language if ctx else DEFAULT_LANGUAGE))
    _ = wording("documents", w.lang)
    meta = catalogue.meta
    glossary_title = title(GLOSSARY_ROLE, w.lang)
    w.title_block(glossary_title, _("Core and key concepts of workshop activities"))
    common = common_variables(catalogue, replace(ctx, language=w.lang) if ctx else None)
    if ctx is None:  # the audit type's name in the document's language all the same
        common["audit_type_fi"] = label(AUDIT_TYPE, common["audit_type"], w.lang)
    w.prose("glossary_intro.j2", **common)
    write_glossary(w, 1)
    w.header_footer(header_parts(glossary_title, ctx), [f"{meta.title} {catalogue.version}"])
    subject = _("{title}: concepts ({version})", title=meta.title, version=catalogue.version)
    return w.finish(identity(catalogue, ctx, GLOSSARY_ROLE), glossary_title, subject)
