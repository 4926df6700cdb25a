"""The glossary on its own, reopened: every concept, every definition word for word, sources, the note."""

from __future__ import annotations

import io

import pytest
from docx import Document

from auditkit.catalogue import Catalogue
from auditkit.word import build_glossary
from word_support import W, body, context, custom_properties, paragraphs, parts


@pytest.fixture(scope="module")
def glossary(catalogue: Catalogue) -> bytes:
    return build_glossary(catalogue)


def _styled(data: bytes, style: str) -> list[str]:
    return ["".join(p.itertext()) for p in body(data).iter(W + "p")
            if p.find(f"{W}pPr/{W}pStyle") is not None and p.find(f"{W}pPr/{W}pStyle").get(W + "val") == style]


def test_all_concepts_and_definitions_word_for_word(glossary: bytes, catalogue: Catalogue) -> None:
    assert len(catalogue.concepts) == 25
    defined = [c for c in catalogue.concepts if c.definition]
    assert len(defined) == 16
    lines = paragraphs(body(glossary))
    for concept in catalogue.concepts:
        assert concept.term in lines
    for concept in defined:
        start = lines.index(concept.term)
        assert lines[start + 1:start + 1 + len(concept.paragraphs)] == list(concept.paragraphs)
    assert _styled(glossary, "Heading2") == [c.term for c in defined]
    assert _styled(glossary, "ListBullet") == [c.term for c in catalogue.concepts_of("other")]


def test_kinds_sources_and_the_renaming_note(glossary: bytes, catalogue: Catalogue) -> None:
    headings = _styled(glossary, "Heading1")
    assert headings == ["Ydinkäsitteet", "Avainkäsitteet", "Muut käsitteet", "Lähteet", "Uudistustarve"]
    lines = paragraphs(body(glossary))
    assert "Lähde: Manninen et al., 2007." in lines
    assert "Manninen et al., 2007 (käsitteen Oppimisympäristö määritelmässä)." in lines
    assert catalogue.meta.source in "\n".join(lines)
    for paragraph in catalogue.note.paragraphs:
        assert paragraph in lines
    assert "Yksi ehdotettu käsite on valmennuspaja." in lines


def test_identity_and_optional_context(glossary: bytes, catalogue: Catalogue) -> None:
    props = custom_properties(glossary)
    assert props["role"] == "glossary" and props["content_version"] == catalogue.version and props["kit_id"] == ""
    assert Document(io.BytesIO(glossary)).core_properties.title == "Työpajatoiminnan käsitteet"
    with_ctx = build_glossary(catalogue, context())
    headers = b"".join(v for k, v in parts(with_ctx).items() if k.startswith("word/header")).decode()
    assert "Kevät 2025" in headers and custom_properties(with_ctx)["workshop_id"] == "P07"
