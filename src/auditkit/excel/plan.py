"""A workshop's development plan as the workbook it keeps working in (palaute/<workshop> – kehittämissuunnitelma.xlsx).

One visible sheet, Kehittämissuunnitelma: what the plan rests on, then a row per line of the plan
(criterion, ratings, development target, action, owner, due date, status, follow-up) and empty rows
for lines of the workshop's own. What came from the returned files (criterion, ratings, targets) is
locked; the action, owner, due date, status (a drop-down) and follow-up are the workshop's to edit,
and rows grow with what is typed. Hidden sheets hold the status list and the identity (role "plan"),
the same identity contract as the kit's workbooks, so a plan that comes back is known for a companion.
"""

from __future__ import annotations

import datetime as dt
import io
from copy import copy

from typing import Any, cast

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import Catalogue
from ..dates import parse_fi
from ..plan import PLAN_ROLE, PLAN_TITLE, STATUSES, DevelopmentPlan, PlanLine
from . import contract as k
from .package import tidy
from .layout import growing_rows, print_setup, row_height, text_lines
from .style import set_style, style_of
from .tables import set_text

SHEET_PLAN = PLAN_TITLE
NAME_STATUSES = "Tilat"  # the status drop-down's list, on the hidden list sheet
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
EMPTY_ROWS = 10  # rows for lines of the workshop's own after the plan's lines
DUE_FORMAT = "d.m.yyyy"


# key, header, width (characters), editable by the workshop
COLUMNS: tuple[tuple[str, str, float, bool], ...] = (
    ("number", "Nro", 6, False),
    ("criterion", "Kriteeri", 28, False),
    ("ratings", "Arviot", 17, False),
    ("target", "Kehittämiskohde", 32, False),
    ("action", "Toimenpide", 32, True),
    ("owner", "Vastuuhenkilö", 15, True),
    ("due", "Aikataulu", 12, True),
    ("status", "Tila", 13, True),
    ("follow_up", "Seuranta ja huomiot", 24, True),
)
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
_STATUS_FILLS = {"käynnissä": "FFF2CC", "valmis": "E2EFDA", "siirretty": "E7E6E6"}
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
_UNLOCKED = Protection(locked=False)
_EMPTY_LINES = 2  # an empty or short row starts this many lines high: room to type
_BODY_FIT = 1.1  # tables.text_lines counts characters at 11 pt; the table's 10 pt fits a tenth more
_LINE = 12.5  # points a line of 10 pt text takes


def build_plan_workbook(catalogue: Catalogue, plan: DevelopmentPlan, *, round_id: str = "", round_name: str = "") -> bytes:
    """The plan's workbook as .xlsx bytes (round_id goes into its identity, round_name on the sheet)."""
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = SHEET_PLAN
    lists = wb.create_sheet(k.SHEET_LISTS)
    identity = wb.create_sheet(k.SHEET_IDENTITY)
    for row, status in enumerate(STATUSES, start=1):
        lists.cell(row, 1, status)
    wb.defined_names[NAME_STATUSES] = DefinedName(NAME_STATUSES, attr_text=f"'{k.SHEET_LISTS}'!$A$1:$A${len(STATUSES)}")
    _identity(wb, identity, catalogue, plan, round_id)
    last = _sheet(ws, catalogue, plan, round_name)
    for hidden in (lists, identity):
        hidden.sheet_state = "veryHidden"
        hidden.protection.sheet = True
    wb.properties.title = f"{PLAN_TITLE}: {plan.workshop_name or plan.workshop_id}"
    wb.properties.creator = "auditkit"
    wb.properties.subject = catalogue.meta.title
    out = io.BytesIO()
    wb.save(out)
    rows = set(range(FIRST_ROW, last + 1))
    return tidy(out.getvalue(), lambda name, data: growing_rows(data, rows) if name == "xl/worksheets/sheet1.xml"
                else data)


def _identity(wb: Workbook, ws: Worksheet, catalogue: Catalogue, plan: DevelopmentPlan, round_id: str) -> None:
    """The identity, as the kit's workbooks carry it: the hidden sheet's rows and custom properties."""
    values = {key: "" for key in k.IDENTITY_KEYS}
    values.update(format_version=k.FORMAT_VERSION, content_version=catalogue.version, content_hash=catalogue.hash,
                  round_id=round_id, workshop_id=plan.workshop_id, workshop_name=plan.workshop_name, role=PLAN_ROLE)
    ws.append(k.IDENTITY_HEADER)
    for row, key in enumerate(k.IDENTITY_KEYS, start=2):
        ws.cell(row, 1, key)
        set_text(ws.cell(row, 2), values[key])
        cast(Any, wb).custom_doc_props.append(StringProperty(name=key, value=values[key]))  # not in the stubs


def _basis(plan: DevelopmentPlan) -> str:
    if plan.conditional:
        return (f"Tämä on ehdollisen ehdotuksen ({plan.label}) edellyttämä kehittämissuunnitelma. {plan.required_by} "
                "Säännön kohdat on merkitty punaisella: kirjatkaa jokaiselle toimenpide, vastuuhenkilö ja aikataulu.")
    if plan.outcome is None:
        return ("Työpajan kehittämissuunnitelma. Auditointia ei ole palautettu, joten tässä ovat vain työpajan omat "
                "kehittämiskohteet ja toimenpiteet.")
    return f"Työpajan kehittämissuunnitelma. Auditoijien ehdotus Intolle: {plan.label}." + (
        f" Kriteeristön oma neuvo: ”{plan.advice}”." if plan.advice else "")


