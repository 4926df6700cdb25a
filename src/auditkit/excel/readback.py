"""Reading a returned scoring workbook: its identity, the answers per criterion, and every problem.

Read-back trusts nothing it cannot check. It finds each criterion's row by the hidden id, refuses a
row that no longer shows that criterion, re-validates every value (pasting bypasses drop-downs),
never reads a formula's cached value, reads only the rows and columns the kit defined, and never
raises: whatever goes wrong becomes a Problem naming the file.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import zipfile
from dataclasses import dataclass, replace
from typing import Any, NamedTuple
from xml.etree.ElementTree import XML

from defusedxml import ElementTree as SafeET
from openpyxl.utils import column_index_from_string, get_column_letter

from ..catalogue import Catalogue, Criterion
from ..errors import Problem, Text, say
from ..model import CriterionResponse, Identity, Returned
from ..ratings import ParsedRating, parse_rating
from ..textnorm import squeeze as _norm
from . import contract as k
from .cells import EMPTY, Cell, Package, Rows, UnsafePart, cell_text, declares_dtd
from .sniff import NotAWorkbook, load_package, read_part

_REF_END = re.compile(r"([A-Za-z]{1,3})(\d+)$")
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_DCTERMS_MODIFIED = "{http://purl.org/dc/terms/}modified"
_SMALL_PART = 1_000_000
_EXCEL_CELL_CHARS = 32_767
# Invisible characters a person never types (they come with text copied from other programs); XML
# cannot carry most of them, so reports could not show them either.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_workbook(path: str | os.PathLike[str], catalogue: Catalogue) -> Returned:
    """Read a returned workbook (saved by Excel, LibreOffice or openpyxl) without modifying it.

    Returns a Returned (kind "workbook") with the identity, a CriterionResponse per criterion whose row
    could be read (texts "reasoning" for a self-assessment, and "evidence" from a workbook of format 1; "reasoning", "observations",
    "strengths" and "development" for an auditor's workbook), saved_at from the file's properties, and
    the problems found, each with sheet and cell. Never raises.
    """
    file = str(path)
    # A workbook's parts are parsed into thousands of elements, which set off the cyclic garbage collector
    # again and again (a tenth of the time of reading), though they hold no cycles: they are freed as soon
    # as they are done with. The collector is paused while one workbook is read, and resumed after.
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        return _Reader(file, catalogue).read(path)
    except Exception as err:  # noqa: BLE001 - read-back never raises; the person gets a message
        return _failed(file, f"could not be read ({type(err).__name__}: {err}); open it in Excel or "
                             "LibreOffice, save it again as .xlsx and retry, or ask for the workbook again.")
    finally:
        if collecting:
            gc.enable()


def check_prefill(returned: Returned, workshop_id: str = "", round_id: str = "") -> list[Problem]:
    """Problems with using a returned workbook as the prefill of an auditor's workbook.

    An auditor's workbook (role peer) given instead of the self-assessment is an error; a workbook of
    another workshop or round is a warning.
    """
    out: list[Problem] = []
    who = returned.identity
    if who.role and who.role != "self":
        out.append(Problem(returned.file, "", say(
            "is a workbook of role '{role}', not the workshop's self-assessment; give the self-assessment "
            "workbook the workshop returned.", role=who.role), code="prefill-not-self-assessment"))
    if workshop_id and who.workshop_id and who.workshop_id != workshop_id:
        out.append(Problem(returned.file, "", say(
            "belongs to workshop '{found}' ({name}), not '{expected}'; check that it is the right workshop's file.",
            found=who.workshop_id, name=who.workshop_name, expected=workshop_id), "warning", "prefill-other-workshop"))
    if round_id and who.round_id and who.round_id != round_id:
        out.append(Problem(returned.file, "", say(
            "belongs to round '{found}', not '{expected}'; check that it is the right round's file.",
            found=who.round_id, expected=round_id), "warning", "prefill-other-round"))
    return out


def _failed(file: str, message: str | Text) -> Returned:
    return Returned(file, "workbook", Identity(), problems=(Problem(file, "", message, code="workbook-unreadable"),))


def _fold(value: Any) -> str:
    return _norm(str(value)).casefold() if value is not None else ""


def _cell(row: dict[int, Cell], col: int | None) -> Cell:
    return row.get(col, EMPTY) if col is not None else EMPTY


# A criterion's text squeezed, as a row shows it and as the content has it: the same few hundred texts
# in every workbook of a round.
_squeezed = functools.lru_cache(maxsize=2048)(_norm)


def _shown(value: Any, limit: int = 40) -> str:
    text = cell_text(value)
    return text if len(text) <= limit else text[:limit] + "…"


class _Reader:
    def __init__(self, file: str, catalogue: Catalogue) -> None:
        self.file = file
        self.cat = catalogue
        self.problems: list[Problem] = []
        self.sheet = k.SHEET_RATINGS  # the sheet being read, for the places in messages
        self.lang = "fi"  # the language of the workbook's visible texts (its sheet names, the table's header)
        self.package: Package | None = None
        self._other_na: frozenset[str] | None = None  # "Ei sovellu" as other languages say it (folded), when asked
        self.shown = Identity()  # what the sheet the answers were read from shows about whose it is
        self.disputed: tuple[str, ...] = ()

    @property
    def other_na(self) -> frozenset[str]:
        """"Ei sovellu" in the other languages (see _other_not_applicable), read when a rating is not the
        content's: most workbooks never need it."""
        if self._other_na is None:
            self._other_na = _other_not_applicable(self.package, self.cat) if self.package is not None else frozenset()
        return self._other_na

    def problem(self, place: str, code: str, message: Text, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, place, message, severity, code))  # type: ignore[arg-type]

    def read(self, path: str | os.PathLike[str]) -> Returned:
        try:
            _data, package = load_package(path)
        except NotAWorkbook as err:
            return _failed(self.file, err.text)
        with package:
            saved_at, properties = _document_properties(package)
            try:
                wb = Package(package)
                self.package = wb
                self.lang = _language_of(wb)
                identity = self._identity(wb, properties)
                responses = self._ratings(wb, identity)
            except NotAWorkbook as err:
                return _failed(self.file, err.text)
            except UnsafePart as err:
                return _failed(self.file, say("declares a DTD or entities in {part}, which workbooks never have; it "
                                              "was refused unread (a damaged or malicious file). Ask for the workbook "
                                              "again.", part=str(err)))
            except Exception as err:  # noqa: BLE001
                return _failed(self.file, say("is damaged and cannot be read as a workbook ({cause}); open it in Excel "
                                              "or LibreOffice, save it again as .xlsx, or ask for it again.",
                                              cause=type(err).__name__ + ": " + str(err)))
        return Returned(self.file, "workbook", identity, tuple(responses), tuple(self.problems), saved_at,
                        shown=self.shown, disputed=self.disputed)

    # --- identity -----------------------------------------------------------------------------

    def _identity(self, wb: Package, properties: dict[str, str]) -> Identity:
        sheet: dict[str, str] | None = None
        if k.SHEET_IDENTITY in wb.sheets:
            sheet = {}
            for cells in wb.rows(k.SHEET_IDENTITY, len(k.IDENTITY_KEYS) + 20, 2).values():
                key = _cell(cells, 1).value
                if isinstance(key, str) and key.strip() in k.IDENTITY_KEYS:
                    sheet[key.strip()] = cell_text(_cell(cells, 2).value)
        props = {key: properties[key] for key in k.IDENTITY_KEYS if key in properties}
        where = f"sheet {k.SHEET_IDENTITY}"
        if sheet is None and not props:
            self.problem("", "identity-missing", say(
                "cannot be identified: the hidden sheet {sheet} and the document properties that say which round, "
                "workshop and role it belongs to are both missing. It was not made by auditkit, or was copied into "
                "another file; use the workbook of the kit.", sheet=k.SHEET_IDENTITY))
        elif sheet is None:
            self.problem(where, "identity-sheet-deleted", say(
                "the hidden identity sheet {sheet} was deleted; the workbook was identified by its document "
                "properties only. Check that it is the right workshop's file, and use the original workbook next "
                "time.", sheet=k.SHEET_IDENTITY))
        elif not props:
            self.problem("document properties", "properties-missing", say(
                "the custom document properties are missing (the program that saved it dropped them); identified "
                "by the sheet {sheet}.", sheet=k.SHEET_IDENTITY), "warning")
        elif any(key not in sheet for key in k.REQUIRED_IDENTITY_KEYS):
            missing = ", ".join(key for key in k.REQUIRED_IDENTITY_KEYS if key not in sheet)
            self.problem(where, "identity-sheet-incomplete", say(
                "the identity sheet lacks {missing}; identified by the document properties.", missing=missing))
        values: dict[str, str] = {}
        disputed = []
        for key in k.IDENTITY_KEYS:
            prop, own = props.get(key), (sheet or {}).get(key)
            if prop is not None and own is not None and prop != own:
                disputed.append(key)
                self.problem(where, "identity-disagrees", say(
                    "the identity disagrees: the document properties say {key} is '{prop}' but the sheet {sheet} "
                    "says '{own}'. The file may mix two workbooks; check which workshop it belongs to before using it.",
                    key=key, prop=prop, sheet=k.SHEET_IDENTITY, own=own))
            values[key] = prop if prop is not None else (own or "")
        self.disputed = tuple(disputed)
        identity = Identity(**values)
        if identity.format_version and identity.format_version not in k.READABLE_FORMATS:
            self.problem("", "format-unknown", say(
                "is workbook format {found}, this auditkit reads format {known}; read it with the auditkit version "
                "that made the kit.", found=identity.format_version, known=k.FORMAT_VERSION))
        if identity.content_hash and identity.content_hash != self.cat.hash:
            self.problem("", "content-differs", say(
                "was made from content version {made} ({made_hash}), not the content in use ({used}, {used_hash}); "
                "rows whose criterion text differs are not read. Compile with the content the kit was made from "
                "(--content).", made=identity.content_version, made_hash=identity.content_hash[:12],
                used=self.cat.version, used_hash=self.cat.short_hash), "warning")
        return identity

    # --- the ratings table --------------------------------------------------------------------

    def _ratings(self, wb: Package, identity: Identity) -> list[CriterionResponse]:
        """The answers of the ratings sheet, or of the one copy of it that holds answers (people copy the
        sheet, fill the copy and leave the original empty): never an empty original beside a filled copy,
        and nothing from copies whose answers differ."""
        ratings_sheet = k.sheet_name("ratings", self.lang)  # as this workbook's language names it
        names = [n for n in wb.sheets if n in _RATINGS_SHEETS]
        names += [n for n in wb.sheets if n not in _KIT_SHEETS and n not in _RATINGS_SHEETS][:_MAX_OTHER_SHEETS]
        tables = [t for t in (self._table(wb, name, identity) for name in names) if t is not None]
        if not tables:
            self.problem("", "ratings-sheet-missing", say(
                "has no sheet {sheet} (renamed or deleted), so no answers can be read; rename it back or ask for the "
                "workbook again.", sheet=ratings_sheet))
            return []
        original = next((t for t in tables if t.sheet in _RATINGS_SHEETS), None)
        answered = [t for t in tables if t.answered]
        used = answered[0] if answered else (original or tables[0])
        self.shown = used.shown
        if len(answered) > 1:
            shown = " and ".join(t.sheet for t in answered)
            difference = next((d for t in answered[1:] if (d := _difference(answered[0], t))), None)
            if difference:
                self.problem("", "ratings-sheets-differ", say(
                    "the sheets {sheets} both hold answers, and they differ ({difference}); none was read, since it "
                    "is not clear which is final. Delete the sheets that are not final and return the workbook again.",
                    sheets=shown, difference=difference))
                return []
            self.problem("", "ratings-sheets-equal", say(
                "the sheets {sheets} hold the same answers; they were read once. Keep only one ratings sheet next "
                "time.", sheets=shown), "warning")
        if used.sheet not in _RATINGS_SHEETS:
            if original is not None:
                self.problem(f"sheet {used.sheet}", "ratings-read-from-copy", say(
                    "the answers were read from this sheet, a copy of the ratings sheet, because the sheet {sheet} "
                    "has none. Check that it is the final version.", sheet=original.sheet), "warning")
            else:
                self.problem(f"sheet {used.sheet}", "ratings-sheet-renamed", say(
                    "the answers were read from this sheet, because the sheet {sheet} was renamed (or deleted and a "
                    "copy kept). Check that it is the final version.", sheet=ratings_sheet), "warning")
        self.problems.extend(used.problems)
        return used.responses

    def _table(self, wb: Package, sheet: str, identity: Identity) -> _Table | None:
        """The ratings table on one sheet, read with its own problems; None for a sheet without the
        table's header (a sheet people added for notes), except the ratings sheet itself."""
        saved, self.problems, self.sheet = self.problems, [], sheet
        try:
            read = self._read_table(wb, identity)
        finally:
            problems, self.problems = self.problems, saved
        if read is None:
            return _Table(sheet, [], problems, False) if sheet in _RATINGS_SHEETS else None
        return _Table(sheet, read[0], problems, read[1], read[2])

    def _read_table(self, wb: Package, identity: Identity
                    ) -> tuple[list[CriterionResponse], bool, Identity] | None:
        # Never trust the declared size: read only the area the kit defined, plus room for inserted rows.
        widest = max(len(layout.columns) for layout in k.LAYOUTS.values())
        groups = len(self.cat.elements) + len(self.cat.areas) + len({c.subheading for c in self.cat.criteria})
        max_row = k.HEADER_SEARCH_ROWS + len(self.cat.criteria) + groups + k.ROW_SLACK
        rows = wb.rows(self.sheet, max_row, widest + k.COLUMN_SLACK)
        header_at, columns, lang = self._header(rows)
        if header_at is None:
            if self.sheet in _RATINGS_SHEETS:
                self.problem(f"sheet {self.sheet}", "header-missing", say(
                    "the header row of the ratings table (Tunniste, Nro, Kriteeri, …) was not found, so no answers "
                    "can be read; ask for the workbook again or copy the answers into a new one."))
            return None
        self._outside(wb.beyond.get(self.sheet, ("", "")), max_row, widest + k.COLUMN_SLACK)
        self.lang = lang  # the table's own language: its headers are named in messages as it shows them
        role = self._role(identity, columns)
        layout = k.LAYOUTS[role]
        cols: dict[str, int | None] = {}
        for column in layout.columns:
            if column.kind in ("id", "number", "criterion", "rating", "text", "choice"):
                cols[column.key] = columns.get(_fold(column.header_in(lang)))
        inputs = {c.key: col for c in layout.columns if c.is_input and (col := cols.get(c.key)) is not None}
        answered = any(_typed(rows[r].get(col, EMPTY)) for r in rows if r > header_at for col in inputs.values())
        missing = [c for c in layout.columns if c.key in cols and cols[c.key] is None]
        fatal = [c for c in missing if c.kind in ("id", "number", "criterion", "rating")]
        for column in missing:
            if column in fatal:
                self.problem(f"sheet {self.sheet}, row {header_at}", "column-missing", say(
                    "the column '{column}' is missing (deleted or renamed); no answers can be read. Restore the "
                    "header or ask for the workbook again.", column=column.header_in(lang)))
            else:
                self.problem(f"sheet {self.sheet}, row {header_at}", "text-column-missing", say(
                    "the column '{column}' is missing (deleted or renamed); its texts are not read. Restore the "
                    "header or ask for the workbook again.", column=column.header_in(lang)))
        shown = _sheet_shows(rows, header_at)
        if fatal:
            return [], answered, shown
        for column in k.LEGACY_TEXT_COLUMNS.get(role, ()):  # a workbook of an earlier format: its texts too
            if _fold(column.header_in(lang)) in columns:
                cols[column.key] = columns[_fold(column.header_in(lang))]
        if wb.protected.get(self.sheet) is False and identity.format_version:
            self.problem(f"sheet {self.sheet}", "protection-removed", say(
                "the sheet's protection was removed (perhaps to sort or move rows). Sorting one column on its own "
                "separates ratings from their criteria: each answer was read by its row's hidden criterion id and "
                "checked against the criterion's text, but check the answers with the workshop."), "warning")
        table = _Rows(rows, header_at, columns, layout, cols, inputs)
        read = self._rows(table, protected=wb.protected.get(self.sheet, True))
        self._comments(wb, table, read)
        order = {c.number: i for i, c in enumerate(self.cat.criteria)}
        return sorted(read.values(), key=lambda x: order[x.number]), answered, shown

    def _outside(self, beyond: tuple[str, str], max_row: int, max_col: int) -> None:
        """A warning when the sheet uses cells past the area read: a value there is not an answer."""
        declared, found = beyond
        end = _REF_END.search(declared or "")
        far = ""
        if end and (int(end.group(2)) > max_row or column_index_from_string(end.group(1).upper()) > max_col):
            far = end.group(1).upper() + end.group(2)
        if not far and not found:
            return
        where = (say("the sheet declares cells up to {cell}", cell=far) if far else
                 say("there is a value in {cell}", cell=found))
        self.problem(f"sheet {self.sheet}", "cells-outside-table", say(
            "{where}, far outside the ratings table; only rows 1–{rows} and columns A–{column} were read, so "
            "anything typed further away is not part of the answers. Move it into the table, or ask for a clean "
            "copy of the workbook.", where=where, rows=max_row, column=get_column_letter(max_col)), "warning")

    def _header(self, rows: Rows) -> tuple[int | None, dict[str, int], str]:
        """The ratings table's header row, its texts (folded) -> column, and the language it is written in
        (the workbook's own language first: its header is looked for first)."""
        layout = k.LAYOUTS["self"]
        languages = (self.lang, *(lang for lang in k.LANGUAGES if lang != self.lang))
        wanted = [(lang, {_fold(layout.columns[layout.index(key) - 1].header_in(lang)) for key in ("id", "criterion")})
                  for lang in languages]
        for r in sorted(x for x in rows if x <= k.HEADER_SEARCH_ROWS):
            texts: dict[str, int] = {}
            for c, cell in sorted(rows[r].items()):
                if isinstance(cell.value, str) and not cell.formula:
                    texts.setdefault(_fold(cell.value), c)
            for lang, headers in wanted:
                if headers <= texts.keys():
                    return r, texts, lang
        return None, {}, self.lang

    def _role(self, identity: Identity, columns: dict[str, int]) -> str:
        peer = k.LAYOUTS["peer"]
        shown = "peer" if _fold(peer.columns[peer.index("rating") - 1].header_in(self.lang)) in columns else "self"
        if identity.role in k.ROLES and identity.role != shown:
            self.problem(f"sheet {self.sheet}", "role-disagrees", say(
                "the identity says role '{role}' but the table has the columns of role '{shown}'; read as '{shown}'. "
                "Check the file.", role=identity.role, shown=shown))
        elif identity.role and identity.role not in k.ROLES:
            self.problem(f"sheet {k.SHEET_IDENTITY}", "role-unknown", say(
                "unknown role '{role}'; read as '{shown}'.", role=identity.role, shown=shown))
        return shown

    def _rows(self, table: _Rows, *, protected: bool) -> dict[int, CriterionResponse]:
        """The answers read, by the row they were read from."""
        rows, header_at, layout, cols = table.rows, table.header_at, table.layout, table.cols
        by_id = {c.id: c for c in self.cat.criteria}
        found: dict[str, list[int]] = {}
        loose: list[int] = []  # rows without a criterion id: the kit's headings, and rows people inserted
        for r in sorted(x for x in rows if x > header_at):
            cell = _cell(rows[r], cols["id"])
            value = cell.value
            if cell.formula or not isinstance(value, str) or not value.strip():
                loose.append(r)
                continue
            cid = value.strip()
            if cid in by_id:
                found.setdefault(cid, []).append(r)
            else:
                self.problem(f"sheet {self.sheet}, row {r}", "criterion-id-unknown", say(
                    "the row carries criterion id '{id}', which the content in use does not have; the row was not "
                    "read.", id=_shown(cid)), "warning")
        read: dict[int, CriterionResponse] = {}  # row -> the answers read from it
        plan = self._plan(layout, cols)
        for criterion in self.cat.criteria:
            at = found.get(criterion.id, [])
            if not at:
                self.problem(f"sheet {self.sheet}", "criterion-row-missing", say(
                    "the row of criterion {number} ({id}) is missing (deleted, or its hidden id was changed), so its "
                    "answers cannot be read; restore the row from the original workbook.",
                    number=criterion.number, id=criterion.id))
                continue
            candidates = [r for r in at if self._shows(rows[r], r, criterion, cols)]
            if not candidates:
                continue
            responses = [self._response(rows[r], r, criterion, plan) for r in candidates]
            if len(responses) > 1 and len({_answer_key(x) for x in responses}) > 1:
                self.problem(f"sheet {self.sheet}, rows {', '.join(map(str, candidates))}", "criterion-rows-differ", say(
                    "criterion {number} appears on {count} rows with different answers, so none was read; delete the "
                    "extra rows, keeping the right answer.", number=criterion.number, count=len(candidates)))
                continue
            read[candidates[0]] = responses[0]
        self._loose(table, loose, read)
        self._order(table, read, protected)
        self._unknown_columns(table, read)
        return read

    def _loose(self, table: _Rows, loose: list[int], read: dict[int, CriterionResponse]) -> None:
        """What people typed in rows without a criterion. Text in a row inserted under a criterion (between
        its row and the next heading) is read as part of that criterion's answer; a rating there, or
        anything in a row that belongs to no criterion, is reported, never dropped in silence. Values in
        two or more heading rows mean the column was sorted on its own: none of its values is read."""
        rows, inputs = table.rows, table.inputs
        headings = {r for r in loose if _is_heading(rows[r], table.cols)}
        typed = {r: {key: rows[r][col] for key, col in inputs.items() if _typed(rows[r].get(col, EMPTY))}
                 for r in loose}
        moved = set()
        for key, col in inputs.items():
            at = [r for r in sorted(headings) if key in typed[r]]
            if len(at) < 2:
                continue
            moved.add(key)
            for r, response in read.items():
                read[r] = _without(response, key)
            letter, header = _letter(col), table.layout.columns[table.layout.index(key) - 1].header_in(self.lang)
            self.problem(f"sheet {self.sheet}, column {letter}", "column-sorted-alone", say(
                "the column '{column}' has values in the heading rows {rows} (e.g. cell {cell}: '{value}'), where no "
                "answer belongs: the column was sorted or moved on its own, so its values may no longer be beside "
                "their criteria. None of the column's values was read; undo the sort, or copy the answers into the "
                "kit's workbook again.", column=header, rows=", ".join(map(str, at[:5])) + (" …" if len(at) > 5 else ""),
                cell=letter + str(at[0]), value=_shown(typed[at[0]][key].value)))
        loose_rows = set(loose)
        for r in loose:
            owner = None if r in headings else _owner(r, table.header_at, read, loose_rows, headings)
            for key, cell in typed[r].items():
                if key in moved:
                    continue
                col = inputs[key]
                place = f"sheet {self.sheet}, cell {_letter(col)}{r}"
                header = table.layout.columns[table.layout.index(key) - 1].header_in(self.lang)
                kind = table.layout.columns[table.layout.index(key) - 1].kind
                if owner is None:
                    self.problem(place, "value-in-no-criterion", say(
                        "'{value}' belongs to no criterion (the row has none), so it was not read; write it in the "
                        "criterion's own row.", value=_shown(cell.value)),
                        "warning" if kind == "text" and not cell.formula else "error")
                    continue
                number = read[owner].number
                if kind != "text" or cell.formula:
                    self.problem(place, "value-in-inserted-row", say(
                        "'{value}' in row {row}, a row inserted under criterion {number}, was not read: the {column} of "
                        "a criterion is read from its own row only. Enter it in cell {cell}.", value=_shown(cell.value),
                        row=r, number=number, column=header, cell=_letter(col) + str(owner)))
                    continue
                text = self._text(cell.value, place)
                response = read[owner]
                before = response.texts.get(key, "")
                read[owner] = replace(response, texts={**response.texts, key: f"{before}\n{text}" if before else text})
                self.problem(place, "text-in-inserted-row", say(
                    "text typed in row {row}, a row inserted under criterion {number}, was read as part of criterion "
                    "{number}'s {column}; check that it belongs there. (Next time write it in cell {cell}: Alt+Enter "
                    "starts a new line in a cell.)", row=r, number=number, column=header,
                    cell=_letter(col) + str(owner)), "warning")

    def _order(self, table: _Rows, read: dict[int, CriterionResponse], protected: bool) -> None:
        """Say so when the rows were sorted or moved: whole rows keep their answers (each is read with the
        criterion its row shows); ratings sorted on their own, once the protection is off, look sorted."""
        order = {c.number: i for i, c in enumerate(self.cat.criteria)}
        by_row = [read[r] for r in sorted(read)]
        for above, below in zip(by_row, by_row[1:]):
            if order[below.number] < order[above.number]:
                self.problem(f"sheet {self.sheet}", "rows-reordered", say(
                    "the rows are not in the kit's order (criterion {below} is below criterion {above}): they were "
                    "sorted or moved. Each answer was read with the criterion its row shows (by the row's hidden id), "
                    "so the answers stay with their criteria.", below=below.number, above=above.number), "warning")
                break
        if protected or table.cols.get("rating") is None:
            return
        ratings = [(0, x.rating) if x.rating is not None else (1, 0) for x in by_row
                   if x.rating is not None or x.not_applicable]
        if len(ratings) >= 8 and len(set(ratings)) >= 3 and ratings in (sorted(ratings), sorted(ratings, reverse=True)):
            self.problem(f"sheet {self.sheet}, column {_letter(table.cols['rating'])}", "ratings-sorted", say(
                "the ratings run in sorted order from the top of the table to the bottom. If the column was sorted "
                "on its own, they are no longer beside their criteria: check them with the workshop."), "warning")

    def _unknown_columns(self, table: _Rows, read: dict[int, CriterionResponse]) -> None:
        """A warning per column people added to the table: what they typed there is not an answer."""
        known = {_fold(c.header_in(self.lang)) for c in table.layout.columns}
        known |= {_fold(c.header) for legacy in k.LEGACY_TEXT_COLUMNS.values() for c in legacy}  # read as texts
        kit_columns = {col for text, col in table.columns.items() if text in known}
        extra: dict[int, list[int]] = {}
        for r in sorted(read):
            for col, cell in table.rows[r].items():
                if col not in kit_columns and _typed(cell) and not cell.formula:
                    extra.setdefault(col, []).append(r)
        header_row = table.rows.get(table.header_at, {})
        for col, at in sorted(extra.items()):
            letter = _letter(col)
            header = cell_text(header_row.get(col, EMPTY).value)
            named = (say("the column '{column}'", column=header) if header else
                     say("the column {letter}, which has no header,", letter=letter))
            self.problem(f"sheet {self.sheet}, column {letter}", "column-unknown", say(
                "{named} is not a column of the kit's table, so what is typed there is not read (e.g. cell {cell}, "
                "criterion {number}: '{value}'). Move it into Perustelut or another answer column.", named=named,
                cell=letter + str(at[0]), number=read[at[0]].number, value=_shown(table.rows[at[0]][col].value)),
                "warning")

    def _comments(self, wb: Package, table: _Rows, read: dict[int, CriterionResponse]) -> None:
        """Every comment (note) on the sheet, reported with its text: comments are not answers, but what
        a person wrote must not vanish."""
        try:
            notes = wb.comments(self.sheet)
        except Exception:  # noqa: BLE001 - damaged comments must not cost the answers
            self.problem(f"sheet {self.sheet}", "comments-unreadable", say(
                "the sheet has comments that could not be read; open the workbook and check them by hand."), "warning")
            return
        header_row = table.rows.get(table.header_at, {})
        for (r, col), text in sorted(notes.items()):
            header = cell_text(header_row.get(col, EMPTY).value)
            about = (f"{read[r].number}{', ' + header if header else ''}" if r in read else "")
            said = _shown(text.replace(chr(10), ' / '), 120)
            self.problem(f"sheet {self.sheet}, cell {_letter(col)}{r}", "comment", say(
                "a comment on this cell (criterion {about}): '{text}'. Comments are not read as answers; if it "
                "belongs to the answer, copy it into the cell.", about=about, text=said) if about else say(
                "a comment on this cell: '{text}'. Comments are not read as answers; if it belongs to the answer, "
                "copy it into the cell.", text=said), "warning")

    def _shows(self, row: dict[int, Cell], r: int, criterion: Criterion, cols: dict[str, int | None]) -> bool:
        """Whether a row with this criterion's id still shows its number and text; else refuse it."""
        number = _cell(row, cols["number"]).value
        text = _cell(row, cols["criterion"]).value
        if not _same_number(number, criterion.number):
            what = say("number '{number}'", number=_shown(number)) if number not in (None, "") else say("no number")
        elif not isinstance(text, str) or _squeezed(text) != _squeezed(criterion.full_text):
            what = say("a different criterion text") if text not in (None, "") else say("no criterion text")
        else:
            return True
        self.problem(f"sheet {self.sheet}, row {r}", "row-shows-other-criterion", say(
            "the row carries the hidden id of criterion {number} ({id}) but shows {what}; the rows were sorted or "
            "edited, so its answers were not read. Undo the change, or copy the answers to the right rows of the "
            "original workbook.", number=criterion.number, id=criterion.id, what=what))
        return False

    def _plan(self, layout: k.Layout, cols: dict[str, int | None]) -> _Plan:
        """What _response reads from every row of a table, worked out once per table."""
        rating_col = cols["rating"]
        letter = _letter(rating_col)
        legacy = [c.key for c in k.LEGACY_TEXT_COLUMNS.get(layout.role, ()) if cols.get(c.key) is not None]
        texts = tuple((key, col, f"sheet {self.sheet}, cell {_letter(col)}")
                      for key in (*layout.text_keys, *legacy) if (col := cols.get(key)) is not None)
        places = tuple((key, f"{self.sheet}!{_letter(cols[key])}")
                       for key in (*dict.fromkeys(key for key, _col, _place in texts), "na_accepted") if cols.get(key))
        return _Plan(rating_col, f"sheet {self.sheet}, cell {letter}", f"{self.sheet}!{letter}", texts,
                     cols.get("na_accepted"), places)

    def _response(self, row: dict[int, Cell], r: int, criterion: Criterion, plan: _Plan) -> CriterionResponse:
        cell = row.get(plan.rating_col, EMPTY) if plan.rating_col is not None else EMPTY
        rating, not_applicable = None, False
        if cell.formula:
            self.problem(f"{plan.rating_place}{r}", "rating-is-formula", say(
                "the rating of criterion {number} is a formula ({formula}), which is not read; choose the rating "
                "from the list.", number=criterion.number, formula=_shown(cell.value)))
        else:
            parsed = parse_rating(cell.value, self.cat.scale)
            if parsed.error and isinstance(cell.value, str) and _fold(cell.value) in self.other_na:
                parsed = ParsedRating(not_applicable=True)  # "Ej tillämplig" in a workbook of Finnish content, or so
            if parsed.error:
                self.problem(f"{plan.rating_place}{r}", parsed.code, parsed.error)
            rating, not_applicable = parsed.value, parsed.not_applicable
        texts: dict[str, str] = {}
        for key, col, place in plan.texts:
            tcell = row.get(col, EMPTY)
            if tcell.formula:
                self.problem(f"{place}{r}", "text-is-formula", say(
                    "contains a formula ({formula}), which is not read; type the text instead.",
                    formula=_shown(tcell.value)), "warning")
                texts[key] = ""
            else:
                texts[key] = self._text(tcell.value, place, r)
        na_accepted = None
        if plan.accept_col is not None:
            na_accepted = self._acceptance(row, r, plan.accept_col)
        # Every answer's cell, so that a check run after reading (checks.py) can point at it.
        places = {key: f"{at}{r}" for key, at in plan.places}
        return CriterionResponse(criterion.id, criterion.number, rating, not_applicable, na_accepted, texts,
                                 f"{plan.rating_at}{r}", places)

    def _text(self, value: Any, place: str, r: int | None = None) -> str:
        """A typed text as read, without invisible control characters; warnings for what was odd.
        The place is the cell's, or with r given, its column's (put together only for a warning)."""
        text = cell_text(value)
        if not text:
            return text
        text, removed = _CONTROL.subn("", text)
        if removed or len(text) > _EXCEL_CELL_CHARS:
            place = place if r is None else f"{place}{r}"
        if removed:
            self.problem(place, "control-characters", say(
                "{count} invisible control character(s) (copied from another program) were removed from the text; "
                "check that it reads as meant.", count=removed), "warning")
        if len(text) > _EXCEL_CELL_CHARS:
            self.problem(place, "text-too-long", say(
                "the text is {length} characters long, more than a cell of Excel holds ({limit}); it was read whole, "
                "but reports show only its beginning. Shorten it, or name the material in an attachment instead.",
                length=_thousands(len(text)), limit=_thousands(_EXCEL_CELL_CHARS)), "warning")
        return text

    def _acceptance(self, row: dict[int, Cell], r: int, col: int) -> bool | None:
        cell = _cell(row, col)
        value = cell.value
        if not cell.formula and value is None:  # the usual empty cell: no answer (as below, in fewer steps)
            return None
        place = f"sheet {self.sheet}, cell {_letter(col)}{r}"
        if cell.formula:
            yes, no = k.acceptance(self.lang)  # as the workbook's list says them
            self.problem(place, "acceptance-is-formula", say(
                "is a formula ({formula}), which is not read; choose {yes} or {no} from the list.",
                formula=_shown(value), yes=yes, no=no))
            return None
        text = _fold(cell_text(value))
        if not text:
            return None
        if text in _ACCEPTED:
            return True
        if text in _NOT_ACCEPTED:
            return False
        yes, no = k.acceptance(self.lang)
        self.problem(place, "acceptance-not-an-answer", say(
            "'{value}' is not an answer; choose {yes} or {no} from the list.", value=_shown(value), yes=yes, no=no))
        return None


