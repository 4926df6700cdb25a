"""Returned files compile cannot be fooled by (issue 11), built at the XML and zip level: formulas
Excel writes that LibreOffice does not (shared formulas, Excel 365 spills, data tables), Strict
Open XML, and archives (bounds, member paths, nesting, Windows' own zip names).

The office-program classes (array formulas, sheet copies, inserted rows, comments, sorting, other
formats) are in test_returned_edits.py, made by LibreOffice.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from auditkit import containers
from auditkit.compile import compile_round, find_files, results_rows
from auditkit.excel import fill_workbook, read_workbook
from auditkit.manifest import round_kit_ids
from auditkit.round import load_round
from auditkit.word import read_form
from conftest import round_with_kit
from hostile import _raw_zip

# These tests pin each problem's exact wording in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def kit(tmp_path_factory, catalogue):
    folder = tmp_path_factory.mktemp("round")
    _, files = round_with_kit(folder, catalogue)
    return load_round(folder / "round.toml"), files


def _compile(catalogue, rnd, folder: Path):
    return compile_round(catalogue, [folder], round_=rnd, kit_ids=round_kit_ids(rnd), read_workbook=read_workbook,
                         read_form=read_form)


def _workbook(files, catalogue, wid: str, answers: dict, edit=None) -> bytes:
    data = fill_workbook(files[(wid, "itsearviointi")].read_bytes(), catalogue, answers)
    if edit is None:
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {info.filename: z.read(info) for info in z.infolist()}
    edit(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in members.items():
            z.writestr(name, part)
    return out.getvalue()


def _cells(xml: bytes, contents: dict[str, str]) -> bytes:
    """The sheet with these cells' content replaced (their style kept), as Excel writes them."""
    text = xml.decode("utf-8")
    for ref, content in contents.items():
        cell = re.compile(rf'<c r="{ref}"([^>]*?)(?:/>|>.*?</c>)', re.S)
        style = re.search(r'\ss="\d+"', cell.search(text).group(1))  # type: ignore[union-attr]
        text = cell.sub(f'<c r="{ref}"{style.group(0) if style else ""}{content}</c>', text, count=1)
    return text.encode("utf-8")


def test_every_cell_a_formula_covers_is_a_formula(tmp_path: Path, kit, catalogue) -> None:
    """Shared formulas, an Excel 365 spill and a data table: their cached values are never ratings."""
    rnd, files = kit

    def excel_formulas(members: dict[str, bytes]) -> None:
        sheet = "xl/worksheets/sheet2.xml"
        members[sheet] = _cells(members[sheet], {
            # criteria 3-5: =SEQUENCE(3) spilled by Excel 365 (the anchor has the range; the others only a value)
            "F9": ' cm="1"><f t="array" ref="F9:F11">_xlfn.SEQUENCE(3)</f><v>1</v>', "F10": "><v>2</v>",
            "F11": "><v>3</v>",
            # criteria 6-8: a shared formula filled down
            "F12": '><f t="shared" ref="F12:F14" si="0">ROW()-9</f><v>3</v>', "F13": '><f t="shared" si="0"/><v>4</v>',
            "F14": '><f t="shared" si="0"/><v>4</v>',
            # criteria 9-11: a what-if data table
            "F16": '><f t="dataTable" ref="F16:F18" dt2D="0" dtr="0" r1="B1"/><v>2</v>', "F17": "><v>2</v>",
            "F18": "><v>3</v>",
        })

    back = tmp_path / "b"
    back.mkdir()
    (back / "P01.xlsx").write_bytes(_workbook(files, catalogue, "P01", {1: {"rating": 3}}, excel_formulas))
    result = _compile(catalogue, rnd, back)
    errors = {p.place: p.message for p in result.problems if p.file == "P01.xlsx"}
    for cell, number, shown in (("F9", 3, "{=SEQUENCE(3)}"), ("F10", 4, "{=SEQUENCE(3)}"), ("F11", 5, "{=SEQUENCE(3)}"),
                                ("F12", 6, "=ROW()-9"), ("F13", 7, "=ROW()-9"), ("F14", 8, "=ROW()-9"),
                                ("F16", 9, "{=TABLE(B1)}"), ("F17", 10, "{=TABLE(B1)}"), ("F18", 11, "{=TABLE(B1)}")):
        assert errors[f"sheet Arviointi, cell {cell}"] == (f"the rating of criterion {number} is a formula ({shown}), "
                                                           "which is not read; choose the rating from the list.")
    ratings = {int(r[3]): r[4] for r in results_rows(result, catalogue) if r[1] == "P01"}
    assert ratings[1] == "3" and all(ratings[n] == "" for n in range(3, 12))


def _strict(members: dict[str, bytes], part: str, transitional: bytes, strict: bytes) -> None:
    members[part] = members[part].replace(transitional, strict)


