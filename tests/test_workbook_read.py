"""Reading returned workbooks back: ratings as people type them, texts, identity and every problem."""

from __future__ import annotations

import io
import os
import statistics
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from auditkit.catalogue import Catalogue
from auditkit.checks import file_problems
from auditkit.errors import Problem
from problem_support import said
from auditkit.excel import build_workbook, check_prefill, read_workbook
from auditkit.excel import contract as k
from auditkit.model import Returned
from test_workbook_build import context, table_rows

# These tests pin each problem's exact wording in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def books(catalogue: Catalogue) -> dict[str, bytes]:
    return {role: build_workbook(catalogue, context(role)) for role in ("self", "peer")}


def returned_file(books: dict[str, bytes], folder: Path, *, role: str = "self", name: str = "paja.xlsx",
                  values: dict[tuple[str, str], Any] | None = None,
                  edit: Callable[[openpyxl.Workbook, dict[str, int]], None] | None = None) -> Path:
    """The built workbook as a person returns it: values[(criterion id, column key)] typed in, then edit."""
    wb = openpyxl.load_workbook(io.BytesIO(books[role]))
    ws = wb[k.SHEET_RATINGS]
    rows = table_rows(ws)
    layout = k.LAYOUTS[role]
    for (cid, key), value in (values or {}).items():
        ws.cell(rows[cid], layout.index(key), value)
    if edit is not None:
        edit(wb, rows)
    path = folder / name
    wb.save(path)
    return path


