"""Driving LibreOffice headless from tests: convert documents, and run UNO scripts as a person would.

UNO scripts run under Debian's /usr/bin/python3 (python3-uno), connected to a soffice process that
listens on a pipe; the test process itself never imports uno. Without LibreOffice the tests skip with
the reason, except under CI (CI=true), where a missing LibreOffice fails them: CI must run them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
UNO_PYTHON = "/usr/bin/python3"
UNO_SCRIPTS = Path(__file__).parent / "uno"
# The test being set up or run (conftest.py sets it), so that a test using LibreOffice without the
# `office` marker fails: `pytest -m "not office"` must leave out every test that needs it.
current_test: pytest.Item | None = None


def _uno_available() -> bool:
    if not Path(UNO_PYTHON).exists():
        return False
    return subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def require_office_marker(program: str) -> None:
    """Fail a test that runs an office program (LibreOffice, Gnumeric, AbiWord, pandoc) without the
    `office` marker."""
    if current_test is not None and current_test.get_closest_marker("office") is None:
        pytest.fail(f"{current_test.nodeid} uses {program}: mark it @pytest.mark.office (or its module with "
                    "pytestmark), so that the fast loop (-m 'not office') leaves it out")


def require_libreoffice(uno: bool = False) -> None:
    """Skip (or, under CI, fail) when LibreOffice or its Python bridge is missing; fail a test that
    uses it without the `office` marker."""
    require_office_marker("LibreOffice")
    missing = None
    if SOFFICE is None:
        missing = "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc libreoffice-writer"
    elif uno and not _uno_available():
        missing = "python3-uno is not installed: apt-get install python3-uno"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (CI must run the real-client tests)")
        pytest.skip(missing)


def _profile_arg(folder: Path) -> str:
    return f"-env:UserInstallation=file://{folder}"


def convert(sources: list[Path] | Path, fmt: str, outdir: Path, timeout: int = 180) -> list[Path]:
    """Convert files with LibreOffice headless (one call for all); return the converted paths.

    Fails the test when LibreOffice exits non-zero or a converted file is missing.
    """
    require_libreoffice()
    files = [sources] if isinstance(sources, Path) else list(sources)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [SOFFICE, _profile_arg(Path(profile)), "--headless", "--norestore", "--convert-to", fmt,
             "--outdir", str(outdir), *map(str, files)],
            capture_output=True, text=True, timeout=timeout,
        )
    ext = fmt.split(":")[0]
    out = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [p.name for p in out if not p.exists()]
    assert result.returncode == 0 and not missing, (
        f"LibreOffice failed to convert {missing or files}: {result.stdout} {result.stderr}")
    return out


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (pdftotext, layout off)."""
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@contextmanager
def uno_office(tz: str | None = None) -> Iterator[str]:
    """Start soffice listening on a private pipe; yield the pipe name for UNO scripts. tz: the time zone the
    office runs in (e.g. "Europe/Helsinki": LibreOffice records the local time of a save as if UTC)."""
    require_libreoffice(uno=True)
    pipe = f"auditkit_{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        proc = subprocess.Popen(
            [SOFFICE, _profile_arg(Path(profile)), "--headless", "--invisible", "--norestore", "--nologo",
             "--nodefault", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **({"TZ": tz} if tz else {})},
        )
        try:
            yield pipe
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def run_uno(pipe: str, script: str, *args: str, timeout: int = 180) -> str:
    """Run tests/uno/<script> under /usr/bin/python3 against the office on `pipe`; return its stdout.

    The script gets the pipe name as its first argument; see tests/uno/_connect.py.
    """
    deadline = time.monotonic() + timeout
    result = subprocess.run(
        [UNO_PYTHON, str(UNO_SCRIPTS / script), pipe, *args],
        capture_output=True, text=True, timeout=max(1, deadline - time.monotonic()),
        env={**os.environ, "PYTHONPATH": str(UNO_SCRIPTS)},
    )
    assert result.returncode == 0, (
        f"{script} failed (exit {result.returncode}{', a signal: a crash' if result.returncode < 0 else ''}): "
        f"{result.stdout}\n{result.stderr}")
    return result.stdout
