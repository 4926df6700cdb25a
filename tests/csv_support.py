"""Reading results.csv and problems.csv as a coordinator's Excel would: `;`, UTF-8 with BOM, the Finnish
header checked, and each row as {column key: value} (compile.RESULTS_CSV_COLUMNS / PROBLEMS_COLUMNS)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from auditkit.compile import PROBLEMS_COLUMNS, RESULTS_CSV_COLUMNS, csv_header

__all__ = ["csv_header", "problems", "read_table", "results"]


def read_table(path: Path, columns: Sequence[str], lang: str = "fi") -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == csv_header(columns, lang), rows[0]
    return [dict(zip(columns, row, strict=True)) for row in rows[1:]]


def results(path: Path) -> list[dict[str, str]]:
    """results.csv's rows (role itsearviointi/auditointi, not_applicable kyllä or empty, na_accepted kyllä/ei)."""
    return read_table(path, RESULTS_CSV_COLUMNS)


def problems(path: Path) -> list[dict[str, str]]:
    """problems.csv's rows (severity virhe/varoitus, code as it is)."""
    return read_table(path, PROBLEMS_COLUMNS)
