"""CSV, in one place: reading what people export from Excel, and writing what Excel opens right.

Reading: the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252, which is what
Excel's plain "CSV" writes on Windows) and the delimiter (`;` `,` or tab) are detected; every row
keeps its place ("line 14") for messages. Writing: UTF-8 with BOM and CRLF (so Excel shows Finnish
letters right), `;` by default (Excel's delimiter in a Finnish locale; `,` on request), and the
formula guard on every cell: a value that starts like a formula gets a leading apostrophe, so no
spreadsheet runs text that came from a returned file or a register. `unguard` takes it off again
when auditkit reads its own files back (manifest.csv, jaot.csv).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import cast

from .errors import Problem, UsageError, say
from .outputs import FORMULA_START, looks_like_formula, write_bytes

DELIMITERS = (";", ",", "\t")
MAX_TEXT_BYTES = 20 * 1024 * 1024
_SNIFF_LINES = 10
# A cell after the delimiter that starts like a formula (FORMULA_START), in a line of joined cells.
_FORMULA_AFTER = {d: re.compile(f'{re.escape(d)}[{re.escape("".join(FORMULA_START))}]') for d in DELIMITERS}


def _plain(row: Sequence[object], line: str, delimiter: str) -> str:
    """A row as csv's writer writes it (QUOTE_MINIMAL: a cell holding the delimiter or a quote quoted, its
    quotes doubled), given the row's cells joined (line), when no cell has a line break or NUL."""
    if line.count(delimiter) != len(row) - 1:  # a cell holds the delimiter (a text; a name)
        return delimiter.join([_quote(text) if delimiter in text or '"' in text else text for text in map(str, row)])
    if '"' not in line:
        return line
    parts: list[str] = []  # each cell that holds a quote quoted, found from the quote
    done = 0  # the line is in parts up to here (the start, or a delimiter after a quoted cell)
    at = line.find('"')
    while at >= 0:
        start = line.rfind(delimiter, done, at) + 1
        end = line.find(delimiter, at)
        end = len(line) if end < 0 else end
        parts += (line[done:start], _quote(line[start:end]))
        done, at = end, line.find('"', end)
    parts.append(line[done:])
    return "".join(parts)


def _quote(text: str) -> str:
    """A cell quoted as csv's writer quotes it: in quotes, its own quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


Rows = list[tuple[str, tuple[str, ...]]]  # (place, cells)


# --- writing -----------------------------------------------------------------------------------


def guard(text: str) -> str:
    """The value as a CSV cell that no spreadsheet runs: a leading apostrophe before formula-like text."""
    return f"'{text}" if looks_like_formula(text) else text


def unguard(text: str) -> str:
    """The value `guard` was given (a cell of a CSV auditkit wrote, perhaps re-saved by Excel)."""
    return text[1:] if text.startswith("'") and looks_like_formula(text[1:]) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter: str = ";") -> bytes:
    """A CSV as Excel opens it right: UTF-8 with BOM, CRLF, every cell guarded (see guard)."""
    return csv_text(header, rows, delimiter=delimiter).encode("utf-8-sig")  # the BOM, then the text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter: str = ";") -> str:
    """The text of csv_bytes without its BOM (for standard output), every cell guarded; CRLF line ends."""
    if delimiter not in DELIMITERS:
        raise UsageError(say("'{delimiter}' is not a CSV delimiter auditkit writes; choose ; or ,.",
                             delimiter=delimiter))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([guard(str(cell)) for cell in header])
    # results.csv at 300 workshops has 600 000 cells: rows are joined and checked 64 at a time, and written as
    # the writer writes them (a cell holding a quote or the delimiter quoted, its quotes doubled). A block
    # where a cell has a line break or starts like a formula is checked row by row: such a row goes through
    # guard and the writer.
    formula = FORMULA_START  # guard's test, inlined
    after = _FORMULA_AFTER[delimiter]
    write = buffer.write
    rows = iter(rows)
    while block := list(itertools.islice(rows, 64)):
        try:
            lines = [delimiter.join(row) for row in cast(list[Sequence[str]], block)]
        except TypeError:  # not every cell a str
            lines = [delimiter.join(map(str, row)) for row in block]
        joined = delimiter.join(lines)
        if ("\r" not in joined and "\n" not in joined and "\x00" not in joined and "" not in lines
                and not joined.startswith(formula) and after.search(joined) is None):
            write("\r\n".join([_plain(row, line, delimiter) for row, line in zip(block, lines)]))
            write("\r\n")
            continue
        for row, line in zip(block, lines):
            if (line and "\r" not in line and "\n" not in line and "\x00" not in line and not line.startswith(formula)
                    and after.search(line) is None):
                write(_plain(row, line, delimiter))
                write("\r\n")
            else:
                writer.writerow([f"'{text}" if (text := str(cell)).startswith(formula) else text for cell in row])
    return buffer.getvalue()


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]], *,
              delimiter: str = ";", force: bool = False) -> Path:
    """Write csv_bytes atomically (see outputs.write_bytes: never over an existing file unless force)."""
    return write_bytes(path, csv_bytes(header, rows, delimiter=delimiter), force=force)


# --- reading -----------------------------------------------------------------------------------


def _latin1(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start:err.end].decode("latin-1"), err.end


_LATIN1_FALLBACK = "auditkit-latin1"
codecs.register_error(_LATIN1_FALLBACK, _latin1)


def decode(data: bytes) -> str | None:
    """Text of a CSV in UTF-8 (BOM or not), UTF-16 with BOM, or else Windows-1252; None for binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows; the five bytes cp1252 leaves undefined are read as Latin-1.
        return data.decode("cp1252", errors=_LATIN1_FALLBACK)


