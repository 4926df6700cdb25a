"""Returned files that cannot fool compile (issue 11), each made by a real office program and compiled.

The example round gets its kits; the workshops' files are filled and edited in LibreOffice (in UTC and
in Finnish time), Gnumeric, AbiWord and pandoc the way people do, and a second coordinator makes a round
with the same id and workshop ids. Every answer must come out exactly, or be refused with a reason that
names the file, the place and both identities:

P01  workbook and form filled in LibreOffice (UTC): exact
P02  workbook whose ratings sheet was replaced by a copy of P03's (Move or Copy Sheet): refused
P03  workbook filled, then opened and saved in LibreOffice: exact (it lent P02 its sheet)
P04  form whose whole content was pasted from P05's form: refused
P05  form filled in LibreOffice: exact
P06  workbook saved under P07's name (Save As); its form through AbiWord, with an edit there: refused / exact
P07  workbook edited in Gnumeric: exact, not displaced by P06's file named for it
P08  workbook and form from another coordinator's round with the same ids (its form through pandoc): refused
P09  two copies of the workbook that differ, one saved in UTC, one in Finnish time: unresolved until chosen
P10  the same workbook twice (LibreOffice, and that file through Gnumeric): noted; its form through pandoc
P11  form with text typed under a table, in a label cell and in a text box: reported, answers exact
P12  form, beside the glossary, the audit report, a feedback report (also through pandoc), a development
     plan and letters: those received, never answers
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from auditkit.catalogue import Catalogue
from auditkit.choices import load_choices, update_choices_file
from auditkit.compile import compile_round, results_rows
from auditkit.csvfile import read_dicts, write_csv
from auditkit.excel import read_workbook
from auditkit.excel.contract import LAYOUTS
from auditkit.kit import document_context
from auditkit.manifest import round_kit_ids
from auditkit.model import Identity
from auditkit.round import load_round
from auditkit.word import build_audit_report, build_feedback_report, read_form
from auditkit.word.document import Writer
from clients import abiword, gnumeric, pandoc
from conftest import round_with_kit
from libreoffice import convert, run_uno, uno_office

USE, FINGERPRINT = "Käytä", "Tunniste"  # valinnat.csv's Finnish header, as the coordinator sees it

pytestmark = [pytest.mark.office,  # every test here drives LibreOffice, Gnumeric, AbiWord or pandoc
              pytest.mark.usefixtures("english")]  # the readers' exact wording, in its English source

SELF = LAYOUTS["self"]
LABELS = ("1 – Puuttuva", "2 – Alkava", "3 – Kehittynyt", "4 – Edistynyt", "Ei sovellu")
PRACTICE = "Mitä me teemme tässä asiassa?"


def _book_spec(wid: str, choices: dict[str, int]) -> dict:
    """fill_workbook.py's spec: a rating chosen from each drop-down and a reason typed, per criterion id."""
    fills = []
    for cid, index in choices.items():
        fills += [{"id": cid, "column": SELF.letter("rating"), "choose": index},
                  {"id": cid, "column": SELF.letter("reasoning"), "type": f"{wid}: perustelu {cid} – Ääri & Öljy"}]
    return {"unprotect_and_insert_row": False, "fills": fills}


BOOK = {"tpk-01": 2, "tpk-02": 3, "tpk-05": 1, "tpk-12": 0, "tpk-40": 4}


def _form_spec(wid: str, numbers: tuple[int, ...] = (1, 7, 20)) -> dict:
    return {"criteria": {str(n): {PRACTICE: ["field", f"{wid}: käytäntö {n}\ntoinen rivi"],
                                  "Näyttö": ["field", f"{wid}: liite {n}.pdf"]} for n in numbers}}


