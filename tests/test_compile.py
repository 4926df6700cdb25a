"""Compile: matching returned files to the round by identity, duplicates, missing returns, refusals.

The readers are passed in, so these tests feed compile small JSON stand-ins for workbooks and check
its decisions exactly; the real readers are covered by the workbook, form, demo and hostile tests.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from auditkit.compile import RESULTS_COLUMNS, compile_round, results_rows
from auditkit.csvfile import csv_bytes
from auditkit.dates import date_fi
from auditkit.errors import Problem
from auditkit.kit import kit_id
from auditkit.model import CriterionResponse, Identity, Returned
from auditkit.round import init_round, load_round

# These tests pin each problem's exact wording in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


def fake_reader(path: Path, catalogue) -> Returned:
    text = path.read_text(encoding="utf-8")
    if text == "BROKEN":
        return Returned(path.name, "workbook", Identity(), problems=(Problem(path.name, "", "not a workbook"),))
    if text == "RAISE":
        raise ValueError("boom")
    data = json.loads(text)
    responses = tuple(
        CriterionResponse(f"tpk-{n:02d}", n, rating=r, not_applicable=na, na_accepted=acc,
                          texts={"reasoning": reason}, place=f"Arviointi!E{n + 5}")
        for n, r, na, acc, reason in data["responses"])
    ident = Identity(**data["identity"])
    shown = Identity(**data["shown"]) if "shown" in data else (ident if data.get("shown_is_hidden") else Identity())
    return Returned(str(path), "form" if path.suffix == ".docx" else "workbook", ident,
                    responses, saved_at=data.get("saved_at", ""), shown=shown, disputed=tuple(data.get("disputed", ())))


@pytest.fixture()
def round_(tmp_path: Path):
    init_round(tmp_path / "kierros")
    return load_round(tmp_path / "kierros" / "round.toml")


def identity(rnd, catalogue, wid: str, role: str, **changes) -> dict:
    base = dict(format_version="1", content_version=catalogue.version, content_hash=catalogue.hash,
                round_id=rnd.config.id, workshop_id=wid, workshop_name=rnd.workshop(wid).name, role=role,
                kit_id=kit_id(rnd.config.id, wid, role, catalogue.hash))
    base.update(changes)
    return base


def put(folder: Path, name: str, ident: dict, rating: int | None = 3, saved_at: str = "2026-11-01T10:00:00Z",
        overrides: dict | None = None, **extra: object) -> Path:
    rows = [[n, rating, False, None, ""] for n in range(1, 52)]
    for n, row in (overrides or {}).items():
        rows[n - 1] = [n, *row]
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"identity": ident, "responses": rows, "saved_at": saved_at, **extra}),
                    encoding="utf-8")
    return path


def kit_ids(rnd, catalogue) -> dict[str, tuple[str, str]]:
    return {kit_id(rnd.config.id, w.id, role, catalogue.hash): (w.id, role)
            for w in rnd.workshops for role in ("self", "peer")}


def run(catalogue, folder: Path, rnd=None, ids=None):
    return compile_round(catalogue, [folder], round_=rnd, kit_ids=ids, read_workbook=fake_reader,
                         read_form=fake_reader)


def test_complete_round(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "palautetut"
    for w in round_.workshops:
        put(back, f"{w.id}-self.xlsx", identity(round_, catalogue, w.id, "self"))
        put(back, f"{w.id}-lomake.docx", identity(round_, catalogue, w.id, "self"))
        put(back, f"sub/{w.id}-peer.xlsx", identity(round_, catalogue, w.id, "peer"))
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert result.clean and result.missing == () and result.problems == ()
    assert len(result.workshops) == 12 and all(w.recommendation.outcome == "recommended" for w in result.workshops)
    assert {f.status for f in result.files} == {"used"}
    rows = results_rows(result, catalogue)
    assert len(rows) == 12 * 2 * 51
    assert rows[0][:6] == [round_.config.id, "P01", "self", "1", "3", "0"]


def test_missing_returns_are_listed(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    for w in round_.workshops[:10]:
        put(back, f"{w.id}.xlsx", identity(round_, catalogue, w.id, "self"))
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert ("P11", "self") in result.missing and ("P01", "peer") in result.missing
    assert len(result.missing) == 10 + 2 * 2 + 12  # ten forms, two whole self-assessments, every audit
    assert result.clean  # missing returns are not problems of returned files
    self_due, audit_due = (date_fi(round_.config.deadline_of(phase)) for phase in ("self", "audit"))
    p11 = sorted((p.message, p.severity) for p in result.problems if p.place == "workshop P11")
    assert p11 == [
        (f"the auditointitaulukko has not been returned (deadline {audit_due}); remind the lead auditor.", "warning"),
        ("the self-assessment has not been returned: neither the itsearviointitaulukko nor the itsearviointilomake "
         f"(deadline {self_due}); remind the workshop's contact person.", "warning"),
    ]
    assert [p.message for p in result.problems if p.place == "workshop P01" and "form" in p.message] == [
        "the self-assessment workbook came back but not its form (itsearviointilomake), which holds the practice, "
        f"evidence, strengths, development targets and actions: the form is still due (deadline {self_due}). Remind "
        "the workshop's contact person to return it."]


def test_differing_copies_wait_for_the_coordinator_never_for_a_clock(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    ident = identity(round_, catalogue, "P03", "self")
    # b-second.xlsx says it was saved later: that decides nothing.
    put(back, "a-first.xlsx", ident, rating=2, saved_at="2026-11-01T09:00:00Z", overrides={5: [3, False, None, "x"]})
    put(back, "b-second.xlsx", ident, rating=4, saved_at="2026-11-02T09:00:00Z", overrides={5: [3, False, None, "x"]})
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    p03 = next(w for w in result.workshops if w.workshop.id == "P03")
    assert p03.unresolved == ("self",)
    assert {f.file: f.status for f in result.files} == {"a-first.xlsx": "conflict", "b-second.xlsx": "conflict"}
    # Only what both copies say counts: criterion 5; every other rating is left out.
    assert p03.self_scores.criteria[5].value == 3 and p03.self_scores.criteria[4].value is None
    (problem,) = [p for p in result.problems if p.file == "a-first.xlsx"]
    assert problem.severity == "error"
    assert problem.message.startswith(
        "2 copies of workshop P03's itsearviointitaulukko came back with different answers (a-first.xlsx, "
        "b-second.xlsx): criteria 1–4, 6–51 differ — criterion 1, rating (Arviointi!E6): “2 – Alkava” "
        "against “4 – Edistynyt”;")
    assert "write x in the column Käytä on its row in" in problem.message
    assert "or compile again with --use \"a-first.xlsx\"" in problem.message
    (u,) = result.unresolved
    assert (u.workshop_id, u.role, [c.file for c in u.copies], u.criteria[:3]) == (
        "P03", "self", ["a-first.xlsx", "b-second.xlsx"], (1, 2, 3))
    assert result.summary()["in_conflict"] == 2 and not result.clean


def test_the_coordinator_chooses_in_valinnat_or_with_use(tmp_path: Path, round_, catalogue) -> None:
    from auditkit.choices import load_choices, update_choices_file
    USE, FINGERPRINT = "Käytä", "Tunniste"  # the Finnish header the coordinator sees
    from auditkit.csvfile import read_dicts

    back = tmp_path / "b"
    ident = identity(round_, catalogue, "P03", "self")
    put(back, "a-first.xlsx", ident, rating=2)
    put(back, "b-second.xlsx", ident, rating=4)
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    path = round_.config.base_dir / "valinnat.csv"
    assert update_choices_file(path, result.unresolved) == (2, [])
    rows, _ = read_dicts(path, (USE, "Tiedosto", FINGERPRINT))
    assert [(r[USE], r["Tiedosto"]) for _, r in rows] == [("", "a-first.xlsx"), ("", "b-second.xlsx")]
    # The coordinator writes x beside the copy that counts (Excel saves the file back as Windows-1252, ",").
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    table[2][0] = "x"
    out = io.StringIO()
    csv.writer(out, delimiter=",").writerows(table)
    path.write_bytes(out.getvalue().encode("cp1252"))
    chosen = compile_round(catalogue, [back], round_=round_, kit_ids=kit_ids(round_, catalogue),
                           read_workbook=fake_reader, read_form=fake_reader)
    p03 = next(w for w in chosen.workshops if w.workshop.id == "P03")
    assert p03.self_workbook.file.endswith("b-second.xlsx") and p03.self_scores.overall.mean == 4
    assert p03.unresolved == () and chosen.unresolved == () and chosen.clean
    assert {f.file: (f.status, f.note_in("en")) for f in chosen.files} == {
        "a-first.xlsx": ("duplicate", "valinnat.csv chooses b-second.xlsx"), "b-second.xlsx": ("used", "")}
    assert update_choices_file(path, chosen.unresolved) == (0, [])  # the coordinator's file is left as it is
    # A third copy that differs, come after the choice, opens the question again.
    put(back, "c-third.xlsx", ident, rating=1)
    again = run(catalogue, back, round_, kit_ids(round_, catalogue))
    problem = next(p for p in again.problems if p.file == "a-first.xlsx")
    assert "c-third.xlsx came after the choice in valinnat.csv and differs from the chosen copy" in problem.message
    assert [(p.file, p.severity) for p in again.problems if p.file != "a-first.xlsx" and p.file] == [
        ("b-second.xlsx", "error"), ("c-third.xlsx", "error")]  # every copy is named
    # --use decides without the file.
    used = compile_round(catalogue, [back], round_=round_, kit_ids=kit_ids(round_, catalogue),
                         read_workbook=fake_reader, read_form=fake_reader,
                         choices=load_choices(None, [back / "c-third.xlsx"]))
    p03 = next(w for w in used.workshops if w.workshop.id == "P03")
    assert p03.self_scores.overall.mean == 1 and used.clean


def test_copies_with_the_same_answers_are_noted(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    ident = identity(round_, catalogue, "P03", "self")
    put(back, "a.xlsx", ident, rating=3, saved_at="2026-11-01T09:00:00Z")
    put(back, "b.xlsx", ident, rating=3, saved_at="2026-11-05T09:00:00Z")
    put(back, "c.xlsx", ident, rating=3, saved_at="2026-11-01T09:00:00Z")  # the very same file again: silent
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert {f.file: f.status for f in result.files} == {"a.xlsx": "used", "b.xlsx": "duplicate", "c.xlsx": "duplicate"}
    assert [(p.file, p.severity, p.message) for p in result.problems if p.file] == [(
        "b.xlsx", "warning", "another copy of workshop P03's itsearviointitaulukko with the same answers as a.xlsx; "
        "they were read once, nothing is lost. Keep one copy to silence this.")]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"round_id": "kevat-2026"}, "belongs to round 'kevat-2026'"),
        ({"content_hash": "0" * 64, "content_version": "2021.1"}, "made from content version 2021.1"),
        ({"kit_id": "P05-self-deadbeef"}, "kit id 'P05-self-deadbeef' is not in the round's manifest"),
        ({"workshop_id": "P99"}, "names workshop 'P99', which is not in the round's register"),
        ({"workshop_id": ""}, "does not say which workshop it belongs to"),
    ],
)
def test_refused_files(tmp_path: Path, round_, catalogue, change: dict, expected: str) -> None:
    back = tmp_path / "b"
    put(back, "x.xlsx", identity(round_, catalogue, "P05", "self", **change))
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    (problem,) = [p for p in result.problems if p.file == "x.xlsx"]
    assert expected in problem.message and problem.severity == "error"
    assert result.files[0].status == "refused"
    assert ("P05", "self") in result.missing  # nothing was attributed to P05


def test_what_a_file_shows_must_agree_with_what_it_hides(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    hidden = identity(round_, catalogue, "P01", "self")
    other = identity(round_, catalogue, "P02", "self")
    shown = {"workshop_name": other["workshop_name"], "kit_id": other["kit_id"]}
    put(back, "pasted.xlsx", hidden, shown=shown)
    put(back, "lomake.docx", hidden, shown={**shown, "role": "self"})
    put(back, "kaksi.xlsx", identity(round_, catalogue, "P03", "self"), disputed=["workshop_id", "kit_id"])
    put(back, "palaute.docx", identity(round_, catalogue, "P04", "self"), shown={"role": "feedback"})
    put(back, "P06 Keski-Suomen Työpajasilta – itsearviointi.xlsx", identity(round_, catalogue, "P05", "self"))
    put(back, "P07 Savon Taitopaja – itsearviointi.xlsx", identity(round_, catalogue, "P07", "self"))  # its own
    put(back, "Paja P07 ja P08 yhdessä.xlsx", identity(round_, catalogue, "P08", "self"))  # names P08 too
    # A name edited on the sheet (the protection removed): its own kit id in sight, or (an earlier kit
    # without one) a name alike, is a warning; an unlike name without a kit id in sight is another's.
    p09, p10, p11 = (identity(round_, catalogue, w, "self") for w in ("P09", "P10", "P11"))
    put(back, "nimi.xlsx", p09, shown={"workshop_name": "Aura & Meri ry:n paja", "kit_id": p09["kit_id"]})
    put(back, "vanha.xlsx", p10, shown={"workshop_name": "Lakeuden nuorten paja ry"})
    put(back, "vieras.xlsx", p11, shown={"workshop_name": "Työpaja Vellamo"})
    p12 = identity(round_, catalogue, "P12", "self")  # the same workshop's sheet, from another round's kit
    put(back, "toinen-kierros.xlsx", p12, shown={"workshop_name": p12["workshop_name"], "kit_id": "P12-self-0badf00d"})
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    status = {f.file: f.status for f in result.files}
    assert status == {"pasted.xlsx": "refused", "lomake.docx": "refused", "kaksi.xlsx": "refused",
                      "palaute.docx": "refused", "P06 Keski-Suomen Työpajasilta – itsearviointi.xlsx": "refused",
                      "P07 Savon Taitopaja – itsearviointi.xlsx": "used", "Paja P07 ja P08 yhdessä.xlsx": "used",
                      "nimi.xlsx": "used", "vanha.xlsx": "used", "vieras.xlsx": "refused",
                      "toinen-kierros.xlsx": "refused"}
    warned = {p.file: p.message for p in result.problems if p.severity == "warning" and p.file}
    assert warned["nimi.xlsx"] == (
        "the sheet Arviointi shows the workshop's name as “Aura & Meri ry:n paja”, the kit wrote “Työpaja Aura & "
        f"Meri”; read as workshop P09's (workshop P09 (Työpaja Aura & Meri), kit id {p09['kit_id']}), since the kit "
        "id it shows is its own. Check the name if it matters.")
    assert warned["vanha.xlsx"].endswith("since the names are alike. Check the name if it matters.")
    message = {p.file: p.message for p in result.problems if p.severity == "error"}
    assert message["pasted.xlsx"] == (
        f"the sheet Arviointi shows workshop “Työpaja Kipinä”, kit id {other['kit_id']}, but the "
        f"itsearviointitaulukko's hidden identity is workshop P01 (Nuorten työpaja Ahjo), kit id {hidden['kit_id']}: "
        "the sheet was pasted over from another workshop's itsearviointitaulukko. It was not used, so that no "
        "answer goes to the wrong workshop. If these are Nuorten työpaja Ahjo's answers, ask them to enter them "
        "in their own itsearviointitaulukko; if they are Työpaja Kipinä's, use that workshop's own file.")
    assert message["lomake.docx"].startswith("its data sheet (Perustiedot) shows workshop “Työpaja Kipinä”")
    assert "the sheet was pasted over from the same workshop's itsearviointitaulukko of another kit (another " \
           "round's, perhaps another coordinator's)." in message["toinen-kierros.xlsx"]
    assert message["kaksi.xlsx"].startswith("the workbook's two hidden records of whose it is (its document "
                                            "properties and the sheet _tunniste) disagree on workshop_id, kit_id")
    assert message["palaute.docx"].startswith("shows the feedback report (its title) but its document properties "
                                              "say it is the self-assessment form of workshop P04")
    assert message["P06 Keski-Suomen Työpajasilta – itsearviointi.xlsx"].startswith(
        "the file's name names workshop P06 (Keski-Suomen Työpajasilta), but the file is workshop P05 (Pajakylä "
        "Pohjantähti)'s itsearviointitaulukko")
    assert {("P01", "self"), ("P02", "self"), ("P03", "self"), ("P05", "self")} <= set(result.missing)


def test_another_round_of_the_same_id_is_told_apart_by_its_instance(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    ours = round_.config.instance
    put(back, "meidan.xlsx", identity(round_, catalogue, "P01", "self", round_instance=ours,
                                      kit_id=kit_id(round_.config.id, "P01", "self", catalogue.hash, ours)))
    theirs = kit_id(round_.config.id, "P02", "self", catalogue.hash, "0123456789ab")
    put(back, "toisen.xlsx", identity(round_, catalogue, "P02", "self", round_instance="0123456789ab", kit_id=theirs))
    ids = {kit_id(round_.config.id, w.id, "self", catalogue.hash, ours): (w.id, "self") for w in round_.workshops}
    result = run(catalogue, back, round_, ids)
    assert {f.file: f.status for f in result.files} == {"meidan.xlsx": "used", "toisen.xlsx": "refused"}
    (problem,) = [p for p in result.problems if p.file == "toisen.xlsx"]
    assert problem.message == (
        f"belongs to another round with the same id: the file is workshop P02 (Työpaja Kipinä), kit id {theirs}, "
        f"round syksy-2026 (instance 0123456789ab), this round is syksy-2026 (instance {ours}). It comes from "
        "another coordinator's (or an earlier) round, so it was not compiled; the workshop must copy its answers "
        "into this round's kit.")


def test_a_form_without_its_properties_is_known_by_the_kit_id_it_shows(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    ident = identity(round_, catalogue, "P04", "self")
    gone = {**ident, "workshop_id": "", "format_version": "", "content_hash": ""}  # what pandoc leaves
    put(back, "pandoc.docx", gone, shown_is_hidden=True)
    p05 = identity(round_, catalogue, "P05", "self", workshop_id="", kit_id="")
    put(back, "nimi.docx", p05, shown_is_hidden=True)  # no kit id shown: by the name, one register row has it
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert {(w.workshop.id, w.form is not None) for w in result.workshops if w.workshop.id in ("P04", "P05")} == {
        ("P04", True), ("P05", True)}
    assert [(p.file, p.severity, p.message) for p in result.problems if p.file] == [
        ("nimi.docx", "warning", "identified as workshop P05's by the name it shows (“Pajakylä Pohjantähti”), "
                                 "since its document properties were lost and it shows no kit id of this round's manifest."),
        ("pandoc.docx", "warning", f"identified as workshop P04's by the kit id it shows ({ident['kit_id']}), since "
                                   "its document properties were lost.")]


def test_kit_id_of_another_workshop_is_refused(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    put(back, "x.xlsx", identity(round_, catalogue, "P05", "self", kit_id=kit_id(round_.config.id, "P06", "self", catalogue.hash)))
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert "was made for workshop 'P06', but the file says 'P05'" in result.problems[0].message


def test_other_files_get_their_own_advice(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    back.mkdir()
    for name in ("vanha.xls", "calc.ods", "vienti.csv", "muistio.txt", "rikki.xlsx", "kaatuu.xlsx",
                 "pohja.xltx", "lomake.rtf", "teksti.odt", "vanha.doc", "taulukko.gnumeric", "lomake.abw", "skannattu.pdf"):
        (back / name).write_text({"rikki.xlsx": "BROKEN", "kaatuu.xlsx": "RAISE"}.get(name, "x"), encoding="utf-8")
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    by_file = {p.file: p for p in result.problems if p.file}
    save_xlsx = "choose File > Save As and the file type Excel Workbook (.xlsx), then return it again."
    save_docx = "choose File > Save As and the file type Word Document (.docx), then return it again."
    assert by_file["vanha.xls"].message == f"an old Excel 97–2003 workbook (.xls); open it in Excel or LibreOffice, {save_xlsx}"
    assert by_file["pohja.xltx"].message == ("an Excel template (.xltx), not a workbook; open it in Excel or "
                                             f"LibreOffice, {save_xlsx}")
    assert by_file["lomake.rtf"].message == f"a Rich Text file (.rtf); open it in Word or LibreOffice, {save_docx}"
    assert by_file["vanha.doc"].message == ("an old Word 97–2003 document (.doc); open it in Word or LibreOffice, "
                                            f"{save_docx}")
    assert "File > Save As and the file type Excel 2007-365 (.xlsx)" in by_file["calc.ods"].message
    assert "File > Save As and the file type Word 2007-365 (.docx)" in by_file["teksti.odt"].message
    assert by_file["vienti.csv"].message == "a CSV file, not the workbook; return the .xlsx file of the kit."
    assert by_file["skannattu.pdf"].message == ("a PDF; answers cannot be read from a PDF: return the .xlsx and .docx "
                                                "files of the kit.")
    assert by_file["taulukko.gnumeric"].message == (
        "a Gnumeric workbook (.gnumeric); open it in Gnumeric, choose File > Save As and the file type MS Excel "
        "2007/2010 (.xlsx), then return it again.")
    assert by_file["lomake.abw"].message.startswith("an AbiWord document (.abw); open it in AbiWord")
    assert by_file["muistio.txt"].severity == "warning" and "it was not read" in by_file["muistio.txt"].message
    assert by_file["rikki.xlsx"].message == "not a workbook"
    assert "could not be read (ValueError)" in by_file["kaatuu.xlsx"].message
    assert not any("Remove it from the folder" in p.message for p in result.problems)
    status = {f.file: f.status for f in result.files}
    assert status["rikki.xlsx"] == "unreadable" and status["muistio.txt"] == "ignored"
    assert status["pohja.xltx"] == status["lomake.rtf"] == "unreadable"


def test_what_computers_leave_beside_returns_is_passed_over_in_silence(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    put(back, "P01.xlsx", identity(round_, catalogue, "P01", "self"))
    for name in ("~$P01.xlsx", ".~lock.P01.xlsx#", "._P01.xlsx", ".DS_Store", "Thumbs.db", "desktop.ini",
                 "__MACOSX/._P01.xlsx", "__MACOSX/sub/P01.xlsx"):
        (back / name).parent.mkdir(parents=True, exist_ok=True)
        (back / name).write_bytes(b"\x00\x05\x16\x07 AppleDouble or lock")
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert [f.file for f in result.files] == ["P01.xlsx"] and result.clean


def test_without_a_round_compiles_what_it_is_given(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    put(back, "1.xlsx", identity(round_, catalogue, "P02", "self"))
    put(back, "2.xlsx", identity(round_, catalogue, "P02", "peer"))
    result = run(catalogue, back)
    assert [w.workshop.id for w in result.workshops] == ["P02"]
    assert result.workshops[0].returned_self and result.workshops[0].returned_auditor
    assert result.missing == () and not result.checked_against_round
    assert "no round given" in result.unchecked[0]


def test_without_a_round_files_of_two_rounds_are_never_merged(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    for w in ("P01", "P02"):
        put(back, f"{w}.xlsx", identity(round_, catalogue, w, "self", round_instance="aaaa1111"))
    # Another coordinator's round with the same id, and a later round: P02's file there is not a copy.
    put(back, "muu/P02.xlsx", identity(round_, catalogue, "P02", "self", round_instance="bbbb2222"), rating=1)
    put(back, "kevat/P02.xlsx", identity(round_, catalogue, "P02", "self", round_id="kevat-2027"), rating=2)
    result = run(catalogue, back)
    assert {f.file: f.status for f in result.files} == {
        "P01.xlsx": "used", "P02.xlsx": "used", "muu/P02.xlsx": "refused", "kevat/P02.xlsx": "refused"}
    p02 = next(w for w in result.workshops if w.workshop.id == "P02")
    assert p02.self_scores.overall.mean == 3 and result.unresolved == ()
    messages = {p.file: p.message for p in result.problems}
    assert messages["muu/P02.xlsx"].startswith(
        "it belongs to round syksy-2026 (instance bbbb2222), but most returned files belong to round syksy-2026 "
        "(instance aaaa1111); files of different rounds are never compiled together, so it was not used. Compile "
        "each round's files apart, giving its round file first")
    assert messages["kevat/P02.xlsx"].startswith("it belongs to round kevat-2027, but most returned files belong "
                                                 "to round syksy-2026 (instance aaaa1111)")
    # Two rounds, one file each: nothing says which this compile is for.
    tie = tmp_path / "tie"
    put(tie, "a.xlsx", identity(round_, catalogue, "P02", "self"))
    put(tie, "b.xlsx", identity(round_, catalogue, "P02", "peer", round_id="muu-kierros"))
    result = run(catalogue, tie)
    assert {f.status for f in result.files} == {"refused"}
    assert "the returned files belong to different rounds (muu-kierros: 1 file(s); syksy-2026: 1 file(s))" in \
        result.problems[0].message


def test_same_inputs_same_result(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    for w in round_.workshops[:4]:
        put(back, f"{w.id}.xlsx", identity(round_, catalogue, w.id, "self"), overrides={7: [None, True, None, ""]})
    put(back, "dup.xlsx", identity(round_, catalogue, "P01", "self"), saved_at="2026-11-01T10:00:00Z")
    os.utime(back / "dup.xlsx", (1, 1))
    a = run(catalogue, back, round_, kit_ids(round_, catalogue))
    b = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert a.summary() == b.summary() and a.problems == b.problems
    assert results_rows(a, catalogue) == results_rows(b, catalogue)


def test_results_and_problems_tables_are_said_in_the_rounds_language(tmp_path: Path, round_, catalogue) -> None:
    """results.csv and problems.csv as a Finnish coordinator reads them: Finnish headers and values, Ei sovellu
    and its acceptance in their own columns (an accepted Ei sovellu is the auditors' Ei sovellu too), and the
    problem's code in a column of its own to filter by."""
    from auditkit.compile import problems_table, results_table

    back = tmp_path / "b"
    na = {5: [None, True, None, "Ei koske meitä."], 6: [None, True, None, "Ei koske."]}
    put(back, "P01-self.xlsx", identity(round_, catalogue, "P01", "self"), overrides=na)
    put(back, "P01-peer.xlsx", identity(round_, catalogue, "P01", "peer"),
        overrides={5: [None, False, True, "Uskottava."], 6: [None, False, False, "Toimintaa on."], 7: [2, False, None, ""]})
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    header, rows = results_table(result, catalogue)
    assert result.language == "fi" and header[:8] == [
        "kierros", "tunnus", "työpaja", "rooli", "kriteeri", "arvio", "ei sovellu", "ei sovellu hyväksytty"]
    assert {r[2] for r in rows if r[1] == "P01"} == {round_.workshop("P01").name}
    by = {(r[3], int(r[4])): r[5:8] for r in rows if r[1] == "P01"}
    assert by[("itsearviointi", 5)] == by[("itsearviointi", 6)] == ["", "kyllä", ""]
    assert by[("auditointi", 5)] == ["", "kyllä", "kyllä"]  # accepted: not applicable, as it counts
    assert by[("auditointi", 6)] == ["", "", "ei"]  # rejected: the auditors' rating is still due
    assert by[("auditointi", 7)] == ["2", "", ""] and by[("itsearviointi", 7)] == ["3", "", ""]
    english_header, english_rows = results_table(result, catalogue, "en")
    assert english_header[1:8] == ["workshop id", "workshop", "role", "criterion", "rating", "not applicable",
                                   "not applicable accepted"]
    assert {r[3] for r in english_rows} == {"self-assessment", "audit"}
    header, problems = problems_table(result)
    assert header == ["tiedosto", "paikka", "vakavuus", "koodi", "viesti"]
    assert len(problems) == len(result.problems) > 0
    assert {p[2] for p in problems} <= {"virhe", "varoitus"}
    assert [p[3] for p in problems] == [p.code for p in result.problems] and all(p[3] for p in problems)
    assert [p[4] for p in problems] == [p.message_in("fi") for p in result.problems]


def test_csv_defuses_formula_looking_text() -> None:
    data = csv_bytes(RESULTS_COLUMNS, [["r", "P1", "self", "1", "", "0", '=HYPERLINK("http://x","y")', "@SUM(A1)"]], delimiter=",")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(RESULTS_COLUMNS)
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text


def test_parallel_reading_gives_the_same_result(tmp_path: Path, round_, catalogue, monkeypatch) -> None:
    import auditkit.compile as compile_module

    back = tmp_path / "b"
    for w in round_.workshops:
        put(back, f"{w.id}-self.xlsx", identity(round_, catalogue, w.id, "self"), rating=(int(w.id[1:]) % 4) + 1)
    (back / "rikki.xlsx").write_text("BROKEN", encoding="utf-8")
    (back / "kaatuu.xlsx").write_text("RAISE", encoding="utf-8")
    put(back, "dup.xlsx", identity(round_, catalogue, "P01", "self"), saved_at="2027-01-01T00:00:00Z")
    # What the reading workers now work out for each file (its identity check, its answers' digest) must
    # decide as before: a file named for another workshop, answers copied between two workshops, differing
    # copies of one workbook.
    put(back, "P02 kopio.xlsx", identity(round_, catalogue, "P03", "self"))
    same = {n: (2, False, None, "sama perustelu") for n in range(1, 7)}
    put(back, "P04-self.xlsx", identity(round_, catalogue, "P04", "self"), overrides=same)
    put(back, "P05-self.xlsx", identity(round_, catalogue, "P05", "self"), overrides=same)
    put(back, "P06-self toinen.xlsx", identity(round_, catalogue, "P06", "self"), rating=1)
    sequential = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert {"file-named-for-another", "copied-between-workshops", "copies-differ"} <= {
        p.code for p in sequential.problems}
    monkeypatch.setattr(compile_module, "PARALLEL_FROM", 2)
    parallel = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert parallel == sequential  # the whole result, field by field
    assert parallel.files == sequential.files and parallel.problems == sequential.problems
    assert results_rows(parallel, catalogue) == results_rows(sequential, catalogue)
    assert [w.recommendation for w in parallel.workshops] == [w.recommendation for w in sequential.workshops]


def test_kit_companions_sent_back_are_listed_not_problems(tmp_path: Path, round_, catalogue) -> None:
    back = tmp_path / "b"
    put(back, "P01.xlsx", identity(round_, catalogue, "P01", "self"))
    (back / "Saate.txt").write_text("Hei", encoding="utf-8")
    put(back, "Käsitteet.docx", identity(round_, catalogue, "P01", "glossary"))
    put(back, "P01 – auditointiraportti.docx", identity(round_, catalogue, "P01", "peer"))
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    assert result.clean and result.file_problems == ()
    status = {f.file: f.status for f in result.files}
    assert status == {"P01.xlsx": "used", "Saate.txt": "received", "Käsitteet.docx": "received",
                      "P01 – auditointiraportti.docx": "received"}
    p01 = result.workshops[0]
    assert p01.form is None  # nothing from the companions was taken as answers


def test_a_proposal_without_a_self_assessment_says_so(catalogue, tmp_path: Path) -> None:
    from auditkit.scoring import CAVEAT_NO_SELF
    from round_support import compiled_round

    result = compiled_round(catalogue, tmp_path, 3, missing=(("P002", "self"),), forms=False)
    caveats = {w.workshop.id: [c.code for c in w.recommendation.caveats] for w in result.workshops}
    assert caveats == {"P001": [], "P002": [CAVEAT_NO_SELF], "P003": []}
    p002 = result.workshops[1].recommendation
    assert p002.caveats[0].text.startswith("Itsearviointia ei palautettu: ehdotus perustuu vain auditoijien")


def test_valinnat_in_swedish_is_read_and_its_rows_keep_their_language(tmp_path: Path, round_, catalogue) -> None:
    """A Swedish round's coordinator gets valinnat.csv with a Swedish header, marks a copy with x, and the
    choice is read."""
    from auditkit.choices import load_choices, update_choices_file
    from auditkit.csvfile import read_dicts

    back = tmp_path / "b"
    ident = identity(round_, catalogue, "P03", "self")
    put(back, "a-first.xlsx", ident, rating=2)
    put(back, "b-second.xlsx", ident, rating=4)
    result = run(catalogue, back, round_, kit_ids(round_, catalogue))
    path = round_.config.base_dir / "valinnat.csv"
    assert update_choices_file(path, result.unresolved, "sv") == (2, [])
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Använd;Verkstad;Verkstadens namn;Dokument;Fil;")
    rows, problems = read_dicts(path, ("Använd", "Fil", "Kännetecken"))
    assert not problems and [r["Fil"] for _, r in rows] == ["a-first.xlsx", "b-second.xlsx"]
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    table[2][0] = "x"
    path.write_text("\r\n".join(";".join(r) for r in table) + "\r\n", encoding="utf-8-sig")
    choices = load_choices(path)
    assert len(choices.marked) == 1 and len(choices.listed) == 2
    # A second listing adds nothing and keeps the Swedish header.
    assert update_choices_file(path, result.unresolved, "fi") == (0, [])
    assert path.read_text(encoding="utf-8-sig").startswith("Använd;")
