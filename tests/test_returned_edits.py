"""Returns as people really make them (issue 11), each through LibreOffice and then compile.

Every workshop of the example round gets its kit; each one's files are edited in LibreOffice Calc
or Writer the way people do before returning them (an array formula over ratings, a filled copy of
the ratings sheet, rows inserted, comments, the protection removed and a column or the rows sorted,
nothing filled at all, another file format, a .zip), saved by LibreOffice, and the round is compiled.
Every answer must come out exactly, or be refused or reported with the file and the place.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

from auditkit.compile import RESULTS_COLUMNS, compile_round, results_rows
from auditkit.excel import read_workbook
from auditkit.manifest import read_manifest, round_kit_ids
from auditkit.round import load_round
from auditkit.word import read_form
from conftest import round_with_kit
from libreoffice import SOFFICE, convert, require_libreoffice, run_uno, uno_office

pytestmark = [pytest.mark.office,  # every test here drives LibreOffice
              pytest.mark.usefixtures("english")]  # the readers' exact wording, in its English source

SHEET = "Arviointi"
# workshop -> the steps (tests/uno/edit_workbook.py) done to its self-assessment workbook before saving
EDITS: dict[str, list[dict]] = {
    "P01": [{"do": "choose", "cell": "{tpk-01}F", "index": 2}, {"do": "unprotect"},
            {"do": "array", "range": "{tpk-03}F:{tpk-05}F", "formula": "=ROW(A1:A3)"}],
    "P02": [{"do": "copy_sheet", "as": "Arviointi (2)"},
            {"do": "choose", "sheet": "Arviointi (2)", "cell": "{tpk-02}F", "index": 1},
            {"do": "type", "sheet": "Arviointi (2)", "cell": "{tpk-02}G", "text": "Täytetty kopioon."}],
    "P03": [{"do": "choose", "cell": "{tpk-01}F", "index": 2}, {"do": "copy_sheet", "as": "Arviointi (2)"},
            {"do": "choose", "sheet": "Arviointi (2)", "cell": "{tpk-01}F", "index": 0}],
    "P04": [{"do": "choose", "cell": "{tpk-07}F", "index": 2}, {"do": "type", "cell": "{tpk-07}G", "text": "Alku."},
            {"do": "unprotect"}, {"do": "insert_row_below", "cell": "{tpk-07}G"},
            {"do": "type", "cell": "{tpk-07+1}G", "text": "Jatkuu lisätyllä rivillä."},
            {"do": "insert_row_below", "cell": "{tpk-08}F"}, {"do": "type", "cell": "{tpk-08+1}F", "text": "3 – Kehittynyt"}],
    "P05": [{"do": "choose", "cell": "{tpk-09}F", "index": 3},
            {"do": "comment", "cell": "{tpk-09}G", "text": "Kysytään vielä johtajalta."}],
    "P06": [],
    "P07": [{"do": "choose", "cell": "{tpk-10}F", "index": 3}, {"do": "choose", "cell": "{tpk-20}F", "index": 0},
            {"do": "choose", "cell": "{tpk-30}F", "index": 2}, {"do": "unprotect"},
            {"do": "sort", "range": "F5:F65", "by": 0}],
    "P08": [{"do": "choose", "cell": "{tpk-10}F", "index": 3}, {"do": "choose", "cell": "{tpk-20}F", "index": 0},
            {"do": "choose", "cell": "{tpk-30}F", "index": 4}, {"do": "type", "cell": "{tpk-30}G", "text": "Ei koske."},
            {"do": "unprotect"}, {"do": "sort", "range": "A5:K65", "by": 5}],
    "P09": [{"do": "choose", "cell": "{tpk-01}F", "index": 1}],
}
FORM_EDITS = [
    {"do": "field", "criterion": "7", "label": "Vahvuudet", "text": "Hyvä tiimi."},
    {"do": "insert_row_below", "criterion": "7", "label": "Vahvuudet", "text": "Ja uudet tilat."},
    {"do": "comment", "criterion": "7", "label": "Kehittämiskohteet", "text": "Kysy Ollilta."},
]


def _csv_resaved(manifest: Path, out: Path, options: str) -> Path:
    """manifest.csv opened in Calc and saved again as CSV with these filter options (delimiter, encoding)."""
    require_libreoffice()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--infilter=CSV:59,34,76,1", "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
                        "--outdir", str(out), str(manifest)], capture_output=True, check=True, timeout=180)
    return out / manifest.name


@pytest.fixture(scope="module")
def returned(tmp_path_factory, catalogue):
    folder = tmp_path_factory.mktemp("round")
    kit, by = round_with_kit(folder, catalogue)
    back = folder / "palautetut"
    back.mkdir()
    work = folder / "work"
    work.mkdir()
    with uno_office() as pipe:
        for wid, steps in EDITS.items():
            source = by[(wid, "itsearviointi")]
            spec = work / f"{wid}.json"
            spec.write_text(json.dumps({"steps": [{"sheet": SHEET, **s} for s in steps]}, ensure_ascii=False),
                            encoding="utf-8")
            run_uno(pipe, "edit_workbook.py", str(source), str(back / source.name), str(spec))
        for wid, name, filter_name in (("P10", "P10.xltx", "Calc MS Excel 2007 XML Template"),
                                       ("P11", "P11.ods", "calc8"), ("P11", "P11.xls", "MS Excel 97")):
            spec = work / f"{name}.json"
            spec.write_text(json.dumps({"filter": filter_name, "steps": [
                {"do": "choose", "sheet": SHEET, "cell": "{tpk-01}F", "index": 2}]}), encoding="utf-8")
            run_uno(pipe, "edit_workbook.py", str(by[(wid, "itsearviointi")]), str(back / name), str(spec))
        (work / "form.json").write_text(json.dumps(FORM_EDITS, ensure_ascii=False), encoding="utf-8")
        form = by[("P12", "itsearviointilomake")]
        run_uno(pipe, "edit_form.py", str(form), str(back / form.name), str(work / "form.json"))
    p11_form = work / "P11.docx"
    shutil.copy(by[("P11", "itsearviointilomake")], p11_form)
    for fmt in ("odt", "doc", "rtf"):
        convert(p11_form, fmt, back)
    # P09 returns its folder zipped on a Mac: AppleDouble files and .DS_Store come along.
    p09 = back / by[("P09", "itsearviointi")].name
    with zipfile.ZipFile(back / "P09 palautus.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(p09, f"P09 kansio/{p09.name}")
        z.writestr(f"__MACOSX/P09 kansio/._{p09.name}", b"\x00\x05\x16\x07")
        z.writestr("P09 kansio/.DS_Store", b"\x00\x00\x00\x01Bud1")
        z.write(by[("P09", "käsitteet")], "P09 kansio/Käsitteet.docx")
    p09.unlink()
    # The coordinator opened manifest.csv in Calc and saved it again: Windows-1252, `;`.
    resaved = _csv_resaved(kit.out_dir / "manifest.csv", work / "csv", "59,34,1,1")
    shutil.copy(resaved, kit.out_dir / "manifest.csv")
    rnd = load_round(folder / "round.toml")
    result = compile_round(catalogue, [back], round_=rnd, kit_ids=round_kit_ids(rnd), read_workbook=read_workbook,
                           read_form=read_form)
    return result, {(r.workshop_id, r.document): Path(r.file).name for r in read_manifest(kit.out_dir)}


def _problems(result, prefix: str) -> list[tuple[str, str, str]]:
    return [(p.place, p.severity, p.message) for p in result.problems if p.file.startswith(prefix)]


def _status(result, prefix: str) -> list[str]:
    return [f.status for f in result.files if f.file.startswith(prefix)]


def _rows(result, catalogue) -> dict[tuple[str, str, int], list[str]]:
    return {(r[1], r[2], int(r[3])): r for r in results_rows(result, catalogue)}


def test_manifest_resaved_by_calc_still_checks_kit_ids(returned) -> None:
    result, _ = returned
    assert result.unchecked == ()  # the manifest was read: every kit id was checked


def test_cells_of_an_array_formula_are_formulas_not_ratings(returned, catalogue) -> None:
    result, _ = returned
    problems = _problems(result, "P01")
    for number, row in ((3, 9), (4, 10), (5, 11)):
        assert (f"sheet Arviointi, cell F{row}", "error",
                f"the rating of criterion {number} is a formula ({{=ROW(A1:A3)}}), which is not read; choose the "
                "rating from the list.") in problems
    rows = _rows(result, catalogue)
    assert [rows[("P01", "self", n)][4] for n in (1, 3, 4, 5)] == ["3", "", "", ""]  # never the cached 1, 2, 3


def test_a_filled_copy_of_the_sheet_is_read_never_the_empty_original(returned, catalogue) -> None:
    result, _ = returned
    assert _problems(result, "P02") == [(
        "sheet Arviointi (2)", "warning", "the answers were read from this sheet, a copy of the ratings sheet, because "
        "the sheet Arviointi has none. Check that it is the final version.")]
    p02 = next(w for w in result.workshops if w.workshop.id == "P02")
    assert p02.self_workbook.response(2).rating == 2
    assert p02.self_workbook.response(2).texts["reasoning"] == "Täytetty kopioon."
    assert p02.self_workbook.response(2).place == "Arviointi (2)!F8"


def test_copies_with_different_answers_are_refused(returned) -> None:
    result, _ = returned
    assert _problems(result, "P03") == [("", "error", "the sheets Arviointi and Arviointi (2) both hold answers, and "
                                                      "they differ (criterion 1: Arviointi!F7, Arviointi (2)!F7); "
                                                      "none was read, since it is not clear which is final. Delete the "
                                                      "sheets that are not final and return the workbook again.")]
    assert _status(result, "P03") == ["unreadable"] and ("P03", "self") in result.missing


def test_inserted_rows_text_is_read_with_its_criterion_and_a_rating_there_is_refused(returned, catalogue) -> None:
    result, _ = returned
    problems = _problems(result, "P04")
    assert ("sheet Arviointi, cell G14", "warning",
            "text typed in row 14, a row inserted under criterion 7, was read as part of criterion 7's Perustelut; "
            "check that it belongs there. (Next time write it in cell G13: Alt+Enter starts a new line in a cell.)"
            ) in problems
    assert ("sheet Arviointi, cell F16", "error",
            "'3 – Kehittynyt' in row 16, a row inserted under criterion 8, was not read: the Arvio of a criterion is "
            "read from its own row only. Enter it in cell F15.") in problems
    p04 = next(w for w in result.workshops if w.workshop.id == "P04").self_workbook
    assert p04.response(7).texts["reasoning"] == "Alku.\nJatkuu lisätyllä rivillä."
    assert p04.response(7).rating == 3 and p04.response(8).rating is None


def test_a_comment_is_reported_with_its_text(returned) -> None:
    result, _ = returned
    assert _problems(result, "P05") == [(
        "sheet Arviointi, cell G16", "warning", "a comment on this cell (criterion 9, Perustelut): 'Kysytään vielä "
        "johtajalta.'. Comments are not read as answers; if it belongs to the answer, copy it into the cell.")]


def test_a_workbook_without_answers_is_a_warning_and_no_return(returned) -> None:
    result, _ = returned
    assert _problems(result, "P06") == [(
        "", "warning", "has no answers at all: every rating and text is empty. It was not compiled, so this "
        "itsearviointitaulukko counts as not returned; ask for the filled file (it may have been saved under another "
        "name or elsewhere).")]
    assert _status(result, "P06") == ["ignored"] and ("P06", "self") in result.missing


UNPROTECTED = ("the sheet's protection was removed (perhaps to sort or move rows). Sorting one column on its own "
               "separates ratings from their criteria: each answer was read by its row's hidden criterion id and "
               "checked against the criterion's text, but check the answers with the workshop.")


def test_a_column_sorted_on_its_own_is_refused(returned) -> None:
    result, _ = returned
    problems = _problems(result, "P07")
    assert ("sheet Arviointi", "warning", UNPROTECTED) in problems
    (moved,) = [p for p in problems if p[0] == "sheet Arviointi, column F"]
    assert moved[1] == "error" and moved[2].startswith("the column 'Arvio' has values in the heading rows 5, 6 (e.g. "
                                                       "cell F5: '1 – Puuttuva'), where no answer belongs")
    assert "None of the column's values was read" in moved[2]
    assert _status(result, "P07") == ["unreadable"] and ("P07", "self") in result.missing


def test_rows_sorted_whole_keep_their_answers_and_are_said(returned, catalogue) -> None:
    result, _ = returned
    problems = _problems(result, "P08")
    assert ("sheet Arviointi", "warning", UNPROTECTED) in problems
    assert any(p[0] == "sheet Arviointi" and "the rows are not in the kit's order" in p[2] for p in problems)
    assert all(p[1] == "warning" for p in problems)
    rows = _rows(result, catalogue)
    assert (rows[("P08", "self", 10)][4], rows[("P08", "self", 20)][4]) == ("4", "1")
    col = {name: i for i, name in enumerate(RESULTS_COLUMNS)}
    assert [rows[("P08", "self", 30)][col[c]] for c in ("rating", "not_applicable", "reasoning")] == ["", "1", "Ei koske."]


def test_a_zip_is_opened_and_its_member_compiled_as_if_loose(returned) -> None:
    result, names = returned
    member = f"P09 palautus.zip/P09 kansio/{names[('P09', 'itsearviointi')]}"
    status = {f.file: f.status for f in result.files if f.file.startswith("P09")}
    assert status == {member: "used", "P09 palautus.zip/P09 kansio/Käsitteet.docx": "received"}
    assert _problems(result, "P09") == []  # the AppleDouble file and .DS_Store are passed over in silence
    assert next(w for w in result.workshops if w.workshop.id == "P09").self_workbook.response(1).rating == 2


def test_other_formats_get_advice_on_how_to_save_them(returned) -> None:
    result, _ = returned
    advice = {p.file: p.message for p in result.problems if p.file.startswith(("P10", "P11"))}
    assert advice == {
        "P10.xltx": "an Excel template (.xltx), not a workbook; open it in Excel or LibreOffice, choose File > Save As "
                    "and the file type Excel Workbook (.xlsx), then return it again.",
        "P11.ods": "a LibreOffice/OpenDocument spreadsheet (.ods); open it in LibreOffice, choose File > Save As and "
                   "the file type Excel 2007-365 (.xlsx), and keep that format when asked, then return it again.",
        "P11.xls": "an old Excel 97–2003 workbook (.xls); open it in Excel or LibreOffice, choose File > Save As and "
                   "the file type Excel Workbook (.xlsx), then return it again.",
        "P11.odt": "an OpenDocument text (.odt); open it in LibreOffice, choose File > Save As and the file type "
                   "Word 2007-365 (.docx), and keep that format when asked, then return it again.",
        "P11.doc": "an old Word 97–2003 document (.doc); open it in Word or LibreOffice, choose File > Save As and "
                   "the file type Word Document (.docx), then return it again.",
        "P11.rtf": "a Rich Text file (.rtf); open it in Word or LibreOffice, choose File > Save As and the file type "
                   "Word Document (.docx), then return it again.",
    }
    assert set(_status(result, "P10")) == set(_status(result, "P11")) == {"unreadable"}


def test_form_inserted_row_and_comment(returned) -> None:
    result, _ = returned
    assert sorted(_problems(result, "P12")) == [
        ("criterion 7, Kehittämiskohteet", "warning", "a comment: 'Kysy Ollilta.'. Comments are not read as answers; if it "
                                              "belongs to the answer, copy it into the form."),
        ("criterion 7, Vahvuudet", "warning", "text typed in a row inserted under 'Vahvuudet' was read as part of that "
                                             "answer; check that it belongs there."),
    ]
    form = next(w for w in result.workshops if w.workshop.id == "P12").form
    assert form.response(7).texts["strengths"] == "Hyvä tiimi.\nJa uudet tilat."
