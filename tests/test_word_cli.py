"""The Word commands: files written, overwrite refused, options reach the documents, help with examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from auditkit.cli import main
from word_support import all_text, criterion_tables, custom_properties, tables, text


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_form_with_options(tmp_path: Path) -> None:
    out = tmp_path / "lomake.docx"
    result = run("form", "--workshop", "Paja Ääri", "--organisation", "Oulun kaupunki", "--round", "Kevät 2025",
                 "--profile", "adult", "--no-learning-environments", "--deadline", "2025-06-01", "-o", str(out))
    assert result.exit_code == 0 and result.output == f"Kirjoitettu: {out}\n"
    data = out.read_bytes()
    sheet = {text(cells[0]): text(cells[1]) for cells in tables(data)[0]}
    assert (sheet["Työpaja"], sheet["Organisaatio"], sheet["Arviointikierros"]) == \
        ("Paja Ääri", "Oulun kaupunki", "Kevät 2025")
    assert sheet["Työpajan profiili"] == "aikuiset; oppimisympäristöjä: ei"
    assert "Ei koske työpajaanne" in text(criterion_tables(data)[33][0][1])
    assert custom_properties(data)["role"] == "self"


def test_overwrite_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "kasitteet.docx"
    out.write_bytes(b"keep me")
    refused = run("glossary", "-o", str(out))
    assert refused.exit_code == 1
    assert f"{out}: tiedosto on jo olemassa; antakaa toinen --out tai lisätkää --force, niin se korvataan." in refused.output
    assert out.read_bytes() == b"keep me"
    assert run("glossary", "-o", str(out), "--force").exit_code == 0
    assert "Työpaja on valmennusyhteisö" in all_text(out.read_bytes())


def test_audit_report_types_and_auditors(tmp_path: Path) -> None:
    out = tmp_path / "raportti.docx"
    assert run("audit-report", "--workshop", "Paja", "--auditor", "Aino Laine", "--auditor", "Olli Virta",
               "-o", str(out)).exit_code == 0
    auditors = [[text(c) for c in cells][:2] for cells in tables(out.read_bytes())[1][1:]]
    assert auditors == [["Aino Laine", "pääauditoija"], ["Olli Virta", "auditoija"]]
    external = tmp_path / "ulkoinen.docx"
    assert run("audit-report", "--audit-type", "external", "-o", str(external)).exit_code == 0
    assert "Ulkoisen auditoinnin raportti" in all_text(external.read_bytes())


def test_bad_profile_is_a_usage_error(tmp_path: Path) -> None:
    result = run("form", "--profile", "kids", "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and "'kids' ei ole mikään näistä: 'youth', 'adult', 'both'" in result.output


@pytest.mark.parametrize("command", [["form"], ["audit-report"], ["glossary"], ["templates"], ["templates", "check"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Esimerkki:" in result.output and "auditkit " in result.output
