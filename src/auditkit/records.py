"""Reading a table people keep in Excel: records found by their header text, with their places.

Tables come as people export them from Excel: CSV with `;`, `,` or tab, in UTF-8 (with or without
BOM), UTF-16 or Windows-1252, or an .xlsx whose first sheet holds the table. The encoding, the
delimiter and the header row are detected; columns are matched by their header text in Finnish or
English. Every problem is reported with its line, all in one run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import csvfile
from .errors import Problem, Text, place_text, say
from .excel.register import MAX_COLUMNS, MAX_ROWS, read_sheet_rows
from .textnorm import header_key

_HEADER_SEARCH_ROWS = 10
_LISTED_LINES = 10


@dataclass(frozen=True, slots=True)
class Column:
    """A column a table may have: its key, the header texts that name it, and how to name it in messages."""

    key: str
    label: str  # e.g. "tunnus (id)"
    aliases: tuple[str, ...]
    listed: bool = True  # named among the optional columns when no header is found (kieli: only for some rounds)


@dataclass(frozen=True, slots=True)
class Record:
    """One data row of a table: where it is ("line 14" or "sheet Työpajat, row 14") and its values by key.

    `at` is the short form used inside messages ("line 14", "row 14").
    """

    place: str
    at: str
    values: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def read_records(
    path: str | Path, columns: tuple[Column, ...], required: tuple[str, ...]
) -> tuple[list[Record], list[Problem]]:
    """Read a register table and return its non-empty data rows with their places, and the problems.

    Finds the header row (the first of the first rows that names every required column), maps the
    columns by header text, and reports unknown or repeated columns. Never raises on a bad file.
    """
    name = str(path)
    raw, problems = _raw_rows(Path(path), columns)
    if raw is None:
        return [], problems
    by_alias = {header_key(alias): column.key for column in columns for alias in (column.key, *column.aliases)}
    labels = {column.key: column.label for column in columns}
    header_at, mapping, best = _find_header(raw, by_alias, required)
    if header_at is None:
        missing = [labels[k] for k in required if k not in best]
        place = raw[0][0] if raw else ""
        optional = [c.label for c in columns if c.key not in required and c.listed]
        problems.append(Problem(name, place, say(
            "no header row naming the columns {missing} was found in the first {rows} rows; the first row must name "
            "the columns. Required: {required}; optional: {optional}.", missing=", ".join(missing),
            rows=_HEADER_SEARCH_ROWS, required=", ".join(labels[k] for k in required), optional=", ".join(optional)),
            code="header-not-found"))
        return [], problems
    header_place, header = raw[header_at][0], raw[header_at][1]
    seen: dict[str, str] = {}
    for index, cell in enumerate(header):
        key = mapping.get(index)
        if key is None:
            if cell.strip():
                problems.append(Problem(name, header_place, say(
                    "column '{column}' is not used; auditkit reads {columns}. Rename it if it should be one of these.",
                    column=cell.strip(), columns=", ".join(c.label for c in columns if c.listed)), "warning", "column-not-used"))
            continue
        if key in seen:
            problems.append(Problem(name, header_place, say(
                "columns '{first}' and '{second}' both give {label}; keep one of them.", first=seen[key],
                second=cell.strip(), label=labels[key]), code="column-twice"))
        seen.setdefault(key, cell.strip())
    width = max(mapping) + 1
    records: list[Record] = []
    for place, cells in raw[header_at + 1:]:
        if not any(cell.strip() for cell in cells):
            continue
        values: dict[str, str] = {}
        for i, key in sorted(mapping.items()):
            values.setdefault(key, cells[i].strip() if i < len(cells) else "")
        records.append(Record(place, _short(place), values))
        if any(cell.strip() for cell in cells[max(width, len(header)):]):
            problems.append(Problem(name, place, say(
                "the row has more cells than the header has columns; is there a delimiter inside a value? "
                "Put such values in double quotes, or save the file from Excel again."), "warning", "row-too-wide"))
    return records, problems


def _short(place: str) -> str:
    return place.rsplit(", ", 1)[-1]


def _find_header(
    raw: list[tuple[str, tuple[str, ...]]], by_alias: dict[str, str], required: tuple[str, ...]
) -> tuple[int | None, dict[int, str], set[str]]:
    """The index of the header row, its column index → key mapping, and the keys of the best row seen."""
    best: set[str] = set()
    searched = 0
    for index, (_place, cells) in enumerate(raw):
        if not any(cell.strip() for cell in cells):
            continue
        # A column named twice maps twice here; the caller reports it and reads the first.
        mapping = {col: by_alias[header_key(cell)] for col, cell in enumerate(cells) if header_key(cell) in by_alias}
        keys = set(mapping.values())
        if all(k in keys for k in required):
            return index, mapping, keys
        if len(keys) > len(best):
            best = keys
        searched += 1
        if searched >= _HEADER_SEARCH_ROWS:
            break
    return None, {}, best


def _raw_rows(path: Path, columns: tuple[Column, ...]) -> tuple[list[tuple[str, tuple[str, ...]]] | None, list[Problem]]:
    """Every row of the file as (place, cells): a workbook's first sheet or a CSV, detected by content."""
    name = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        return None, [Problem(name, "", say("file not found; check the path."), code="file-not-found")]
    except OSError as err:
        return None, [Problem(name, "", say("cannot be read ({reason}); check the path and permissions.",
                                            reason=str(err.strerror or err)), code="file-unreadable")]
    if size == 0:
        return None, [Problem(name, "", say("the file is empty; it should have a header row and one row per line "
                                            "of data."), code="file-empty")]
    if head.startswith(b"PK\x03\x04"):
        sheet, problems = read_sheet_rows(path)
        if sheet is None:
            return None, problems
        return [(f"sheet {sheet.sheet}, row {n}", cells) for n, cells in sheet.rows], problems
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return None, [Problem(name, "", say(
            "is an old Excel .xls file or a password-protected workbook; save it as .xlsx without a password, "
            "or as CSV (CSV UTF-8)."), code="register-xls")]
    if size > csvfile.MAX_TEXT_BYTES:
        return None, [Problem(name, "", say("is {size} MB, far more than a register; check that this is the right "
                                            "file.", size=size // (1024 * 1024)), code="file-too-large")]
    text = csvfile.decode(path.read_bytes())
    if text is None:
        return None, [Problem(name, "", say("is neither a text (CSV) file nor an Excel workbook; save the table as "
                                            "CSV or .xlsx."), code="register-format")]
    return _csv_rows(name, text, columns)


def _csv_rows(
    name: str, text: str, columns: tuple[Column, ...]
) -> tuple[list[tuple[str, tuple[str, ...]]], list[Problem]]:
    aliases = {header_key(a) for column in columns for a in (column.key, *column.aliases)}
    delimiter = csvfile.sniff_delimiter(text, lambda cell: header_key(cell) in aliases)
    return csvfile.read_rows(name, text, delimiter=delimiter, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)


def listing(ats: list[str]) -> Text:
    """The places of some rows, as a message names them ("line 3, line 7 and 4 more"), in the reader's language."""
    shown: str | Text = ""
    for i, at in enumerate(ats[:_LISTED_LINES]):
        shown = place_text(at) if i == 0 else Text("{a}, {b}", (("a", shown), ("b", place_text(at))))
    if len(ats) > _LISTED_LINES:
        return say("{places} and {count} more", places=shown, count=len(ats) - _LISTED_LINES)
    return shown if isinstance(shown, Text) else Text("{a}", (("a", shown),))
