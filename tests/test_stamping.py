"""Stamping: a package built once with placeholders, stamped per workshop, is a valid document."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from docx import Document

from auditkit.errors import AuditkitError
from auditkit.model import Auditor, DocumentContext, Workshop
from auditkit.stamping import Blueprint, placeholder_context, token, values_of

NASTY = 'Nuorten työpaja Ääri/Reuna "Pilotti" & <Co> \x07'


def context(name: str = NASTY) -> DocumentContext:
    return DocumentContext(
        round_id="2026-syksy", round_name="Syksy 2026",
        workshop=Workshop(id="P07", name=name, organisation="Kaupunki & Co", municipality="Oulu", email="a@b.fi"),
        kit_id="P07-self-abc", auditors=(Auditor("Aino Auditoija", "aino@x.fi", "P02", "pääauditoija"),),
    )


def docx_with(ctx: DocumentContext) -> bytes:
    doc = Document()
    doc.sections[0].header.paragraphs[0].add_run(ctx.workshop.name)
    doc.add_paragraph().add_run(ctx.workshop.name)
    doc.add_paragraph().add_run(ctx.kit_id)
    doc.add_paragraph().add_run(ctx.auditors[0].name)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def xlsx_with(ctx: DocumentContext) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = ctx.workshop.name
    ws["A2"] = ctx.workshop.organisation
    ws.oddFooter.left.text = ctx.workshop.name
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_docx_stamped_carries_the_values_everywhere() -> None:
    blueprint = Blueprint(docx_with(placeholder_context(context())))
    assert {"workshop.name", "kit_id", "auditor0.name"} <= blueprint.placeholders
    stamped = blueprint.stamp(values_of(context()))
    assert zipfile.ZipFile(io.BytesIO(stamped)).testzip() is None
    doc = Document(io.BytesIO(stamped))
    clean = NASTY.replace("\x07", "")
    assert [p.text for p in doc.paragraphs] == [clean, "P07-self-abc", "Aino Auditoija"]
    assert doc.sections[0].header.paragraphs[0].text == clean
    with zipfile.ZipFile(io.BytesIO(stamped)) as z:
        assert not [n for n in z.namelist() if b"[[ak:" in z.read(n)]


def test_xlsx_stamped_values_are_text_and_footer_escaped() -> None:
    blueprint = Blueprint(xlsx_with(placeholder_context(context())))
    stamped = blueprint.stamp(values_of(context()))
    wb = openpyxl.load_workbook(io.BytesIO(stamped))
    ws = wb.active
    assert ws["A1"].value == NASTY.replace("\x07", "") and ws["A1"].data_type == "s"
    assert ws["A2"].value == "Kaupunki & Co"
    # In a footer, & is a control character: the name's & must arrive doubled.
    assert ws.oddFooter.left.text == NASTY.replace("\x07", "").replace("&", "&&")


def test_formula_looking_value_stays_text() -> None:
    blueprint = Blueprint(xlsx_with(placeholder_context(context())))
    stamped = blueprint.stamp(values_of(context('=HYPERLINK("http://x","y")')))
    cell = openpyxl.load_workbook(io.BytesIO(stamped)).active["A1"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","y")'


def test_same_inputs_same_bytes_and_other_workshop_differs() -> None:
    blueprint = Blueprint(docx_with(placeholder_context(context())))
    a = blueprint.stamp(values_of(context()))
    assert a == blueprint.stamp(values_of(context()))
    b = blueprint.stamp(values_of(context("Toinen paja")))
    assert Document(io.BytesIO(b)).paragraphs[0].text == "Toinen paja"
    assert "Toinen paja" not in Document(io.BytesIO(a)).paragraphs[0].text


def test_unknown_placeholder_is_refused() -> None:
    doc = Document()
    doc.add_paragraph(token("workshop.nmae"))
    buf = io.BytesIO()
    doc.save(buf)
    with pytest.raises(AuditkitError, match=r"unknown placeholder \[\[ak:workshop.nmae\]\]"):
        Blueprint(buf.getvalue(), known=set(values_of(context())))


@pytest.mark.parametrize("name", ["", "Ä" * 40_000, "x" * 70_000])
def test_empty_and_long_values_stamp_whole(name: str) -> None:
    """Values go in as stored deflate blocks (at most 65,535 bytes each): an empty value, and one of several blocks."""
    stamped = Blueprint(docx_with(placeholder_context(context()))).stamp(values_of(context(name)))
    assert zipfile.ZipFile(io.BytesIO(stamped)).testzip() is None
    assert [p.text for p in Document(io.BytesIO(stamped)).paragraphs] == [name, "P07-self-abc", "Aino Auditoija"]


def test_crc_of_joined_pieces_without_reading_them_again() -> None:
    import os
    import zlib

    from auditkit.stamping import crc32_combine

    for a, b in [(b"", b"x"), (b"abc", b""), (os.urandom(5), os.urandom(70_000)), (os.urandom(100_000), os.urandom(3))]:
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)
