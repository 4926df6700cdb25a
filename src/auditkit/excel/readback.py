"""Reading a returned scoring workbook: its identity, the answers per criterion, and every problem.

Read-back trusts nothing it cannot check. It finds each criterion's row by the hidden id, refuses a
row that no longer shows that criterion, re-validates every value (pasting bypasses drop-downs),
never reads a formula's cached value, reads only the rows and columns the kit defined, and never
raises: whatever goes wrong becomes a Problem naming the file.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from typing import Any

from defusedxml import ElementTree as SafeET
from openpyxl.utils import column_index_from_string, get_column_letter

from ..catalogue import Catalogue, Criterion
from ..errors import Problem
from ..model import CriterionResponse, Identity, Returned
from ..ratings import parse_rating
from . import contract as k
from .cells import EMPTY, Cell, Package, Rows, UnsafePart, cell_text
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
    try:
        return _Reader(file, catalogue).read(path)
    except Exception as err:  # noqa: BLE001 - read-back never raises; the person gets a message
        return _failed(file, f"could not be read ({type(err).__name__}: {err}); open it in Excel or "
                             "LibreOffice, save it again as .xlsx and retry, or ask for the workbook again.")


def check_prefill(returned: Returned, workshop_id: str = "", round_id: str = "") -> list[Problem]:
    """Problems with using a returned workbook as the prefill of an auditor's workbook.

    An auditor's workbook (role peer) given instead of the self-assessment is an error; a workbook of
    another workshop or round is a warning.
    """
    out: list[Problem] = []
    who = returned.identity
    if who.role and who.role != "self":
        out.append(Problem(returned.file, "", f"is a workbook of role {who.role!r}, not the workshop's "
                                              "self-assessment; give the self-assessment workbook the workshop returned."))
    if workshop_id and who.workshop_id and who.workshop_id != workshop_id:
        out.append(Problem(returned.file, "", f"belongs to workshop {who.workshop_id!r} ({who.workshop_name}), not "
                                              f"{workshop_id!r}; check that it is the right workshop's file.", "warning"))
    if round_id and who.round_id and who.round_id != round_id:
        out.append(Problem(returned.file, "", f"belongs to round {who.round_id!r}, not {round_id!r}; check that it is "
                                              "the right round's file.", "warning"))
    return out


def _failed(file: str, message: str) -> Returned:
    return Returned(file, "workbook", Identity(), problems=(Problem(file, "", message),))


def _norm(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


def _fold(value: Any) -> str:
    return _norm(str(value)).casefold() if value is not None else ""


def _cell(row: dict[int, Cell], col: int | None) -> Cell:
    return row.get(col, EMPTY) if col is not None else EMPTY


def _shown(value: Any, limit: int = 40) -> str:
    text = cell_text(value)
    return text if len(text) <= limit else text[:limit] + "…"


class _Reader:
    def __init__(self, file: str, catalogue: Catalogue) -> None:
        self.file = file
        self.cat = catalogue
        self.problems: list[Problem] = []

    def problem(self, place: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.file, place, message, severity))  # type: ignore[arg-type]

    def read(self, path: str | os.PathLike[str]) -> Returned:
        try:
            _data, package = load_package(path)
        except NotAWorkbook as err:
            return _failed(self.file, str(err))
        with package:
            saved_at, properties = _document_properties(package)
            try:
                wb = Package(package)
                identity = self._identity(wb, properties)
                responses = self._ratings(wb, identity)
            except NotAWorkbook as err:
                return _failed(self.file, str(err))
            except UnsafePart as err:
                return _failed(self.file, f"declares a DTD or entities in {err}, which workbooks never have; it was "
                                          "refused unread (a damaged or malicious file). Ask for the workbook again.")
            except Exception as err:  # noqa: BLE001
                return _failed(self.file, f"is damaged and cannot be read as a workbook ({type(err).__name__}: "
                                          f"{err}); open it in Excel or LibreOffice, save it again as .xlsx, or ask "
                                          "for it again.")
        return Returned(self.file, "workbook", identity, tuple(responses), tuple(self.problems), saved_at)

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
            self.problem("", f"cannot be identified: the hidden sheet {k.SHEET_IDENTITY} and the document "
                             "properties that say which round, workshop and role it belongs to are both missing. "
                             "It was not made by auditkit, or was copied into another file; use the workbook of the kit.")
        elif sheet is None:
            self.problem(where, f"the hidden identity sheet {k.SHEET_IDENTITY} was deleted; the workbook was "
                                "identified by its document properties only. Check that it is the right workshop's "
                                "file, and use the original workbook next time.")
        elif not props:
            self.problem("document properties", "the custom document properties are missing (the program that "
                                                 f"saved it dropped them); identified by the sheet {k.SHEET_IDENTITY}.",
                         "warning")
        elif any(key not in sheet for key in k.REQUIRED_IDENTITY_KEYS):
            missing = ", ".join(key for key in k.REQUIRED_IDENTITY_KEYS if key not in sheet)
            self.problem(where, f"the identity sheet lacks {missing}; identified by the document properties.")
        values: dict[str, str] = {}
        for key in k.IDENTITY_KEYS:
            prop, own = props.get(key), (sheet or {}).get(key)
            if prop is not None and own is not None and prop != own:
                self.problem(where, f"the identity disagrees: the document properties say {key} is {prop!r} but "
                                    f"the sheet {k.SHEET_IDENTITY} says {own!r}. The file may mix two workbooks; "
                                    "check which workshop it belongs to before using it.")
            values[key] = prop if prop is not None else (own or "")
        identity = Identity(**values)
        if identity.format_version and identity.format_version not in k.READABLE_FORMATS:
            self.problem("", f"is workbook format {identity.format_version}, this auditkit reads format "
                             f"{k.FORMAT_VERSION}; read it with the auditkit version that made the kit.")
        if identity.content_hash and identity.content_hash != self.cat.hash:
            self.problem("", f"was made from content version {identity.content_version} "
                             f"({identity.content_hash[:12]}), not the content in use ({self.cat.version}, "
                             f"{self.cat.short_hash}); rows whose criterion text differs are not read. Compile with "
                             "the content the kit was made from (--content).", "warning")
        return identity

    # --- the ratings table --------------------------------------------------------------------

    def _ratings(self, wb: Package, identity: Identity) -> list[CriterionResponse]:
        if k.SHEET_RATINGS not in wb.sheets:
            self.problem("", f"has no sheet {k.SHEET_RATINGS} (renamed or deleted), so no answers can be read; "
                             "rename it back or ask for the workbook again.")
            return []
        # Never trust the declared size: read only the area the kit defined, plus room for inserted rows.
        widest = max(len(layout.columns) for layout in k.LAYOUTS.values())
        groups = len(self.cat.elements) + len(self.cat.areas) + len({c.subheading for c in self.cat.criteria})
        max_row = k.HEADER_SEARCH_ROWS + len(self.cat.criteria) + groups + k.ROW_SLACK
        rows = wb.rows(k.SHEET_RATINGS, max_row, widest + k.COLUMN_SLACK)
        self._outside(wb.beyond.get(k.SHEET_RATINGS, ("", "")), max_row, widest + k.COLUMN_SLACK)
        header_at, columns = self._header(rows)
        if header_at is None:
            self.problem(f"sheet {k.SHEET_RATINGS}", "the header row of the ratings table (Tunniste, Nro, Kriteeri, …) "
                                                     "was not found, so no answers can be read; ask for the workbook "
                                                     "again or copy the answers into a new one.")
            return []
        role = self._role(identity, columns)
        layout = k.LAYOUTS[role]
        cols: dict[str, int | None] = {}
        for column in layout.columns:
            if column.kind in ("id", "number", "criterion", "rating", "text", "choice"):
                cols[column.key] = columns.get(_fold(column.header))
        missing = [c for c in layout.columns if c.key in cols and cols[c.key] is None]
        fatal = [c for c in missing if c.kind in ("id", "number", "criterion", "rating")]
        for column in missing:
            self.problem(f"sheet {k.SHEET_RATINGS}, row {header_at}",
                         f"the column {column.header!r} is missing (deleted or renamed)"
                         + ("; no answers can be read." if column in fatal else "; its texts are not read.")
                         + " Restore the header or ask for the workbook again.")
        if fatal:
            return []
        for column in k.LEGACY_TEXT_COLUMNS.get(role, ()):  # a workbook of an earlier format: its texts too
            if _fold(column.header) in columns:
                cols[column.key] = columns[_fold(column.header)]
        return self._rows(rows, header_at, layout, cols)

    def _outside(self, beyond: tuple[str, str], max_row: int, max_col: int) -> None:
        """A warning when the sheet uses cells past the area read: a value there is not an answer."""
        declared, found = beyond
        end = _REF_END.search(declared or "")
        far = ""
        if end and (int(end.group(2)) > max_row or column_index_from_string(end.group(1).upper()) > max_col):
            far = end.group(1).upper() + end.group(2)
        if not far and not found:
            return
        where = f"the sheet declares cells up to {far}" if far else f"there is a value in {found}"
        self.problem(f"sheet {k.SHEET_RATINGS}",
                     f"{where}, far outside the ratings table; only rows 1–{max_row} and columns "
                     f"A–{get_column_letter(max_col)} were read, so anything typed further away is not part of the "
                     "answers. Move it into the table, or ask for a clean copy of the workbook.", "warning")

    def _header(self, rows: Rows) -> tuple[int | None, dict[str, int]]:
        layout = k.LAYOUTS["self"]
        wanted = {_fold(layout.columns[layout.index(key) - 1].header) for key in ("id", "criterion")}
        for r in sorted(x for x in rows if x <= k.HEADER_SEARCH_ROWS):
            texts: dict[str, int] = {}
            for c, cell in sorted(rows[r].items()):
                if isinstance(cell.value, str) and not cell.formula:
                    texts.setdefault(_fold(cell.value), c)
            if wanted <= texts.keys():
                return r, texts
        return None, {}

    def _role(self, identity: Identity, columns: dict[str, int]) -> str:
        shown = "peer" if _fold(k.LAYOUTS["peer"].columns[k.LAYOUTS["peer"].index("rating") - 1].header) in columns else "self"
        if identity.role in k.ROLES and identity.role != shown:
            self.problem(f"sheet {k.SHEET_RATINGS}", f"the identity says role {identity.role!r} but the table has the "
                                                     f"columns of role {shown!r}; read as {shown!r}. Check the file.")
        elif identity.role and identity.role not in k.ROLES:
            self.problem(f"sheet {k.SHEET_IDENTITY}", f"unknown role {identity.role!r}; read as {shown!r}.")
        return shown

    def _rows(self, rows: Rows, header_at: int, layout: k.Layout,
              cols: dict[str, int | None]) -> list[CriterionResponse]:
        by_id = {c.id: c for c in self.cat.criteria}
        found: dict[str, list[int]] = {}
        for r in sorted(x for x in rows if x > header_at):
            cell = _cell(rows[r], cols["id"])
            value = cell.value
            if cell.formula or not isinstance(value, str) or not value.strip():
                continue
            cid = value.strip()
            if cid in by_id:
                found.setdefault(cid, []).append(r)
            else:
                self.problem(f"sheet {k.SHEET_RATINGS}, row {r}",
                             f"the row carries criterion id {_shown(cid)!r}, which the content in use does not have; "
                             "the row was not read.", "warning")
        out: list[CriterionResponse] = []
        for criterion in self.cat.criteria:
            at = found.get(criterion.id, [])
            if not at:
                self.problem(f"sheet {k.SHEET_RATINGS}",
                             f"the row of criterion {criterion.number} ({criterion.id}) is missing (deleted, or its "
                             "hidden id was changed), so its answers cannot be read; restore the row from the "
                             "original workbook.")
                continue
            candidates = [r for r in at if self._shows(rows[r], r, criterion, cols)]
            if not candidates:
                continue
            responses = [self._response(rows[r], r, criterion, layout, cols) for r in candidates]
            if len({(x.rating, x.not_applicable, x.na_accepted, tuple(x.texts.items())) for x in responses}) > 1:
                self.problem(f"sheet {k.SHEET_RATINGS}, rows {', '.join(map(str, candidates))}",
                             f"criterion {criterion.number} appears on {len(candidates)} rows with different answers, "
                             "so none was read; delete the extra rows, keeping the right answer.")
                continue
            out.append(responses[0])
        return out

    def _shows(self, row: dict[int, Cell], r: int, criterion: Criterion, cols: dict[str, int | None]) -> bool:
        """Whether a row with this criterion's id still shows its number and text; else refuse it."""
        number = _cell(row, cols["number"]).value
        text = _cell(row, cols["criterion"]).value
        if not _same_number(number, criterion.number):
            what = f"number {_shown(number)!r}" if number not in (None, "") else "no number"
        elif not isinstance(text, str) or _norm(text) != _norm(criterion.full_text):
            what = "a different criterion text" if text not in (None, "") else "no criterion text"
        else:
            return True
        self.problem(f"sheet {k.SHEET_RATINGS}, row {r}",
                     f"the row carries the hidden id of criterion {criterion.number} ({criterion.id}) but shows {what}; "
                     "the rows were sorted or edited, so its answers were not read. Undo the change, or copy the "
                     "answers to the right rows of the original workbook.")
        return False

    def _response(self, row: dict[int, Cell], r: int, criterion: Criterion, layout: k.Layout,
                  cols: dict[str, int | None]) -> CriterionResponse:
        scale = self.cat.scale
        rating_col = cols["rating"]
        letter = _letter(rating_col)
        place = f"sheet {k.SHEET_RATINGS}, cell {letter}{r}"
        cell = _cell(row, rating_col)
        rating, not_applicable = None, False
        if cell.formula:
            self.problem(place, f"the rating of criterion {criterion.number} is a formula ({_shown(cell.value)}), "
                                "which is not read; choose the rating from the list.")
        else:
            parsed = parse_rating(cell.value, scale)
            if parsed.error:
                self.problem(place, parsed.error)
            rating, not_applicable = parsed.value, parsed.not_applicable
        texts: dict[str, str] = {}
        legacy = [c.key for c in k.LEGACY_TEXT_COLUMNS.get(layout.role, ()) if cols.get(c.key) is not None]
        for key in (*layout.text_keys, *legacy):
            col = cols.get(key)
            if col is None:
                continue
            tcell = _cell(row, col)
            if tcell.formula:
                self.problem(f"sheet {k.SHEET_RATINGS}, cell {_letter(col)}{r}",
                             f"contains a formula ({_shown(tcell.value)}), which is not read; type the text instead.",
                             "warning")
                texts[key] = ""
            else:
                texts[key] = self._text(tcell.value, f"sheet {k.SHEET_RATINGS}, cell {_letter(col)}{r}")
        na_accepted = None
        if cols.get("na_accepted") is not None:
            na_accepted = self._acceptance(row, r, cols["na_accepted"])
        if not_applicable and scale.not_applicable.reason_required and not texts.get("reasoning"):
            col = cols.get("reasoning")
            where = f"sheet {k.SHEET_RATINGS}, cell {_letter(col)}{r}" if col else place
            self.problem(where, f"criterion {criterion.number} is {scale.not_applicable.label} without a reason; "
                                "write in Perustelut why it does not apply.", "warning")
        places = {"na_accepted": f"{k.SHEET_RATINGS}!{_letter(cols['na_accepted'])}{r}"} if cols.get("na_accepted") else {}
        return CriterionResponse(criterion.id, criterion.number, rating, not_applicable, na_accepted, texts,
                                 f"{k.SHEET_RATINGS}!{letter}{r}", places)

    def _text(self, value: Any, place: str) -> str:
        """A typed text as read, without invisible control characters; warnings for what was odd."""
        text = cell_text(value)
        text, removed = _CONTROL.subn("", text)
        if removed:
            self.problem(place, f"{removed} invisible control character(s) (copied from another program) were "
                                "removed from the text; check that it reads as meant.", "warning")
        if len(text) > _EXCEL_CELL_CHARS:
            self.problem(place, f"the text is {_thousands(len(text))} characters long, more than a cell of Excel "
                                f"holds ({_thousands(_EXCEL_CELL_CHARS)}); it was read whole, but reports show only "
                                "its beginning. Shorten it, or name the material in an attachment instead.", "warning")
        return text

    def _acceptance(self, row: dict[int, Cell], r: int, col: int) -> bool | None:
        cell = _cell(row, col)
        value = cell.value
        place = f"sheet {k.SHEET_RATINGS}, cell {_letter(col)}{r}"
        if cell.formula:
            self.problem(place, f"is a formula ({_shown(value)}), which is not read; choose {k.ACCEPT_YES} or "
                                f"{k.ACCEPT_NO} from the list.")
            return None
        text = _fold(cell_text(value))
        if not text:
            return None
        if text == _fold(k.ACCEPT_YES):
            return True
        if text == _fold(k.ACCEPT_NO):
            return False
        self.problem(place, f"'{_shown(value)}' is not an answer; choose {k.ACCEPT_YES} or {k.ACCEPT_NO} from the list.")
        return None


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
        return SafeET.fromstring(read_part(package, info))
    except Exception:  # noqa: BLE001 - missing or damaged properties are reported as missing
        return None
