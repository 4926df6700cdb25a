"""A round as people really return it: workbooks and a form filled through LibreOffice, compiled.

Ratings are chosen from each cell's drop-down, texts typed through the user interface, one auditor
unprotects the sheet and inserts a row above the table, everything is saved as .xlsx/.docx by
LibreOffice; compile must put every value under the right workshop and criterion.
"""

from __future__ import annotations

import json

import pytest

from auditkit.compile import compile_round, results_rows
from auditkit.excel import read_workbook
from auditkit.excel.contract import LAYOUTS
from auditkit.kit import kit_for_round, read_manifest, round_kit_ids
from auditkit.round import init_round, load_round
from auditkit.word import read_form
from libreoffice import run_uno, uno_office

SELF, PEER = LAYOUTS["self"], LAYOUTS["peer"]
# (criterion id, column key, "choose" index into the drop-down or "type" text)
SELF_FILLS = [
    ("tpk-01", "rating", 2), ("tpk-01", "reasoning", "Strategia päivitetään vuosittain."),
    ("tpk-02", "rating", 3), ("tpk-02", "evidence", "Perehdytyskansio, s. 3"),
    ("tpk-12", "rating", 0), ("tpk-12", "reasoning", "=HYPERLINK(\"http://example.com\",\"klikkaa\")"),
    ("tpk-33", "rating", 4), ("tpk-33", "reasoning", "Ei oppimisympäristöjä – Ääri & Öljy 😀"),
    ("tpk-51", "rating", 1),
]
PEER_FILLS = [
    ("tpk-01", "rating", 1), ("tpk-01", "observations", "Seuranta puuttuu."),
    ("tpk-02", "rating", 3), ("tpk-02", "strengths", "Sitoutunut henkilöstö"),
    ("tpk-12", "rating", 0), ("tpk-12", "development", "Johtamisen rakenteet kirjattava."),
    ("tpk-33", "na_accepted", 0),
    ("tpk-51", "rating", 2),
]


def _spec(layout, fills) -> list[dict]:
    return [{"id": cid, "column": layout.letter(key), **({"choose": v} if isinstance(v, int) else {"type": v})}
            for cid, key, v in fills]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory, catalogue):
    folder = tmp_path_factory.mktemp("round")
    init_round(folder)
    kit = kit_for_round(folder / "round.toml", catalogue).result
    rows = read_manifest(kit.out_dir)
    by = {(r.workshop_id, r.document): kit.out_dir / r.file for r in rows}
    back = folder / "palautetut"
    back.mkdir()
    with uno_office() as pipe:
        for wid, document, layout, fills, insert in (
            ("P01", "itsearviointi", SELF, SELF_FILLS, False),
            ("P01", "auditointi", PEER, PEER_FILLS, True),
            ("P02", "itsearviointi", SELF, SELF_FILLS[:4], True),
        ):
            spec = folder / f"{wid}-{document}.json"
            spec.write_text(json.dumps({"unprotect_and_insert_row": insert, "fills": _spec(layout, fills)},
                                       ensure_ascii=False), encoding="utf-8")
            run_uno(pipe, "fill_workbook.py", str(by[(wid, document)]), str(back / by[(wid, document)].name), str(spec))
        form_spec = folder / "form.json"
        form_spec.write_text(json.dumps({"criteria": {
            "7": {"Mitä me teemme tässä asiassa?": ["field", "Tavoitteet johdetaan seurannasta."],
                  "Vahvuudet": ["type", "Seurantatieto on ajantasaista."],
                  "Oma arvio": ["choose", "3 – Kehittynyt"]}}}, ensure_ascii=False), encoding="utf-8")
        form = by[("P01", "itsearviointilomake")]
        run_uno(pipe, "fill_form.py", str(form), str(back / form.name), str(form_spec))
    rnd = load_round(folder / "round.toml")
    result = compile_round(catalogue, [back], round_=rnd, kit_ids=round_kit_ids(rnd), read_workbook=read_workbook,
                           read_form=read_form)
    return result


def test_every_value_under_the_right_criterion(compiled, catalogue) -> None:
    # Typed in Calc, "=HYPERLINK(...)" becomes a live formula: it is not taken as the answer, and says where.
    # The two workbooks whose protection was removed to insert a row are pointed out (their answers are exact).
    unprotected = [p for p in compiled.file_problems if "the sheet's protection was removed" in p.message]
    assert sorted((p.file[:3], p.place, p.severity) for p in unprotected) == [
        ("P01", "sheet Arviointi", "warning"), ("P02", "sheet Arviointi", "warning")]
    (formula,) = [p for p in compiled.file_problems if p not in unprotected]
    assert formula.file.startswith("P01") and formula.place == f"sheet Arviointi, cell {SELF.letter('reasoning')}19"
    assert "contains a formula" in formula.message and "type the text instead" in formula.message
    rows = {(r[1], r[2], int(r[3])): r for r in results_rows(compiled, catalogue)}
    labels = catalogue.scale.choices  # the drop-down: 1–4, then Ei sovellu
    for wid, role, fills in (("P01", "self", SELF_FILLS), ("P01", "peer", PEER_FILLS), ("P02", "self", SELF_FILLS[:4])):
        rated = {}
        for cid, key, value in fills:
            if key == "rating":
                rated[int(cid[4:])] = value
        for number in range(1, 52):
            row = rows[(wid, role, number)]
            if number in rated:
                choice = labels[rated[number]]
                expect = ("", "1") if choice == catalogue.scale.not_applicable.label else (choice[0], "0")
                assert (row[4], row[5]) == expect, (wid, role, number)
            elif not (role == "peer" and number == 33):
                assert (row[4], row[5]) == ("", "0"), (wid, role, number)
    p01 = next(w for w in compiled.workshops if w.workshop.id == "P01")
    assert p01.self_workbook.response(12).texts["reasoning"] == ""
    assert p01.self_workbook.response(33).texts["reasoning"] == "Ei oppimisympäristöjä – Ääri & Öljy 😀"
    assert p01.auditor_workbook.response(33).na_accepted is True
    assert p01.auditor_workbook.response(12).texts["development"] == "Johtamisen rakenteet kirjattava."
    assert p01.form.response(7).texts["practice"] == "Tavoitteet johdetaan seurannasta."
    assert p01.form.response(7).rating == 3
    assert p01.gaps[1] == 2 - 3 and p01.gaps[2] == 0


def test_missing_and_identity(compiled) -> None:
    assert ("P02", "peer") in compiled.missing and ("P01", "self") not in compiled.missing
    assert {f.status for f in compiled.files} == {"used"} and len(compiled.files) == 4
