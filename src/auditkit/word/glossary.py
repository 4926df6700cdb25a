"""The glossary (käsitteet): on its own, and as the self-assessment form's appendix."""

from __future__ import annotations

import os

from ..catalogue import Catalogue, Concept
from ..model import DocumentContext
from . import ooxml
from ..labels import KIND_HEADINGS
from ..templating import common_variables
from .contract import GLOSSARY_ROLE, GLOSSARY_TITLE
from .document import Writer, header_parts, identity
from .ooxml import Run



def concept_anchor(catalogue: Catalogue, term: str) -> str:
    """The bookmark of a concept in the glossary (short and ASCII, as Word wants bookmark names)."""
    index = next(i for i, c in enumerate(catalogue.concepts) if c.term == term)
    return f"kasite_{index + 1}"


def write_glossary(w: Writer, level: int, *, anchors: bool = False) -> None:
    """Add the concepts by kind (headings at `level`), definitions word for word, sources, the note.

    anchors: bookmark each term so that criteria can link to it.
    """
    catalogue = w.catalogue
    for kind, heading in KIND_HEADINGS.items():
        concepts = catalogue.concepts_of(kind)
        if not concepts:
            continue
        w.heading(level, heading)
        if kind == "other":
            w.para("Normal", "Käsitteet, jotka julkaisu nimeää määrittelemättä:")
            for concept in concepts:
                w.para("List Bullet", *_term(w, concept, anchors))
            continue
        for concept in concepts:
            w.heading(level + 1, *_term(w, concept, anchors))
            for text in concept.paragraphs:
                w.para("Normal", text)
            if concept.source:
                w.para("Note", f"Lähde: {concept.source}.")
    sources = [c for c in catalogue.concepts if c.source]
    w.heading(level, "Lähteet")
    meta = catalogue.meta
    w.para("Normal", f"{meta.publisher} ({meta.year}). {meta.subtitle or meta.title}. ", Run(meta.source))
    for concept in sources:
        w.para("Normal", f"{concept.source} (käsitteen {concept.term} määritelmässä).")
    if catalogue.note:
        w.heading(level, catalogue.note.title)
        for text in catalogue.note.paragraphs:
            w.para("Normal", text)


def _term(w: Writer, concept: Concept, anchor: bool) -> list:
    if not anchor:
        return [concept.term]
    return ooxml.bookmark(concept_anchor(w.catalogue, concept.term), w.next_id(), ooxml.run(concept.term))


def build_glossary(catalogue: Catalogue, ctx: DocumentContext | None = None, *,
                   templates: str | os.PathLike[str] | None = None) -> bytes:
    """The glossary as its own .docx: core, key and other concepts, the sources, the renaming note.

    ctx (optional) puts the workshop and round in the header. Raises TemplateError for a broken
    template or base document.
    """
    w = Writer(catalogue, templates)
    meta = catalogue.meta
    w.title_block(GLOSSARY_TITLE, "Työpajatoiminnan ydin- ja avainkäsitteet")
    w.prose("glossary_intro.j2", **common_variables(catalogue, ctx))
    write_glossary(w, 1)
    w.header_footer(header_parts(GLOSSARY_TITLE, ctx), [f"{meta.title} {catalogue.version}"])
    subject = f"{meta.title}: käsitteet ({catalogue.version})"
    return w.finish(identity(catalogue, ctx, GLOSSARY_ROLE), GLOSSARY_TITLE, subject)
