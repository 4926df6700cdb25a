"""The self-assessment form, reopened: criteria word for word in numbered tables, controls, notes, identity."""

from __future__ import annotations

import io
from dataclasses import fields

import pytest
from docx import Document

from auditkit.catalogue import Catalogue
from auditkit.labels import APPLIES_TO_FI
from auditkit.model import Identity
from auditkit.word import build_form
from auditkit.word.contract import FORM_FIELDS, FORM_ROWS, FORM_SHEET, PLACEHOLDERS
from word_support import W, body, context, criterion_tables, custom_properties, paragraphs, parts, tables, text


@pytest.fixture(scope="module")
def form(catalogue: Catalogue) -> bytes:
    return build_form(catalogue, context(audience="adult", learning_environments=False))


@pytest.fixture(scope="module")
def youth_form(catalogue: Catalogue) -> bytes:
    return build_form(catalogue, context(audience="youth", learning_environments=True))


def test_every_criterion_word_for_word_in_its_numbered_table(form: bytes, catalogue: Catalogue) -> None:
    found = criterion_tables(form)
    assert sorted(found) == sorted(c.number for c in catalogue.criteria) == list(range(1, 52))
    for criterion in catalogue.criteria:
        rows = found[criterion.number]
        shown = paragraphs(rows[0][1])
        assert shown[0] == criterion.text
        for item, line in zip(criterion.items, shown[1:], strict=False):
            assert line.startswith(item.text)
        items = [line for line in shown if any(line.startswith(i.text) for i in criterion.items)]
        assert len(items) == len(criterion.items)


def test_tables_follow_elements_and_areas_in_order(form: bytes, catalogue: Catalogue) -> None:
    order = [int(text(rows[0][0])) for rows in tables(form) if text(rows[0][0]).isdigit()]
    assert order == [c.number for c in catalogue.criteria]
    headings = [text(p) for p in body(form).findall(W + "p") if p.find(f"{W}pPr/{W}pStyle") is not None
                and p.find(f"{W}pPr/{W}pStyle").get(W + "val") in ("Heading1", "Heading2", "Heading3")]
    for element in catalogue.elements:
        assert element.heading in headings
    for area in catalogue.areas:
        assert area.name in headings
    assert "Kestävien vaikutusten aikaansaaminen: oppimisympäristöille" in headings
    assert "Liite: Käsitteet" in headings


def test_each_table_has_answer_rows_with_text_and_dropdown_controls(form: bytes, catalogue: Catalogue) -> None:
    for number, rows in criterion_tables(form).items():
        # Each row: the number's (merged) cell, then label and answer, once or twice side by side.
        pairs = [[(cells[i], cells[i + 1]) for i in range(1, len(cells), 2)] for cells in rows[1:]]
        assert [[paragraphs(label)[0] for label, _ in row] for row in pairs] == \
            [[f.label for f in fields] for fields in FORM_ROWS], number
        for field, (_, answer) in zip(FORM_FIELDS, [pair for row in pairs for pair in row], strict=True):
            sdts = answer.findall(f"{W}p/{W}sdt")  # run-level: inside the cell's paragraph
            assert len(sdts) == 1, (number, field.key)
            props = sdts[0].find(W + "sdtPr")
            if field.key == "rating":
                items = [i.get(W + "displayText") for i in props.iter(W + "listItem")]
                assert items == list(catalogue.scale.choices)
            else:  # rich text: LibreOffice shows its prompt grey (a plain-text control prints it black)
                assert props.find(W + "text") is None and props.find(W + "dropDownList") is None
            assert text(answer) == field.placeholder
            assert props.find(W + "showingPlcHdr") is not None
            prompt = sdts[0].find(f"{W}sdtContent/{W}r/{W}rPr")
            assert prompt.find(W + "rStyle").get(W + "val") == "PlaceholderText"
            assert prompt.find(W + "color").get(W + "val") == "767676"


def test_the_actions_owner_and_due_date_are_fields_of_their_own_side_by_side(form: bytes) -> None:
    """The development plan takes who and by when as data: a row of their own under the actions."""
    rows = criterion_tables(form)[12]
    labels = [[paragraphs(cells[i])[0] for i in range(1, len(cells), 2)] for cells in rows[1:]]
    assert labels[4:6] == [["Toimenpiteet"], ["Vastuuhenkilö", "Aikataulu"]]
    grid = [int(g.get(W + "w")) for g in rows[0][0].getparent().getparent().findall(f"{W}tblGrid/{W}gridCol")]
    widths = [sum(int(c.find(f"{W}tcPr/{W}tcW").get(W + "w")) for c in cells) for cells in rows]
    assert len(grid) == 5 and set(widths) == {sum(grid)}  # every row spans the table's whole width


def test_no_paragraph_level_controls_legacy_fields_or_toc(form: bytes) -> None:
    root = body(form)
    assert root.findall(W + "sdt") == []  # a control around paragraphs
    assert not [tc for tc in root.iter(W + "tc") if tc.find(W + "sdt") is not None]
    assert list(root.iter(W + "ffData")) == []  # legacy form fields
    assert not [i for i in root.iter(W + "instrText") if "TOC" in (i.text or "")]


def test_data_sheet_has_every_row_and_the_kit_id(form: bytes) -> None:
    sheet = tables(form)[0]
    labels = [text(cells[0]) for cells in sheet]
    assert labels == [row.label for row in FORM_SHEET]
    values = {text(cells[0]): text(cells[1]) for cells in sheet}
    assert values["Työpaja"] == 'Nuorten työpaja Ääri/Reuna "Pilotti"'
    assert values["Tunniste"] == "2025-kevat-P07-self"
    assert values["Arviointikierros"] == "Kevät 2025 (2025-kevat)"
    assert values["Auditointimalli"] == "Vertaisauditointi"
    assert values["Yhteyshenkilö"] in PLACEHOLDERS  # for the workshop to fill in
    assert values["Palautus"] == "viimeistään 1.6.2025, laatu@example.fi"  # a date as people read it


