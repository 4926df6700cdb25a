"""The register and the assignment file survive a real spreadsheet program: opened in LibreOffice Calc and
saved as .xlsx, or as LibreOffice's own CSV (comma, Windows-1252), they read back the same."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

from auditkit.assignment import assign, auditor_pool, read_assignment, write_assignment
from auditkit.registers import read_register
from auditkit.round import init_round, load_round
from libreoffice import SOFFICE, convert, require_libreoffice

pytestmark = pytest.mark.office  # every test here drives LibreOffice


def _open_csv_and_save_as_xlsx(sources: list[Path], outdir: Path) -> list[Path]:
    """What a coordinator does in Calc: open the CSV (`;`, UTF-8, as the import dialog offers) and save as .xlsx."""
    require_libreoffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--infilter=CSV:59,34,76,1", "--convert-to", "xlsx", "--outdir", str(outdir),
                        *map(str, sources)], capture_output=True, check=True, timeout=180)
    out = [outdir / f"{source.stem}.xlsx" for source in sources]
    assert all(path.exists() for path in out)
    return out


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("round")
    init_round(folder)
    loaded = load_round(folder / "round.toml")
    result = assign(loaded.workshops)
    write_assignment(result, folder / "jaot.csv")
    xlsx = _open_csv_and_save_as_xlsx([folder / "tyopajat.csv", folder / "jaot.csv"], folder / "xlsx")
    csvs = convert(xlsx, "csv", folder / "csv")
    return loaded, result, xlsx, csvs


def test_register_saved_by_calc_reads_the_same(saved) -> None:
    loaded, _result, (register_xlsx, _), (register_csv, _) = saved
    assert register_csv.read_bytes().decode("cp1252").startswith("tunnus,nimi,")  # LibreOffice's own CSV
    for path in (register_xlsx, register_csv):
        workshops, problems = read_register(path)
        assert problems == []
        assert workshops == loaded.workshops


def test_assignment_saved_by_calc_reads_the_same(saved) -> None:
    loaded, result, (_, assignment_xlsx), (_, assignment_csv) = saved
    for path in (assignment_xlsx, assignment_csv):
        again, problems = read_assignment(path, loaded.workshops, auditor_pool(loaded.workshops))
        assert problems == []
        assert dict(again) == dict(result)
