"""The demo: the whole cycle from a fresh folder, its report, and what it says about the returns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

import csv_support
from auditkit.cli import main
from libreoffice import SOFFICE, require_libreoffice
from libreoffice import convert, pdf_text


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo") / "demo"
    result = CliRunner().invoke(main, ["demo", "-o", str(out), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_demo_compiles_the_round_and_names_each_mistake(demo) -> None:
    out, summary = demo
    # every self-assessment came back (P09 only as its form, P12 late); P11's auditors did not return
    assert summary["workshops"] == 12 and summary["self_returned"] == 12 and summary["auditor_returned"] == 11
    assert {(m["workshop_id"], m["role"]) for m in summary["missing"]} == {("P09", "self"), ("P11", "peer")}
    assert summary["duplicates"] == 1 and summary["unreadable"] == 1
    problems = csv_support.problems(out / "koonti" / "problems.csv")
    messages = [f"{p['file']} | {p['place']} | {p['message']}" for p in problems]
    assert any("P03" in m and "'kolme' ei ole arvio" in m and "Arviointi!" in m for m in messages)
    assert any("P05" in m and "Ei sovellu ilman perustelua" in m for m in messages)
    assert not any("LUONNOS" in m for m in messages)  # the coordinator chose the final copy in valinnat.csv
    assert summary["unresolved"] == [] and summary["in_conflict"] == 0
    assert any(m.startswith("itsearvioinnit/P08 vanha versio.xls") and "Tiedosto > Tallenna nimellä ja tiedostotyypiksi Excel-työkirja (.xlsx)" in m
               for m in messages)
    assert any(m.startswith("auditoinnit/P10") and "kriteeri 6: työpaja valitsi Ei sovellu" in m
               and "eivätkä auditoijat hyväksyneet eivätkä hylänneet valintaa" in m for m in messages)
    assert any("työpaja P09" in m and "itsearviointilomake palautui, mutta siihen kuuluva itsearviointitaulukko" in m for m in messages)
    assert not any("P09" in m and "ei ole palautettu" in m for m in messages)  # its self-assessment did
    assert len(summary["recommendations"]) == 11


def test_demo_runs_both_phases_and_status(demo) -> None:
    out, summary = demo
    first, second = summary["phases"]["forward"]
    assert (len(first["made"]), first["not_back"]) == (11, ["P12"])
    assert (second["made"], len(second["kept"])) == (["P12"], 11)  # the late one; nothing overwritten
    before, after = summary["phases"]["status"]
    assert (before["self"]["back"], before["self"]["partial"], before["self"]["missing"], before["self"]["late"]) == (
        10, 1, 1, 2)
    assert after["audit"] == {"back": 10, "partial": 0, "missing": 1, "conflict": 1, "waiting": 0, "late": 0}


def test_the_coordinator_says_which_of_two_differing_copies_counts(demo) -> None:
    """P07's lead auditor e-mailed an earlier draft too, and the draft's computer recorded a later save: status
    lists both copies in valinnat.csv, the coordinator writes x beside the final one, and compile uses it."""
    out, summary = demo
    rows = list(csv.DictReader(io.StringIO((out / "kierros" / "valinnat.csv").read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    assert [(r["Käytä"], r["Työpaja"], r["Asiakirja"], r["Tiedosto"].split("/")[0]) for r in rows] == [
        ("x", "P07", "auditointitaulukko", "auditoinnit"), ("", "P07", "auditointitaulukko", "sähköposti")]
    assert rows[1]["Tallennettu (tiedoston oma merkintä)"] > rows[0]["Tallennettu (tiedoston oma merkintä)"]
    assert rows[0]["Eroavat kriteerit"].startswith("1, 3–7") and len(rows[0]["Tunniste"]) == 16
    rows_csv = csv_support.results(out / "koonti" / "results.csv")
    p07 = [r for r in rows_csv if r["workshop_id"] == "P07" and r["role"] == "auditointi"]
    assert p07[0]["source"].startswith("P07 Savon Taitopaja – auditointi.xlsx")  # the final copy, not LUONNOS
    assert summary["duplicates"] == 1
    kit = out / "kierros" / "output" / "syksy-2026" if (out / "kierros" / "output" / "syksy-2026").is_dir() else next(
        p for p in (out / "kierros" / "output").iterdir() if not p.name.startswith("."))
    assert len(list((kit / "auditoinnit").iterdir())) == 12
    reminders = sorted(p.name for p in (kit / "muistutukset").rglob("*muistutus.txt"))
    assert any(name.startswith("P12") for name in reminders) and any(name.startswith("P09") for name in reminders)


def test_results_csv_has_one_row_per_workshop_role_and_criterion(demo) -> None:
    out, _ = demo
    data = (out / "koonti" / "results.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").split("\r\n", 1)[0] == (
        "kierros;tunnus;työpaja;rooli;kriteeri;arvio;ei sovellu;ei sovellu hyväksytty;perustelut;nykyinen käytäntö;näyttö;"
        "vahvuudet;kehittämiskohteet;toimenpiteet;vastuuhenkilö;aikataulu;kysymykset;havainnot;lähde")
    rows = csv_support.results(out / "koonti" / "results.csv")
    assert len(rows) == (12 + 11) * 51
    assert {r["role"] for r in rows} == {"itsearviointi", "auditointi"}
    assert {(r["workshop_id"], r["workshop"]) for r in rows} >= {("P09", "Työpaja Aura & Meri")}
    assert {r["not_applicable"] for r in rows} == {"kyllä", ""} and {r["na_accepted"] for r in rows} <= {"kyllä", "ei", ""}
    p03 = next(r for r in rows if r["workshop_id"] == "P03" and r["role"] == "itsearviointi" and r["criterion"] == "12")
    assert p03["rating"] == ""  # 'kolme' was refused, not guessed
    # P05 chose Ei sovellu for criterion 15 and its auditors rejected it; where they accept a workshop's
    # Ei sovellu, their row says Ei sovellu too (it counts as not applicable), with the acceptance beside it.
    p05 = {r["role"]: r for r in rows if r["workshop_id"] == "P05" and r["criterion"] == "15"}
    assert (p05["itsearviointi"]["rating"], p05["itsearviointi"]["not_applicable"]) == ("", "kyllä")
    assert (p05["auditointi"]["rating"], p05["auditointi"]["not_applicable"], p05["auditointi"]["na_accepted"]) == (
        "", "", "ei")
    accepted = [r for r in rows if r["role"] == "auditointi" and r["na_accepted"] == "kyllä"]
    assert all((r["rating"], r["not_applicable"]) == ("", "kyllä") for r in accepted)  # see test_compile too
    # P09 returned only its form: its texts are in, its ratings are not
    p09 = [r for r in rows if r["workshop_id"] == "P09" and r["role"] == "itsearviointi"]
    assert len(p09) == 51 and all(r["rating"] == "" for r in p09)
    assert all(r["practice"] for r in p09 if int(r["criterion"]) not in range(33, 38))  # no learning environments
    assert p09[0]["source"] == "P09 Työpaja Aura & Meri – itsearviointilomake.docx kriteeri 1"


@pytest.mark.office
def test_reports_exist_and_open_in_libreoffice(demo, tmp_path: Path) -> None:
    out, summary = demo
    koonti = out / "koonti"
    report = Document(str(koonti / "koontiraportti.docx"))
    text = "\n".join(p.text for p in report.paragraphs)
    for wid, label in summary["recommendations"].items():
        assert label in text or any(label in c.text for t in report.tables for r in t.rows for c in r.cells)
    feedback = sorted(p for p in (koonti / "palaute").glob("*.docx") if "kehittämissuunnitelma" not in p.name)
    assert len(feedback) == 12  # every workshop that returned something, P09's form alone too
    assert len(list((koonti / "palaute").glob("* – kehittämissuunnitelma.*"))) == 24  # .docx and .xlsx each
    pdfs = convert([koonti / "koontiraportti.docx", koonti / "koonti.xlsx", feedback[0]], "pdf", tmp_path)
    assert "Työpajatoiminnan" in pdf_text(pdfs[0]) or "työpaja" in pdf_text(pdfs[0]).lower()


def test_demo_refuses_to_overwrite_and_force_replaces(demo) -> None:
    out, _ = demo
    again = CliRunner().invoke(main, ["demo", "-o", str(out)])
    assert again.exit_code == 1 and "kansio ei ole tyhjä" in again.output and "--force" in again.output


def test_compile_cli_exit_codes_and_json(demo, tmp_path: Path) -> None:
    out, _ = demo
    round_file = out / "kierros" / "round.toml"
    result = CliRunner().invoke(main, ["compile", str(round_file), str(out / "palautetut"), "-o", str(tmp_path / "k"),
                                       "--json"])
    assert result.exit_code == 1  # the demo's returns have problems
    summary = json.loads(result.stdout)
    assert summary["problems"]["error"] >= 2
    clean = tmp_path / "clean"
    clean.mkdir()
    good = next((out / "palautetut" / "auditoinnit").glob("P01*.xlsx"))
    (clean / good.name).write_bytes(good.read_bytes())
    ok = CliRunner().invoke(main, ["compile", str(round_file), str(clean), "-o", str(tmp_path / "k2"), "--silent"])
    assert ok.exit_code == 0, ok.output
    assert "Tiedostot: luettu 1, käytetty 1" in ok.output
    exists = CliRunner().invoke(main, ["compile", str(round_file), str(clean), "-o", str(tmp_path / "k2"), "--silent"])
    assert exists.exit_code == 1 and "lisätkää --force" in exists.output
    usage = CliRunner().invoke(main, ["compile", str(round_file)])
    assert usage.exit_code == 2


def test_reports_built_in_parallel_are_the_same(demo, tmp_path: Path, catalogue, monkeypatch) -> None:
    import zipfile

    import auditkit.report as report
    from auditkit.compile import compile_round
    from auditkit.excel import read_workbook
    from auditkit.manifest import round_kit_ids
    from auditkit.round import load_round
    from auditkit.word import read_form

    out, _ = demo
    rnd = load_round(out / "kierros" / "round.toml")
    result = compile_round(catalogue, [out / "palautetut"], round_=rnd,
                           kit_ids=round_kit_ids(rnd),
                           read_workbook=read_workbook, read_form=read_form)
    monkeypatch.setattr(report, "PARALLEL_FROM", 1000)
    one = report.write_outputs(catalogue, result, tmp_path / "one")
    monkeypatch.setattr(report, "PARALLEL_FROM", 1)
    monkeypatch.setattr(report, "PICTURES_PARALLEL_FROM", 1)  # the report's pictures drawn first, on the workers
    many = report.write_outputs(catalogue, result, tmp_path / "many")
    pairs = [(one.report, many.report), *zip(one.feedback, many.feedback)]
    assert len(pairs) == 13 and [a.name for a, _ in pairs] == [b.name for _, b in pairs]
    for a, b in pairs:
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            assert za.namelist() == zb.namelist(), a.name
            for name in za.namelist():
                assert za.read(name) == zb.read(name), (a.name, name)
    # The round-wide tables are built on a worker too: the same rows and the same workbook.
    for a, b in ((one.results, many.results), (one.problems, many.problems), (one.workbook, many.workbook)):
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.office
def test_results_and_problems_csv_open_in_calc_in_the_right_columns(demo, tmp_path: Path) -> None:
    """What a coordinator does: open results.csv and problems.csv in a spreadsheet with `;` (LibreOffice's CSV
    import, as Finnish Excel does on a double click): every value in its own column, Finnish letters intact."""
    import subprocess
    import tempfile

    import openpyxl

    require_libreoffice()
    out, _ = demo
    sources = [out / "koonti" / "results.csv", out / "koonti" / "problems.csv"]
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--infilter=CSV:59,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path),
                        *map(str, sources)], capture_output=True, check=True, timeout=300)
    for source, read in zip(sources, (csv_support.results, csv_support.problems)):
        expected = read(source)
        sheet = openpyxl.load_workbook(tmp_path / f"{source.stem}.xlsx").active
        got = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        columns = list(expected[0])
        assert got[0] == csv_support.csv_header(columns, "fi"), source.name
        assert len(got) == 1 + len(expected), source.name
        for row, want in zip(got[1:], expected):
            cells = dict(zip(columns, row + [""] * (len(columns) - len(row))))
            for key in ("workshop_id", "role", "criterion", "rating", "not_applicable", "na_accepted", "file",
                        "severity", "code", "message", "source", "reasoning"):
                if key in want:
                    assert cells[key] == want[key].lstrip("'") or cells[key] == want[key], (source.name, key, row)
    results = openpyxl.load_workbook(tmp_path / "results.xlsx").active
    assert any("Työpaja Aura & Meri – itsearviointilomake.docx" in str(v) for row in results.iter_rows(values_only=True)
               for v in row)