@pytest.fixture(scope="module")
def clients(tmp_path_factory, catalogue: Catalogue):
    base = tmp_path_factory.mktemp("clients")
    kit, by = round_with_kit(base / "kierros", catalogue)
    _other_kit, other = round_with_kit(base / "toinen", catalogue)  # another coordinator, the same ids
    back, work = base / "palautetut", base / "work"
    back.mkdir()
    work.mkdir()

    def spec(name: str, data: object) -> str:
        path = work / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    def book(kits: dict, wid: str) -> Path:
        return kits[(wid, "itsearviointi")]

    def form(kits: dict, wid: str) -> Path:
        return kits[(wid, "itsearviointilomake")]

    with uno_office() as pipe:  # LibreOffice in UTC
        fill_book = lambda source, target, data: run_uno(pipe, "fill_workbook.py", str(source), str(target), spec(target.stem, data))  # noqa: E731
        fill_form = lambda source, target, data: run_uno(pipe, "fill_form.py", str(source), str(target), spec(target.stem, data))  # noqa: E731
        edit_book = lambda source, target, steps: run_uno(pipe, "edit_workbook.py", str(source), str(target), spec(target.stem, {"steps": steps}))  # noqa: E731
        edit_form = lambda source, target, steps: run_uno(pipe, "edit_form.py", str(source), str(target), spec(target.stem, steps))  # noqa: E731

        fill_book(book(by, "P01"), back / book(by, "P01").name, _book_spec("P01", BOOK))
        fill_form(form(by, "P01"), back / form(by, "P01").name, _form_spec("P01"))
        # P03 fills its workbook; P02 copies P03's ratings sheet over its own (Move or Copy Sheet).
        fill_book(book(by, "P03"), back / book(by, "P03").name, _book_spec("P03", BOOK))
        edit_book(book(by, "P02"), back / book(by, "P02").name,
                  [{"do": "import_sheet", "sheet": "Arviointi", "from": str(back / book(by, "P03").name)}])
        # P05 fills its form; P04 pastes the whole of it over its own form.
        fill_form(form(by, "P05"), back / form(by, "P05").name, _form_spec("P05"))
        edit_form(form(by, "P04"), back / form(by, "P04").name,
                  [{"do": "paste_all_from", "from": str(back / form(by, "P05").name)}])
        # P06 fills its own workbook and saves it under its sibling P07's name.
        (back / "sähköposti").mkdir()
        fill_book(book(by, "P06"), back / "sähköposti" / book(by, "P07").name, _book_spec("P06", BOOK))
        fill_form(form(by, "P06"), work / form(by, "P06").name, _form_spec("P06"))
        # P08's files, from the other coordinator's round of the same id.
        fill_book(book(other, "P08"), back / book(other, "P08").name, _book_spec("P08", BOOK))
        fill_form(form(other, "P08"), work / f"toinen-{form(other, 'P08').name}", _form_spec("P08"))
        # P09's first copy, in UTC.
        fill_book(book(by, "P09"), back / "P09 versio A.xlsx", _book_spec("P09", BOOK))
        fill_book(book(by, "P10"), back / book(by, "P10").name, _book_spec("P10", BOOK))
        fill_form(form(by, "P10"), work / form(by, "P10").name, _form_spec("P10"))
        edit_form(form(by, "P11"), back / form(by, "P11").name, [
            {"do": "field", "criterion": "7", "label": "Vahvuudet", "text": "Hyvä tiimi."},
            {"do": "type_below", "criterion": "7", "text": "Unohtui: uusi verstas avattiin."},
            {"do": "type_in_label", "criterion": "9", "label": "Näyttö", "text": "Liite 3"},
            {"do": "text_box", "criterion": "12", "text": "Kysy Ollilta"},
            {"do": "footnote", "criterion": "14", "label": "Näyttö", "text": "Katso myös vuosikertomus."},
            {"do": "tracked", "criterion": "15", "label": "Vahvuudet", "text": "Muutettu seurattuna."}])
        fill_form(form(by, "P12"), back / form(by, "P12").name, _form_spec("P12"))
    with uno_office(tz="Europe/Helsinki") as pipe:  # LibreOffice in Finnish time: P09's second copy
        changed = {**BOOK, "tpk-05": 3}
        run_uno(pipe, "fill_workbook.py", str(book(by, "P09")), str(back / "P09 versio B.xlsx"),
                spec("P09-B", _book_spec("P09", changed)))
    # Gnumeric: P07 edits its workbook there; P10's workbook also goes through it unchanged (a copy).
    gnumeric(book(by, "P07"), back / book(by, "P07").name, {
        "{tpk-02}F": LABELS[1], "{tpk-02}G": "Gnumericissa kirjoitettu\nkahdelle riville", "{tpk-30}F": LABELS[4],
        "{tpk-30}G": "Ei koske meitä."})
    (back / "kopio").mkdir()
    gnumeric(back / book(by, "P10").name, back / "kopio" / book(by, "P10").name)
    abiword(work / form(by, "P06").name, back / form(by, "P06").name,
            {"P06: liite 7.pdf<": "P06: liite 7 (AbiWordissa korjattu).pdf<"})
    pandoc(work / form(by, "P10").name, back / form(by, "P10").name)
    pandoc(work / f"toinen-{form(other, 'P08').name}", back / form(other, "P08").name)
    # P12's companions: the kit's glossary and letter, an audit report, a feedback report (and the same
    # through pandoc), a development plan as .docx and .xlsx.
    p12 = back / "P12 kansio"
    p12.mkdir()
    shutil.copy(by[("P12", "käsitteet")], p12 / "Käsitteet.docx")
    shutil.copy(kit.out_dir / "tyopajat" / by[("P12", "käsitteet")].parent.name / "Saate.txt", p12 / "Saate.txt")
    rnd = load_round(base / "kierros" / "round.toml")
    report = build_audit_report(catalogue, document_context(rnd, catalogue, rnd.workshop("P12"), "peer", ()))
    (p12 / "P12 Työpaja Vellamo – auditointiraportti.docx").write_bytes(report)
    convert(p12 / "P12 Työpaja Vellamo – auditointiraportti.docx", "docx:MS Word 2007 XML", work / "lo")
    shutil.copy(work / "lo" / "P12 Työpaja Vellamo – auditointiraportti.docx",
                p12 / "P12 Työpaja Vellamo – auditointiraportti (täytetty).docx")
    first = compile_round(catalogue, [back / form(by, "P12").name], round_=rnd, kit_ids=round_kit_ids(rnd),
                          read_workbook=read_workbook, read_form=read_form)
    p12_result = next(w for w in first.workshops if w.workshop.id == "P12")
    (p12 / "palaute").mkdir()
    feedback = p12 / "palaute" / "P12 Työpaja Vellamo.docx"
    feedback.write_bytes(build_feedback_report(catalogue, first, p12_result))
    pandoc(feedback, p12 / "palaute-pandoc.docx")
    _plan(catalogue, p12 / "palaute" / "P12 Työpaja Vellamo – kehittämissuunnitelma.docx")
    plan_book = openpyxl.Workbook()
    plan_book.active.append(["Kehittämiskohde", "Toimenpide", "Vastuu"])
    plan_book.save(p12 / "palaute" / "P12 Työpaja Vellamo – kehittämissuunnitelma.xlsx")
    return base, back, rnd, by


