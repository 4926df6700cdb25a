"""Reading a register kept in Excel: the first sheet of an .xlsx as rows of strings (read-only, bounded)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, Text, cause, say
from ..packages import too_packed
from .cells import cell_text

MAX_ROWS = 5000
MAX_COLUMNS = 30
# A register of a few hundred rows is well under a megabyte of XML; anything far larger, or packed
# much tighter than spreadsheets pack, is refused before openpyxl expands it (zip bombs, PITFALLS).
_MAX_UNPACKED = 200 * 1024 * 1024
_MAX_RATIO = 200
_RATIO_FLOOR = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SheetRows:
    """The cells of a sheet as text: sheet name, and (row number, cells) for every row read."""

    sheet: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_sheet_rows(
    path: str | Path, *, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS
) -> tuple[SheetRows | None, list[Problem]]:
    """Read the first sheet of the workbook at path as text rows, at most max_rows × max_columns.

    Returns (rows, problems); rows is None when the file cannot be read at all (one Problem says why
    and what to do). Values become text: whole numbers without ".0", dates as YYYY-MM-DD, TRUE/FALSE
    for booleans, formulas as their cached value. Never raises on a bad file.
    """
    name = str(path)
    problem = _check_package(Path(path))
    if problem:
        return None, [Problem(name, "", problem, code="register-unreadable")]
    import openpyxl  # the register is usually CSV: load openpyxl only when a workbook comes

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - any failure of a foreign file is a problem, not a crash
        return None, [Problem(name, "", say("cannot be read as an Excel workbook ({cause}); open it in Excel or "
                                            "LibreOffice and save it again as .xlsx or CSV.", cause=cause(err)),
                              code="register-unreadable")]
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            return None, [Problem(name, "", say("the workbook has no sheet with cells; put the register on the first "
                                                "sheet."), code="register-no-sheet")]
        sheet = sheets[0]
        sheet.reset_dimensions()  # never trust the declared size: it can claim a million rows
        rows: list[tuple[int, tuple[str, ...]]] = []
        problems: list[Problem] = []
        for number, values in enumerate(
            sheet.iter_rows(min_row=1, max_row=max_rows + 1, max_col=max_columns, values_only=True), start=1
        ):
            cells = tuple(cell_text(v) for v in values)
            if number > max_rows:
                if any(cells):
                    problems.append(Problem(name, f"sheet {sheet.title}", say(
                        "the sheet has more than {rows} rows; only the first {rows} were read. Split the register or "
                        "remove empty and extra rows.", rows=max_rows), code="too-many-rows"))
                break
            rows.append((number, cells))
        return SheetRows(sheet.title, tuple(rows)), problems
    except Exception as err:  # noqa: BLE001
        return None, [Problem(name, "", say("the first sheet cannot be read ({cause}); open the file in Excel or "
                                            "LibreOffice and save it again as .xlsx.", cause=cause(err)),
                              code="register-unreadable")]
    finally:
        workbook.close()


def _check_package(path: Path) -> Text | None:
    """Why the file is not a workbook openpyxl should open, or None when it looks like one."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                return say("is an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV in LibreOffice (File ▸ "
                           "Save As).")
            if "xl/workbook.xml" not in names:
                return say("is a zip file but not an Excel workbook; save the register as .xlsx or CSV.")
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos)
            if unpacked > _MAX_UNPACKED or too_packed(unpacked, packed, floor=_RATIO_FLOOR, max_ratio=_MAX_RATIO):
                return say("would unpack to {size} MB, far more than a register needs; copy the register's rows "
                           "into a new workbook and save that.", size=unpacked // (1024 * 1024))
    except FileNotFoundError:
        return say("file not found; check the path.")
    except zipfile.BadZipFile:
        return say("is not an Excel workbook (.xlsx); save the register as .xlsx or CSV.")
    except OSError as err:
        return say("cannot be opened ({reason}); check the path and permissions.", reason=str(err.strerror or err))
    return None
