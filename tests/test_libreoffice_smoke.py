"""LibreOffice is there and the bridge works: the real-client tests depend on both."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from libreoffice import convert, pdf_text

pytestmark = pytest.mark.office  # every test here drives LibreOffice


def test_convert_docx_to_pdf_keeps_finnish_letters(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Työpajatoiminnan laatukriteerit – Ääri ja Öljy")
    src = tmp_path / "smoke.docx"
    doc.save(src)
    (pdf,) = convert(src, "pdf", tmp_path / "pdf")
    assert "Työpajatoiminnan laatukriteerit – Ääri ja Öljy" in pdf_text(pdf)