# The sheets of a kit workbook besides the ratings sheet: any other sheet with the ratings table's
# header is a copy of it (Excel: "Arviointi (2)"; LibreOffice: "Arviointi_2"; or renamed).
# Each in every language a workbook is written in (a Swedish workbook's "Bedömning" is its ratings sheet).
_RATINGS_SHEETS = frozenset(k.sheet_names("ratings"))
_KIT_SHEETS = frozenset({*k.sheet_names("guide"), *k.sheet_names("summary"), *k.sheet_names("glossary"),
                         k.SHEET_LISTS, k.SHEET_IDENTITY})
# The auditor's answers to a workshop's "Ei sovellu", in every language (a workbook's list says its own).
_ACCEPTED = frozenset(_fold(k.acceptance(lang)[0]) for lang in k.LANGUAGES)
_NOT_ACCEPTED = frozenset(_fold(k.acceptance(lang)[1]) for lang in k.LANGUAGES)
_SHOWN_WORKSHOP = frozenset(_fold(k.shown_labels(lang)[0]) for lang in k.LANGUAGES)
_SHOWN_KIT_ID = frozenset(_fold(k.shown_labels(lang)[1]) for lang in k.LANGUAGES)
_LABEL_CHARS = 40  # longer is no label of a scale
_LIST_ROWS = 20  # the rating list of the hidden list sheet: a scale's levels and its "Ei sovellu"