def _plan(catalogue: Catalogue, path: Path) -> None:
    """A development plan as the plan documents are made (title, identity role "plan")."""
    w = Writer(catalogue)
    w.title_block("Kehittämissuunnitelma", "Työpaja Vellamo")
    w.para("Normal", "Toimenpiteet ja vastuut.")
    path.write_bytes(w.finish(Identity("1", catalogue.version, catalogue.hash, workshop_id="P12",
                                       workshop_name="Työpaja Vellamo", role="plan"), "Kehittämissuunnitelma", ""))


def _compile(clients, catalogue, choices=None):
    base, back, rnd, _ = clients
    return compile_round(catalogue, [back], round_=rnd, kit_ids=round_kit_ids(rnd), read_workbook=read_workbook,
                         read_form=read_form, choices=choices or load_choices(base / "kierros" / "valinnat.csv"))


@pytest.fixture(scope="module")
def compiled(clients, catalogue):
    return _compile(clients, catalogue)


def _messages(result, prefix: str) -> list[tuple[str, str, str]]:
    return [(p.place, p.severity, p.message) for p in result.problems if p.file.startswith(prefix)]


def _rows(result, catalogue, wid: str, role: str = "self") -> dict[int, list[str]]:
    return {int(r[3]): r for r in results_rows(result, catalogue) if (r[1], r[2]) == (wid, role)}


def _status(result, prefix: str) -> dict[str, str]:
    return {f.file: f.status for f in result.files if f.file.startswith(prefix)}


def _expected_book(wid: str, row: list[str], cid: str, index: int) -> None:
    rating = "" if index == 4 else str(index + 1)
    assert (row[4], row[5], row[7]) == (rating, "1" if index == 4 else "0", f"{wid}: perustelu {cid} – Ääri & Öljy")


