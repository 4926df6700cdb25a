"""--pdf: every Word report also as PDF through LibreOffice, and a clear word when it is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from auditkit import office
from auditkit.catalogue import Catalogue
from auditkit.cli import main
from auditkit.manifest import read_manifest
from auditkit.report import write_outputs
from auditkit.round import init_round
from libreoffice import pdf_pages, pdf_text, require_libreoffice
from round_support import compiled_round

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture()
def no_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A machine without LibreOffice: not on PATH, not where it is usually installed."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv(office.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(office, "_PLACES", {})
    assert office.find_soffice() is None


@pytest.mark.office
def test_compile_pdf_beside_every_word_report(catalogue: Catalogue, tmp_path: Path) -> None:
    require_libreoffice()
    result = compiled_round(catalogue, tmp_path / "round", 3)
    outputs = write_outputs(catalogue, result, tmp_path / "koonti", pdf=True)
    assert outputs.pdf_problems == ()
    plans = [p for p in outputs.plans if p.suffix == ".docx"]  # each workshop's development plan
    documents = [outputs.report, *outputs.feedback, *plans]
    assert sorted(outputs.pdfs) == sorted(d.with_suffix(".pdf") for d in documents) and len(documents) == 7
    assert "Koontiraportti" in pdf_text(outputs.report.with_suffix(".pdf"))
    assert all(pdf_pages(p) >= 1 for p in outputs.pdfs)
    again = CliRunner().invoke(main, ["compile", *map(str, (tmp_path / "round",)), "-o", str(tmp_path / "koonti"),
                                      "--pdf", "--silent"])
    assert again.exit_code == 1 and "add --force" in again.output  # the PDFs are outputs: never overwritten silently


def test_compile_without_libreoffice_writes_word_and_says_what_to_do(catalogue: Catalogue, tmp_path: Path,
                                                                     no_libreoffice: None) -> None:
    compiled_round(catalogue, tmp_path / "round", 2)  # stand-in files: the reports hold them as unreadable
    run = CliRunner().invoke(main, ["compile", str(tmp_path / "round"), "-o", str(tmp_path / "koonti"), "--pdf",
                                    "--silent"])
    assert run.exit_code == 1  # asked for PDFs and got none
    assert "PDF not made: --pdf, LibreOffice: LibreOffice (soffice) was not found" in run.output
    assert "the Word files are written" in run.output and "https://www.libreoffice.org" in run.output
    assert (tmp_path / "koonti" / "koontiraportti.docx").is_file()
    assert not list((tmp_path / "koonti").rglob("*.pdf"))


def test_a_failing_libreoffice_is_a_problem_per_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice that starts but makes nothing (here: a program that exits 1)."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv(office.SOFFICE_ENV, str(fake))
    document = tmp_path / "raportti.docx"
    document.write_bytes(b"not really")
    made = office.pdf_copies([document])
    assert made.made == () and len(made.problems) == 1
    assert made.problems[0].file == str(document)
    assert "LibreOffice stopped with status 1" in made.problems[0].message and "save it as PDF" in made.problems[0].message


@pytest.mark.office
def test_kit_pdf_with_and_without_libreoffice(catalogue: Catalogue, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    require_libreoffice()
    init_round(tmp_path / "kierros")
    round_file = tmp_path / "kierros" / "round.toml"
    made = CliRunner().invoke(main, ["kit", str(round_file), "--only", "P01", "--pdf", "--silent"])
    assert made.exit_code == 0, made.output
    out = next(p for p in (tmp_path / "kierros" / "output").iterdir() if not p.name.startswith("."))  # not .pohjat
    folder = next((out / "tyopajat").iterdir())
    assert sorted(p.name for p in folder.glob("*.pdf")) == sorted(f"{p.stem}.pdf" for p in folder.glob("*.docx"))
    assert next(folder.glob("*lomake.pdf")).name in (folder / "Saate.txt").read_text(encoding="utf-8")
    rows = {r.file: r.document for r in read_manifest(out)}
    assert any(doc == "itsearviointilomake (PDF)" for doc in rows.values())
    assert len([p for p in out.rglob("*.pdf")]) == 2  # form, glossary (the auditors' report comes in phase two)

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(office, "_PLACES", {})
    without = CliRunner().invoke(main, ["kit", str(round_file), "--only", "P02", "--pdf", "--silent"])
    assert without.exit_code == 1
    assert "LibreOffice (soffice) was not found" in without.output and "Kits made: 1," in without.output
    second = next(p for p in (out / "tyopajat").iterdir() if p.name.startswith("P02"))
    assert list(second.glob("*.docx")) and not list(second.glob("*.pdf"))
    assert ".pdf" not in (second / "Saate.txt").read_text(encoding="utf-8")  # the letter lists what is there