def _language_of(wb: Package) -> str:
    """The language of a workbook's visible texts, by its sheets' names (Finnish when they say nothing)."""
    for lang in k.LANGUAGES:
        if any(name in wb.sheets for name in (k.sheet_name(key, lang) for key in k.SHEETS)):
            return lang
    return "fi"


def _other_not_applicable(wb: Package, cat: Catalogue) -> frozenset[str]:
    """"Ei sovellu" as the other content language says it, folded: each workbook language's word for it
    ("Ei sovellu", "Ej tillämplig"), the content bundled with auditkit (Finnish) and the workbook's own rating
    list (hidden; beside each level its number, beside "Ei sovellu" its code: the one row with a text there).
    A workbook in Swedish made from Finnish content lists "Ei sovellu", one made from Swedish content "Ej
    tillämplig"; a person may type either. Never a text that names a level or starts with a number."""
    scale = cat.scale
    found = set(_bundled_not_applicable()) | {_fold(word) for word in k.not_applicable_words()}
    if k.SHEET_LISTS in wb.sheets:
        try:
            rows = wb.rows(k.SHEET_LISTS, _LIST_ROWS, 2)
        except Exception:  # noqa: BLE001 - a damaged list sheet costs only this convenience
            rows = {}
        for cells in rows.values():
            label, value = _cell(cells, 1).value, _cell(cells, 2).value
            if isinstance(label, str) and isinstance(value, str) and value.strip():  # the levels' values are numbers
                if len(label) <= _LABEL_CHARS:
                    found.add(_fold(label))
                break  # a list has one "Ei sovellu"
    levels = {_fold(level.label) for level in scale.levels} | {_fold(level.name) for level in scale.levels}
    return frozenset(text for text in found if text and text not in levels and not re.match(r"\s*[+-]?\d", text))


