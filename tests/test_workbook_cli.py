"""The workbook command: writes the workbook, uses a prefill, refuses what it must."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from auditkit.cli import main
from auditkit.excel import contract as k


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def rating_cells(path: Path, column: int) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[k.SHEET_RATINGS]
    return {ws.cell(r, 1).value: ws.cell(r, column).value for r in range(k.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value}


def test_self_assessment_workbook_is_written_for_the_workshop(tmp_path: Path) -> None:
    out = tmp_path / "itsearviointi.xlsx"
    result = run("workbook", "--role", "self", "--workshop", "Paja Oy", "--workshop-id", "P1", "--round", "Syksy 2025",
                 "--profile", "adult", "--no-learning-environments", "--deadline", "2025-12-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == f"Kirjoitettu {out}: itsearvioinnin työkirja, Paja Oy.\n"
    wb = openpyxl.load_workbook(out)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert (props["workshop_name"], props["workshop_id"], props["round_id"], props["role"]) == ("Paja Oy", "P1", "Syksy 2025", "self")
    notes = rating_cells(out, k.LAYOUTS["self"].index("note"))
    assert notes["tpk-33"].startswith("Ei koske työpajanne profiilia")

    again = run("workbook", "--role", "self", "--workshop", "Paja Oy", "-o", str(out))
    assert again.exit_code == 1
    assert f"{out}: tiedosto on jo olemassa; antakaa toinen --out tai lisätkää --force, niin se korvataan." in again.output
    assert run("workbook", "--role", "self", "--workshop", "Paja Oy", "-o", str(out), "--force").exit_code == 0


def test_auditor_workbook_prefilled_from_a_returned_self_assessment(tmp_path: Path) -> None:
    own = tmp_path / "itsearviointi.xlsx"
    run("workbook", "--role", "self", "--workshop", "Paja Oy", "--workshop-id", "P1", "--round", "Syksy 2025", "-o", str(own))
    wb = openpyxl.load_workbook(own)
    ws = wb[k.SHEET_RATINGS]
    rows = {ws.cell(r, 1).value: r for r in range(k.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value}
    ws.cell(rows["tpk-02"], 6, "4 – Edistynyt")
    ws.cell(rows["tpk-02"], 7, "=SUM(1,2) ei kaava").data_type = "s"  # typed as text ('=SUM…) in Excel
    ws.cell(rows["tpk-03"], 6, "Ei sovellu")
    wb.save(own)

    out = tmp_path / "auditointi.xlsx"
    result = run("workbook", "--role", "peer", "--prefill", str(own), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Kirjoitettu {out}: auditoijien työkirja, Paja Oy; esitäytetty 51 vastauksella tiedostosta {own}.",
        f"  - {own}, Arviointi!G{rows['tpk-03']}: kriteeri 3 on merkitty Ei sovellu ilman perustelua; kirjoittakaa "
        "Perustelut-kohtaan, miksi kriteeri ei sovellu.",
    ]
    shown = rating_cells(out, k.LAYOUTS["peer"].index("self_rating"))
    reasons = rating_cells(out, k.LAYOUTS["peer"].index("self_reasoning"))
    assert (shown["tpk-02"], reasons["tpk-02"], shown["tpk-03"], shown["tpk-04"]) == (
        "4 – Edistynyt", "=SUM(1,2) ei kaava", "Ei sovellu", "Ei arviota")  # the auditors see what is missing
    props = {p.name: p.value for p in openpyxl.load_workbook(out).custom_doc_props.props}
    assert (props["workshop_id"], props["round_id"], props["role"], props["phase"]) == ("P1", "Syksy 2025", "peer", "2")
    assert props["prefilled_from"].startswith("itsearviointi.xlsx (20")


def test_prefill_problems_and_misuse(tmp_path: Path) -> None:
    csv = tmp_path / "itsearviointi.xlsx"
    csv.write_text("Nro;Arvio\n1;3\n", encoding="utf-8")
    result = run("workbook", "--role", "peer", "--prefill", str(csv), "-o", str(tmp_path / "a.xlsx"))
    assert result.exit_code == 1
    assert result.output == (
        f"Virhe: {csv}: ei kelpaa esitäytöksi; mitään ei kirjoitettu.\n  - {csv}: tiedosto on taulukoksi "
        "nimetty tekstitiedosto (CSV tms.); avatkaa se Excelissä tai LibreOfficessa ja tallentakaa se "
        "Excel-työkirjaksi (.xlsx) käyttäen aineistossa lähetettyä taulukkoa.\n")  # the CLI's own words: step 2
    assert not (tmp_path / "a.xlsx").exists()

    wrong = run("workbook", "--role", "self", "--prefill", str(csv), "-o", str(tmp_path / "b.xlsx"))
    assert wrong.exit_code == 2 and "esitäyttö näytetään auditoijien työkirjassa; lisää --role peer." in wrong.output
    nameless = run("workbook", "--role", "self", "-o", str(tmp_path / "c.xlsx"))
    assert nameless.exit_code == 2 and "anna työpajan nimi (tai --prefill, jossa nimi on)." in nameless.output


def test_help_shows_an_example() -> None:
    result = run("workbook", "--help")
    assert result.exit_code == 0
    assert "auditkit workbook --role self --workshop" in result.output