def _sheet(ws: Worksheet, catalogue: Catalogue, plan: DevelopmentPlan, round_name: str) -> int:
    """Write the plan sheet; return its last table row."""
    last_col = len(COLUMNS)
    for i, (_, _, width, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    set_text(ws.cell(1, 1), f"{PLAN_TITLE}: {plan.workshop_name or plan.workshop_id}")
    ws.cell(1, 1).font = _TITLE
    set_text(ws.cell(2, 1), " · ".join(p for p in (round_name, f"Tunnus {plan.workshop_id}") if p))
    ws.cell(2, 1).font = _SMALL
    for row, text, fill in ((3, _basis(plan), _BASIS_FILL[plan.outcome]), (4, _hint(), None)):
        cell = ws.cell(row, 1)
        set_text(cell, text)
        cell.alignment, cell.font = _WRAP, _PLAIN if fill else _SMALL
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        ws.row_dimensions[row].height = row_height([(text, _TOTAL_WIDTH * 0.95)])
    for col, (_, header, _, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, col, header)
        cell.font, cell.fill, cell.alignment, cell.border = _HEADER_FONT, _HEADER_FILL, _CENTER, _BOX
    row = FIRST_ROW
    styles: dict[tuple[Any, ...], Any] = {}
    for line in plan.lines:
        _line(ws, row, catalogue, plan, line, styles)
        row += 1
    for _ in range(EMPTY_ROWS):
        _line(ws, row, catalogue, plan, None, styles)
        row += 1
    last = row - 1
    status = get_column_letter(_INDEX["status"])
    validation = DataValidation(type="list", formula1=NAME_STATUSES, allow_blank=True, showErrorMessage=True,
                                errorStyle="stop", errorTitle="Valitse listasta",
                                error=f"Valitse tila listasta: {', '.join(STATUSES)}.", showInputMessage=True,
                                promptTitle="Tila", prompt=", ".join(STATUSES))
    validation.add(f"{status}{FIRST_ROW}:{status}{last}")
    ws.add_data_validation(validation)
    for value, colour in _STATUS_FILLS.items():
        ws.conditional_formatting.add(f"{status}{FIRST_ROW}:{status}{last}", CellIsRule(
            operator="equal", formula=[f'"{value}"'], fill=PatternFill("solid", fgColor=colour)))
    ws.freeze_panes = ws.cell(FIRST_ROW, 1).coordinate
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(last_col)}{last}"
    print_setup(ws, landscape=True, footer_left=plan.workshop_name or plan.workshop_id)
    _protect(ws)
    return last


def _hint() -> str:
    return ("Keltaiset solut ovat muokattavia: toimenpide, vastuuhenkilö, aikataulu (esim. 31.5.2027), tila "
            f"pudotusvalikosta ({', '.join(STATUSES)}) sekä seuranta ja huomiot. Omia kohtia voi kirjoittaa "
            "taulukon lopun tyhjille riveille. Kehittämiskohteet ja arviot ovat palautetuista tiedostoista.")


def _line(ws: Worksheet, row: int, catalogue: Catalogue, plan: DevelopmentPlan, line: PlanLine | None,
          styles: dict[tuple[Any, ...], Any]) -> None:
    """A row of the table: a plan's line, or (None) an empty row the workshop fills entirely. styles:
    the finished styles of the sheet's cells so far, by what made them."""
    values: dict[str, object] = {}
    if line is not None:
        own, auditors = line.ratings
        targets = ([f"{'Ehdon kohta' if plan.conditional else 'Säännön kohta'}: {line.requirement}"]
                   if line.required else []) + [f"{who}: {text}" for who, text in line.targets]
        values = {
            "number": line.number if line.number is not None else "–",
            "criterion": catalogue.criterion(line.number).text if line.number is not None else line.title,
            "ratings": "\n".join(p for p in (f"Itse: {own}" if own else "", f"Auditoijat: {auditors}" if auditors else "")
                                 if p),
            "target": "\n\n".join(targets),
            "action": line.action, "owner": line.owner, "due": _due(line.due), "status": line.status,
        }
    lines = _EMPTY_LINES
    required = line is not None and line.required
    for col, (key, _, width, editable) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row, col)
        value = values.get(key)
        if isinstance(value, str):
            set_text(cell, value)
            lines = max(lines, text_lines(value, width * _BODY_FIT))
        elif value is not None:
            cell.value = cast(Any, value)  # a number or a date
        # A finished style is copied to every cell like it: setting its parts costs ten times as much.
        style_key = (key, editable or line is None, required and key == "number", isinstance(value, dt.date),
                     tuple(style_of(cell) or ()))  # the last: what writing the value set (a quote prefix)
        if style_key in styles:
            set_style(cell, styles[style_key])
            continue
        if isinstance(value, dt.date):
            cell.number_format = DUE_FORMAT
        cell.border, cell.font = _BOX, _PLAIN
        cell.alignment = _CENTER if key in ("number", "due", "status") else _WRAP
        if editable or line is None:
            cell.protection, cell.fill = _UNLOCKED, _INPUT_FILL
        if required and key == "number":
            cell.fill, cell.font = _REQUIRED_FILL, _FLAG_FONT
        styles[style_key] = copy(style_of(cell))
    ws.row_dimensions[row].height = min(409.0, round(lines * _LINE + 5, 1))


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