@functools.lru_cache(maxsize=1)
def _bundled_not_applicable() -> tuple[str, ...]:
    """The bundled content's "Ei sovellu" (and its code), folded; none when it cannot be read."""
    try:
        from ..catalogue import load_catalogue

        bundled = load_catalogue(None).scale.not_applicable
    except Exception:  # noqa: BLE001
        return ()
    return tuple(_fold(text) for text in (bundled.label, bundled.plain) if text)
_MAX_OTHER_SHEETS = 20  # looked at for a copy of the ratings table; a kit has none, people add a few


class _Plan(NamedTuple):
    """A table's columns as _response reads them: the rating's column and its place in messages ("sheet
    Arviointi, cell H") and in answers ("Arviointi!H"), each text's key, column and place in messages,
    the acceptance's column, and the answers' places by key."""

    rating_col: int | None
    rating_place: str
    rating_at: str
    texts: tuple[tuple[str, int, str], ...]
    accept_col: int | None
    places: tuple[tuple[str, str], ...]


class _Rows(NamedTuple):
    """The ratings table as found on a sheet: its cells, header row, header texts (folded) -> column,
    layout, the columns read by key, and the input columns (rating, choice, texts) by key."""

    rows: Rows
    header_at: int
    columns: dict[str, int]
    layout: k.Layout
    cols: dict[str, int | None]
    inputs: dict[str, int]