# --- exact -------------------------------------------------------------------------------------


def test_libreoffice_returns_come_out_exact(compiled, catalogue) -> None:
    rows = _rows(compiled, catalogue, "P01")
    for cid, index in BOOK.items():
        _expected_book("P01", rows[int(cid[4:])], cid, index)
    assert rows[7][8:10] == ["P01: käytäntö 7\ntoinen rivi", "P01: liite 7.pdf"]
    assert _status(compiled, "P01") == {name: "used" for name in _status(compiled, "P01")}
    assert [m for m in _messages(compiled, "P01") if m[1] == "error"] == []
    p03 = _rows(compiled, catalogue, "P03")
    assert p03[2][4] == "4" and p03[2][7] == "P03: perustelu tpk-02 – Ääri & Öljy"


def test_gnumeric_edits_come_out_exact_and_a_file_named_for_it_displaces_nothing(compiled, catalogue, clients) -> None:
    rows = _rows(compiled, catalogue, "P07")
    assert (rows[2][4], rows[2][7]) == ("2", "Gnumericissa kirjoitettu\nkahdelle riville")
    assert (rows[30][4], rows[30][5], rows[30][7]) == ("", "1", "Ei koske meitä.")
    name = clients[3][("P07", "itsearviointi")].name
    assert _status(compiled, name) == {name: "used"}
    (identified,) = _messages(compiled, name)  # Gnumeric keeps the identity sheet, not the properties
    assert identified[1] == "warning" and "custom document properties are missing" in identified[2]


def test_abiword_and_pandoc_forms_come_out_exact_by_the_kit_id_they_show(compiled, catalogue, clients) -> None:
    by = clients[3]
    p06, p10 = _rows(compiled, catalogue, "P06"), _rows(compiled, catalogue, "P10")
    assert p06[7][8:10] == ["P06: käytäntö 7\ntoinen rivi", "P06: liite 7 (AbiWordissa korjattu).pdf"]
    assert p10[20][8:10] == ["P10: käytäntö 20\ntoinen rivi", "P10: liite 20.pdf"]
    for wid in ("P06", "P10"):
        name = by[(wid, "itsearviointilomake")].name
        kit = read_form(by[(wid, "itsearviointilomake")], catalogue).identity.kit_id
        assert (name, "tunniste", "warning", f"identified as workshop {wid}'s by the kit id it shows ({kit}), since "
                "its document properties were lost.") in [(p.file, p.place, p.severity, p.message)
                                                          for p in compiled.problems]


# --- refused, naming both identities -----------------------------------------------------------


def test_a_sheet_copied_from_another_workshops_workbook_is_refused(compiled, clients, catalogue) -> None:
    by = clients[3]
    name = by[("P02", "itsearviointi")].name
    (problem,) = [m for m in _messages(compiled, name) if m[1] == "error"]
    kit02, kit03 = (read_workbook(by[(w, "itsearviointi")], catalogue).identity.kit_id for w in ("P02", "P03"))
    assert problem == ("tunniste", "error", (
        f"the sheet Arviointi shows workshop “Verstas \"Uusi suunta\"”, kit id {kit03}, but the itsearviointitaulukko's "
        f"hidden identity is workshop P02 (Työpaja Kipinä), kit id {kit02}: the sheet was pasted over from another "
        "workshop's itsearviointitaulukko. It was not used, so that no answer goes to the wrong workshop. If these are "
        "Työpaja Kipinä's answers, ask them to enter them in their own itsearviointitaulukko; if they are "
        "Verstas \"Uusi suunta\"'s, use that workshop's own file."))
    assert _status(compiled, name) == {name: "refused"}
    assert ("P02", "self") in compiled.missing  # nothing of P03's went to P02


def test_a_form_pasted_whole_from_another_workshops_form_is_refused(compiled, clients) -> None:
    by = clients[3]
    name = by[("P04", "itsearviointilomake")].name
    (problem,) = [m for m in _messages(compiled, name) if m[1] == "error"]
    assert problem[2].startswith("its data sheet (Perustiedot) shows workshop “Pajakylä Pohjantähti”, kit id P05-self-")
    assert "but the itsearviointilomake's hidden identity is workshop P04 (Nuorten työpaja Ääri/Reuna), kit id " \
           "P04-self-" in problem[2]
    assert ("P04", "form") in compiled.missing


