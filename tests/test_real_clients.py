"""A round as people really return it, both phases: self-assessments filled through LibreOffice,
forwarded, the auditors' workbook made from them filled through LibreOffice too, compiled.

Ratings are chosen from each cell's drop-down, texts typed through the user interface, one auditor
unprotects the sheet and inserts a row above the table, everything is saved as .xlsx/.docx by
LibreOffice; the forwarded workbook must show exactly what the workshop returned, and compile must put
every value under the right workshop and criterion.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from auditkit.compile import compile_round, results_rows
from auditkit.excel import read_workbook
from auditkit.excel.contract import LAYOUTS
from auditkit.forward import forward_round
from auditkit.kit import kit_for_round
from auditkit.manifest import read_manifest, round_kit_ids
from auditkit.round import init_round, load_round
from auditkit.word import read_form
from libreoffice import run_uno, uno_office

pytestmark = [pytest.mark.office,  # every test here drives LibreOffice
              pytest.mark.usefixtures("english")]  # the readers' exact wording, in its English source

SELF, PEER = LAYOUTS["self"], LAYOUTS["peer"]
# (criterion id, column key, "choose" index into the drop-down or "type" text)
SELF_FILLS = [
    ("tpk-01", "rating", 2), ("tpk-01", "reasoning", "Strategia päivitetään vuosittain."),
    ("tpk-02", "rating", 3), ("tpk-02", "reasoning", "Perehdytyskansio, s. 3"),
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
    back = folder / "palautetut"
    back.mkdir()

    def fill(pipe: str, wid: str, document: str, layout, fills, insert: bool) -> None:
        by = {(r.workshop_id, r.document): kit.out_dir / r.file for r in read_manifest(kit.out_dir)}
        spec = folder / f"{wid}-{document}.json"
        spec.write_text(json.dumps({"unprotect_and_insert_row": insert, "fills": _spec(layout, fills)},
                                   ensure_ascii=False), encoding="utf-8")
        run_uno(pipe, "fill_workbook.py", str(by[(wid, document)]), str(back / by[(wid, document)].name), str(spec))

    with uno_office() as pipe:
        fill(pipe, "P01", "itsearviointi", SELF, SELF_FILLS, False)
        fill(pipe, "P02", "itsearviointi", SELF, SELF_FILLS[:4], True)
        form_spec = folder / "form.json"
        form_spec.write_text(json.dumps({"criteria": {
            "7": {"Mitä me teemme tässä asiassa?": ["field", "Tavoitteet johdetaan seurannasta."],
                  "Vahvuudet": ["type", "Seurantatieto on ajantasaista."]}}}, ensure_ascii=False), encoding="utf-8")
        form = next(kit.out_dir / r.file for r in read_manifest(kit.out_dir)
                    if (r.workshop_id, r.document) == ("P01", "itsearviointilomake"))
        run_uno(pipe, "fill_form.py", str(form), str(back / form.name), str(form_spec))
        forwarded = forward_round(folder / "round.toml", catalogue, [back])  # phase two, from what Calc saved
        fill(pipe, "P01", "auditointi", PEER, PEER_FILLS, True)
    rnd = load_round(folder / "round.toml")
    result = compile_round(catalogue, [back], round_=rnd, kit_ids=round_kit_ids(rnd), read_workbook=read_workbook,
                           read_form=read_form)
    return result, forwarded


def test_the_forwarded_workbook_shows_exactly_what_the_workshop_returned(compiled, catalogue) -> None:
    result, forwarded = compiled
    assert [p.workshop.id for p in forwarded.made] == ["P01", "P02"]
    for pack in forwarded.made:
        book = next(pack.folder.glob("*auditointi.xlsx"))
        ws = openpyxl.load_workbook(book)["Arviointi"]
        rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("tpk-")}
        returned = next(w.self_workbook for w in result.workshops if w.workshop.id == pack.workshop.id)
        for x in returned.responses:
            shown = ws.cell(rows[x.criterion_id], PEER.index("self_rating")).value
            expected = (catalogue.scale.level(x.rating).label if x.rating else
                        catalogue.scale.not_applicable.label if x.not_applicable else "Ei arviota")
            assert shown == expected, (pack.workshop.id, x.number)
            assert (ws.cell(rows[x.criterion_id], PEER.index("self_reasoning")).value or "") == x.texts["reasoning"]
            assert ws.cell(rows[x.criterion_id], PEER.index("self_rating")).protection.locked


def test_every_value_under_the_right_criterion(compiled, catalogue) -> None:
    compiled, _ = compiled
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
    assert p01.form.response(7).rating is None and p01.self_answers[7].texts["strengths"] == "Seurantatieto on ajantasaista."
    assert p01.auditor_workbook.identity.phase == "2"  # the forwarded workbook, as LibreOffice saved it
    assert p01.gaps[1] == 2 - 3 and p01.gaps[2] == 0


def test_missing_and_identity(compiled) -> None:
    compiled, _ = compiled
    assert ("P02", "peer") in compiled.missing and ("P01", "self") not in compiled.missing
    assert ("P02", "form") in compiled.missing and ("P01", "form") not in compiled.missing
    assert {f.status for f in compiled.files} == {"used"} and len(compiled.files) == 4
