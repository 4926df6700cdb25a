"""The workbooks in a real client: LibreOffice prints them, and a person fills them and saves .xlsx."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from auditkit.catalogue import Catalogue, Profile, profile_reason
from auditkit.excel import build_workbook, read_workbook
from auditkit.model import CriterionResponse, Identity, Returned
from libreoffice import convert, pdf_pages, pdf_text, run_uno, uno_office
from test_workbook_build import context

pytestmark = pytest.mark.office  # every test here drives LibreOffice


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    out = tmp_path_factory.mktemp("workbooks")
    prefill = Returned("itsearviointi.xlsx", "workbook", Identity(role="self"), responses=(
        CriterionResponse("tpk-01", 1, rating=3, texts={"reasoning": "Strategia päivitetään vuosittain."}),
        CriterionResponse("tpk-11", 11, not_applicable=True, texts={"reasoning": "Aikuisten työpaja."}),
    ))
    (out / "itsearviointi.xlsx").write_bytes(build_workbook(catalogue, context("self", profile=Profile("adult", False))))
    (out / "auditointi.xlsx").write_bytes(build_workbook(catalogue, context("peer"), prefill=prefill))
    return out


@pytest.fixture(scope="module")
def pdfs(folder: Path) -> dict[str, Path]:
    self_pdf, peer_pdf = convert([folder / "itsearviointi.xlsx", folder / "auditointi.xlsx"], "pdf", folder / "pdf")
    return {"self": self_pdf, "peer": peer_pdf}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("role", ["self", "peer"])
def test_both_workbooks_print_whole(catalogue: Catalogue, pdfs: dict[str, Path], role: str) -> None:
    text = _flat(pdf_text(pdfs[role]))
    pages = pdf_pages(pdfs[role])
    assert 8 <= pages <= 16
    assert f"Ohje – sivu 1 / {pages}" in text and f"Käsitteet – sivu {pages} / {pages}" in text
    assert text.count("Työpaja Äijälä & Co") >= pages  # the footer of every page
    for phrase in ("Työntekijät tuntevat pajan perustehtävän", "Keskiarvot osa-alueittain", "Uudistustarve",
                   catalogue.scale.level(4).practice[:40], "Nuorten työpajatoiminta parantaa nuorten kasvu- ja elinoloja."):
        assert phrase in text
    if role == "peer":
        assert "Strategia päivitetään vuosittain." in text and "3 – Kehittynyt" in text


FILLS_SELF: list[dict[str, Any]] = [
    {"id": "tpk-01", "column": "F", "choose": 2},
    {"id": "tpk-01", "column": "G", "type": "Strategia päivitetään vuosittain; henkilöstö mukana."},
    {"id": "tpk-11", "column": "F", "choose": 4},
    {"id": "tpk-11", "column": "G", "type": "Työpajamme on aikuisten työpaja."},
    {"id": "tpk-29", "column": "F", "choose": 0},
    {"id": "tpk-51", "column": "F", "choose": 3},
    {"id": "tpk-51", "column": "G", "type": "Sovari-raportti 2024"},
]
EXPECTED_SELF = {
    1: (3, False, {"reasoning": "Strategia päivitetään vuosittain; henkilöstö mukana."}),
    11: (None, True, {"reasoning": "Työpajamme on aikuisten työpaja."}),
    29: (1, False, {"reasoning": ""}),
    51: (4, False, {"reasoning": "Sovari-raportti 2024"}),
}
FILLS_PEER: list[dict[str, Any]] = [
    {"id": "tpk-01", "column": "H", "choose": 1},
    {"id": "tpk-01", "column": "J", "type": "Strategia on, seuranta puuttuu."},
    {"id": "tpk-01", "column": "K", "type": "Haastattelussa kaksi tiimiä."},
    {"id": "tpk-01", "column": "L", "type": "Sitoutunut henkilöstö"},
    {"id": "tpk-01", "column": "M", "type": "Seurantamittarit strategiaan"},
    {"id": "tpk-11", "column": "I", "choose": 0},
    {"id": "tpk-12", "column": "H", "choose": 4},
    {"id": "tpk-12", "column": "I", "choose": 1},
    {"id": "tpk-12", "column": "J", "type": "Ei koske tätä pajaa."},
]
EMPTY_PEER = {"reasoning": "", "observations": "", "strengths": "", "development": ""}
EXPECTED_PEER = {
    1: (2, False, None, {"reasoning": "Strategia on, seuranta puuttuu.", "observations": "Haastattelussa kaksi tiimiä.",
                         "strengths": "Sitoutunut henkilöstö", "development": "Seurantamittarit strategiaan"}),
    11: (None, False, True, EMPTY_PEER),
    12: (None, True, False, {**EMPTY_PEER, "reasoning": "Ei koske tätä pajaa."}),
}


@pytest.fixture(scope="module")
def office() -> Any:
    with uno_office() as pipe:
        yield pipe


@pytest.mark.parametrize("insert_row", [False, True], ids=["as-built", "row-inserted-above"])
def test_filled_in_libreoffice_reads_back_exactly(catalogue, folder, office, insert_row: bool) -> None:
    results = {}
    for role, source, fills in (("self", "itsearviointi.xlsx", FILLS_SELF), ("peer", "auditointi.xlsx", FILLS_PEER)):
        spec = folder / f"{role}-{insert_row}.json"
        spec.write_text(json.dumps({"unprotect_and_insert_row": insert_row, "fills": fills}), encoding="utf-8")
        target = folder / f"{role}-filled-{insert_row}.xlsx"
        entered = run_uno(office, "fill_workbook.py", str(folder / source), str(target), str(spec))
        assert len(entered.splitlines()) == len(fills)
        results[role] = read_workbook(target, catalogue)

    # Inserting a row takes removing the protection, which read-back points out (the answers are exact).
    unprotected = [("välilehti Arviointi", "warning")] if insert_row else []
    mine = results["self"]
    assert [(p.place, p.severity) for p in mine.problems] == unprotected
    assert (mine.identity.role, mine.identity.workshop_name, mine.identity.kit_id) == ("self", "Työpaja Äijälä & Co", "paja-12-self")
    assert len(mine.responses) == len(catalogue.criteria)
    got = {r.number: (r.rating, r.not_applicable, dict(r.texts)) for r in mine.responses
           if r.rating is not None or r.not_applicable or any(r.texts.values())}
    adult = Profile("adult", False)  # 33–37 come filled in as Ei sovellu with the profile as the reason
    by_profile = {n: (None, True, {"reasoning": profile_reason(catalogue.criterion(n), adult)}) for n in range(33, 38)}
    assert got == {**EXPECTED_SELF, **by_profile}
    shift = 1 if insert_row else 0
    assert mine.response(1).place == f"Arviointi!F{7 + shift}"

    theirs = results["peer"]
    assert [(p.place, p.severity) for p in theirs.problems] == unprotected
    got_peer = {r.number: (r.rating, r.not_applicable, r.na_accepted, dict(r.texts)) for r in theirs.responses
                if r.rating is not None or r.not_applicable or r.na_accepted is not None or any(r.texts.values())}
    assert got_peer == EXPECTED_PEER


# A reason as people write them: 600 characters in sentences, its last words a marker.
LONG_REASON = ("Käytäntö on kirjattu toimintakäsikirjaan ja se käydään läpi jokaisen uuden työntekijän "
               "perehdytyksessä. Tiimit arvioivat sen toteutumista kuukausipalaverissa, ja havainnot viedään "
               "johtoryhmään. Viime vuonna käytäntöä muutettiin valmentautujapalautteen perusteella: "
               "aloitushaastattelu siirrettiin ensimmäiselle viikolle ja siihen lisättiin osaamisen "
               "tunnistaminen. Näyttönä ovat käsikirja, palaverimuistiot ja palautekyselyn tulokset vuosilta "
               "2023 ja 2024. Kehitettävää on vielä siinä, miten verkostokumppanit saavat tiedon muutoksista "
               "ajoissa ja miten seurantaa tehdään kesällä. Tämä perustelu päättyy tähän sanaan: LOPPUMERKKI.")


@pytest.mark.parametrize("role,column", [("self", "G"), ("peer", "J")])
def test_a_long_reason_typed_in_libreoffice_prints_whole(catalogue, folder, office, role: str, column: str) -> None:
    assert 595 <= len(LONG_REASON) <= 640
    source = folder / ("itsearviointi.xlsx" if role == "self" else "auditointi.xlsx")
    spec = folder / f"long-{role}.json"
    spec.write_text(json.dumps({"fills": [{"id": "tpk-03", "column": column, "type": LONG_REASON}]}), encoding="utf-8")
    target = folder / f"long-{role}.xlsx"
    run_uno(office, "fill_workbook.py", str(source), str(target), str(spec))
    assert read_workbook(target, catalogue).response(3).texts["reasoning"] == LONG_REASON
    # LibreOffice's PDF leaves out what a cell cuts off, so every word must be in the PDF's text.
    text = _flat(pdf_text(convert(target, "pdf", folder / f"long-{role}-pdf")[0]))
    assert _flat(LONG_REASON) in text.replace("- ", "-")