def test_a_file_saved_under_a_sibling_workshops_name_is_refused(compiled) -> None:
    (problem,) = [m for m in _messages(compiled, "sähköposti/P07") if m[1] == "error"]
    assert problem[2].startswith(
        "the file's name names workshop P07 (Savon Taitopaja), but the file is workshop P06 (Keski-Suomen "
        "Työpajasilta)'s itsearviointitaulukko (workshop P06 (Keski-Suomen Työpajasilta), kit id P06-self-")
    assert "it was saved under another workshop's name (Save As). It was not used" in problem[2]


def test_another_coordinators_round_with_the_same_ids_is_refused(compiled, clients) -> None:
    base, _, rnd, _ = clients
    theirs = load_round(base / "toinen" / "round.toml").config.instance
    book = next(p.message for p in compiled.problems if p.file.startswith("P08") and p.file.endswith(".xlsx")
                and p.severity == "error")
    assert book.startswith("belongs to another round with the same id: the file is workshop P08 (Revontulipaja), kit "
                           "id P08-self-")
    assert f"round syksy-2026 (instance {theirs}), this round is syksy-2026 (instance {rnd.config.instance})" in book
    form = next(p for p in compiled.problems if p.file.startswith("P08") and p.file.endswith(".docx")
                and p.severity == "error")
    assert "which this round's manifest does not list: it comes from another kit" in form.message
    assert ("P08", "self") in compiled.missing and ("P08", "form") in compiled.missing


def test_without_a_round_file_two_rounds_are_never_merged(clients, catalogue, tmp_path: Path) -> None:
    base, back, _, by = clients
    folder = tmp_path / "kaksi"
    folder.mkdir()
    shutil.copy(back / by[("P01", "itsearviointi")].name, folder)
    shutil.copy(back / by[("P03", "itsearviointi")].name, folder)
    shutil.copy(back / by[("P08", "itsearviointi")].name, folder)  # the other round's
    result = compile_round(catalogue, [folder], read_workbook=read_workbook, read_form=read_form)
    status = {f.file: f.status for f in result.files}
    assert status[by[("P08", "itsearviointi")].name] == "refused"
    assert {w.workshop.id for w in result.workshops} == {"P01", "P03"}


# --- copies decided by people ------------------------------------------------------------------


def test_differing_copies_wait_for_the_coordinator_and_no_clock_decides(clients, compiled, catalogue) -> None:
    base, back, rnd, _ = clients
    a, b = (read_workbook(back / f"P09 versio {v}.xlsx", catalogue) for v in "AB")
    # LibreOffice in Finnish time records the local time as if it were UTC: B looks saved hours "later".
    assert a.saved_at.endswith("Z") and b.saved_at.endswith("Z")
    assert _status(compiled, "P09") == {"P09 versio A.xlsx": "conflict", "P09 versio B.xlsx": "conflict"}
    problem = next(p for p in compiled.problems if p.file == "P09 versio A.xlsx")
    row = _row_of(back / "P09 versio A.xlsx", "tpk-05")
    assert problem.message.startswith(
        "2 copies of workshop P09's itsearviointitaulukko came back with different answers (P09 versio A.xlsx, P09 "
        f"versio B.xlsx): criterion 5 differs — criterion 5, rating (Arviointi!F{row}): “2 – Alkava” "
        "against “4 – Edistynyt”.")
    p09 = next(w for w in compiled.workshops if w.workshop.id == "P09")
    assert p09.unresolved == ("self",) and p09.self_scores.criteria[5].value is None  # neither copy's 5
    assert p09.self_scores.criteria[1].value == 3  # what both copies say counts
    # The coordinator's turn: the copies are listed in valinnat.csv; x beside B, and compile again.
    choices = base / "kierros" / "valinnat.csv"
    assert update_choices_file(choices, compiled.unresolved) == (2, [])
    rows, _ = read_dicts(choices, ("Käytä", "Tiedosto", "Eroavat kriteerit", FINGERPRINT))
    assert [(r["Tiedosto"], r["Eroavat kriteerit"]) for _, r in rows] == [
        ("P09 versio A.xlsx", "5"), ("P09 versio B.xlsx", "5")]
    table = [[("x" if r["Tiedosto"].endswith("B.xlsx") else ""), r["Tiedosto"], r["Eroavat kriteerit"], r[FINGERPRINT]]
             for _, r in rows]
    write_csv(choices, (USE, "Tiedosto", "Eroavat kriteerit", FINGERPRINT), table, force=True)
    again = _compile(clients, catalogue)
    assert _status(again, "P09") == {"P09 versio A.xlsx": "duplicate", "P09 versio B.xlsx": "used"}
    rows9 = _rows(again, catalogue, "P09")
    assert rows9[5][4] == "4" and rows9[1][4] == "3"
    assert not [p for p in again.problems if p.file.startswith("P09")]
    choices.unlink()


