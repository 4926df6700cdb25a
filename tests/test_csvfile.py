"""Every CSV auditkit writes goes through csvfile: `;`, UTF-8 with BOM, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from auditkit.csvfile import csv_bytes, csv_text, write_csv
from auditkit.errors import UsageError
from auditkit.letters import Mail, mailing_list_bytes
from auditkit.manifest import MANIFEST_COLUMNS, KitFile, read_manifest


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_mailing_list_defuses_what_a_register_brought() -> None:
    data = mailing_list_bytes([Mail("=HYPERLINK(\"http://x\",\"Paja\")", "paja@example.fi", "+Aihe", "a/saate.txt")])
    assert _rows(data) == [["vastaanottaja", "sähköposti", "aihe", "kirje", "liite"],
                           ["'=HYPERLINK(\"http://x\",\"Paja\")", "paja@example.fi", "'+Aihe", "a/saate.txt", ""]]


def test_the_manifest_defuses_a_workshops_name_and_reads_it_back_as_it_was(tmp_path: Path) -> None:
    row = KitFile("tyopajat/P01/lomake.docx", "@Paja", "p@example.fi", "workshop", "P01", "=1+1", "self",
                  "itsearviointilomake", "abc", "0" * 64, 10, "1.0")
    write_csv(tmp_path / "manifest.csv", MANIFEST_COLUMNS, [row.row()], force=True)
    written = _rows((tmp_path / "manifest.csv").read_bytes())
    assert written[1][1] == "'@Paja" and written[1][5] == "'=1+1"
    assert read_manifest(tmp_path) == (row,)


def test_a_delimiter_is_one_auditkit_writes() -> None:
    assert csv_bytes(["a", "b"], [["1", "ä"]], delimiter=",") == "\ufeffa,b\r\n1,ä\r\n".encode()
    assert csv_text(["a"], [["=x"]]) == "a\r\n'=x\r\n"
    with pytest.raises(UsageError):
        csv_text(["a", "b"], [], delimiter="|")


def test_every_cell_is_guarded_as_guard_says() -> None:
    """csv_text writes each cell, header or row, as guard makes it (a formula-like text kept as text)."""
    from auditkit.csvfile import guard

    cells = ["=SUM(A1)", "+1", "-2", "@x", "\tsisennys", "\rpaluu", "tavallinen", "", "'=jo", 3, -4.5, None]
    header = ["=otsikko", "nimi"]
    text = csv_text(header, [cells, list(reversed(cells))], delimiter=";")
    read = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert read == [[guard(str(c)) for c in header], [guard(str(c)) for c in cells],
                    [guard(str(c)) for c in reversed(cells)]]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_rows_are_written_as_the_csv_writer_writes_them_whatever_their_cells(delimiter: str) -> None:
    """Rows are written many at a time (results.csv has 600 000 cells): the text is the standard writer's,
    every cell guarded, whether a cell holds quotes, the delimiter, a line break, starts like a formula, or
    is not text; a clean row beside such a row is written the same."""
    import random

    from auditkit.csvfile import guard

    tricky = ['Paja "Pilotti"', '"', 'a""b', "x;y", "x,y", "rivi\nrivi", "rivi\r\nrivi", "\r", "=1+1", "+358 40",
              "-", "@x", "\tsisennys", "", " väli ", "'=jo", "ä – ö", 3, -4.5, None, True, "nul\x00", "é\"", ";", ","]
    plain = ["P001", "itsearviointi", "3", "", "Käytäntö on kirjattu.", "P001 – itsearviointi.xlsx Arviointi!F12"]
    chance = random.Random(14)
    rows: list[list[object]] = []
    for n in range(400):
        row: list[object] = [chance.choice(plain) for _ in range(chance.randint(1, 8))]
        if n % 7 == 0:
            row[chance.randrange(len(row))] = chance.choice(tricky)
        rows.append(row)
    for value in tricky:  # each alone among plain rows, first, last or within its row
        for n in range(70):
            row = [chance.choice(plain) for _ in range(chance.randint(1, 8))]
            if n == 35:
                row[chance.choice([0, -1, len(row) // 2])] = value
            rows.append(row)
    rows += [[""], [], ["", ""], ['"'], [None]]
    expected = io.StringIO()
    csv.writer(expected, delimiter=delimiter, lineterminator="\r\n").writerows(
        [[guard(str(c)) for c in row] for row in [["otsikko", "=b"], *rows]])
    text = csv_text(["otsikko", "=b"], rows, delimiter=delimiter)
    assert text == expected.getvalue()
    read = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert read[1:] == [[guard(str(c)) for c in row] for row in rows]