@dataclass(frozen=True, slots=True)
class _Table:
    """What reading the ratings table on one sheet gave: answers, problems, and whether anything was typed."""

    sheet: str
    responses: list[CriterionResponse]
    problems: list[Problem]
    answered: bool
    shown: Identity = Identity()  # the workshop and kit id the sheet shows above its table


def _answer_key(x: CriterionResponse | None) -> tuple[Any, ...]:
    if x is None:
        return ()
    return (x.rating, x.not_applicable, x.na_accepted, tuple(sorted((k, v) for k, v in x.texts.items() if v)))


def _difference(a: _Table, b: _Table) -> Text | None:
    """Where two sheets' answers first differ ("criterion 7: Arviointi!F11 and Arviointi (2)!F11"), or ""."""
    theirs = {x.number: x for x in b.responses}
    ours = {x.number: x for x in a.responses}
    for number in sorted(set(ours) | set(theirs)):
        x, y = ours.get(number), theirs.get(number)
        if _answer_key(x) != _answer_key(y):
            return say("criterion {number}: {places}", number=number,
                       places=", ".join(z.place for z in (x, y) if z is not None))
    return None


def _sheet_shows(rows: Rows, header_at: int) -> Identity:
    """What a ratings sheet shows above its table about whose it is: the name beside "Työpaja" and the kit
    id after "Tunniste:" (rows people insert above the table move them down, so all rows there are looked at)."""
    name = kit_id = ""
    for r in sorted(x for x in rows if x < header_at):
        cells = sorted((c, cell_text(cell.value)) for c, cell in rows[r].items() if not cell.formula)
        for i, (_c, text) in enumerate(cells):
            label, colon, value = text.partition(":")
            if not name and _fold(text) in _SHOWN_WORKSHOP:
                name = next((_norm(t) for _, t in cells[i + 1:] if t.strip()), "")
            elif not kit_id and colon and _fold(label) in _SHOWN_KIT_ID:
                kit_id = value.strip()
    return Identity(workshop_name=name, kit_id=kit_id)


