"""The hostile corpus beside good returns, compiled as one round (issue 7).

Every bad file is named once in the file list with its reason, compile exits 1 without a traceback,
the good workshops' values come through exactly, and no formula from a returned file reaches any
output (koonti.xlsx, the CSVs, the Word reports).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import csv_support

from auditkit.cli import main
from auditkit.excel import fill_workbook
from conftest import round_with_kit

pytestmark = pytest.mark.office  # every test here drives LibreOffice

hostile = pytest.importorskip("hostile", reason="tests/hostile.py builds the corpus")

GOOD = ("P01", "P02", "P03", "P04")
FORMULA_MARKS = ("HYPERLINK", "cmd|", "SUM(", "1+1")


def answers(catalogue, seed: int) -> dict[int, dict[str, object]]:
    out = {}
    for c in catalogue.criteria:
        level = (c.number + seed) % 4 + 1
        out[c.number] = {"rating": catalogue.scale.level(level).label, "reasoning": f"Perustelu {seed}-{c.number}"}
    return out


@pytest.fixture(scope="module")
def round_run(tmp_path_factory, catalogue):
    folder = tmp_path_factory.mktemp("hostile-round")
    _, files = round_with_kit(folder, catalogue)
    back = folder / "palautetut"
    back.mkdir()
    for seed, wid in enumerate(GOOD, start=1):
        source = files[(wid, "itsearviointi")]
        (back / source.name).write_bytes(fill_workbook(source.read_bytes(), catalogue, answers(catalogue, seed)))
    good = folder / "hyva.xlsx"
    source = files[("P05", "itsearviointi")]
    good.write_bytes(fill_workbook(source.read_bytes(), catalogue, answers(catalogue, 9)))
    corpus_dir = back / "vihamieliset"
    corpus_dir.mkdir()
    expected = hostile.build_corpus(corpus_dir, good, catalogue)
    out = folder / "koonti"
    # The corpus names each case's reason in the readers' English source wording (hostile.py).
    result = CliRunner().invoke(main, ["compile", str(folder / "round.toml"), str(back), "-o", str(out), "--json"],
                                catch_exceptions=False, env={"AUDITKIT_LANG": "en"})
    return folder, back, out, expected, result


def test_exit_1_and_json_summary_without_traceback(round_run) -> None:
    *_, result = round_run
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    summary = json.loads(result.stdout)
    assert summary["problems"]["error"] > 0


def test_every_bad_file_once_with_its_reason(round_run, catalogue) -> None:
    from auditkit.compile import compile_round, problems_table
    from auditkit.excel import read_workbook
    from auditkit.manifest import forwarded_workshops, round_kit_ids
    from auditkit.round import load_round
    from auditkit.word import read_form

    folder, back, out, expected, _ = round_run
    assert len(expected) >= 20
    problems = csv_support.problems(out / "problems.csv")  # in the round's language, Finnish
    # The corpus names each reason in the messages' English source: the same problems said in English.
    rnd = load_round(folder / "round.toml")
    again = compile_round(catalogue, [back], round_=rnd, kit_ids=round_kit_ids(rnd), forwarded=forwarded_workshops(rnd),
                          read_workbook=read_workbook, read_form=read_form)
    header, english = problems_table(again, "en")
    assert [(p["file"], p["place"] != "", p["code"]) for p in problems] == [(r[0], r[1] != "", r[3]) for r in english]
    english_rows = [dict(zip(("file", "place", "severity", "code", "message"), row)) for row in english]
    for name, reason in expected.items():
        shown = f"vihamieliset/{name}"
        mine = [p for p in english_rows if p["file"].lstrip("'") == shown]
        assert mine, f"{name}: no problem reported"
        assert any(reason in p["message"] or reason in p["place"] for p in mine), (name, reason, mine)


def test_good_values_intact(round_run, catalogue) -> None:
    _, _, out, _, _ = round_run
    rows = csv_support.results(out / "results.csv")
    for seed, wid in enumerate(GOOD, start=1):
        mine = {int(r["criterion"]): r for r in rows if r["workshop_id"] == wid and r["role"] == "itsearviointi"}
        assert len(mine) == 51
        for number, r in mine.items():
            assert r["rating"] == str((number + seed) % 4 + 1) and r["reasoning"] == f"Perustelu {seed}-{number}"


def test_no_formula_from_a_returned_file_in_any_output(round_run) -> None:
    _, _, out, _, _ = round_run
    wb = openpyxl.load_workbook(out / "koonti.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not any(mark in str(cell.value) for mark in FORMULA_MARKS), (ws.title, cell.coordinate)
    for name in ("results.csv", "problems.csv"):
        for row in csv.reader(io.StringIO((out / name).read_text(encoding="utf-8-sig")), delimiter=";"):
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@"), (name, cell[:60])
    for docx in [out / "koontiraportti.docx", *sorted((out / "palaute").glob("*.docx"))]:
        with zipfile.ZipFile(docx) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
        fields = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml) + re.findall(r'w:instr="([^"]*)"', xml)
        live = [f for f in fields if any(mark in f for mark in FORMULA_MARKS)]
        assert live == [], (docx.name, live)