def _row_of(path: Path, cid: str) -> int:
    ws = openpyxl.load_workbook(path)["Arviointi"]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == cid)


def test_the_same_file_twice_is_noted_and_read_once(compiled, catalogue, clients) -> None:
    name = clients[3][("P10", "itsearviointi")].name
    assert _status(compiled, f"kopio/{name}") == {f"kopio/{name}": "duplicate"}
    assert (("", "warning", f"another copy of workshop P10's itsearviointitaulukko with the same answers as {name}; "
             "they were read once, nothing is lost. Keep one copy to silence this.")
            in _messages(compiled, f"kopio/{name}"))
    _expected_book("P10", _rows(compiled, catalogue, "P10")[2], "tpk-02", BOOK["tpk-02"])


# --- answers where the reader does not look ----------------------------------------------------


def test_text_typed_outside_the_forms_answer_cells_is_reported(compiled, catalogue, clients) -> None:
    name = clients[3][("P11", "itsearviointilomake")].name
    found = _messages(compiled, name)
    assert ("kriteeri 7", "warning", "'Unohtui: uusi verstas avattiin.' is typed under the table of criterion 7, "
            "outside its answer cells, so it is not read. Move it into the table, into the row it answers.") in found
    assert ("kriteeri 9, Näyttö", "warning", "'Liite 3' is typed in the label cell of 'Näyttö', outside the answer "
            "cell, so it is not read. Move it into the answer cell on the right.") in found
    assert ("", "warning", "a text box holds 'Kysy Ollilta', which is not read: answers are read from the criteria's "
            "tables. Copy it into the right answer cell.") in found
    assert ("kriteeri 14, Näyttö", "warning", "a footnote holds 'Katso myös vuosikertomus.', which is not read as an "
            "answer; if it belongs to the answer, write it into the answer cell.") in found
    tracked = [m for m in found if "tracked change(s)" in m[2]]
    assert len(tracked) == 1 and "they were read as if accepted" in tracked[0][2]
    rows = _rows(compiled, catalogue, "P11")
    assert (rows[7][10], rows[15][10]) == ("Hyvä tiimi.", "Muutettu seurattuna.")


# --- only answer files compete -----------------------------------------------------------------


def test_companions_are_received_never_answers(compiled, catalogue, clients) -> None:
    name = clients[3][("P12", "itsearviointilomake")].name
    status = {f.file: (f.status, f.role) for f in compiled.files if f.file.startswith("P12")}
    assert status == {
        name: ("used", "self"),
        "P12 kansio/Käsitteet.docx": ("received", "glossary"),
        "P12 kansio/Saate.txt": ("received", "letter"),
        "P12 kansio/P12 Työpaja Vellamo – auditointiraportti.docx": ("received", "peer"),
        "P12 kansio/P12 Työpaja Vellamo – auditointiraportti (täytetty).docx": ("received", "peer"),
        "P12 kansio/palaute/P12 Työpaja Vellamo.docx": ("received", "feedback"),
        "P12 kansio/palaute-pandoc.docx": ("received", "feedback"),
        "P12 kansio/palaute/P12 Työpaja Vellamo – kehittämissuunnitelma.docx": ("received", "plan"),
        "P12 kansio/palaute/P12 Työpaja Vellamo – kehittämissuunnitelma.xlsx": ("received", "plan"),
    }
    assert not [p for p in compiled.problems if p.file.startswith("P12 kansio")]
    p12 = next(w for w in compiled.workshops if w.workshop.id == "P12")
    assert p12.form is not None and p12.form.file.endswith(name)
    assert _rows(compiled, catalogue, "P12")[7][8] == "P12: käytäntö 7\ntoinen rivi"
