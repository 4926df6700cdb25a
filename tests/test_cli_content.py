"""The content commands: exit codes, messages, export shapes."""

from __future__ import annotations

import pytest

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from auditkit.cli import main

# These tests pin the exact wording of problems in its English source (see conftest.english); the
# Finnish wording and the codes are checked in test_problem_messages.py.
pytestmark = pytest.mark.usefixtures("english")


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and "auditkit, version" in result.output


def test_check_clean() -> None:
    result = run("content", "check")
    assert result.exit_code == 0
    assert "51 criteria in 6 areas and 3 elements, 25 concepts" in result.output


def test_check_broken_lists_every_problem(content_copy: Path) -> None:
    path = content_copy / "criteria.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('area = "ohjaaminen"', 'area = "x"'), encoding="utf-8")
    result = run("content", "check", "--content", str(content_copy))
    assert result.exit_code == 1
    assert "9 problems in the content" in result.output  # criteria 38-46
    assert "criteria.toml, criterion 46.area: unknown area 'x'" in result.output
    assert "Traceback" not in result.output


def test_environment_variable_selects_content(content_copy: Path) -> None:
    (content_copy / "scale.toml").unlink()
    result = run("content", "check", env={"AUDITKIT_CONTENT": str(content_copy)})
    assert result.exit_code == 1 and "scale.toml: file missing" in result.output


def test_show_groups_and_single_criterion() -> None:
    result = run("content", "show")
    assert result.exit_code == 0
    assert "Suunta: Perustehtävän, vision ja strategisten suunnitelmien laadinta" in result.output
    assert "Kestävien vaikutusten aikaansaaminen: oppimisympäristöille" in result.output
    one = run("content", "show", "--criterion", "29")
    assert "29. Valmennusprosessissa tarjotaan" in one.output and "30." not in one.output
    assert "Concepts: Yksilövalmennus" in one.output
    themes = run("content", "show", "--criterion", "51").output
    folded = " ".join(themes.split())  # the terminal output is wrapped
    assert folded.count("(youth workshops only)") == 4  # the second theme has an adult sentence too


def test_show_unknown_criterion_is_usage_error() -> None:
    result = run("content", "show", "--criterion", "52")
    assert result.exit_code == 2 and "there is no criterion 52; choose 1–51" in result.output


def test_export_json_shape(catalogue) -> None:
    data = json.loads(run("content", "export", "--format", "json").output)
    assert data["version"] == catalogue.version and data["hash"] == catalogue.hash
    assert len(data["criteria"]) == 51 and len(data["concepts"]) == 25
    c = data["criteria"][28]
    assert {"number", "id", "element", "area", "text", "items", "applies_to", "concepts"} <= c.keys()
    assert c["number"] == 29 and c["concepts"] == ["Yksilövalmennus"]
    assert {k["kind"] for k in data["concepts"]} == {"core", "key", "other"}
    assert sum(1 for k in data["concepts"] if k["definition"] is None) == 9
    assert [lv["value"] for lv in data["scale"]["levels"]] == [1, 2, 3, 4]
    assert len(data["elements"]) == 3 and len(data["areas"]) == 6


def test_export_csv_to_file_refuses_overwrite(tmp_path: Path, catalogue) -> None:
    out = tmp_path / "k.csv"
    assert run("content", "export", "--format", "csv", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 51 and rows[50]["items"].count(" | ") == 4
    assert rows[0]["text"] == catalogue.criterion(1).text
    again = run("content", "export", "--format", "csv", "-o", str(out))
    assert again.exit_code == 1 and "the file exists" in again.output and "--force" in again.output
    assert run("content", "export", "--format", "csv", "-o", str(out), "--force").exit_code == 0


def test_installed_command_finds_its_content_from_another_folder(tmp_path: Path) -> None:
    exe = shutil.which("auditkit", path=os.path.dirname(sys.executable)) or shutil.which("auditkit")
    assert exe, "the auditkit console script is not installed"
    env = {k: v for k, v in os.environ.items() if k != "AUDITKIT_CONTENT"}
    result = subprocess.run([exe, "content", "check"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "51 criteria" in result.stdout