def test_criteria_outside_the_profile_say_so(form: bytes, youth_form: bytes, catalogue: Catalogue) -> None:
    adult = criterion_tables(form)
    youth = criterion_tables(youth_form)
    for number in (11, 33, 34, 35, 36, 37):
        assert "Ei koske työpajaanne" in text(adult[number][0][1]), number
        assert "Ei koske työpajaanne" not in text(youth[number][0][1]), number
        assert APPLIES_TO_FI[catalogue.criterion(number).applies_to] in text(youth[number][0][1])
    assert "Ei koske työpajaanne" not in text(adult[12][0][1])
    assert catalogue.criterion(6).condition in text(adult[6][0][1])
    items = paragraphs(adult[51][0][1])[1:6]
    assert [("ei koske työpajaanne" in line) for line in items] == [True, False, True, True, True]
    assert not any("ei koske" in line for line in paragraphs(youth[51][0][1]))


def test_concepts_link_to_the_glossary_appendix(form: bytes, catalogue: Catalogue) -> None:
    root = body(form)
    bookmarks = {b.get(W + "name") for b in root.iter(W + "bookmarkStart")}
    table = criterion_tables(form)[29]
    links = {h.get(W + "anchor"): "".join(h.itertext()) for h in table[0][1].iter(W + "hyperlink")}
    assert "Katso käsitteet: Yksilövalmennus" in text(table[0][1])
    assert list(links.values()) == ["Yksilövalmennus"]
    assert set(links) <= bookmarks
    assert all(criterion_tables(form)[c.number][0][1].find(f".//{W}hyperlink") is None
               for c in catalogue.criteria if not c.concepts)


def test_glossary_appendix_has_every_definition(form: bytes, catalogue: Catalogue) -> None:
    lines = paragraphs(body(form))
    for concept in catalogue.concepts:
        assert concept.term in lines
        for paragraph in concept.paragraphs:
            assert paragraph in lines


def test_header_and_footer(form: bytes) -> None:
    package = parts(form)
    headers = [v.decode() for k, v in package.items() if k.startswith("word/header")]
    footers = [v.decode() for k, v in package.items() if k.startswith("word/footer")]
    name = 'Nuorten työpaja Ääri/Reuna "Pilotti"'
    assert any(name in h.replace("&quot;", '"') and "Kevät 2025" in h for h in headers)
    footer = next(f for f in footers if "PAGE" in f)
    assert "sivu " in footer and " NUMPAGES " in footer and " PAGE " in footer
    settings = Document(io.BytesIO(form)).sections[0]
    assert settings.different_first_page_header_footer  # the cover has no running header


def test_identity_in_custom_and_core_properties(form: bytes, catalogue: Catalogue) -> None:
    props = custom_properties(form)
    assert list(props) == [f.name for f in fields(Identity)]
    assert props == {"format_version": "2", "content_version": catalogue.version, "content_hash": catalogue.hash,
                     "round_id": "2025-kevat", "workshop_id": "P07",
                     "workshop_name": 'Nuorten työpaja Ääri/Reuna "Pilotti"',
                     "role": "self", "kit_id": "2025-kevat-P07-self", "phase": "", "prefilled_from": "",
                     "round_instance": ""}
    core = Document(io.BytesIO(form)).core_properties
    assert core.title == 'Itsearviointilomake: Nuorten työpaja Ääri/Reuna "Pilotti"'
    assert core.subject == "Työpajatoiminnan laatukriteerit: itsearviointi"


def test_every_styled_paragraph_uses_a_style_of_the_base(form: bytes) -> None:
    styles = parts(form)["word/styles.xml"].decode()
    used = {p.get(W + "val") for p in body(form).iter(W + "pStyle")}
    assert used and all(f'w:styleId="{style}"' in styles for style in used)


def test_a_blank_form_leaves_the_workshop_to_fill_in(catalogue: Catalogue) -> None:
    data = build_form(catalogue, context(workshop=context().workshop.__class__(id="", name="")))
    values = {text(cells[0]): text(cells[1]) for cells in tables(data)[0]}
    assert values["Työpaja"] == "Työpajan nimi."


def test_tables_fit_between_the_margins(form: bytes, catalogue: Catalogue) -> None:
    from auditkit.word import build_audit_report, build_glossary

    for data in (form, build_audit_report(catalogue, context()), build_glossary(catalogue)):
        section = Document(io.BytesIO(data)).sections[0]
        width = (section.page_width - section.left_margin - section.right_margin) / 635  # twips
        for table in body(data).iter(W + "tbl"):
            columns = [int(c.get(W + "w")) for c in table.find(W + "tblGrid")]
            assert sum(columns) <= width


def test_a_criterion_may_run_over_a_page_but_keeps_its_heading_and_rows_whole(form: bytes) -> None:
    """Keeping every table whole on its page left most pages a third empty: a table may break
    between its rows, repeats the criterion's row on the next page, and never splits a row (an answer
    box keeps its room to write) nor leaves the criterion without its first answer row."""
    for table in body(form).iter(W + "tbl"):
        rows = table.findall(W + "tr")
        if not text(rows[0].findall(W + "tc")[0]).isdigit():
            continue
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
        kept = [any(p.find(f"{W}pPr/{W}keepNext") is not None for p in row.iter(W + "p")) for row in rows]
        assert kept[:2] == [True, True] and not any(kept[2:])
