"""Office programs other than LibreOffice, from tests: Gnumeric (ssconvert), AbiWord and pandoc.

Each opens a kit file as its program does and saves it again as .xlsx or .docx, optionally after the
edits a person makes there. Without the program the test skips with the reason, except under CI
(CI=true), where a missing program fails it: CI must run these real-client tests.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from lxml import etree

from libreoffice import require_office_marker

GNM = "{http://www.gnumeric.org/v10.dtd}"


def require(program: str) -> str:
    """The program's path; skip (or, under CI, fail) when it is not installed. A test that runs it
    carries the `office` marker, as a LibreOffice test does (libreoffice.require_office_marker)."""
    require_office_marker(program)
    found = shutil.which(program)
    if found is None:
        message = f"{program} is not installed (apt-get install gnumeric abiword pandoc)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the real-client tests")
        pytest.skip(message)
    return found


def _run(*args: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"{args[0]} failed: {result.stdout} {result.stderr}"


def gnumeric(source: Path, target: Path, cells: Mapping[str, str] | None = None, sheet: str = "Arviointi") -> Path:
    """The workbook opened in Gnumeric and saved as .xlsx, after typing text into cells. cells: "{tpk-02}F"
    (column F of the row whose column A holds the criterion id tpk-02) or "F8" -> the text typed."""
    ssconvert = require("ssconvert")
    with tempfile.TemporaryDirectory(prefix="gnumeric-") as tmp:
        book = Path(tmp) / "book.gnumeric"
        _run(ssconvert, str(source), str(book))
        if cells:
            root = etree.fromstring(gzip.decompress(book.read_bytes()))
            ws = next(s for s in root.iter(f"{GNM}Sheet") if s.findtext(f"{GNM}Name") == sheet)
            grid = ws.find(f"{GNM}Cells")
            assert grid is not None
            for ref, text in cells.items():
                row, col = _address(grid, ref)
                cell = next((c for c in grid if c.get("Row") == str(row) and c.get("Col") == str(col)), None)
                if cell is None:
                    cell = etree.SubElement(grid, f"{GNM}Cell", Row=str(row), Col=str(col))
                cell.attrib.pop("ExprID", None)
                cell.set("ValueType", "60")  # a string, as typed
                cell.text = text
            book.write_bytes(gzip.compress(etree.tostring(root, xml_declaration=True, encoding="UTF-8")))
        _run(ssconvert, str(book), str(target))
    return target


def _address(grid: etree._Element, ref: str) -> tuple[int, int]:
    """(row, column), 0-based, of "{tpk-02}F" or "F8" on a Gnumeric sheet."""
    match = re.fullmatch(r"\{([^}]+)\}([A-Z]+)|([A-Z]+)(\d+)", ref)
    assert match, ref
    letters = match.group(2) or match.group(3)
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    if match.group(1):
        row = next(int(c.get("Row")) for c in grid if c.get("Col") == "0" and c.text == match.group(1))
    else:
        row = int(match.group(4)) - 1
    return row, col - 1


def abiword(source: Path, target: Path, replace: Mapping[str, str] | None = None) -> Path:
    """The form opened in AbiWord and saved as .docx, after replacing texts as a person types over them."""
    program = require("abiword")
    with tempfile.TemporaryDirectory(prefix="abiword-") as tmp:
        middle = Path(tmp) / "form.abw"
        _run(program, "--to=abw", "-o", str(middle), str(source))
        text = middle.read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        middle.write_text(text, encoding="utf-8")
        _run(program, "--to=docx", "-o", str(target), str(middle))
    return target


def pandoc(source: Path, target: Path) -> Path:
    """The document converted by pandoc from .docx to .docx, as a person converting with it does."""
    _run(require("pandoc"), str(source), "-o", str(target))
    return target