def _typed(cell: Cell) -> bool:
    """Whether a person put something in the cell (a value or a formula)."""
    return cell.formula or (cell.value is not None and cell_text(cell.value) != "")


def _is_heading(row: dict[int, Cell], cols: dict[str, int | None]) -> bool:
    """A heading row of the kit's table (an element, area or subheading): its title in the number column."""
    value = _cell(row, cols.get("number")).value
    return isinstance(value, str) and not value.strip().rstrip(".").isdigit() and bool(value.strip())


def _owner(r: int, header_at: int, read: dict[int, CriterionResponse], loose: set[int], headings: set[int]) -> int | None:
    """The row of the criterion a row was inserted under: the criterion row right above it, with only
    other inserted rows between (no heading, no empty row); None when there is none."""
    up = r - 1
    while up > header_at:
        if up in read:
            return up
        if up not in loose or up in headings:
            return None
        up -= 1
    return None


def _without(x: CriterionResponse, key: str) -> CriterionResponse:
    """The response with one answer left out (its column could not be trusted)."""
    if key == "rating":
        return replace(x, rating=None, not_applicable=False)
    if key == "na_accepted":
        return replace(x, na_accepted=None)
    return replace(x, texts={**x.texts, key: ""})


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _letter(col: int | None) -> str:
    return get_column_letter(col) if col else "?"


