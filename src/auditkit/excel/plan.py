"""A workshop's development plan as the workbook it keeps working in (palaute/<workshop> – kehittämissuunnitelma.xlsx).

One visible sheet, Kehittämissuunnitelma: what the plan rests on, then a row per line of the plan
(criterion, ratings, development target, action, owner, due date, status, follow-up) and empty rows
for lines of the workshop's own. What came from the returned files (criterion, ratings, targets) is
locked; the action, owner, due date, status (a drop-down) and follow-up are the workshop's to edit,
and rows grow with what is typed. Hidden sheets hold the status list and the identity (role "plan"),
the same identity contract as the kit's workbooks, so a plan that comes back is known for a companion.

A round writes one per workshop: openpyxl makes the workbook once per process, with a cell of every
kind and placeholders (`_Shell`), and each plan's rows are written into it as openpyxl writes them and
package.tidy then makes them (texts in the shared-strings table), the parts no plan changes tidied and
compressed once.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable
from copy import copy

from typing import Any, cast

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.compat.strings import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import Catalogue
from ..dates import parse_fi
from ..i18n import C_, Wording, wording
from ..outputs import XML_FORBIDDEN, looks_like_formula
from ..plan import AUDITORS, PLAN_ROLE, PLAN_TITLE, STATUSES, WORKSHOP, DevelopmentPlan, PlanLine
from . import contract as k
from ..packages import Deflated, deflated, pack_members
from .package import share, shared_strings, tidy, tidy_parts, with_shared_strings
from .layout import growing_rows, print_setup, row_height, text_lines
from .style import set_style, style_of
from .tables import cell_safe, set_text

SHEET_PLAN = PLAN_TITLE  # in Finnish; sheet_plan(lang) in any language
_SHEET_PLAN = C_("plan", "Development plan")
NAME_STATUSES = "Tilat"  # the status drop-down's list, on the hidden list sheet
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
EMPTY_ROWS = 10  # rows for lines of the workshop's own after the plan's lines
DUE_FORMAT = "d.m.yyyy"


# key, header (English, said with the context "plan column"), width (characters), editable by the workshop
COLUMNS: tuple[tuple[str, str, float, bool], ...] = (
    ("number", C_("plan column", "No."), 6, False),
    ("criterion", C_("plan column", "Criterion"), 28, False),
    ("ratings", C_("plan column", "Ratings"), 17, False),
    ("target", C_("plan column", "Development target"), 32, False),
    ("action", C_("plan column", "Action"), 32, True),
    ("owner", C_("plan column", "Person responsible"), 15, True),
    ("due", C_("plan column", "Schedule"), 12, True),
    ("status", C_("plan column", "State"), 13, True),
    ("follow_up", C_("plan column", "Follow-up and notes"), 24, True),
)
# The statuses of plan.STATUSES (in its order), as the drop-down says them in a language.
_STATUSES = (C_("plan status", "planned"), C_("plan status", "in progress"), C_("plan status", "done"),
             C_("plan status", "postponed"))
# Who a development target is from (plan.WORKSHOP, plan.AUDITORS), as the table says it.
_WHO = {WORKSHOP: C_("plan who", "Workshop"), AUDITORS: C_("plan who", "Auditors")}


def statuses(lang: str = "fi") -> tuple[str, ...]:
    """The status list of a plan workbook in a language (Finnish: plan.STATUSES)."""
    w = wording("workbooks", lang)
    return tuple(w.pgettext("plan status", text) for text in _STATUSES)


def sheet_plan(lang: str = "fi") -> str:
    return wording("workbooks", lang).pgettext("plan", _SHEET_PLAN)
_INDEX = {key: i for i, (key, *_) in enumerate(COLUMNS, start=1)}
_TOTAL_WIDTH = sum(width for _, _, width, _ in COLUMNS)

# Every font named: a font without a name falls back to a serif one in LibreOffice.
_PLAIN = Font(name="Calibri", size=10)
_BOLD = Font(name="Calibri", size=10, bold=True)
_SMALL = Font(name="Calibri", size=9)
_TITLE = Font(name="Calibri", size=14, bold=True, color="1F4E79")
_HEADER_FONT = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
_FLAG_FONT = Font(name="Calibri", size=10, bold=True, color="9C2A00")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_INPUT_FILL = PatternFill("solid", fgColor="FFFBE6")
_REQUIRED_FILL = PatternFill("solid", fgColor="F8DDD3")
_BASIS_FILL = {"recommended": "E2EFDA", "conditional": "FFF2CC", "not_recommended": "F8DDD3", None: "EDEDED"}
_STATUS_FILLS = {1: "FFF2CC", 2: "E2EFDA", 3: "E7E6E6"}  # by the status's place in the list: in progress, done, postponed
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
_UNLOCKED = Protection(locked=False)
_EMPTY_LINES = 2  # an empty or short row starts this many lines high: room to type
_BODY_FIT = 1.1  # tables.text_lines counts characters at 11 pt; the table's 10 pt fits a tenth more
_LINE = 12.5  # points a line of 10 pt text takes


def build_plan_workbook(catalogue: Catalogue, plan: DevelopmentPlan, *, round_id: str = "", round_name: str = "",
                        stamped: bool = True, lang: str = "fi") -> bytes:
    """The plan's workbook as .xlsx bytes (round_id goes into its identity, round_name on the sheet), in a
    language (compile: the workshop's, `workshop.language or result.language`).

    stamped: the plan's rows spliced into a workbook openpyxl made once per process and language
    (`_Shell`); False: the whole workbook made by openpyxl (the same cells, styles and sheets; the tests
    compare them).
    """
    w = wording("workbooks", lang)
    rows, last = _rows(catalogue, plan, round_name, w)
    values = _identity_values(catalogue, plan, round_id)
    title = f"{sheet_plan(w.lang)}: {plan.workshop_name or plan.workshop_id}"
    footer = plan.workshop_name or plan.workshop_id
    if stamped:
        return _shell(w.lang).stamp(rows, last, values, title, catalogue.meta.title, footer)
    wb, ws = _workbook(values, title, catalogue.meta.title, w.lang)
    styles: dict[tuple[Any, ...], Any] = {}
    for number, height, cells in rows:
        for col, value, kind in cells:
            cell = ws.cell(number, col)
            if isinstance(value, str):
                set_text(cell, value)
            elif value is not None:
                cell.value = cast(Any, value)  # a number or a date
            _style(cell, kind, styles)
        if height is not None:
            ws.row_dimensions[number].height = height
    _finish(ws, last, footer, w.lang)
    out = io.BytesIO()
    wb.save(out)
    return tidy(out.getvalue(), _growing(last))


def _growing(last: int) -> Callable[[str, bytes], bytes]:
    rows = set(range(FIRST_ROW, last + 1))
    return lambda name, data: growing_rows(data, rows) if name == "xl/worksheets/sheet1.xml" else data


def _identity_values(catalogue: Catalogue, plan: DevelopmentPlan, round_id: str) -> dict[str, str]:
    values = {key: "" for key in k.IDENTITY_KEYS}
    values.update(format_version=k.FORMAT_VERSION, content_version=catalogue.version, content_hash=catalogue.hash,
                  round_id=round_id, workshop_id=plan.workshop_id, workshop_name=plan.workshop_name, role=PLAN_ROLE)
    return values


def _workbook(identity_values: dict[str, str], title: str, subject: str, lang: str) -> tuple[Workbook, Worksheet]:
    """The workbook with its hidden sheets, identity and properties, and the plan sheet's columns and
    merged cells, but none of the plan sheet's rows."""
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = sheet_plan(lang)
    lists = wb.create_sheet(k.SHEET_LISTS)
    identity = wb.create_sheet(k.SHEET_IDENTITY)
    for row, status in enumerate(statuses(lang), start=1):
        lists.cell(row, 1, status)
    wb.defined_names[NAME_STATUSES] = DefinedName(NAME_STATUSES, attr_text=f"'{k.SHEET_LISTS}'!$A$1:$A${len(STATUSES)}")
    _identity(wb, identity, identity_values)
    for i, (_, _, width, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in (3, 4):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
    for hidden in (lists, identity):
        hidden.sheet_state = "veryHidden"
        hidden.protection.sheet = True
    wb.properties.title = title
    wb.properties.creator = "auditkit"
    wb.properties.subject = subject
    wb.properties.language = wording("workbooks", lang).tag
    return wb, ws


def _identity(wb: Workbook, ws: Worksheet, values: dict[str, str]) -> None:
    """The identity, as the kit's workbooks carry it: the hidden sheet's rows and custom properties."""
    ws.append(k.IDENTITY_HEADER)
    for row, key in enumerate(k.IDENTITY_KEYS, start=2):
        ws.cell(row, 1, key)
        set_text(ws.cell(row, 2), values[key])
        cast(Any, wb).custom_doc_props.append(StringProperty(name=key, value=values[key]))  # not in the stubs


def _basis(plan: DevelopmentPlan, w: Wording) -> str:
    _ = w
    if plan.conditional:
        return _("This is the development plan the conditional proposal ({outcome}) requires. {required_by} The "
                 "items of the rule are marked red: enter an action, a person responsible and a schedule for each.",
                 outcome=plan.label, required_by=plan.required_by)
    if plan.outcome is None:
        return _("The workshop's development plan. The audit has not been returned, so here are only the workshop's "
                 "own development targets and actions.")
    return _("The workshop's development plan. The auditors' proposal to Into: {outcome}.", outcome=plan.label) + (
        _(" The criteria's own advice: ”{advice}”.", advice=plan.advice) if plan.advice else "")


# A cell's look: ("title",), ("small",), ("basis", outcome), ("hint",), ("header",), or for the table
# ("line", column key, editable, flagged, a date, quote-prefixed).
Kind = tuple[Any, ...]
Value = str | int | dt.date | None
RowSpec = tuple[int, float | None, list[tuple[int, Value, Kind]]]  # row, its height, (column, value, kind)


def _rows(catalogue: Catalogue, plan: DevelopmentPlan, round_name: str, w: Wording
          ) -> tuple[list[RowSpec], int]:
    """The plan sheet's rows as values and kinds of cell, and its last table row."""
    title = f"{sheet_plan(w.lang)}: {plan.workshop_name or plan.workshop_id}"
    _ = w
    code = _("Code {code}", code=plan.workshop_id)
    rows: list[RowSpec] = [
        (1, None, [(1, title, _text_kind(("title",), title))]),
        (2, None, [(1, (round_line := " · ".join(p for p in (round_name, code) if p)),
                    _text_kind(("small",), round_line))]),
    ]
    for row, text, kind in ((3, _basis(plan, w), ("basis", plan.outcome)), (4, _hint(w), ("hint",))):
        rows.append((row, row_height([(text, _TOTAL_WIDTH * 0.95)]), [(1, text, _text_kind(kind, text))]))
    rows.append((HEADER_ROW, None, [(col, w.pgettext("plan column", header), ("header",))
                                    for col, (_key, header, _width, _editable) in enumerate(COLUMNS, start=1)]))
    row = FIRST_ROW
    for line in [*plan.lines, *[None] * EMPTY_ROWS]:
        rows.append(_line(row, catalogue, plan, line, w))
        row += 1
    return rows, row - 1


def _text_kind(kind: Kind, text: str) -> Kind:
    return (*kind, looks_like_formula(text))


def _finish(ws: Worksheet, last: int, footer: str, lang: str) -> None:
    """What the plan sheet has beside its cells: the status list, its colours, frozen panes, the print
    set-up and protection, for a table ending at row `last`."""
    _ = wording("workbooks", lang)
    listed = statuses(lang)
    status = get_column_letter(_INDEX["status"])
    validation = DataValidation(type="list", formula1=NAME_STATUSES, allow_blank=True, showErrorMessage=True,
                                errorStyle="stop", errorTitle=_.pgettext("plan", "Choose from the list"),
                                error=_("Choose a status from the list: {statuses}.", statuses=", ".join(listed)),
                                showInputMessage=True, promptTitle=_.pgettext("plan column", "State"),
                                prompt=", ".join(listed))
    validation.add(f"{status}{FIRST_ROW}:{status}{last}")
    ws.add_data_validation(validation)
    for index, colour in _STATUS_FILLS.items():
        ws.conditional_formatting.add(f"{status}{FIRST_ROW}:{status}{last}", CellIsRule(
            operator="equal", formula=[f'"{listed[index]}"'], fill=PatternFill("solid", fgColor=colour)))
    ws.freeze_panes = ws.cell(FIRST_ROW, 1).coordinate
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
    print_setup(ws, landscape=True, footer_left=footer, lang=lang)
    _protect(ws)


def _hint(w: Wording) -> str:
    _ = w
    return _("The yellow cells can be edited: action, person responsible, schedule (e.g. 31.5.2027), status from "
             "the drop-down list ({statuses}) and follow-up and notes. Items of your own can be written on the empty "
             "rows at the end of the table. The development targets and ratings are from the returned files.",
             statuses=", ".join(statuses(w.lang)))


def _status(value: str, w: Wording) -> str:
    """A line's status (plan.STATUSES, Finnish) as the workbook's list says it."""
    return w.pgettext("plan status", _STATUSES[STATUSES.index(value)]) if value in STATUSES else value


def _line(row: int, catalogue: Catalogue, plan: DevelopmentPlan, line: PlanLine | None, w: Wording) -> RowSpec:
    """A row of the table: a plan's line, or (None) an empty row the workshop fills entirely."""
    if line is None:
        return (row, *_empty_row())
    return (row, *_cells(_values(catalogue, plan, line, w), line.required, False))


def _values(catalogue: Catalogue, plan: DevelopmentPlan, line: PlanLine, w: Wording) -> dict[str, Value]:
    _ = w
    own, auditors = line.ratings
    item = _("Item of the condition") if plan.conditional else _("Item of the rule")
    targets = ([f"{item}: {line.requirement}"] if line.required else []) + [
        f"{w.pgettext('plan who', _WHO[who]) if who in _WHO else who}: {text}" for who, text in line.targets]
    self_said, auditors_said = _("Self: {rating}", rating=own), _("Auditors: {rating}", rating=auditors)
    return {
        "number": line.number if line.number is not None else "–",
        "criterion": catalogue.criterion(line.number).text if line.number is not None else line.title,
        "ratings": "\n".join(p for p in (self_said if own else "", auditors_said if auditors else "") if p),
        "target": "\n\n".join(targets),
        "action": line.action, "owner": line.owner, "due": _due(line.due), "status": _status(line.status, w),
    }


@functools.cache
def _empty_row() -> tuple[float, list[tuple[int, Value, Kind]]]:
    """An empty row's height and cells: the same in every plan (they are only read)."""
    return _cells({}, False, True)


def _cells(values: dict[str, Value], required: bool, empty: bool) -> tuple[float, list[tuple[int, Value, Kind]]]:
    """A row's height and cells (column, value, kind) for its values by column key."""
    lines = _EMPTY_LINES
    cells: list[tuple[int, Value, Kind]] = []
    for col, (key, _header, width, editable) in enumerate(COLUMNS, start=1):
        value = values.get(key)
        if isinstance(value, str):
            lines = max(lines, text_lines(value, width * _BODY_FIT))
        cells.append((col, value, ("line", key, editable or empty, required and key == "number",
                                   isinstance(value, dt.date), isinstance(value, str) and looks_like_formula(value))))
    return min(409.0, round(lines * _LINE + 5, 1)), cells


def _style(cell: Any, kind: Kind, styles: dict[Kind, Any]) -> None:
    """Give the cell the look of its kind; a finished style is copied to every cell like it (setting its
    parts costs ten times as much)."""
    if kind in styles:
        set_style(cell, styles[kind])
        return
    if kind[-1] is True:  # what set_text does to a text that looks like a formula
        cell.quotePrefix = True
    name = kind[0]
    if name == "title":
        cell.font = _TITLE
    elif name == "small":
        cell.font = _SMALL
    elif name in ("basis", "hint"):
        fill = _BASIS_FILL[kind[1]] if name == "basis" else None
        cell.alignment, cell.font = _WRAP, _PLAIN if fill else _SMALL
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
    elif name == "header":
        cell.font, cell.fill, cell.alignment, cell.border = _HEADER_FONT, _HEADER_FILL, _CENTER, _BOX
    else:
        _, key, typed, flagged, date, _ = kind
        if date:
            cell.number_format = DUE_FORMAT
        cell.border, cell.font = _BOX, _PLAIN
        cell.alignment = _CENTER if key in ("number", "due", "status") else _WRAP
        if typed:
            cell.protection, cell.fill = _UNLOCKED, _INPUT_FILL
        if flagged:
            cell.fill, cell.font = _REQUIRED_FILL, _FLAG_FONT
    styles[kind] = copy(style_of(cell))


def _kinds() -> list[Kind]:
    """Every kind of cell the plan sheet can have."""
    kinds: list[Kind] = [("title", q) for q in (False, True)] + [("small", q) for q in (False, True)]
    kinds += [("basis", outcome, q) for outcome in _BASIS_FILL for q in (False, True)] + [("hint", False), ("hint", True)]
    kinds.append(("header",))
    for key, _, _, editable in COLUMNS:
        for typed in {editable, True}:
            for flagged in ((False, True) if key == "number" else (False,)):
                for date in ((False, True) if key == "due" else (False,)):
                    kinds += [("line", key, typed, flagged, date, q) for q in ((False,) if date else (False, True))]
    return kinds


_SHELL_LAST = 99999  # the shell's table ends here: replaced by each plan's last row
_TOKEN = "[[ak:{}]]"


class _Shell:
    """The plan workbook made once by openpyxl with placeholders and a cell of every kind; stamp() puts a
    plan's rows, identity, title and footer in and finishes it as tidy() finishes the whole one: the
    sheet's texts written as shared strings at once, and the parts no plan changes (styles, theme, the
    package's lists) tidied and compressed here, once."""

    def __init__(self, lang: str) -> None:
        values = {key: _TOKEN.format(f"id.{key}") for key in k.IDENTITY_KEYS}
        wb, ws = _workbook(values, _TOKEN.format("title"), _TOKEN.format("subject"), lang)
        kinds = _kinds()
        styles: dict[Kind, Any] = {}
        for row, kind in enumerate(kinds, start=1):
            _style(ws.cell(row, 1), kind, styles)
        _finish(ws, _SHELL_LAST, _TOKEN.format("footer"), lang)
        out = io.BytesIO()
        wb.save(out)
        with zipfile.ZipFile(out) as z:
            self.parts = {name: z.read(name) for name in z.namelist()}
        sheet = self.parts[_SHEET]
        data = re.search(rb"<sheetData>.*</sheetData>|<sheetData/>", sheet, re.S)
        if data is None:
            raise RuntimeError("openpyxl wrote the plan sheet without its sheetData")
        found = {int(row): int(style) for row, style in re.findall(rb'<c r="A(\d+)" s="(\d+)"', data.group(0))}
        self.style_ids = {kind: found.get(row, 0) for row, kind in enumerate(kinds, start=1)}
        head = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="[[ak:dimension]]"/>', sheet[:data.start()])
        self.sheet = (head, sheet[data.end():])
        self.empty: str | None = None  # an empty row of the table, its number left out
        # What tidy makes of the parts without placeholders is the same for every plan (a plan always has
        # texts, its table's heading): made and compressed once. The rest is filled per plan.
        tidied = with_shared_strings(dict(self.parts), [b"<t>-</t>"])
        self.members: list[tuple[str, Deflated | None]] = [
            (name, None if _PLACEHOLDER.search(data) or b'"inlineStr"' in data or name in (_SHEET, _SHARED_STRINGS)
             else deflated(data))
            for name, data in tidied.items()]

    def stamp(self, rows: list[RowSpec], last: int, identity: dict[str, str], title: str, subject: str,
              footer: str) -> bytes:
        strings: dict[str, int] = {}
        out: list[str] = []
        letters = _LETTERS
        empty_height, empty = _empty_row()
        for number, height, cells in rows:
            if cells is empty and FIRST_ROW <= number <= last:  # an empty row of the table: one template
                if self.empty is None:
                    self.empty = "".join([f'<row r="{{0}}" ht="{safe_string(empty_height)}">', *(
                        f'<c r="{letters[col]}{{0}}" s="{self.style_ids[kind]}" t="n"></c>' for col, _, kind in empty),
                        "</row>"])
                out.append(self.empty.format(number))
                continue
            # The table's rows grow with what is typed (layout.growing_rows): no custom height.
            out.append(f'<row r="{number}">' if height is None else
                       f'<row r="{number}" ht="{safe_string(height)}">' if FIRST_ROW <= number <= last else
                       f'<row r="{number}" ht="{safe_string(height)}" customHeight="1">')
            for col, value, kind in cells:
                ref = f"{letters[col]}{number}"
                style = self.style_ids[kind]
                if isinstance(value, str):
                    text = cell_safe(value)
                    if not text:
                        out.append(f'<c r="{ref}" s="{style}" t="inlineStr"></c>')
                        continue
                    item = f'<t xml:space="preserve">{_escape(text)}</t>' if text != text.strip() else \
                        f"<t>{_escape(text)}</t>"
                    index = strings.get(item)
                    if index is None:
                        index = strings[item] = len(strings)
                    out.append(f'<c r="{ref}" s="{style}" t="s"><v>{index}</v></c>')
                elif value is None:
                    out.append(f'<c r="{ref}" s="{style}" t="n"></c>')
                else:
                    number_ = to_excel(value) if isinstance(value, dt.date) else value
                    out.append(f'<c r="{ref}" s="{style}" t="n"><v>{safe_string(number_)}</v></c>')
            out.append("</row>")
        head, tail = self.sheet
        end = get_column_letter(len(COLUMNS))
        texts = {"title": title, "subject": subject, "footer": footer.replace("&", "&&"),
                 "dimension": f"A1:{end}{last}", **{f"id.{key}": cell_safe(value) for key, value in identity.items()}}
        shared = {item.encode(): index for item, index in strings.items()}
        order = list(shared)
        if not order:  # not a plan's sheet (it has a heading): tidied as a whole one is
            return self._whole(out, last, texts)
        members: list[tuple[str, bytes | Deflated]] = []
        for name, constant in self.members:
            if constant is not None:
                members.append((name, constant))
            elif name == _SHEET:
                members.append((name, _fill(head, texts) + b"<sheetData>" + "".join(out).encode() + b"</sheetData>"
                                + _fill(tail.replace(b"%d" % _SHELL_LAST, b"%d" % last), texts)))
            elif name == _SHARED_STRINGS:
                members.append((name, shared_strings(order)))
            else:
                data = _fill(self.parts[name], texts)
                members.append((name, share(data, shared, order) if b'"inlineStr"' in data else data))
        return pack_members(members)

    def _whole(self, out: list[str], last: int, texts: dict[str, str]) -> bytes:
        head, tail = self.sheet
        sheet = (head + b"<sheetData>" + "".join(out).encode() + b"</sheetData>"
                 + tail.replace(b"%d" % _SHELL_LAST, b"%d" % last))
        parts = {name: _fill(sheet if name == _SHEET else data, texts) for name, data in self.parts.items()}
        return tidy_parts(parts, _growing(last))


_SHEET = "xl/worksheets/sheet1.xml"
_SHARED_STRINGS = "xl/sharedStrings.xml"
_LETTERS = ["", *(get_column_letter(col) for col in range(1, len(COLUMNS) + 1))]
_PLACEHOLDER = re.compile(rb"\[\[ak:([a-z0-9_.]+)\]\]")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fill(data: bytes, texts: dict[str, str]) -> bytes:
    if b"[[ak:" not in data:
        return data
    for key, value in texts.items():  # an empty text is a cell without one, as openpyxl writes it
        if not value:
            data = data.replace(b"<is><t>%s</t></is>" % _TOKEN.format(key).encode(), b"")
    return _PLACEHOLDER.sub(lambda m: _escape(XML_FORBIDDEN.sub("", texts[m.group(1).decode()]))
                            .replace('"', "&quot;").encode(), data)


@functools.cache
def _shell(lang: str) -> _Shell:
    """The shell of a language's plan workbooks, made once per process and language."""
    return _Shell(lang)


def _due(text: str) -> str | dt.date:
    """A due date written as a date (31.5.2027) becomes one, so the column sorts and filters by date;
    anything else ("kevät 2027") stays as written."""
    return parse_fi(text) or text


def _protect(ws: Worksheet) -> None:
    """Locked where the text came from the returned files, without a password (it guides, it does not
    secure); rows may be resized, inserted and filtered."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = False
    p.insertRows = False
    p.autoFilter = False
    p.selectLockedCells = p.selectUnlockedCells = False
