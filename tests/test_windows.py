"""Windows, where most coordinators work (issue 11.9): no fork, 260-character paths, reserved names.

CI runs Linux; these tests make it behave as Windows does where it matters: the workers start
without fork (spawn), and the kit's paths are measured against Windows' limits.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from auditkit import compile as compile_module
from auditkit import parallel, report
from auditkit.compile import compile_round, results_rows
from auditkit.demo import simulate_round
from auditkit.excel import read_workbook
from auditkit.kit import kit_for_round
from auditkit.manifest import forwarded_workshops, read_manifest, round_kit_ids
from auditkit.naming import WINDOWS_MAX_PATH, safe_name
from auditkit.report import write_outputs
from auditkit.round import init_round, load_round
from auditkit.word import read_form

LONG_NAME = "Nuorten työpaja Ahjo – Tampereen kaupungin nuorisopalvelujen työpajatoiminta ja valmennuspalvelut"
LONG_ID = "TP-2026-PIRKANMAA-012"


def _round(folder: Path) -> Path:
    init_round(folder)
    register = folder / "tyopajat.csv"
    lines = register.read_text(encoding="utf-8-sig").splitlines()
    first = lines[1].split(";")
    first[:2] = [LONG_ID, LONG_NAME]
    register.write_text("\n".join([lines[0], ";".join(first), *lines[2:]]) + "\n", encoding="utf-8-sig")
    auditors = folder / "auditoijat.csv"  # the first workshop's auditors come from it by its new id
    text = auditors.read_text(encoding="utf-8-sig")
    auditors.write_text(re.sub(r";P01(;|$)", rf";{LONG_ID}\1", text, flags=re.M), encoding="utf-8-sig")
    toml = folder / "round.toml"  # the same round each time: the instance init draws, fixed
    toml.write_text(re.sub(r'(?m)^instance = ".*"$', 'instance = "a1b2c3d4e5f6"', toml.read_text(encoding="utf-8")),
                    encoding="utf-8")
    return toml


def _kit_and_compile(folder: Path, catalogue):
    run = kit_for_round(_round(folder), catalogue)
    rnd = load_round(folder / "round.toml")
    back = folder / "palautetut"
    simulate_round(folder / "round.toml", catalogue, back, forms=True, problems=False)
    with zipfile.ZipFile(back / "palautus.zip", "w") as z:  # a member refused, read by a worker as any file
        z.writestr("../ulos.xlsx", b"x")
    result = compile_round(catalogue, [back], round_=rnd, kit_ids=round_kit_ids(rnd), forwarded=forwarded_workshops(rnd),
                           read_workbook=read_workbook, read_form=read_form)
    return run, result


def test_kit_and_compile_run_without_fork(tmp_path: Path, catalogue, monkeypatch) -> None:
    """As on Windows: the workers are spawned, each given the shared state once; the outcome is the
    same as running everything in turn."""
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    in_turn_kit, in_turn = _kit_and_compile(tmp_path / "in-turn", catalogue)
    monkeypatch.setattr(parallel.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(compile_module, "PARALLEL_FROM", 2)
    assert parallel.context().get_start_method() == "spawn"
    spawned_kit, spawned = _kit_and_compile(tmp_path / "spawned", catalogue)
    kit_rows = lambda run: [(f.file, f.recipient, f.role, f.kit_id) for f in run.result.files]  # noqa: E731
    assert kit_rows(spawned_kit) == kit_rows(in_turn_kit)  # (workbooks record when they were made: not bytes)
    assert spawned.summary() == in_turn.summary() and spawned.problems == in_turn.problems
    assert [p.file for p in spawned.file_problems] == ["palautus.zip/../ulos.xlsx"]
    problem = spawned.file_problems[0]  # the stand-in carried its reason into the spawned worker, said in Finnish
    assert problem.code == "archive-refused" and "polku johtaa paketin ulkopuolelle" in problem.message
    assert results_rows(spawned, catalogue) == results_rows(in_turn, catalogue)
    monkeypatch.setattr(report, "PARALLEL_FROM", 2)  # the reports too, in spawned workers
    written = write_outputs(catalogue, spawned, tmp_path / "koonti")
    assert len(written.feedback) == len(spawned.workshops) and written.report.stat().st_size > 0


def test_kit_paths_stay_within_windows_limits(tmp_path: Path, catalogue) -> None:
    folder = tmp_path / "r"
    run = kit_for_round(_round(folder), catalogue)
    out = run.result.out_dir
    files = [p.relative_to(folder).as_posix() for p in out.rglob("*") if p.is_file()]
    deepest = max(files, key=len)
    # The round folder keeps 259 - 150 = 109 characters for its own path (a OneDrive folder is 80-110).
    assert len(deepest) + len(".part") <= 150, deepest
    ws = next(r for r in read_manifest(out) if r.workshop_id == LONG_ID and r.document == "itsearviointi")
    assert ws.file.split("/")[1].startswith(LONG_ID) and Path(ws.file).name.startswith(LONG_ID)  # ids whole
    assert not any(p.code == "path-too-long" for p in run.warnings)


def test_a_round_folder_too_deep_for_windows_is_warned_about(tmp_path: Path, catalogue) -> None:
    folder = tmp_path / ("Laatumerkki OneDrive kansio " * 5).strip() / "kierros syksy 2026"
    run = kit_for_round(_round(folder), catalogue)
    (warning,) = [p for p in run.warnings if p.code == "path-too-long"]
    assert f"Windows, Word ja Excel eivät avaa yli {WINDOWS_MAX_PATH} merkin polkuja" in warning.message
    assert "Siirtäkää kierroskansio lähemmäs levyn juurta" in warning.message


@pytest.mark.parametrize(("name", "safe"), [
    ("CON", "_CON"), ("nul", "_nul"), ("NUL .txt", "_NUL .txt"), ("com1.xlsx", "_com1.xlsx"), ("LPT¹", "_LPT¹"),
    ("CONOUT$", "_CONOUT$"), ("Conrad", "Conrad"), ('Paja: "A/B" <C>|?*', "Paja- A-B -C"), ("  Piste. ", "Piste"),
])
def test_reserved_and_forbidden_names(name: str, safe: str) -> None:
    assert safe_name(name) == safe
