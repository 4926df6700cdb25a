"""Kits for a round: complete, stamped with the right workshop everywhere, idempotent, manifest true."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditkit.cli import main
from auditkit.dates import date_fi
from auditkit.errors import RoundError
from auditkit.excel import read_workbook
from auditkit.kit import kit_for_round, kit_id
from auditkit.manifest import read_manifest
from auditkit.naming import FILE_PREFIX_LIMIT, FOLDER_LIMIT, safe_name
from auditkit.round import init_round, load_round
from auditkit.word import read_form
from libreoffice import convert, pdf_text

NASTY = 'Nuorten työpaja Ääri/Reuna "Pilotti"'


def package_text(path: Path) -> str:
    """All XML text of a .docx/.xlsx, for checking which names a document carries."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


@pytest.fixture(scope="module")
def example_round(tmp_path_factory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("kierros")
    init_round(folder)
    from auditkit.catalogue import load_catalogue

    run = kit_for_round(folder / "round.toml", load_catalogue())
    return folder, run


def folder_and_prefix(workshop_id: str, name: str) -> tuple[str, str]:
    """A workshop's kit folder and the start of its files' names (shortened names, whole ids)."""
    folder = safe_name(f"{workshop_id} {name}", FOLDER_LIMIT)
    return folder, safe_name(folder, FILE_PREFIX_LIMIT)


def test_example_round_is_complete(example_round) -> None:
    folder, run = example_round
    result = run.result
    rnd = load_round(folder / "round.toml")
    assert len(result.made) == 12 and result.skipped == ()
    assert run.assignment_written == folder / "jaot.csv"
    out = result.out_dir
    assert out == folder / "output" / rnd.config.id
    for w in rnd.workshops:
        d, f = folder_and_prefix(w.id, w.name)
        names = sorted(p.name for p in (out / "tyopajat" / d).iterdir())
        assert names == sorted([f"{f} – itsearviointi.xlsx", f"{f} – itsearviointilomake.docx", "Käsitteet.docx", "Saate.txt"])
        assert (out / "lahetys" / f"{d}.zip").is_file()
    # Phase one sends auditors a notice only: nothing to fill before the self-assessment is back.
    assert not (out / "auditoinnit").exists()
    notices = sorted(p.parent.name for p in (out / "auditoijat").glob("*/*"))
    assert notices == sorted(a.name for a in rnd.auditors) and len(notices) == 13
    assert all(p.name == "Ilmoitus.txt" for p in (out / "auditoijat").glob("*/*"))
    assert not list(out.rglob("*.part")) and not list(out.rglob(".*"))


def test_manifest_matches_the_files(example_round) -> None:
    _, run = example_round
    out = run.result.out_dir
    rows = read_manifest(out)
    assert rows == run.result.files
    listed = {r.file for r in rows}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {
        "manifest.csv", "manifest.xlsx", "postituslista.csv"}
    assert listed == on_disk
    for r in rows:
        data = (out / r.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r.sha256 and len(data) == r.bytes
    assert [r for r in rows if r.document == "auditointi"] == []
    notices = [r for r in rows if r.document == "ilmoitus"]
    assert len(notices) == 13 and {r.recipient_type for r in notices} == {"auditor"}
    xlsx_rows = list(csv.reader(io.StringIO((out / "manifest.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(xlsx_rows) == len(rows) + 1


def test_documents_carry_their_workshop_and_no_other(example_round) -> None:
    folder, run = example_round
    from auditkit.catalogue import load_catalogue

    catalogue = load_catalogue()
    rnd = load_round(folder / "round.toml")
    out = run.result.out_dir
    names = {w.id: w.name for w in rnd.workshops}
    for w in rnd.workshops:
        d, f = folder_and_prefix(w.id, w.name)
        form = out / "tyopajat" / d / f"{f} – itsearviointilomake.docx"
        book = out / "tyopajat" / d / f"{f} – itsearviointi.xlsx"
        for path in (form, book):
            reader = read_form if path.suffix == ".docx" else read_workbook
            ident = reader(path, catalogue).identity
            assert (ident.workshop_id, ident.workshop_name, ident.role, ident.round_id) == (
                w.id, w.name, "self", rnd.config.id)
            assert ident.kit_id == kit_id(rnd.config.id, w.id, "self", catalogue.hash, rnd.config.instance)
            assert ident.round_instance == rnd.config.instance != ""
            # What a person sees says the same: the kit id and the workshop on the ratings sheet / data sheet.
            shown = reader(path, catalogue).shown
            assert (shown.kit_id, shown.workshop_name) == (ident.kit_id, w.name)
            assert ident.content_hash == catalogue.hash
            text = package_text(path)
            escaped = w.name.replace("&", "&amp;").replace('"', "&quot;")
            assert escaped in text or w.name in text
            others = [n for i, n in names.items() if i != w.id and (n in text or n.replace("&", "&amp;") in text)]
            assert others == [], f"{path.name} names other workshops: {others}"
        assert "[[ak:" not in package_text(form) + package_text(book)


def test_letters_and_packets(example_round) -> None:
    folder, run = example_round
    rnd = load_round(folder / "round.toml")
    out = run.result.out_dir
    w = rnd.workshop("P03")  # adults, no learning environments
    d, _ = folder_and_prefix(w.id, w.name)
    letter = (out / "tyopajat" / d / "Saate.txt").read_text(encoding="utf-8")
    assert letter.startswith("Aihe: Laatumerkin auditointikierros")
    assert w.name in letter and "Mitä me teemme tässä asiassa?" in letter
    deadlines = [date_fi(rnd.config.deadline_of(phase)) for phase in ("self", "audit", "comments")]
    for day in deadlines:  # every phase's deadline, as people read dates
        assert day in letter and rnd.config.deadline_of("self") not in letter
    # who holds what: the rating in the workbook, the narrative in the form
    assert f"Itsearviointitaulukko (Excel, {d} – itsearviointi.xlsx): kunkin kriteerin arvio" in letter
    assert "Itsearviointilomake (Word," in letter and "kysymykset auditoijille" in letter
    assert "Kriteerit 11, 33–37 eivät koske työpajanne profiilia" in letter
    with zipfile.ZipFile(out / "lahetys" / f"{d}.zip") as z:
        assert sorted(z.namelist()) == sorted(f"{d}/{p.name}" for p in (out / "tyopajat" / d).iterdir())
    notices = {p.parent.name: p.read_text(encoding="utf-8") for p in (out / "auditoijat").glob("*/Ilmoitus.txt")}
    assert all(text.startswith(f"Aihe: {rnd.config.name}: auditointitehtäväsi ja esteellisyys\n\nHei {name},")
               for name, text in notices.items())
    assert all("pääauditoija" in text and deadlines[0] in text and deadlines[1] in text for text in notices.values())
    assert all("esteellinen" in text and "vertaisauditoija)" not in text for text in notices.values())
    mails = list(csv.DictReader(io.StringIO((out / "postituslista.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert (out / "postituslista.csv").read_bytes().startswith("\ufeffvastaanottaja;".encode())
    assert len(mails) == 12 + 13 and mails[2] == {
        "vastaanottaja": w.name, "sähköposti": w.email, "aihe": letter.splitlines()[0][len("Aihe: "):],
        "kirje": f"tyopajat/{d}/Saate.txt", "liite": f"lahetys/{d}.zip"}
    assert {m["kirje"] for m in mails[12:]} == {f"auditoijat/{name}/Ilmoitus.txt" for name in notices}


def test_rerun_makes_only_new_kits_and_force_remakes(tmp_path: Path, catalogue) -> None:
    init_round(tmp_path)
    first = kit_for_round(tmp_path / "round.toml", catalogue).result
    form = next((first.out_dir / "tyopajat").glob("P01*/*itsearviointilomake.docx"))
    before = form.stat().st_mtime_ns
    register = tmp_path / "tyopajat.csv"
    text = register.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    extra = delimiter.join(["P13", "Uusi paja", "Uusi ry", "Kemi", "Lappi", "uusi@example.fi", "aikuiset", "ei"])
    register.write_text(text.rstrip("\n") + "\n" + extra + "\n", encoding="utf-8")
    before_rows = (tmp_path / "jaot.csv").read_bytes()
    run = kit_for_round(tmp_path / "round.toml", catalogue)
    second = run.result
    assert second.made == ("P13",) and len(second.skipped) == 12
    # P13 got a team; the teams already sent are unchanged, and the file as it was is kept.
    assert run.assignment_extended == ("P13",) and run.assignment_backup == tmp_path / "jaot.csv.bak"
    assert run.assignment_backup.read_bytes() == before_rows
    from auditkit.assignment import read_assignment
    from auditkit.round import load_round as _load

    rnd = _load(tmp_path / "round.toml")
    old_teams, _ = read_assignment(run.assignment_backup, rnd.workshops[:12], ())
    new_teams, problems = read_assignment(tmp_path / "jaot.csv", rnd.workshops, ())
    assert [p for p in problems if p.severity == "error"] == []
    assert all(new_teams[w] == old_teams[w] for w in old_teams)
    p13 = new_teams["P13"]
    assert len(p13) == 2 and all(a.home_workshop_id != "P13" for a in p13)
    assert p13[0].role == "pääauditoija" and len({a.home_workshop_id for a in p13}) == 2
    assert form.stat().st_mtime_ns == before
    assert any(r.workshop_id == "P13" for r in read_manifest(second.out_dir))
    again = kit_for_round(tmp_path / "round.toml", catalogue, force=True, only=["P01"]).result
    assert again.made == ("P01",)
    with pytest.raises(RoundError, match="ei ole työpajaa tunnuksella P99"):
        kit_for_round(tmp_path / "round.toml", catalogue, only=["P99"])


def no_register(folder: Path) -> None:
    """Leave the auditors to the workshops: each supplies one (for a register without the example's people)."""
    toml = folder / "round.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('auditors = "auditoijat.csv"', 'auditors = ""'),
                    encoding="utf-8")


def test_300_workshops_with_hostile_names(tmp_path: Path, catalogue) -> None:
    init_round(tmp_path)
    no_register(tmp_path)  # the example auditors come from the example workshops
    lines = ["tunnus;nimi;organisaatio;kunta;alue;sähköposti;profiili;oppimisympäristöt"]
    for i in range(1, 301):
        lines.append(f'P{i:03d};"{NASTY.replace(chr(34), chr(34) * 2)} {i}";Org {i};Kunta{i % 17};Alue;'
                     f"p{i}@example.fi;{('nuoret', 'aikuiset', 'molemmat')[i % 3]};{'kyllä' if i % 2 else 'ei'}")
    (tmp_path / "tyopajat.csv").write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    result = kit_for_round(tmp_path / "round.toml", catalogue).result
    assert len(result.made) == 300
    folders = sorted(p.name for p in (result.out_dir / "tyopajat").iterdir())
    assert len(folders) == 300 and folders[0] == "P001 Nuorten työpaja Ääri-Reuna Pilotti 1"
    for n in (1, 150, 300):
        d, f = folder_and_prefix(f"P{n:03d}", f"{NASTY} {n}")
        ident = read_workbook(result.out_dir / "tyopajat" / d / f"{f} – itsearviointi.xlsx", catalogue).identity
        assert ident.workshop_name == f"{NASTY} {n}" and ident.workshop_id == f"P{n:03d}"


@pytest.mark.usefixtures("english")  # pins the English source wording
def test_broken_register_makes_no_kit(tmp_path: Path) -> None:
    init_round(tmp_path)
    (tmp_path / "tyopajat.csv").write_text(
        "tunnus;nimi;profiili;sähköposti\nP1;A;nuoret;a@x.fi\nP1;B;lapset;b@x\n;C;aikuiset;c@x.fi\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["kit", str(tmp_path / "round.toml"), "--silent"])
    assert result.exit_code == 1
    for expected in ("line 3", "duplicate id 'P1'", "lapset", "line 4"):
        assert expected in result.output
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").rglob("*.docx"))


def test_cli_kit_then_again(tmp_path: Path) -> None:
    init_round(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["kit", str(tmp_path / "round.toml"), "--silent"])
    assert first.exit_code == 0, first.output
    assert "Aineistoja tehty: 12, olemassa olevia säilytetty: 0" in first.output
    second = runner.invoke(main, ["kit", str(tmp_path / "round.toml"), "--silent"])
    assert "Aineistoja tehty: 0, olemassa olevia säilytetty: 12" in second.output and "--force" in second.output


@pytest.mark.office
def test_every_kit_document_opens_in_libreoffice(example_round, tmp_path: Path) -> None:
    _, run = example_round
    out = run.result.out_dir
    d = next((out / "tyopajat").iterdir())
    docs = sorted(p for p in d.iterdir() if p.suffix in (".docx", ".xlsx"))
    docs.append(out / "manifest.xlsx")
    pdfs = convert(docs, "pdf", tmp_path)
    name = d.name.split(" ", 1)[1]
    texts = {p.name: pdf_text(p) for p in pdfs}
    assert all(texts.values())
    assert name in texts[next(n for n in texts if n.endswith("itsearviointilomake.pdf"))]


def kit_parts(out: Path, workshop: str = "P01") -> dict[str, dict[str, bytes]]:
    """A workshop's kit documents, each as its parts' contents (what a program opening it reads), but for
    the time each was built (a document built anew records a later one)."""
    import re

    times = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*")
    docs = {}
    for path in sorted((out / "tyopajat").glob(f"{workshop}*/*")):
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                docs[path.name] = {n: times.sub(rb"\1", z.read(n)) for n in z.namelist()}
    return docs


def test_a_second_kit_reuses_the_documents_the_first_built(tmp_path: Path, catalogue) -> None:
    init_round(tmp_path)
    first = kit_for_round(tmp_path / "round.toml", catalogue, only=["P01", "P02"]).result
    assert first.documents_built >= 3 and first.documents_reused == 0
    made = kit_parts(first.out_dir)
    assert len(made) == 3
    again = kit_for_round(tmp_path / "round.toml", catalogue, only=["P01", "P02"], force=True).result
    assert again.documents_built == 0 and again.documents_reused == first.documents_built
    assert kit_parts(again.out_dir) == made  # the same documents, stamped with the same workshop
    assert "P01" in package_text(next((again.out_dir / "tyopajat").glob("P01*/*.docx")))
    # The built documents are kept out of the way, beside the round's folder: in no zip, not in the manifest.
    assert any((again.out_dir.parent / ".pohjat" / again.out_dir.name).rglob("*.docx"))
    assert not any(".pohjat" in r.file for r in read_manifest(again.out_dir))
    result = CliRunner().invoke(main, ["kit", str(tmp_path / "round.toml"), "--silent", "--force", "--only", "P02"])
    assert result.exit_code == 0, result.output
    assert "edellisen ajon tekeminä" in result.output


def test_changed_content_templates_or_round_build_anew(tmp_path: Path, content_copy: Path) -> None:
    from auditkit.catalogue import load_catalogue
    from auditkit.resources import templates_dir

    round_dir = tmp_path / "kierros"
    init_round(round_dir)
    toml = round_dir / "round.toml"
    first = kit_for_round(toml, load_catalogue(content_copy), only=["P01"]).result
    assert first.documents_built == 3

    criteria = content_copy / "criteria.toml"
    criteria.write_text(criteria.read_text(encoding="utf-8").replace(
        "Työpaja on määritellyt oman perustehtävänsä", "Työpaja on kirjannut MUUTETTU perustehtävänsä", 1),
        encoding="utf-8")
    changed = kit_for_round(toml, load_catalogue(content_copy), only=["P01"], force=True).result
    assert changed.documents_built == 3 and changed.documents_reused == 0
    form = next((changed.out_dir / "tyopajat").glob("P01*/*itsearviointilomake.docx"))
    assert "kirjannut MUUTETTU perustehtävänsä" in package_text(form)
    kept = changed.out_dir.parent / ".pohjat" / changed.out_dir.name
    assert len(list(kept.iterdir())) == 1  # what the old content built is gone

    templates = tmp_path / "pohjat"
    shutil.copytree(templates_dir(), templates)
    instructions = templates / "form_instructions.j2"
    instructions.write_text("Tällä UUDELLA lomakkeella työpaja arvioi omaa toimintaansa.\n\n"  # the bundled text is
                            + instructions.read_text(encoding="utf-8"), encoding="utf-8")  # a catalogue's: add ours
    catalogue = load_catalogue(content_copy)
    templated = kit_for_round(toml, catalogue, only=["P01"], force=True, templates=templates).result
    assert templated.documents_built == 3
    assert "Tällä UUDELLA lomakkeella" in package_text(form)

    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "', 'name = "Uusi nimi: ', 1), encoding="utf-8")
    renamed = kit_for_round(toml, catalogue, only=["P01"], force=True, templates=templates).result
    assert renamed.documents_built == 3 and "Uusi nimi: " in package_text(form)
    same = kit_for_round(toml, catalogue, only=["P01"], force=True, templates=templates).result
    assert same.documents_built == 0 and same.documents_reused == 3


def test_a_damaged_built_document_is_built_again(tmp_path: Path, catalogue) -> None:
    init_round(tmp_path)
    first = kit_for_round(tmp_path / "round.toml", catalogue, only=["P01"]).result
    made = kit_parts(first.out_dir)
    kept = sorted((first.out_dir.parent / ".pohjat" / first.out_dir.name).rglob("form-*.docx"))
    assert len(kept) == 1
    kept[0].write_bytes(b"PK\x03\x04 not a whole package")
    again = kit_for_round(tmp_path / "round.toml", catalogue, only=["P01"], force=True).result
    assert again.documents_built == 1 and again.documents_reused == 2
    assert kit_parts(again.out_dir) == made
    assert zipfile.is_zipfile(kept[0])
