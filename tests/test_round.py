"""The workshop and auditor registers: encodings, delimiters, workbooks, and every problem with its line."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from auditkit.catalogue import Profile
from auditkit.model import Auditor, Workshop
from auditkit.registers import read_auditors, read_register

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")

HEADER = ["tunnus", "nimi", "organisaatio", "kunta", "alue", "sähköposti", "profiili", "oppimisympäristöt"]
ROWS = [
    ["P01", "Nuorten työpaja Ääri/Reuna \"Pilotti\"", "Reunan säätiö sr", "Jyväskylä", "Keski-Suomi",
     "aari@example.fi", "nuoret", "kyllä"],
    ["P02", "Työpaja Kipinä, Tampere", "Kipinä ry", "Tampere", "Pirkanmaa", "kipina@example.fi", "aikuiset", "ei"],
    ["P10", "Öljymäen paja", "Öljymäen kunta", "Oulu", "Pohjois-Pohjanmaa", "", "molemmat", "ei"],
]
EXPECTED = (
    Workshop("P01", "Nuorten työpaja Ääri/Reuna \"Pilotti\"", "Reunan säätiö sr", "Jyväskylä", "Keski-Suomi",
             "aari@example.fi", Profile("youth", True)),
    Workshop("P02", "Työpaja Kipinä, Tampere", "Kipinä ry", "Tampere", "Pirkanmaa", "kipina@example.fi",
             Profile("adult", False)),
    Workshop("P10", "Öljymäen paja", "Öljymäen kunta", "Oulu", "Pohjois-Pohjanmaa", "", Profile("both", False)),
)


def csv_text(rows: list[list[str]], delimiter: str = ";") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(csv_text(rows, delimiter).encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Työpajat", start_row: int = 1) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for offset, row in enumerate(rows):
        for col, value in enumerate(row, start=1):
            sheet.cell(row=start_row + offset, column=col, value=value)
    workbook.save(path)
    return path


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_every_encoding_and_delimiter_reads_the_same(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = write_csv(tmp_path / "tyopajat.csv", [HEADER, *ROWS], delimiter, encoding)
    workshops, problems = read_register(path)
    assert problems == []
    assert workshops == EXPECTED


def test_english_headers_any_case_and_english_values(tmp_path: Path) -> None:
    header = [" Workshop ID ", "NAME", "Organisation", "municipality", "Region", "E-mail", "Profile",
              "Learning environments"]
    rows = [["a-1", "Youth Shop", "", "Espoo", "", "y@example.fi", "Youth", "yes"],
            ["a-2", "Adult Shop", "", "Espoo", "", "", "adult", "0"],
            ["a-3", "Both", "", "", "", "", "BOTH", "k"]]
    workshops, problems = read_register(write_csv(tmp_path / "r.csv", [header, *rows], ","))
    assert problems == []
    assert [(w.id, w.profile) for w in workshops] == [
        ("a-1", Profile("youth", True)), ("a-2", Profile("adult", False)), ("a-3", Profile("both", True))]


def test_header_below_a_title_row_and_lines_counted_across_multiline_values(tmp_path: Path) -> None:
    text = ("Työpajarekisteri 2026;;\r\n"
            "tunnus;nimi;profiili\r\n"
            "P1;\"Paja\r\nkahdella rivillä\";nuoret\r\n"
            "P1;Toinen;nuoret\r\n")
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    workshops, problems = read_register(path)
    assert [w.name for w in workshops] == ["Paja\r\nkahdella rivillä"]
    assert messages(p for p in problems if p.severity == "error") == [
        f"{path}, line 5: duplicate id 'P1' (first on line 3); give each workshop its own id."]


def test_ids_trimmed_and_names_kept_exactly(tmp_path: Path) -> None:
    rows = [["tunnus", "nimi", "profiili", "oppimisympäristöt"],
            ["  P07 ", "=Paja / \"Lainaus\" & co", "nuoret", "ei"]]
    (workshop,), _ = read_register(write_csv(tmp_path / "r.csv", rows))
    assert (workshop.id, workshop.name) == ("P07", "=Paja / \"Lainaus\" & co")


def test_300_rows_with_semicolons_bom_and_hard_names(tmp_path: Path) -> None:
    rows = [HEADER] + [
        [f"P{i:03d}", f"Nuorten työpaja Ääri/Reuna \"Pilotti\" {i}", f"Säätiö {i} sr", f"Kunta {i % 40}",
         "Uusimaa", f"paja{i}@example.fi", ("nuoret", "aikuiset", "molemmat")[i % 3], ("kyllä", "ei")[i % 2]]
        for i in range(1, 301)
    ]
    path = write_csv(tmp_path / "iso.csv", rows, ";", "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    workshops, problems = read_register(path)
    assert problems == []
    assert len(workshops) == 300
    assert workshops[0] == Workshop("P001", "Nuorten työpaja Ääri/Reuna \"Pilotti\" 1", "Säätiö 1 sr", "Kunta 1",
                                    "Uusimaa", "paja1@example.fi", Profile("adult", False))
    assert [w.name for w in workshops] == [f"Nuorten työpaja Ääri/Reuna \"Pilotti\" {i}" for i in range(1, 301)]
    assert workshops[-1].profile == Profile("youth", True)


def test_broken_register_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    rows = [
        HEADER + ["puhelin"],
        ["P01", "Ahjo", "", "", "", "ahjo@example.fi", "nuoret", "kyllä", "040"],
        ["P02", "", "", "", "", "kipina.example.fi", "aikuiset", "ei", ""],
        ["", "Nimetön", "", "", "", "", "molemmat", "joo", ""],
        ["p01", "Toinen Ahjo", "", "", "", "", "nuorisot", "k", ""],
        ["P03", "Kolmas", "", "", "", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "tyopajat.csv", rows)
    workshops, problems = read_register(path)
    assert [w.id for w in workshops] == ["P01", "P03"]
    assert messages(p for p in problems if p.severity == "error") == [
        f"{path}, line 3: the name (nimi) is empty; write the workshop's name.",
        f"{path}, line 3: 'kipina.example.fi' is not an email address; write one address, e.g. paja@example.fi.",
        f"{path}, line 4: the id (tunnus) is empty; give each workshop its own id.",
        f"{path}, line 4: learning environments 'joo' is not known; write kyllä or ei (yes or no).",
        f"{path}, line 5: duplicate id 'p01' (first on line 2 as 'P01'); give each workshop its own id.",
        f"{path}, line 5: profile 'nuorisot' is not known; write nuoret, aikuiset or molemmat (youth, adult, both).",
    ]
    assert messages(p for p in problems if p.severity == "warning") == [
        f"{path}, line 1: column 'puhelin' is not used; auditkit reads tunnus (id), nimi (name), organisaatio "
        "(organisation), kunta (municipality), alue (region), sähköposti (email), profiili (profile), "
        "oppimisympäristöt (learning environments). Rename it if it should be one of these.",
        f"{path}: no profile (profiili) on line 6; taken as molemmat, so every criterion applies. "
        "Write nuoret, aikuiset or molemmat.",
        f"{path}: no learning environments (oppimisympäristöt) on line 6; taken as kyllä, so the "
        "learning-environment criteria apply. Write kyllä or ei.",
    ]


def test_unknown_column_set_names_the_required_headers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["koodi", "työpajan osoite"], ["1", "Katu 1"]])
    workshops, problems = read_register(path)
    assert workshops == ()
    assert messages(problems) == [
        f"{path}, line 1: no header row naming the columns tunnus (id), nimi (name) was found in the first 10 rows; "
        "the first row must name the columns. Required: tunnus (id), nimi (name); optional: organisaatio "
        "(organisation), kunta (municipality), alue (region), sähköposti (email), profiili (profile), "
        "oppimisympäristöt (learning environments)."]


def test_repeated_column_and_overlong_row(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("tunnus;nimi;työpajan nimi\nP1;Paja;Paja\nP2;Toinen;Toinen;ylimääräinen\n", encoding="utf-8")
    workshops, problems = read_register(path)
    assert [w.name for w in workshops] == ["Paja", "Toinen"]
    assert f"{path}, line 1: columns 'nimi' and 'työpajan nimi' both give nimi (name); keep one of them." in messages(problems)
    assert (f"{path}, line 3: the row has more cells than the header has columns; is there a delimiter inside a "
            "value? Put such values in double quotes, or save the file from Excel again.") in messages(problems)


def test_header_only_register_has_no_workshops(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [HEADER])
    assert messages(read_register(path)[1]) == [
        f"{path}: has no workshops; add one row per workshop below the header."]


def test_xlsx_register_first_sheet_with_numbers_and_places(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Tunnus", "Nimi", "Kunta", "Profiili", "Oppimisympäristöt"],
        [7, "Paja \"Seitsemän\"", "Lahti", "nuoret", True],
        [8.0, "Kahdeksan", "Lahti", "aikuiset", 0],
        [None, None, None, None, None],
        ["P9", "Yhdeksän", "Lahti", "lapset", "ei"],
    ]
    path = write_xlsx(tmp_path / "tyopajat.xlsx", rows, start_row=2)
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Muut").append(["tunnus", "nimi"])
    workbook.save(path)
    workshops, problems = read_register(path)
    assert [(w.id, w.name, w.profile) for w in workshops] == [
        ("7", "Paja \"Seitsemän\"", Profile("youth", True)), ("8", "Kahdeksan", Profile("adult", False))]
    assert messages(problems) == [
        f"{path}, sheet Työpajat, row 6: profile 'lapset' is not known; write nuoret, aikuiset or molemmat "
        "(youth, adult, both)."]


def test_xlsx_duplicate_says_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [["id", "name"], ["A", "x"], ["a", "y"]])
    _, problems = read_register(path)
    assert messages(problems) == [
        f"{path}, sheet Työpajat, row 3: duplicate id 'a' (first on row 2 as 'A'); give each workshop its own id.",
        f"{path}: no column for profile (profiili); every workshop is taken as molemmat, so every criterion "
        "applies. Add the column and write nuoret, aikuiset or molemmat.",
        f"{path}: no column for learning environments (oppimisympäristöt); every workshop is taken as kyllä, so "
        "the learning-environment criteria apply. Add the column and write kyllä or ei.",
    ]


def test_xlsx_reading_is_bounded(tmp_path: Path) -> None:
    import auditkit.excel.register as register

    path = write_xlsx(tmp_path / "r.xlsx", [["id", "name"]] + [[f"P{i}", f"Paja {i}"] for i in range(30)])
    sheet, problems = register.read_sheet_rows(path, max_rows=10, max_columns=1)
    assert sheet is not None and len(sheet.rows) == 10 and all(len(cells) == 1 for _, cells in sheet.rows)
    assert messages(problems) == [
        f"{path}, sheet Työpajat: the sheet has more than 10 rows; only the first 10 were read. Split the register "
        "or remove empty and extra rows."]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the file is empty; it should have a header row and one row per line of data."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
     "is an old Excel .xls file or a password-protected workbook; save it as .xlsx without a password, or as CSV "
     "(CSV UTF-8)."),
    (b"PK\x03\x04 broken zip", "is not an Excel workbook (.xlsx); save the register as .xlsx or CSV."),
    (b"\x00\x01\x02binary", "is neither a text (CSV) file nor an Excel workbook; save the table as CSV or .xlsx."),
])
def test_files_that_are_not_registers(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "tyopajat.xlsx"
    path.write_bytes(content)
    assert read_register(path) == ((), [read_register(path)[1][0]])
    assert messages(read_register(path)[1]) == [f"{path}: {expected}"]


def test_ods_and_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    ods = tmp_path / "r.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    other = tmp_path / "r.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("a.txt", "x")
    assert messages(read_register(ods)[1]) == [
        f"{ods}: is an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV in LibreOffice (File ▸ Save As)."]
    assert messages(read_register(other)[1]) == [
        f"{other}: is a zip file but not an Excel workbook; save the register as .xlsx or CSV."]


def test_missing_register(tmp_path: Path) -> None:
    assert messages(read_register(tmp_path / "ei.csv")[1]) == [f"{tmp_path / 'ei.csv'}: file not found; check the path."]


def test_auditors_register(tmp_path: Path) -> None:
    rows = [["Nimi", "Sähköposti", "Kotipaja"],
            ["Maija Virtanen", "maija@example.fi", "P01"],
            ["Ulla Ulkoinen", "", ""],
            ["maija virtanen", "MAIJA@example.fi", "P02"],
            ["", "x@example.fi", "P03"],
            ["Pekka", "pekka(at)example.fi", "P04"]]
    path = write_csv(tmp_path / "auditoijat.csv", rows, ",", "cp1252")
    auditors, problems = read_auditors(path)
    assert auditors == (Auditor("Maija Virtanen", "maija@example.fi", "P01"), Auditor("Ulla Ulkoinen", "", ""))
    assert messages(problems) == [
        f"{path}, line 4: maija virtanen is listed twice (first on line 2); keep one row per person.",
        f"{path}, line 5: the name (nimi) is empty; write the auditor's name.",
        f"{path}, line 6: 'pekka(at)example.fi' is not an email address; write one address, e.g. "
        "etunimi.sukunimi@example.fi.",
    ]
