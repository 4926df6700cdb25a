"""No traceback anywhere (issue 11.8): outputs that cannot be written, CSVs re-saved by Excel, content
with another scale size, an empty meta.toml, and `content show` listing every criterion."""

from __future__ import annotations

import csv
import errno
import io
import pathlib
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditkit import outputs
from auditkit.cli import main
from auditkit.csvfile import csv_bytes, read_dicts, unguard
from auditkit.excel.cells import Package
from auditkit.kit import kit_for_round
from auditkit.manifest import MANIFEST_COLUMNS, read_manifest
from auditkit.round import init_round
from auditkit.word.pictures import heat_colours


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- outputs that cannot be written ------------------------------------------------------------


def test_an_output_inside_a_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run("glossary", "-o", str(tmp_path / "afile" / "x.docx"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip() == (f"Virhe: {tmp_path / 'afile' / 'x.docx'}: ei voi kirjoittaa: {tmp_path / 'afile'} "
                                     "on tiedosto eikä kansio. Anna polku kansion sisällä (tai nimeä tiedosto uudelleen).")


def test_a_folder_without_write_permission_says_so(tmp_path: Path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refuse)  # as in a read-only folder (tests may run as root)
    target = tmp_path / "lukittu" / "kasitteet.docx"
    result = run("glossary", "-o", str(target))
    assert result.exit_code == 1
    assert result.output.strip() == (f"Virhe: {target}: ei voi kirjoittaa: ei kirjoitusoikeutta kansioon {target.parent}. "
                                     "Valitse toinen kansio (-o/--out) tai pyydä kirjoitusoikeus.")


def test_a_full_disk_says_so_and_leaves_nothing_half_written(tmp_path: Path, monkeypatch) -> None:
    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pathlib.Path, "write_bytes", full)
    target = tmp_path / "kasitteet.docx"
    result = run("glossary", "-o", str(target))
    assert result.exit_code == 1
    assert result.output.strip() == (f"Virhe: {target}: ei voi kirjoittaa: levy on täynnä. Vapauta tilaa tai kirjoita "
                                     "toiselle levylle (-o/--out).")
    assert list(tmp_path.iterdir()) == []


def test_a_kit_whose_output_folder_is_a_file(tmp_path: Path) -> None:
    init_round(tmp_path)
    (tmp_path / "output").write_text("not a folder", encoding="utf-8")
    result = run("kit", str(tmp_path / "round.toml"), "--silent")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{tmp_path / 'output'} on tiedosto eikä kansio" in result.output


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_is_written_for_excel_with_every_cell_guarded() -> None:
    data = csv_bytes(("a", "b"), [["=1+1", "@SUM(A1)"], ["-2", "tavallinen; teksti"]])
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 3
    assert data.decode("utf-8-sig").splitlines() == ["a;b", "'=1+1;'@SUM(A1)", "'-2;\"tavallinen; teksti\""]
    assert [unguard(x) for x in ("'=1+1", "'@SUM(A1)", "'-2", "'tavallinen", "=x")] == [
        "=1+1", "@SUM(A1)", "-2", "'tavallinen", "=x"]


@pytest.fixture(scope="module")
def kit(tmp_path_factory, catalogue):
    folder = tmp_path_factory.mktemp("round")
    init_round(folder)
    register = folder / "tyopajat.csv"
    text = register.read_text(encoding="utf-8-sig").replace(";Nuorten työpaja Ahjo;", ";=Ahjo (kaava?);")
    register.write_text(text, encoding="utf-8-sig")
    return kit_for_round(folder / "round.toml", catalogue).result


def test_the_manifest_is_guarded_and_read_back_as_written(kit) -> None:
    text = (kit.out_dir / "manifest.csv").read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert "'=Ahjo (kaava?)" in cells and not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    rows = read_manifest(kit.out_dir)
    assert rows == kit.files and {r.workshop_name for r in rows if r.workshop_id == "P01"} == {"=Ahjo (kaava?)"}


@pytest.mark.parametrize("delimiter", [";", ","])
def test_a_manifest_resaved_by_excel_in_windows_1252_is_read(kit, tmp_path: Path, delimiter: str) -> None:
    rows = list(csv.reader(io.StringIO((kit.out_dir / "manifest.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    folder = tmp_path / "out"
    folder.mkdir()
    # Excel's plain "CSV" (Finnish Windows: `;`, English: `,`): the system code page, no BOM
    (folder / "manifest.csv").write_bytes(buffer.getvalue().encode("cp1252"))
    assert read_manifest(folder) == kit.files


@pytest.mark.usefixtures("english")  # pins the English source wording
def test_a_csv_missing_columns_says_which(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes("file;kit_id\r\na.xlsx;K1\r\n".encode("cp1252"))
    rows, problems = read_dicts(path, MANIFEST_COLUMNS)
    assert rows[0][1]["kit_id"] == "K1" and rows[0][0] == "line 2"
    assert problems[0].place == "line 1" and "lacks the column(s) recipient" in problems[0].message


# --- content -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")  # pins the English source wording
def test_an_empty_meta_toml_names_every_missing_key(content_copy: Path) -> None:
    (content_copy / "meta.toml").write_text("", encoding="utf-8")
    result = run("content", "check", "--content", str(content_copy))
    assert result.exit_code == 1 and "Traceback" not in result.output
    for key in ("meta.title", "meta.publisher", "meta.version"):
        assert f"meta.toml, {key}: missing; add it." in result.output
    assert "meta.toml, year: missing or not a whole number" in result.output


@pytest.mark.parametrize("name", ["structure.toml", "criteria.toml", "concepts.toml", "scale.toml", "rules.toml"])
def test_an_empty_content_file_fails_the_check(content_copy: Path, name: str) -> None:
    (content_copy / name).write_text("# tyhjä\n", encoding="utf-8")
    result = run("content", "check", "--content", str(content_copy))
    assert result.exit_code == 1 and "Traceback" not in result.output and f"- {name}" in result.output


def test_content_show_lists_every_criterion(catalogue) -> None:
    shown = run("content", "show").output
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\. ", shown, re.M)]
    assert numbers == [c.number for c in catalogue.criteria] and len(numbers) == 51


def _scale(folder: Path, levels: int) -> Path:
    """The bundled content with a scale of `levels` levels (1..levels)."""
    text = (folder / "scale.toml").read_text(encoding="utf-8")
    head, rest = text.split("\n[[level]]\n", 1)
    na = rest[rest.index("\n[not_applicable]\n") + 1:]
    names = ["Puuttuva", "Alkava", "Kehittynyt", "Edistynyt", "Erinomainen"]
    body = "".join(f'[[level]]\nvalue = {i}\nname = "{names[i - 1]}"\nplain = "Taso {i}"\npractice = "Käytäntö {i}."\n'
                   f'results = "Tulokset {i}."\n\n' for i in range(1, levels + 1))
    (folder / "scale.toml").write_text(head + "\n" + body + na, encoding="utf-8")
    return folder


@pytest.mark.parametrize("levels", [3, 5])
def test_every_command_works_with_another_scale_size(tmp_path: Path, content_copy: Path, levels: int) -> None:
    content = str(_scale(content_copy, levels))
    assert run("content", "check", "--content", content).exit_code == 0
    for command in (["form", "-o", str(tmp_path / "f.docx")], ["audit-report", "-o", str(tmp_path / "r.docx")],
                    ["glossary", "-o", str(tmp_path / "g.docx")],
                    ["workbook", "--role", "self", "--workshop", "Paja", "-o", str(tmp_path / "w.xlsx")],
                    ["content", "show"], ["content", "export", "--format", "csv"]):
        result = run(*command, "--content", content)
        assert result.exit_code == 0, (command, result.output)
    demo = run("demo", "-o", str(tmp_path / "demo"), "--content", content)
    assert demo.exit_code == 0 and "Traceback" not in demo.output, demo.output
    assert "Avaa koontiraportti" in demo.output
    with zipfile.ZipFile(tmp_path / "w.xlsx") as z:
        rows = Package(z).rows("Arviointi", 3, 3)
    assert f"(1–{levels} tai Ei sovellu)" in rows[3][2].value


def test_level_colours_follow_the_scale() -> None:
    for n in (2, 3, 4, 5, 7):
        missing, na, colours = heat_colours(n)
        assert len(colours) == n and len({missing, na, *colours}) == n + 2


# --- the command line's one error boundary -----------------------------------------------------


def test_an_unexpected_error_is_a_message_and_exit_1(tmp_path: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("auditkit.word.build_glossary", broken)
    monkeypatch.delenv("AUDITKIT_DEBUG", raising=False)
    result = run("glossary", "-o", str(tmp_path / "k.docx"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip() == ("Virhe: auditkit glossary pysähtyi odottamattomaan virheeseen (RuntimeError: a "
                                     "bug); aja se uudelleen asetuksella AUDITKIT_DEBUG=1 nähdäksesi kohdan ja "
                                     "ilmoita se yhdessä ajamasi komennon kanssa.")


def test_auditkit_debug_shows_the_traceback(tmp_path: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("auditkit.word.build_glossary", broken)
    monkeypatch.setenv("AUDITKIT_DEBUG", "1")
    result = CliRunner().invoke(main, ["glossary", "-o", str(tmp_path / "k.docx")])
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr and 'raise RuntimeError("a bug")' in result.stderr
    assert "Virhe: auditkit glossary pysähtyi odottamattomaan virheeseen (RuntimeError: a bug)" in result.stderr


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "tyopajat.csv"

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(blocked))

    init_round(tmp_path)
    monkeypatch.setattr("auditkit.assignment.assign", refuse)
    result = run("assign", str(tmp_path / "round.toml"), "--force")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip() == (f"Virhe: {blocked}: ei voi lukea eikä kirjoittaa: ei kirjoitusoikeutta kansioon "
                                     f"{tmp_path}. Valitse toinen kansio (-o/--out) tai pyydä kirjoitusoikeus.")


@pytest.mark.usefixtures("english")  # pins the English source wording
def test_content_that_is_not_utf8_is_named(content_copy: Path) -> None:
    with (content_copy / "meta.toml").open("ab") as handle:
        handle.write("# Pääkaupunkiseutu\n".encode("cp1252"))
    result = run("content", "check", "--content", str(content_copy))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "meta.toml: not UTF-8 text (byte" in result.output and "save the file as UTF-8" in result.output


def test_a_template_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    (tmp_path / "glossary_intro.j2").write_bytes("Käsitteet {{ title }}\n".encode("cp1252"))
    result = run("glossary", "--templates", str(tmp_path), "-o", str(tmp_path / "k.docx"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().startswith(f"Virhe: {tmp_path / 'glossary_intro.j2'}: tiedosto ei ole UTF-8-tekstiä (tavua 1 ")


def test_a_reader_that_raises_names_its_cause_under_auditkit_debug(tmp_path: Path, catalogue, monkeypatch) -> None:
    from auditkit.compile import compile_round
    from auditkit.word import read_form

    def broken(path, catalogue):
        raise KeyError("sheet")

    (tmp_path / "paja.xlsx").write_bytes(b"PK\x03\x04")
    monkeypatch.delenv("AUDITKIT_DEBUG", raising=False)
    quiet = compile_round(catalogue, [tmp_path], read_workbook=broken, read_form=read_form)
    assert [(p.code, p.message) for p in quiet.problems] == [("reader-failed",
        "tiedostoa ei voitu lukea (KeyError); avatkaa se Excelissä tai LibreOfficessa, tallentakaa se .xlsx- tai "
        ".docx-muotoon ja palauttakaa se uudelleen.")]
    monkeypatch.setenv("AUDITKIT_DEBUG", "1")
    loud = compile_round(catalogue, [tmp_path], read_workbook=broken, read_form=read_form)
    assert "Traceback (most recent call last)" in loud.problems[0].message
    assert "KeyError: 'sheet'" in loud.problems[0].message