def test_strict_open_xml_gets_advice(tmp_path: Path, kit, catalogue) -> None:
    rnd, files = kit
    back = tmp_path / "b"
    back.mkdir()
    (back / "P02.xlsx").write_bytes(_workbook(files, catalogue, "P02", {1: {"rating": 3}}, lambda m: _strict(
        m, "xl/workbook.xml", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main")))
    with zipfile.ZipFile(files[("P03", "itsearviointilomake")]) as z:
        members = {info.filename: z.read(info) for info in z.infolist()}
    _strict(members, "word/document.xml", b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    with zipfile.ZipFile(back / "P03.docx", "w") as z:
        for name, part in members.items():
            z.writestr(name, part)
    result = _compile(catalogue, rnd, back)
    messages = {p.file: p.message for p in result.problems if p.file}
    assert messages == {
        "P02.xlsx": "is saved as Strict Open XML, which auditkit does not read; open it in Excel and save it as "
                    "Excel Workbook (.xlsx).",
        "P03.docx": "is saved as Strict Open XML Document, which auditkit does not read; open it in Word, choose "
                    "File > Save As and the file type Word Document (.docx), and return that.",
    }


class _WindowsName(zipfile.ZipInfo):
    """A member named the way Windows' own "Compressed folder" names it: the DOS code page, no UTF-8 flag."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
        return self.filename.encode("cp850"), self.flag_bits


def test_archives_are_opened_within_bounds(tmp_path: Path, kit, catalogue) -> None:
    rnd, files = kit
    back = tmp_path / "b"
    back.mkdir()
    good = _workbook(files, catalogue, "P04", {2: {"rating": 4}})
    # Windows' compressed folder: a Finnish name in code page 850
    with zipfile.ZipFile(back / "windows.zip", "w") as z:
        z.writestr(_WindowsName("Työpaja P04/itsearviointi.xlsx"), good)
        z.writestr("Työpaja P04/Thumbs.db", b"x")
    # Nested three deep: the innermost archive is refused; the members above it are compiled
    level3 = _zip({"P05.xlsx": _workbook(files, catalogue, "P05", {1: {"rating": 2}})})
    level2 = _zip({"syvin.zip": level3, "P06.xlsx": _workbook(files, catalogue, "P06", {1: {"rating": 1}})})
    level1 = _zip({"keski.zip": level2})
    (back / "sisakkain.zip").write_bytes(_zip({"ylin.zip": level1}))
    # Members whose paths leave the archive, one with a password, a bomb
    with zipfile.ZipFile(back / "vaarallinen.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("../../ulos/P07.xlsx", good)
        z.writestr("/etc/P07.xlsx", good)
        z.writestr("salattu.xlsx", good)
        z.writestr("pommi.xlsx", b"\0" * (5 * 1024 * 1024))
    (back / "vaarallinen.zip").write_bytes(_encrypted_flag((back / "vaarallinen.zip").read_bytes(), b"salattu.xlsx"))
    (back / "valtava.zip").write_bytes(_raw_zip([(f"{i}.xlsx", b"x", 20 * 1024 * 1024) for i in range(30)]))
    (back / "rikki.zip").write_bytes(b"PK\x03\x04 cut off while downloading")
    (back / "P08.zip").write_bytes(_workbook(files, catalogue, "P08", {3: {"rating": 3}}))  # a workbook renamed
    result = _compile(catalogue, rnd, back)
    status = {f.file: f.status for f in result.files}
    messages = {p.file: p.message for p in result.problems if p.file}
    assert status["windows.zip/Työpaja P04/itsearviointi.xlsx"] == "used"
    assert status["sisakkain.zip/ylin.zip/keski.zip/P06.xlsx"] == "used"
    assert messages["sisakkain.zip/ylin.zip/keski.zip/syvin.zip"] == (
        "an archive inside 3 archives; it was not opened. Unpack the archives and return the kit files themselves.")
    leaves = ("the member's path leads outside the archive (an absolute path or ..), so it was not unpacked; ask for "
              "the files again, zipped as they are.")
    assert messages["vaarallinen.zip/../../ulos/P07.xlsx"] == messages["vaarallinen.zip//etc/P07.xlsx"] == leaves
    assert "protected with a password inside the archive" in messages["vaarallinen.zip/salattu.xlsx"]
    assert "(a zip bomb?)" in messages["vaarallinen.zip/pommi.xlsx"]
    assert messages["valtava.zip"] == ("valtava.zip would unpack to 600 MB, far more than returned kits; it was not "
                                       "opened (a damaged or malicious archive). Return the kit files themselves.")
    assert "the archive is damaged or incomplete" in messages["rikki.zip"]
    assert status["P08.zip"] == "used"
    assert not (tmp_path / "ulos").exists() and not Path("/etc/P07.xlsx").exists()
    used = {w.workshop.id: w.self_workbook for w in result.workshops if w.self_workbook}
    assert (used["P04"].response(2).rating, used["P06"].response(1).rating, used["P08"].response(3).rating) == (4, 1, 3)
    assert "P05" not in used and "P07" not in used


def test_an_archive_of_many_files_is_refused_whole(tmp_path: Path) -> None:
    (tmp_path / "paljon.zip").write_bytes(_zip({f"{i}.txt": b"x" for i in range(containers.MAX_MEMBERS + 1)}))
    (path,) = find_files([tmp_path])
    assert str(containers.member(path).refusal).startswith("paljon.zip holds more than 2000 files")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _encrypted_flag(data: bytes, name: bytes) -> bytes:
    """The archive with one member marked encrypted (bit 0 of its flags), as a zip program with a password writes it."""
    out = bytearray(data)
    for signature, flags, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at:at + name_at + len(name)] == name:
                out[at + flags] |= 0x1
            at = out.find(signature, at + 1)
    return bytes(out)