def _same_number(value: Any, number: int) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value == number
    if isinstance(value, str):
        return re.fullmatch(rf"\s*{number}(?:[.,]0+)?\.?\s*", value) is not None
    return False


def _document_properties(package: zipfile.ZipFile) -> tuple[str, dict[str, str]]:
    """The modification time (docProps/core.xml) and the custom properties, read with entities off."""
    saved_at = ""
    root = _small_xml(package, "docProps/core.xml")
    if root is not None:
        modified = root.find(_DCTERMS_MODIFIED)
        if modified is not None and modified.text:
            saved_at = modified.text.strip()
    props: dict[str, str] = {}
    root = _small_xml(package, "docProps/custom.xml")
    if root is not None:
        for prop in root.iter(f"{_CUSTOM_NS}property"):
            name = prop.get("name")
            if name and len(prop):
                props[name] = (prop[0].text or "")
    return saved_at, props


def _small_xml(package: zipfile.ZipFile, name: str) -> Any:
    try:
        info = package.getinfo(name)
        if info.file_size > _SMALL_PART:
            return None
        data = read_part(package, info)
        # Without a DTD there is nothing for defusedxml to refuse, and its parser (a Python step per
        # element) builds the tree the C parser builds; with one, defusedxml decides, as it always did.
        return SafeET.fromstring(data) if declares_dtd(data) else XML(data)
    except Exception:  # noqa: BLE001 - missing or damaged properties are reported as missing
        return None