def test_a_format_1_workbook_still_gives_its_evidence_column(catalogue: Catalogue, books, tmp_path: Path) -> None:
    def format_1(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:  # before the two phases: one more column
        ws, ident = wb[k.SHEET_RATINGS], wb[k.SHEET_IDENTITY]
        ws.cell(k.HEADER_ROW, 12, "Näyttö ja dokumentit")
        ws.cell(rows["tpk-02"], 12, "Perehdytyskansio, s. 3")
        for r in range(ident.max_row, 1, -1):
            if ident.cell(r, 1).value == "format_version":
                ident.cell(r, 2, "1")
            elif ident.cell(r, 1).value in ("phase", "prefilled_from"):
                ident.delete_rows(r)
        wb.custom_doc_props.props = [p for p in wb.custom_doc_props.props
                                     if p.name not in ("phase", "prefilled_from", "format_version")]
    path = returned_file(books, tmp_path, values={("tpk-02", "rating"): 3}, edit=format_1)
    returned = read_workbook(path, catalogue)
    assert returned.problems == () and returned.identity.format_version == "1"
    assert dict(returned.response(2).texts) == {"reasoning": "", "evidence": "Perehdytyskansio, s. 3"}


def cell(role: str, key: str, row: int) -> str:
    return f"{k.LAYOUTS[role].letter(key)}{row}"


def place(role: str, key: str, row: int) -> str:
    return f"sheet Arviointi, cell {cell(role, key, row)}"


@pytest.fixture(scope="module")
def rows(books: dict[str, bytes]) -> dict[str, int]:
    return table_rows(openpyxl.load_workbook(io.BytesIO(books["self"]))[k.SHEET_RATINGS])


SPELLINGS = [3, 3.0, "3", " 3 ", "3,0", "3 – Kehittynyt", "3 - kehittynyt", "Kehittynyt", "  3 – KEHITTYNYT "]
NA_SPELLINGS = ["Ei sovellu", "ei sovellu", "EI SOVELLU", " Ei  Sovellu ", "ES"]


def test_every_accepted_spelling_of_a_rating(catalogue: Catalogue, books, rows, tmp_path: Path) -> None:
    ids = [c.id for c in catalogue.criteria]
    values: dict[tuple[str, str], Any] = {}
    for cid, spelling in zip(ids, SPELLINGS + NA_SPELLINGS):
        values[(cid, "rating")] = spelling
        values[(cid, "reasoning")] = "Perustelu"
    returned = read_workbook(returned_file(books, tmp_path, values=values), catalogue)
    assert returned.problems == ()
    got = [(r.rating, r.not_applicable) for r in returned.responses[: len(SPELLINGS) + len(NA_SPELLINGS)]]
    assert got == [(3, False)] * len(SPELLINGS) + [(None, True)] * len(NA_SPELLINGS)
    assert all(r.rating is None and not r.not_applicable for r in returned.responses[len(got):])


def test_texts_and_places_of_a_self_assessment(catalogue: Catalogue, books, rows, tmp_path: Path) -> None:
    path = returned_file(books, tmp_path, values={
        ("tpk-02", "rating"): "2 – Alkava", ("tpk-02", "reasoning"): "Osa tuntee.\nOsa ei.",
        ("tpk-03", "reasoning"): 2024, ("tpk-04", "reasoning"): "  https://example.fi/strategia  "})
    returned = read_workbook(path, catalogue)
    assert returned.kind == "workbook" and returned.file == str(path)
    r2, r3, r4 = returned.response(2), returned.response(3), returned.response(4)
    assert (r2.criterion_id, r2.rating, dict(r2.texts), r2.place) == (
        "tpk-02", 2, {"reasoning": "Osa tuntee.\nOsa ei."}, f"Arviointi!{cell('self', 'rating', rows['tpk-02'])}")
    assert dict(r3.texts) == {"reasoning": "2024"} and dict(r4.texts) == {"reasoning": "https://example.fi/strategia"}
    assert len(returned.responses) == len(catalogue.criteria)
    assert returned.saved_at.endswith("Z") and returned.saved_at[:2] == "20"


def test_auditor_workbook_reads_rating_acceptance_and_four_texts(catalogue: Catalogue, books, rows, tmp_path) -> None:
    path = returned_file(books, tmp_path, role="peer", values={
        ("tpk-11", "rating"): "Ei sovellu", ("tpk-11", "na_accepted"): "Hyväksytään",
        ("tpk-11", "reasoning"): "Aikuisten paja.", ("tpk-12", "rating"): "4 – Edistynyt",
        ("tpk-12", "na_accepted"): "ei hyväksytä", ("tpk-12", "observations"): "Nähtiin",
        ("tpk-12", "strengths"): "Vahva johto", ("tpk-12", "development"): "Kirjatkaa",
        ("tpk-12", "reasoning"): "Näyttö selvä"})
    returned = read_workbook(path, catalogue)
    assert returned.problems == ()
    assert returned.identity.role == "peer"
    r11, r12 = returned.response(11), returned.response(12)
    assert (r11.not_applicable, r11.na_accepted, r11.texts["reasoning"]) == (True, True, "Aikuisten paja.")
    assert (r12.rating, r12.na_accepted, dict(r12.texts)) == (4, False, {
        "reasoning": "Näyttö selvä", "observations": "Nähtiin", "strengths": "Vahva johto", "development": "Kirjatkaa"})
    assert r12.place == f"Arviointi!{cell('peer', 'rating', rows['tpk-12'])}"
    assert returned.response(13).na_accepted is None


@pytest.mark.parametrize("typed, message", [
    (5, "5 is out of range; choose 1–4 or Ei sovellu from the list."),
    (0, "0 is out of range; choose 1–4 or Ei sovellu from the list."),
    ("7", "7 is out of range; choose 1–4 or Ei sovellu from the list."),
    (2.5, "2.5 is not a level of the scale; choose 1–4 or Ei sovellu from the list."),
    ("kolme", "'kolme' is not a rating; choose 1–4 or Ei sovellu from the list."),
    ("=3", "the rating of criterion 14 is a formula (=3), which is not read; choose the rating from the list."),
])
def test_out_of_range_and_unknown_values_are_problems_at_their_cell(catalogue, books, rows, tmp_path, typed, message):
    returned = read_workbook(returned_file(books, tmp_path, values={("tpk-14", "rating"): typed}), catalogue)
    assert said(returned.problems) == (Problem(str(tmp_path / "paja.xlsx"), place("self", "rating", rows["tpk-14"]), message),)
    assert returned.response(14).rating is None and not returned.response(14).not_applicable


def test_unknown_acceptance_is_a_problem_at_its_cell(catalogue, books, rows, tmp_path) -> None:
    path = returned_file(books, tmp_path, role="peer", values={("tpk-20", "na_accepted"): "kyllä"})
    (problem,) = read_workbook(path, catalogue).problems
    assert (problem.place, problem.message) == (
        place("peer", "na_accepted", rows["tpk-20"]), "'kyllä' is not an answer; choose Hyväksytään or Ei hyväksytä from the list.")


def test_not_applicable_without_reasoning_is_a_warning(catalogue, books, rows, tmp_path) -> None:
    returned = read_workbook(returned_file(books, tmp_path, values={("tpk-33", "rating"): "Ei sovellu"}), catalogue)
    assert returned.problems == ()  # the reader reads; the rule is checked after either reader (checks.py)
    assert said(file_problems(returned, catalogue)) == (Problem(
        str(tmp_path / "paja.xlsx"), place("self", "reasoning", rows["tpk-33"]),
        "criterion 33 is Ei sovellu without a reason; write in Perustelut why it does not apply.", "warning"),)
    assert returned.response(33).not_applicable


def test_identity_sheet_deleted_is_a_clear_problem(catalogue, books, tmp_path) -> None:
    path = returned_file(books, tmp_path, values={("tpk-01", "rating"): 4},
                         edit=lambda wb, rows: wb.remove(wb["_tunniste"]))
    returned = read_workbook(path, catalogue)
    assert [(p.place, p.message) for p in returned.problems] == [(
        "sheet _tunniste", "the hidden identity sheet _tunniste was deleted; the workbook was identified by its "
        "document properties only. Check that it is the right workshop's file, and use the original workbook next time.")]
    assert returned.identity.workshop_id == "paja-12" and returned.response(1).rating == 4


def test_identity_sheet_and_properties_disagreeing_is_a_problem(catalogue, books, tmp_path) -> None:
    def other_workshop(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:
        wb["_tunniste"]["B6"] = "paja-99"  # row 6: workshop_id

    returned = read_workbook(returned_file(books, tmp_path, edit=other_workshop), catalogue)
    assert [(p.place, p.message) for p in returned.problems] == [(
        "sheet _tunniste", "the identity disagrees: the document properties say workshop_id is 'paja-12' but the "
        "sheet _tunniste says 'paja-99'. The file may mix two workbooks; check which workshop it belongs to before using it.")]


def test_neither_identity_sheet_nor_properties(catalogue, books, tmp_path) -> None:
    def strip(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:
        wb.remove(wb["_tunniste"])
        for name in list(wb.custom_doc_props.names):
            del wb.custom_doc_props[name]

    problems = read_workbook(returned_file(books, tmp_path, edit=strip), catalogue).problems
    assert [p.message for p in problems] == [
        "cannot be identified: the hidden sheet _tunniste and the document properties that say which round, "
        "workshop and role it belongs to are both missing. It was not made by auditkit, or was copied into another "
        "file; use the workbook of the kit."]


def test_rows_found_by_id_after_inserting_and_moving_rows(catalogue, books, rows, tmp_path) -> None:
    def rearrange(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:
        ws = wb[k.SHEET_RATINGS]
        ws.insert_rows(2, 3)  # rows above the table (openpyxl moves the values down)
        a, b = rows["tpk-07"] + 3, rows["tpk-08"] + 3
        for col in range(1, 12):  # swap two whole rows, as sorting would
            ws.cell(a, col).value, ws.cell(b, col).value = ws.cell(b, col).value, ws.cell(a, col).value

    path = returned_file(books, tmp_path, values={("tpk-07", "rating"): 1, ("tpk-08", "rating"): 4,
                                                  ("tpk-51", "rating"): 2}, edit=rearrange)
    returned = read_workbook(path, catalogue)
    # Whole rows moved keep their answers: read exactly, and the coordinator is told the order changed.
    assert [(p.place, p.severity) for p in returned.problems] == [("sheet Arviointi", "warning")]
    assert "criterion 7 is below criterion 8" in returned.problems[0].message
    assert (returned.response(7).rating, returned.response(8).rating, returned.response(51).rating) == (1, 4, 2)
    assert returned.response(7).place == f"Arviointi!F{rows['tpk-08'] + 3}"


def test_a_row_that_no_longer_shows_its_criterion_is_refused(catalogue, books, rows, tmp_path) -> None:
    def sort_visible_columns_only(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:
        ws = wb[k.SHEET_RATINGS]
        a, b = rows["tpk-09"], rows["tpk-10"]
        for col in range(2, 12):  # everything but the hidden id column
            ws.cell(a, col).value, ws.cell(b, col).value = ws.cell(b, col).value, ws.cell(a, col).value
        ws.cell(rows["tpk-12"], 4).value = "Muokattu teksti"

    path = returned_file(books, tmp_path, values={("tpk-09", "rating"): 1, ("tpk-10", "rating"): 4,
                                                  ("tpk-12", "rating"): 3}, edit=sort_visible_columns_only)
    returned = read_workbook(path, catalogue)
    refused = "the rows were sorted or edited, so its answers were not read. Undo the change, or copy the answers " \
              "to the right rows of the original workbook."
    assert [(p.place, p.message) for p in returned.problems] == [
        (f"sheet Arviointi, row {rows['tpk-09']}", f"the row carries the hidden id of criterion 9 (tpk-09) but shows number '10'; {refused}"),
        (f"sheet Arviointi, row {rows['tpk-10']}", f"the row carries the hidden id of criterion 10 (tpk-10) but shows number '9'; {refused}"),
        (f"sheet Arviointi, row {rows['tpk-12']}", f"the row carries the hidden id of criterion 12 (tpk-12) but shows a different criterion text; {refused}"),
    ]
    assert [r.number for r in returned.responses if r.number in (9, 10, 12)] == []


def test_a_deleted_row_is_a_missing_criterion(catalogue, books, rows, tmp_path) -> None:
    path = returned_file(books, tmp_path, edit=lambda wb, rows: wb[k.SHEET_RATINGS].delete_rows(rows["tpk-40"]))
    returned = read_workbook(path, catalogue)
    assert [(p.place, p.message) for p in returned.problems] == [(
        "sheet Arviointi", "the row of criterion 40 (tpk-40) is missing (deleted, or its hidden id was changed), so "
        "its answers cannot be read; restore the row from the original workbook.")]
    assert returned.response(40) is None and len(returned.responses) == len(catalogue.criteria) - 1


def test_a_duplicated_row_with_other_answers_is_refused(catalogue, books, rows, tmp_path) -> None:
    def duplicate(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:
        ws = wb[k.SHEET_RATINGS]
        last = max(rows.values()) + 1
        for col in range(1, 12):
            ws.cell(last, col).value = ws.cell(rows["tpk-05"], col).value
        ws.cell(last, 6).value = 1

    path = returned_file(books, tmp_path, values={("tpk-05", "rating"): 4}, edit=duplicate)
    returned = read_workbook(path, catalogue)
    assert [p.message for p in returned.problems] == [
        "criterion 5 appears on 2 rows with different answers, so none was read; delete the extra rows, keeping the right answer."]
    assert returned.response(5) is None


def test_formula_cells_are_never_read(catalogue, books, rows, tmp_path) -> None:
    path = returned_file(books, tmp_path, values={("tpk-02", "reasoning"): "=A1&B1", ("tpk-02", "rating"): 2})
    returned = read_workbook(path, catalogue)
    assert [(p.place, p.message, p.severity) for p in returned.problems] == [(
        place("self", "reasoning", rows["tpk-02"]), "contains a formula (=A1&B1), which is not read; type the text instead.",
        "warning")]
    assert returned.response(2).texts["reasoning"] == ""


def test_a_forged_cached_value_is_ignored(catalogue, books, rows, tmp_path) -> None:
    """A formula with a cached result of 3 in the rating cell: the result is not a rating anyone typed."""
    path = returned_file(books, tmp_path, values={("tpk-02", "rating"): "=1+1"})
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    ref = cell("self", "rating", rows["tpk-02"]).encode()
    sheet = "xl/worksheets/sheet2.xml"
    parts[sheet] = parts[sheet].replace(b'<c r="' + ref + b'" t="str"><f>1+1</f><v></v></c>',
                                        b'<c r="' + ref + b'"><f>1+1</f><v>3</v></c>')
    assert b"<v>3</v>" in parts[sheet]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    returned = read_workbook(path, catalogue)
    assert returned.response(2).rating is None
    assert [p.message for p in returned.problems] == [
        "the rating of criterion 2 is a formula (=1+1), which is not read; choose the rating from the list."]


def test_reading_never_modifies_the_file(catalogue, books, tmp_path) -> None:
    path = returned_file(books, tmp_path, values={("tpk-01", "rating"): 3})
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    read_workbook(path, catalogue)
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before


def test_a_sheet_that_declares_a_million_rows_is_read_only_where_the_kit_wrote(catalogue, books, tmp_path) -> None:
    def far_away(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:
        wb[k.SHEET_RATINGS]["XFD1048576"] = "x"

    path = returned_file(books, tmp_path, values={("tpk-01", "rating"): 3}, edit=far_away)
    start = time.perf_counter()
    returned = read_workbook(path, catalogue)
    assert time.perf_counter() - start < 1.0
    assert said(returned.problems) == (Problem(
        str(path), "sheet Arviointi",
        "the sheet declares cells up to XFD1048576, far outside the ratings table; only rows 1–322 and columns A–AB "
        "were read, so anything typed further away is not part of the answers. Move it into the table, or ask for a "
        "clean copy of the workbook.", "warning"),)
    assert returned.response(1).rating == 3


def _zip(folder: Path, name: str, members: dict[str, bytes]) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members.items():
            z.writestr(member, data)
    return path


SAVE_AS = "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)"


@pytest.mark.parametrize("make, message", [
    (lambda d, b: _write(d, b""), "is empty; ask for the workbook again (it was not saved or not attached whole)."),
    (lambda d, b: _write(d, b["self"][: len(b["self"]) // 2]),
     "is damaged or incomplete (cut off while saving, downloading or attaching); ask for the workbook again."),
    (lambda d, b: _write(d, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le")),
     "is protected with a password to open (encrypted); ask the sender to remove the password (Excel: File > Info > "
     "Protect Workbook > Encrypt with Password, empty it) and send it again."),
    (lambda d, b: _write(d, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + b"Workbook"),
     f"is an old Excel 97–2003 workbook (.xls); {SAVE_AS} and send that."),
    (lambda d, b: _zip(d, "paja.xlsx", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
     "is an OpenDocument spreadsheet (.ods); in LibreOffice choose File > Save As > Excel 2007-365 (.xlsx) and send that."),
    (lambda d, b: _write(d, "Nro;Arvio\n1;3\n2;Ei sovellu\n".encode()),
     f"is a text file (CSV or similar) renamed to a workbook; {SAVE_AS}, using the workbook the kit sent."),
    (lambda d, b: _zip(d, "paja.xlsx", {"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}),
     "is a Word document, not a workbook; send the .xlsx workbook of the kit."),
    (lambda d, b: _write(d, bytes(range(256)) * 4), f"is not an Excel workbook; {SAVE_AS}."),
    (lambda d, b: d / "ei-ole.xlsx", "does not exist; check the path."),
])
def test_files_that_are_not_usable_workbooks_get_one_clear_problem(catalogue, books, tmp_path, make, message) -> None:
    path = make(tmp_path, books)
    returned = read_workbook(path, catalogue)
    assert said(returned.problems) == (Problem(str(path), "", message),)
    assert returned.responses == () and returned.kind == "workbook"


def _write(folder: Path, data: bytes) -> Path:
    path = folder / "paja.xlsx"
    path.write_bytes(data)
    return path


def test_a_zip_bomb_is_refused_from_its_declared_sizes(catalogue, tmp_path) -> None:
    path = _zip(tmp_path, "paja.xlsx", {"xl/workbook.xml": b"<workbook/>", "xl/sharedStrings.xml": b"\0" * 30_000_000})
    with zipfile.ZipFile(path) as z:
        ratio = 30_000_000 / z.getinfo("xl/sharedStrings.xml").compress_size
    assert said(read_workbook(path, catalogue).problems) == (Problem(str(path), "", (
        f"declares a part (xl/sharedStrings.xml) of 30 MB packed {ratio:.0f}:1, far beyond a filled workbook; it was "
        "refused unread (a damaged or malicious file). Ask for the workbook again.")),)


def test_strict_open_xml_gets_its_own_message(catalogue, books, tmp_path) -> None:
    with zipfile.ZipFile(io.BytesIO(books["self"])) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    path = _zip(tmp_path, "paja.xlsx", parts)
    assert said(read_workbook(path, catalogue).problems) == (Problem(str(path), "", (
        "is saved as Strict Open XML, which auditkit does not read; open it in Excel and save it as Excel Workbook "
        "(.xlsx).")),)


def test_entity_declarations_are_refused_unparsed(catalogue, books, tmp_path) -> None:
    with zipfile.ZipFile(io.BytesIO(books["self"])) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    parts["xl/worksheets/sheet2.xml"] = bomb + parts["xl/worksheets/sheet2.xml"]
    path = _zip(tmp_path, "paja.xlsx", parts)
    assert said(read_workbook(path, catalogue).problems) == (Problem(str(path), "", (
        "declares a DTD or entities in xl/worksheets/sheet2.xml, which workbooks never have; it was refused unread "
        "(a damaged or malicious file). Ask for the workbook again.")),)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_entity_declarations_in_utf16_or_utf32_are_refused_unparsed(catalogue, books, tmp_path, encoding) -> None:
    with zipfile.ZipFile(io.BytesIO(books["self"])) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet2.xml"].decode("utf-8")
    sheet = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    parts["xl/worksheets/sheet2.xml"] = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>' + bomb + sheet).encode(encoding)
    path = _zip(tmp_path, "paja.xlsx", parts)
    assert said(read_workbook(path, catalogue).problems) == (Problem(str(path), "", (
        "declares a DTD or entities in xl/worksheets/sheet2.xml, which workbooks never have; it was refused unread "
        "(a damaged or malicious file). Ask for the workbook again.")),)


def test_missing_ratings_sheet_and_missing_rating_column(catalogue, books, tmp_path) -> None:
    # A renamed ratings sheet is still the ratings table (found by its header): read, with a word.
    path = returned_file(books, tmp_path, values={("tpk-03", "rating"): 2},
                         edit=lambda wb, rows: setattr(wb[k.SHEET_RATINGS], "title", "Arvio"))
    renamed = read_workbook(path, catalogue)
    assert [(p.place, p.message, p.severity) for p in renamed.problems] == [(
        "sheet Arvio", "the answers were read from this sheet, because the sheet Arviointi was renamed (or deleted "
        "and a copy kept). Check that it is the final version.", "warning")]
    assert renamed.response(3).rating == 2 and renamed.response(3).place.startswith("Arvio!")

    def other_sheets_only(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:
        wb.remove(wb[k.SHEET_RATINGS])
        wb.create_sheet("Muistiinpanot")["A1"] = "Palaveri 3.5."

    path = returned_file(books, tmp_path, name="a.xlsx", edit=other_sheets_only)
    assert [p.message for p in read_workbook(path, catalogue).problems] == [
        "has no sheet Arviointi (renamed or deleted), so no answers can be read; rename it back or ask for the workbook again."]
    path = returned_file(books, tmp_path, name="b.xlsx",
                         edit=lambda wb, rows: wb[k.SHEET_RATINGS].cell(k.HEADER_ROW, 6, "Arvosana"))
    assert [(p.place, p.message) for p in read_workbook(path, catalogue).problems] == [(
        f"sheet Arviointi, row {k.HEADER_ROW}",
        "the column 'Arvio' is missing (deleted or renamed); no answers can be read. Restore the header or ask for the workbook again.")]


def test_content_of_another_version_is_a_warning(catalogue, books, tmp_path) -> None:
    def older(wb: openpyxl.Workbook, rows: dict[str, int]) -> None:
        wb["_tunniste"]["B4"] = "0" * 64
        wb.custom_doc_props["content_hash"].value = "0" * 64

    (problem,) = read_workbook(returned_file(books, tmp_path, edit=older), catalogue).problems
    assert problem.severity == "warning" and problem.message.startswith(
        "was made from content version 2022.1 (000000000000), not the content in use (2022.1, ")


def test_check_prefill_refuses_an_auditor_workbook_and_warns_of_another_workshop(catalogue, books, tmp_path) -> None:
    peer = read_workbook(returned_file(books, tmp_path, role="peer", name="peer.xlsx"), catalogue)
    assert [p.message for p in check_prefill(peer)] == [
        "is a workbook of role 'peer', not the workshop's self-assessment; give the self-assessment workbook the workshop returned."]
    own = read_workbook(returned_file(books, tmp_path, name="self.xlsx"), catalogue)
    assert [(p.severity, p.message) for p in check_prefill(own, "paja-99", "2025-syksy")] == [
        ("warning", "belongs to workshop 'paja-12' (Työpaja Äijälä & Co), not 'paja-99'; check that it is the right workshop's file.")]


def test_read_time_per_workbook(catalogue, books, tmp_path) -> None:
    """Median read time, measured for the report; the bound only catches a gross regression."""
    path = returned_file(books, tmp_path, values={("tpk-01", "rating"): 3, ("tpk-01", "reasoning"): "x"})
    times = []
    for _ in range(15):
        start = time.perf_counter()
        returned: Returned = read_workbook(path, catalogue)
        times.append(time.perf_counter() - start)
    assert returned.response(1).rating == 3
    assert statistics.median(times) < 0.1
