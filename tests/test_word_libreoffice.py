"""The Word documents in LibreOffice: they convert to PDF whole, and a form filled in LibreOffice reads back."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from auditkit.catalogue import Catalogue
from auditkit.word import build_audit_report, build_form, build_glossary, read_form
from libreoffice import convert, pdf_pages, pdf_text, run_uno, uno_office
from word_support import context

pytestmark = pytest.mark.office  # every test here drives LibreOffice


@pytest.fixture(scope="module")
def pdfs(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("word-pdf")
    documents = {
        "lomake": build_form(catalogue, context(audience="adult", learning_environments=False)),
        "vertaisraportti": build_audit_report(catalogue, context(role="peer")),
        "ulkoinen": build_audit_report(catalogue, context(role="peer", audit_type="external", auditors=())),
        "kasitteet": build_glossary(catalogue),
    }
    sources = []
    for name, data in documents.items():
        (folder / f"{name}.docx").write_bytes(data)
        sources.append(folder / f"{name}.docx")
    return {p.stem: p for p in convert(sources, "pdf", folder / "pdf")}  # one LibreOffice run for all


def _pages(pdf: Path) -> list[str]:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")[:pdf_pages(pdf)]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("name", ["lomake", "vertaisraportti", "ulkoinen", "kasitteet"])
def test_every_page_has_text_and_a_page_number(pdfs: dict[str, Path], name: str) -> None:
    pages = _pages(pdfs[name])
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert page.strip(), f"{name}: page {number} is empty"
        if number > 1:  # the cover has no header or footer
            assert f"sivu {number} / {total}" in page, f"{name}: page {number} has no 'sivu {number} / {total}'"


def test_the_form_shows_every_criterion_and_finnish_letters(pdfs: dict[str, Path], catalogue: Catalogue) -> None:
    text = _flat(pdf_text(pdfs["lomake"]))
    assert 'Nuorten työpaja Ääri/Reuna "Pilotti"' in text and "Örkkivaaran kaupunki" in text
    for criterion in catalogue.criteria:
        assert _flat(criterion.text)[:50] in text, criterion.number
    assert 25 <= pdf_pages(pdfs["lomake"]) <= 45


def test_reports_and_glossary_read_right(pdfs: dict[str, Path], catalogue: Catalogue) -> None:
    peer, external = _flat(pdf_text(pdfs["vertaisraportti"])), _flat(pdf_text(pdfs["ulkoinen"]))
    assert "Vertaisauditointiraportti" in peer and "Maija Meikäläinen" in peer
    assert "Ulkoisen auditoinnin raportti" in external and "Into päättää laatumerkin myöntämisestä" in external
    glossary = _flat(pdf_text(pdfs["kasitteet"]))
    for concept in catalogue.concepts:
        assert concept.term in glossary


def test_a_form_filled_in_libreoffice_reads_back(catalogue: Catalogue, tmp_path: Path) -> None:
    source = tmp_path / "lomake.docx"
    source.write_bytes(build_form(catalogue, context()))
    entered = {
        "1": {"Mitä me teemme tässä asiassa?": ["field", "Perustehtävä ja arvot on kirjattu.\nNe käydään läpi "
                                                         "perehdytyksessä."],
              "Näyttö": ["field", "Strategia 2024–2026 (liite 1)"]},
        "12": {"Vahvuudet": ["type", "Johtoryhmä kokoontuu viikoittain."]},
        "35": {"Toimenpiteet": ["field", "Osaamistodistukset käyttöön.\nMallit kolmelta pajalta."],
               "Vastuuhenkilö": ["field", "Aino Ääri"], "Aikataulu": ["field", "31.12.2025"]},
        "51": {"Kysymykset auditoijille": ["field", "Riittääkö Sovari-kysely näytöksi?"],
               "Kehittämiskohteet": ["type", "Tulosten vertailu valtakunnalliseen tasoon."]},
    }
    spec = {"criteria": entered, "sheet": {"Yhteyshenkilö": ["field", "Aino Ääri, aino@example.fi"]}}
    (tmp_path / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    filled = tmp_path / "palautettu.docx"
    with uno_office() as pipe:
        run_uno(pipe, "fill_form.py", str(source), str(filled), str(tmp_path / "spec.json"))
    returned = read_form(filled, catalogue)
    assert returned.problems == ()
    assert returned.identity.kit_id == "2025-kevat-P07-self" and returned.identity.role == "self"
    assert returned.texts["contact"] == "Aino Ääri, aino@example.fi"
    labels = {"Mitä me teemme tässä asiassa?": "practice", "Näyttö": "evidence", "Vahvuudet": "strengths",
              "Kehittämiskohteet": "development", "Toimenpiteet": "actions", "Vastuuhenkilö": "owner",
              "Aikataulu": "due", "Kysymykset auditoijille": "questions"}
    for number, values in entered.items():
        response = returned.response(int(number))
        expected = {labels[label]: value for label, (_, value) in values.items()}
        assert {k: v for k, v in response.texts.items() if v} == expected, number
        assert (response.rating, response.not_applicable) == (None, False)  # ratings are the workbook's
    others = [r for r in returned.responses if str(r.number) not in entered]
    assert len(others) == 47 and all(r.rating is None and not any(r.texts.values()) for r in others)


def _darkest(pdf: Path, page: int, phrase: str, folder: Path) -> float:
    """The darkest grey (0-255) LibreOffice printed in the box of the phrase's first word on the page."""
    import matplotlib.image

    boxes = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', boxes)
    wanted = phrase.split()
    start = next((i for i in range(len(words)) if [w[4] for w in words[i:i + len(wanted)]] == wanted), None)
    assert start is not None, f"{phrase!r} is not on page {page}"
    x0, y0, x1, y1 = (float(v) * 150 / 72 for v in words[start][:4])
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), str(pdf), str(folder / "p")],
                   check=True)
    image = matplotlib.image.imread(next(folder.glob("p*.png")))[:, :, :3] @ [0.299, 0.587, 0.114]
    for old in folder.glob("p*.png"):
        old.unlink()
    return float(image[int(y0) + 1:int(y1), int(x0) + 1:int(x1)].min() * 255)


def test_a_blank_form_prints_its_prompts_grey(pdfs: dict[str, Path], catalogue: Catalogue, tmp_path: Path) -> None:
    """A blank form printed for the self-assessment group must not look filled in: every prompt
    prints grey, the criterion's own text black."""
    page = next(i for i, text in enumerate(_pages(pdfs["lomake"]), start=1) if "Kuvatkaa nykyiset" in text)
    assert _darkest(pdfs["lomake"], page, "Kuvatkaa nykyiset", tmp_path) > 90  # the prompt (767676 = 118)
    assert _darkest(pdfs["lomake"], page, "Asiakirjat, linkit", tmp_path) > 90
    assert _darkest(pdfs["lomake"], page, "Mikä toimii hyvin?", tmp_path) > 90
    assert _darkest(pdfs["lomake"], 1, "Nimi, sähköposti,", tmp_path) > 90  # the data sheet's
    first_words = " ".join(catalogue.criterion(1).text.split()[:3])
    assert _darkest(pdfs["lomake"], page, first_words, tmp_path) < 60  # a criterion's text is black
