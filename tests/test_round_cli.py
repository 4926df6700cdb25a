"""`auditkit init` and `auditkit assign`: exit codes and messages."""

from __future__ import annotations

import pytest

import csv
from pathlib import Path

from click.testing import CliRunner

from auditkit.cli import main

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_init_then_assign(tmp_path: Path) -> None:
    folder = tmp_path / "kierros"
    result = run("init", str(folder))
    assert result.exit_code == 0
    assert result.output == (
        f"Wrote {folder / 'round.toml'}, {folder / 'tyopajat.csv'}, {folder / 'auditoijat.csv'}.\n"
        "Next:\n"
        f"  1. Edit {folder / 'round.toml'}: the round's name, the deadlines of its phases and the coordinator.\n"
        f"  2. Put your workshops in {folder / 'tyopajat.csv'} and your auditors in {folder / 'auditoijat.csv'} (from "
        "Excel: save as CSV UTF-8, or give an .xlsx in round.toml).\n"
        f"  3. auditkit assign {folder / 'round.toml'}   (writes the auditor assignment for you to review)\n"
        f"  4. auditkit kit {folder / 'round.toml'}      (phase one: every workshop's kit, a notice to each auditor)\n"
        f"  5. auditkit forward {folder / 'round.toml'} RETURNED/   (phase two: the returned self-assessments to the "
        "auditors; auditkit status tells what is back)\n")
    result = run("assign", str(folder / "round.toml"))
    assert result.exit_code == 0
    assert result.output == (
        f"Wrote {folder / 'jaot.csv'}: 12 workshops, teams of 2, 13 auditors.\n"
        "Audits per auditor: min 1, max 2. Reciprocal pairs: 0. Auditors from the workshop's own municipality: 0.\n"
        "Review the file and edit it if needed; `auditkit kit` uses it as it is.\n")
    with (folder / "jaot.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert list(rows[0]) == ["tunnus", "työpaja", "rooli", "auditoija", "sähköposti", "kotipaja"]  # the round's language
    assert len(rows) == 24 and {row["tunnus"] for row in rows} == {f"P{i:02d}" for i in range(1, 13)}


def test_init_and_assign_refuse_to_overwrite(tmp_path: Path) -> None:
    assert run("init", str(tmp_path)).exit_code == 0
    again = run("init", str(tmp_path))
    assert again.exit_code == 1
    assert again.output == (
        f"Error: {tmp_path / 'round.toml'}, {tmp_path / 'tyopajat.csv'}, {tmp_path / 'auditoijat.csv'}: already "
        "there; choose a new folder, or add --force to overwrite (your edits in them are lost).\n")
    assert run("init", str(tmp_path), "--force").exit_code == 0
    round_file = str(tmp_path / "round.toml")
    assert run("assign", round_file).exit_code == 0
    again = run("assign", round_file)
    assert again.exit_code == 1
    assert again.output == (f"Error: {tmp_path / 'jaot.csv'}: already there, perhaps with your edits; keep it, "
                            "or add --force to replace it with a new assignment.\n")
    assert run("assign", round_file, "--force").exit_code == 0


def test_assign_broken_round_lists_every_problem(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    register = tmp_path / "tyopajat.csv"
    register.write_text(register.read_text(encoding="utf-8-sig").replace("P02;", "P01;").replace(";nuoret;", ";nuori;")
                        .replace("verstas@example.fi", "verstas(at)example.fi"), encoding="utf-8-sig")
    result = run("assign", str(tmp_path / "round.toml"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'round.toml'}: 2 problem(s) to fix before the round can be "
                                    "used:\n")
    assert f"  - {register}, line 3: duplicate id 'P01' (first on line 2); give each workshop its own id.\n" in result.output
    assert f"  - {register}, line 4: 'verstas(at)example.fi' is not an email address;" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "jaot.csv").exists()


def test_assign_impossible_round(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    register = tmp_path / "tyopajat.csv"
    lines = register.read_text(encoding="utf-8-sig").splitlines()
    register.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8-sig")
    (tmp_path / "auditoijat.csv").write_text("nimi;kotipaja\n", encoding="utf-8")
    toml = tmp_path / "round.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('auditors = "auditoijat.csv"', 'auditors = ""'),
                    encoding="utf-8")
    result = run("assign", str(tmp_path / "round.toml"))
    assert result.exit_code == 1
    assert result.output == (
        "Error: a peer round with teams of 2 needs at least 3 workshops (nobody audits their own workshop), and "
        "the register has 2. Add workshops, lower team_size in the round file, or name more auditors per "
        "workshop in an auditors file.\n")


def test_assign_prints_warnings_and_usage_errors(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    register = tmp_path / "tyopajat.csv"
    register.write_text(register.read_text(encoding="utf-8-sig").replace(";molemmat;", ";;"), encoding="utf-8-sig")
    result = CliRunner().invoke(main, ["assign", str(tmp_path / "round.toml")])
    assert result.exit_code == 0
    assert (f"warning: {register}: no profile (profiili) on line 3, line 6, line 10, line 13; taken as molemmat, so "
            "every criterion applies. Write nuoret, aikuiset or molemmat.") in result.output
    assert run("assign").exit_code == 2
    missing = run("assign", str(tmp_path / "ei.toml"))
    assert missing.exit_code == 1 and "file not found" in missing.output


def test_help_shows_examples() -> None:
    for command in ("init", "assign"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output and "--force" in result.output