def sniff_delimiter(text: str, is_header: Callable[[str], bool] = lambda cell: False) -> str:
    """The delimiter under which the first rows name the most known columns (is_header), then the one
    the first line uses most."""
    first_lines = "\n".join(text.splitlines()[:_SNIFF_LINES])
    first = text.split("\n", 1)[0]

    def score(delimiter: str) -> tuple[int, int]:
        rows = list(csv.reader(io.StringIO(first_lines), delimiter=delimiter, strict=False))
        known = max((sum(is_header(cell) for cell in row) for row in rows), default=0)
        return known, first.count(delimiter)

    return max(DELIMITERS, key=score)


def read_rows(name: str, text: str, *, delimiter: str, max_rows: int, max_columns: int) -> tuple[Rows, list[Problem]]:
    """Every row of a CSV text as (place, cells), places "line N" (a quoted value may span lines: the
    place is the line the row starts on), at most max_rows rows of max_columns cells."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: Rows = []
    problems: list[Problem] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if len(rows) > max_rows:
                problems.append(Problem(name, f"line {start}", say(
                    "the file has more than {rows} rows; only the first {rows} were read. Split the file or remove "
                    "extra rows.", rows=max_rows), code="too-many-rows"))
                break
            rows.append((f"line {start}", tuple(cells[:max_columns])))
    except csv.Error as err:
        problems.append(Problem(name, f"line {end + 1}", say("cannot be read as CSV ({reason}); save the file from "
                                                              "Excel again.", reason=str(err)), code="csv-unreadable"))
    return rows, problems


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The text of a CSV file, or None with the problem (missing, unreadable, too big, binary)."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            return None, [Problem(name, "", say("is {size} MB, far more than a table like this; check that this is "
                                                "the right file.", size=size // (1024 * 1024)), code="file-too-large")]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, "", say("file not found; check the path."), code="file-not-found")]
    except OSError as err:
        return None, [Problem(name, "", say("cannot be read ({reason}); check the path and permissions.",
                                            reason=str(err.strerror or err)), code="file-unreadable")]
    text = decode(data)
    if text is None:
        return None, [Problem(name, "", say("is not a text (CSV) file; save the table from Excel as CSV."),
                              code="not-csv")]
    return text, []


def read_dicts(path: str | Path, columns: Sequence[str], *, max_rows: int = 100_000
               ) -> tuple[list[tuple[str, dict[str, str]]], list[Problem]]:
    """The rows of a CSV auditkit wrote (perhaps re-saved by Excel) as {column: value} with their places.

    The first row must name the columns (case and surrounding spaces ignored; others are left out);
    values are unguarded and stripped of surrounding spaces. Rows that are empty are skipped. Never raises.
    """
    name = str(path)
    text, problems = read_text(Path(path))
    if text is None:
        return [], problems
    wanted = {c.casefold(): c for c in columns}
    delimiter = sniff_delimiter(text, lambda cell: cell.strip().casefold() in wanted)
    rows, problems = read_rows(name, text, delimiter=delimiter, max_rows=max_rows, max_columns=len(columns) + 50)
    if not rows:
        return [], problems
    (header_place, header), body = rows[0], rows[1:]
    index = {wanted[cell.strip().casefold()]: i for i, cell in reversed(list(enumerate(header)))
             if cell.strip().casefold() in wanted}
    missing = [c for c in columns if c not in index]
    if missing:
        problems.append(Problem(name, header_place, say("the header row lacks the column(s) {columns}; those "
                                                        "values are empty.", columns=", ".join(missing)),
                                code="columns-missing"))
    out = []
    for place, cells in body:
        if not any(cell.strip() for cell in cells):
            continue
        out.append((place, {c: unguard(cells[i].strip()) if i < len(cells) else "" for c, i in index.items()}
                    | {c: "" for c in missing}))
    return out, problems


def read_keyed(path: str | Path, keys: Sequence[str], headers: Sequence[Sequence[str]], *, max_rows: int = 100_000
               ) -> tuple[list[tuple[str, dict[str, str]]], list[Problem], int | None]:
    """The rows of a CSV auditkit wrote with one of several headers (one per language: each names the keys in
    order), keyed by keys: the first header the file's has whole, else the first header, whose missing
    columns are reported. Returns the rows with their places, the problems, and which header the file has
    (its index in headers; None when none whole). Never raises."""
    first: tuple[list[tuple[str, dict[str, str]]], list[Problem]] | None = None
    for index, said in enumerate(headers):
        rows, problems = read_dicts(path, said, max_rows=max_rows)
        keyed = [(place, {key: row[text] for key, text in zip(keys, said)}) for place, row in rows]
        if not any(p.code == "columns-missing" for p in problems):
            return keyed, problems, index
        if first is None:
            first = (keyed, problems)
    return (*first, None) if first is not None else ([], [], None)
