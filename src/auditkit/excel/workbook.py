"""Building the scoring workbooks: the self-assessment (role "self") and the auditor's (role "peer").

Sheets: Ohje (how to fill, the scale, the deadline), Arviointi (a row per criterion), Yhteenveto
(live means, counts and a chart), Käsitteet (the glossary), and two hidden ones: the drop-down lists
and the identity. The layout comes from contract.py, which the reader shares.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import APPLIES_TO_FI, Catalogue, Criterion, Profile, applies, profile_reason
from ..catalogue import criteria_fi
from ..catalogue import number_ranges as _ranges
from ..dates import date_fi
from ..model import AUDIENCE_FI, AUDIT_PHASE, AUDIT_TYPE_FI, DocumentContext, Returned
from . import contract as k
from .package import tidy

# --- styles (shared objects: openpyxl stores each distinct style once) ----------------------------

_BODY = 10
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_CENTER_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_PLAIN = Font(name="Calibri", size=_BODY)
_BOLD = Font(name="Calibri", size=_BODY, bold=True)
_SMALL = Font(name="Calibri", size=9)
_TITLE = Font(name="Calibri", size=14, bold=True, color="1F4E79")
_HEADING = Font(name="Calibri", size=12, bold=True, color="1F4E79")
_WHITE_BOLD = Font(name="Calibri", size=_BODY, bold=True, color="FFFFFF")
_ELEMENT_FONT = Font(name="Calibri", size=11, bold=True, color="FFFFFF")
_ITALIC = Font(name="Calibri", size=_BODY, italic=True, bold=True)
_NOTE_FONT = Font(name="Calibri", size=9, color="7F3F00")
_FILL_HEADER = PatternFill("solid", fgColor="1F4E79")
_FILL_ELEMENT = PatternFill("solid", fgColor="2E75B6")
_FILL_AREA = PatternFill("solid", fgColor="DDEBF7")
_FILL_SUB = PatternFill("solid", fgColor="EEF5FB")
_FILL_INPUT = PatternFill("solid", fgColor="FFFBE6")
_FILL_SHOWN = PatternFill("solid", fgColor="F2F2F2")
_FILL_OUTSIDE = PatternFill("solid", fgColor="E7E6E6")
_FILL_WARN = PatternFill("solid", fgColor="F8CBAD")
_FILL_GAP = PatternFill("solid", fgColor="FFE699")
_UNLOCKED = Protection(locked=False)

# What the auditors' workbook shows where the workshop gave no rating.
MISSING_RATING = "Ei arviota"
# Office keeps at most 255 characters of a custom document property's text.
_PROPERTY_CHARS = 255

# Characters that make a spreadsheet treat typed text as a formula.
_FORMULA_START = ("=", "+", "-", "@")


def build_workbook(catalogue: Catalogue, ctx: DocumentContext, *, prefill: Returned | None = None) -> bytes:
    """Build the scoring workbook for ctx.role ("self": the workshop's self-assessment; "peer": the
    auditors') and return the .xlsx file's bytes.

    prefill: for role "peer", the workshop's returned self-assessment (from read_workbook); its
    ratings and reasoning are shown read-only beside the auditor's columns. Every string from ctx and
    prefill is written verbatim as text, each value whole in one cell. Raises ValueError for an
    unknown role.
    """
    if ctx.role not in k.LAYOUTS:
        raise ValueError(f"unknown role {ctx.role!r}; use one of {', '.join(k.ROLES)}")
    b = _Builder(catalogue, ctx, prefill if ctx.role == "peer" else None)
    return b.build()


@dataclass(frozen=True, slots=True)
class _Group:
    """A row of the summary: an element or an area, the helper column that selects its criteria."""

    id: str
    name: str
    first: int
    last: int
    element: bool
    element_name: str

    @property
    def numbers(self) -> str:
        return f"{self.first}–{self.last}" if self.first != self.last else str(self.first)


class _Builder:
    def __init__(self, catalogue: Catalogue, ctx: DocumentContext, prefill: Returned | None) -> None:
        self.cat = catalogue
        self.ctx = ctx
        self.role = ctx.role
        self.layout = k.LAYOUTS[ctx.role]
        self.profile: Profile = ctx.workshop.profile
        self.prefill = prefill
        self.wb = Workbook()
        self.table_rows: dict[str, int] = {}  # criterion id -> row on Arviointi
        self.styles: dict[tuple[str, bool], Any] = {}  # (column key, outside the profile) -> style array
        self.last_row = k.FIRST_ROW

    def build(self) -> bytes:
        wb = self.wb
        guide = wb.active
        guide.title = k.SHEET_GUIDE
        ratings = wb.create_sheet(k.SHEET_RATINGS)
        summary = wb.create_sheet(k.SHEET_SUMMARY)
        glossary = wb.create_sheet(k.SHEET_GLOSSARY)
        lists = wb.create_sheet(k.SHEET_LISTS)
        identity = wb.create_sheet(k.SHEET_IDENTITY)
        self._lists(lists)
        self._ratings(ratings)
        self._summary(summary)
        self._guide(guide)
        self._glossary(glossary)
        self._identity(identity)
        for ws in (guide, ratings, summary, glossary):
            # The auditor's table has twice the columns: on A4 its text would print at about 5 pt.
            self._print_setup(ws, a3=ws is ratings and self.role == "peer", one_page=ws is summary)
        for ws in (lists, identity):
            ws.sheet_state = "veryHidden"
            ws.protection.sheet = True
        wb.active = 0
        wb.security = WorkbookProtection(lockStructure=True)
        title = f"{self.cat.meta.title} – {k.ROLE_TITLE[self.role].lower()}"
        wb.properties.title = title
        wb.properties.creator = "auditkit"
        wb.properties.subject = self.cat.meta.subtitle
        out = io.BytesIO()
        wb.save(out)
        typed_rows = {f"xl/worksheets/sheet{wb.worksheets.index(ratings) + 1}.xml": set(self.table_rows.values())}
        return _utf8_package(out.getvalue(), typed_rows)

    # --- hidden sheets ------------------------------------------------------------------------

    def _lists(self, ws: Worksheet) -> None:
        scale = self.cat.scale
        n = len(scale.choices)
        for i, (label, value) in enumerate(zip(scale.choices, [*scale.values, scale.not_applicable.code]), 1):
            ws.cell(i, 1, label)
            ws.cell(i, 2, value)
        for i, choice in enumerate(k.ACCEPTANCE_CHOICES, 1):
            ws.cell(i, 3, choice)
        names = {
            k.NAME_RATINGS: f"'{k.SHEET_LISTS}'!$A$1:$A${n}",
            k.NAME_RATING_VALUES: f"'{k.SHEET_LISTS}'!$B$1:$B${n}",
            k.NAME_ACCEPTANCE: f"'{k.SHEET_LISTS}'!$C$1:$C${len(k.ACCEPTANCE_CHOICES)}",
        }
        for name, ref in names.items():
            self.wb.defined_names[name] = DefinedName(name, attr_text=ref)

    def _identity(self, ws: Worksheet) -> None:
        values = self._identity_values()
        ws.append(k.IDENTITY_HEADER)
        for row, key in enumerate(k.IDENTITY_KEYS, 2):
            ws.cell(row, 1, key)
            _text(ws.cell(row, 2), values[key])
            self.wb.custom_doc_props.append(StringProperty(name=key, value=values[key]))
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 60

    def _identity_values(self) -> dict[str, str]:
        ctx = self.ctx
        prefill = self.prefill
        name = _basename(prefill.file) if prefill else ""
        shown = f"{name} ({prefill.saved_at})" if prefill and prefill.saved_at else name
        return {
            "phase": AUDIT_PHASE if prefill is not None else "",
            "prefilled_from": shown[:_PROPERTY_CHARS],
            "format_version": k.FORMAT_VERSION,
            "content_version": self.cat.version,
            "content_hash": self.cat.hash,
            "round_id": ctx.round_id,
            "workshop_id": ctx.workshop.id,
            "workshop_name": ctx.workshop.name,
            "role": ctx.role,
            "kit_id": ctx.kit_id,
            "round_instance": ctx.round_instance,
        }

    # --- Arviointi ----------------------------------------------------------------------------

    def _ratings(self, ws: Worksheet) -> None:
        layout = self.layout
        last_col = len(layout.columns)
        ws.cell(k.TITLE_ROW, 2, f"{k.ROLE_TITLE[self.role]}: {self.cat.meta.title}").font = _TITLE
        ws.cell(k.TITLE_ROW + 1, 2, k.SHOWN_WORKSHOP).font = _BOLD
        _text(ws.cell(k.TITLE_ROW + 1, layout.index("criterion")), self.ctx.workshop.name).font = _BOLD
        # The kit id in sight on the sheet that holds the answers: a sheet pasted over from another workshop's
        # (or round's) workbook brings its own along, and read-back compares it with the hidden identity.
        _text(ws.cell(k.TITLE_ROW + 1, layout.index("rating")), f"{k.SHOWN_KIT_ID}: {self.ctx.kit_id}").font = _SMALL
        scale = self.cat.scale
        hint = (f"Valitse arvio pudotusvalikosta ({scale.min}–{scale.max} tai {scale.not_applicable.label}) ja "
                f"kirjoita perustelut. {scale.not_applicable.label} vaatii aina perustelun. Ohjeet ja asteikko: "
                "välilehti Ohje.")
        ws.cell(k.TITLE_ROW + 2, 2, hint).font = _SMALL
        for col, column in enumerate(layout.columns, 1):
            cell = ws.cell(k.HEADER_ROW, col, column.header)
            cell.font, cell.fill, cell.alignment, cell.border = _WHITE_BOLD, _FILL_HEADER, _HEADER_ALIGN, _BOX
            dim = ws.column_dimensions[cell.column_letter]
            dim.width = column.width
            dim.hidden = column.hidden
        ws.row_dimensions[k.HEADER_ROW].height = 30

        row = k.FIRST_ROW
        rating_cells: list[str] = []
        choice_cells: list[str] = []
        for element in self.cat.elements:
            self._group_row(ws, row, element.heading, _FILL_ELEMENT, _ELEMENT_FONT, last_col)
            row += 1
            for area in self.cat.areas_of(element.id):
                criteria = self.cat.criteria_of(area.id)
                numbers = f" ({criteria[0].number}–{criteria[-1].number})" if criteria else ""
                self._group_row(ws, row, f"{area.name}{numbers}", _FILL_AREA, _BOLD, last_col)
                row += 1
                sub = None
                for criterion in criteria:
                    if criterion.subheading and criterion.subheading != sub:
                        self._group_row(ws, row, f"{area.name}: {criterion.subheading}", _FILL_SUB, _ITALIC, last_col)
                        row += 1
                    sub = criterion.subheading
                    self._criterion_row(ws, row, criterion, area.name)
                    rating_cells.append(f"{layout.letter('rating')}{row}")
                    if layout.has("na_accepted"):
                        choice_cells.append(f"{layout.letter('na_accepted')}{row}")
                    row += 1
        self.last_row = row - 1
        self._validations(ws, rating_cells, choice_cells)
        self._conditional_formats(ws)
        ws.freeze_panes = ws.cell(k.FIRST_ROW, 1).coordinate
        ws.print_title_rows = f"{k.HEADER_ROW}:{k.HEADER_ROW}"
        _protect(ws)

    def _group_row(self, ws: Worksheet, row: int, title: str, fill: PatternFill, font: Font, last_col: int) -> None:
        first = ws.cell(row, 2)
        first.fill = fill
        for col in range(3, last_col + 1):
            ws.cell(row, col)._style = copy(first._style)
        cell = ws.cell(row, 2, title)
        cell.font = font
        ws.row_dimensions[row].height = 18

    def _criterion_row(self, ws: Worksheet, row: int, criterion: Criterion, area_name: str) -> None:
        layout = self.layout
        col = layout.index
        outside = not applies(criterion, self.profile)
        note = self._note(criterion)
        self.table_rows[criterion.id] = row
        ws.cell(row, col("id"), criterion.id)
        ws.cell(row, col("number"), criterion.number)
        ws.cell(row, col("area"), area_name)
        ws.cell(row, col("criterion"), criterion.full_text)
        ws.cell(row, col("note"), note)
        ws.cell(row, col("area_id"), criterion.area_id)
        ws.cell(row, col("element_id"), criterion.element_id)
        rating = f"{layout.letter('rating')}{row}"
        ws.cell(row, col("value"), _value_formula(rating))
        heights = [(criterion.full_text, layout.columns[col("criterion") - 1].width, _BODY),
                   (area_name, layout.columns[col("area") - 1].width, 9),
                   (note, layout.columns[col("note") - 1].width, 9)]
        if outside and self.role == "self":  # Ei sovellu by the profile comes filled in; a rating may replace it
            reason = profile_reason(criterion, self.profile)
            ws.cell(row, col("rating"), self.cat.scale.not_applicable.label)
            _text(ws.cell(row, col("reasoning")), reason)
            heights.append((reason, layout.columns[col("reasoning") - 1].width, _BODY))
        if layout.has("self_rating"):
            shown = self._prefilled(criterion)
            _text(ws.cell(row, col("self_rating")), shown[0])
            _text(ws.cell(row, col("self_reasoning")), shown[1])
            heights.append((shown[1], layout.columns[col("self_reasoning") - 1].width, _BODY))
            self_value = f"{layout.letter('self_value')}{row}"
            ws.cell(row, col("self_value"), _value_formula(f"{layout.letter('self_rating')}{row}"))
            value = f"{layout.letter('value')}{row}"
            ws.cell(row, col("gap"), f'=IF(AND(ISNUMBER({value}),ISNUMBER({self_value})),{value}-{self_value},"")')
        for i, column in enumerate(layout.columns, 1):
            cell = ws.cell(row, i)
            key = (column.key, outside)
            if key in self.styles:
                # Copying a finished style is ~10x faster than setting its parts (openpyxl hashes each).
                cell._style = copy(self.styles[key])
                continue
            cell.border = _BOX
            if column.kind == "number":
                cell.font, cell.alignment = _BOLD, _CENTER_TOP
            elif column.kind in ("area", "note"):
                cell.font, cell.alignment = (_NOTE_FONT if column.kind == "note" else _SMALL), _WRAP_TOP
            else:
                cell.font, cell.alignment = _PLAIN, _WRAP_TOP
            if column.is_input:
                cell.protection = _UNLOCKED
                cell.fill = _FILL_INPUT
            elif column.kind == "shown":
                cell.fill = _FILL_SHOWN
            elif column.kind == "formula":
                cell.alignment = _CENTER_TOP
            if outside and column.kind in ("number", "area", "criterion", "note"):
                cell.fill = _FILL_OUTSIDE
            self.styles[key] = copy(cell._style)
        ws.row_dimensions[row].height = _row_height(heights, min_lines=4)

    def _note(self, criterion: Criterion) -> str:
        """What a person should know before rating: applicability, conditions, concepts."""
        notes: list[str] = []
        na = self.cat.scale.not_applicable.label
        if not applies(criterion, self.profile):
            notes.append(f"Ei koske työpajanne profiilia: merkitty valmiiksi {na}. Jos kriteeri kuitenkin koskee "
                         "teitä, valitkaa arvio." if self.role == "self" else
                         f"Ei koske työpajan profiilia: {na} ilman hyväksyntää. Jos kriteeri kuitenkin koskee "
                         "työpajaa, antakaa arvio.")
        if criterion.applies_to in APPLIES_TO_FI:
            notes.append(APPLIES_TO_FI[criterion.applies_to])
        outside_items = [i for i, item in enumerate(criterion.items, 1) if not applies(item, self.profile)]
        if outside_items and applies(criterion, self.profile):
            which = ", ".join(str(i) for i in outside_items)
            notes.append(f"Teemat {which} eivät koske työpajanne profiilia; arvioi muut teemat.")
        if criterion.condition:
            notes.append(criterion.condition)
        if criterion.concepts:
            notes.append("Käsitteet (välilehti Käsitteet): " + ", ".join(criterion.concepts) + ".")
        return "\n".join(notes)

    def _prefilled(self, criterion: Criterion) -> tuple[str, str]:
        """The workshop's rating label and reasoning from the prefill (MISSING_RATING when it gave none),
        or empty without a prefill."""
        if self.prefill is None:
            return "", ""
        response = next((r for r in self.prefill.responses if r.criterion_id == criterion.id), None)
        reasoning = response.texts.get("reasoning", "") if response is not None else ""
        if response is not None and response.rating is not None and response.rating in self.cat.scale.values:
            return self.cat.scale.level(response.rating).label, reasoning
        if not applies(criterion, self.profile):
            return self.cat.scale.not_applicable.label, reasoning or profile_reason(criterion, self.profile)
        if response is not None and response.not_applicable:
            return self.cat.scale.not_applicable.label, reasoning
        return MISSING_RATING, reasoning

    def _missing_in_prefill(self) -> list[int]:
        return [c.number for c in self.cat.criteria if self._prefilled(c)[0] == MISSING_RATING]

    def _validations(self, ws: Worksheet, rating_cells: list[str], choice_cells: list[str]) -> None:
        scale = self.cat.scale
        prompt = " · ".join(f"{lv.value} {lv.name}: {lv.plain.lower()}" for lv in scale.levels)
        prompt = f"{prompt} · {scale.not_applicable.label}: kirjoita perustelu."
        rating = DataValidation(
            type="list", formula1=k.NAME_RATINGS, allow_blank=True, showDropDown=False,
            showErrorMessage=True, errorStyle="stop", errorTitle="Valitse listasta",
            error=f"Valitse arvio listasta: {scale.min}–{scale.max} tai {scale.not_applicable.label}.",
            showInputMessage=True, promptTitle="Arvio", prompt=prompt[:255],
        )
        for cells in _runs(rating_cells):
            rating.add(cells)
        ws.add_data_validation(rating)
        if choice_cells:
            choice = DataValidation(
                type="list", formula1=k.NAME_ACCEPTANCE, allow_blank=True, showErrorMessage=True,
                errorStyle="stop", errorTitle="Valitse listasta",
                error=f"Valitse {k.ACCEPT_YES} tai {k.ACCEPT_NO}.",
                showInputMessage=True, promptTitle="Työpajan Ei sovellu",
                prompt=(f"Jos työpaja on valinnut {scale.not_applicable.label}, hyväksytkö sen? Hylätty lasketaan "
                        f"arvoksi {self.cat.rule.rejected_not_applicable_counts_as}."),
            )
            for cells in _runs(choice_cells):
                choice.add(cells)
            ws.add_data_validation(choice)

    def _conditional_formats(self, ws: Worksheet) -> None:
        layout = self.layout
        first, last = k.FIRST_ROW, self.last_row
        value = f"${layout.letter('value')}{first}"
        reason = f"{layout.letter('reasoning')}{first}"
        code = self.cat.scale.not_applicable.code
        ws.conditional_formatting.add(
            f"{layout.letter('reasoning')}{first}:{layout.letter('reasoning')}{last}",
            FormulaRule(formula=[f'AND({value}="{code}",LEN(TRIM({reason}))=0)'], fill=_FILL_WARN),
        )
        if layout.has("gap"):
            gap = f"{layout.letter('gap')}{first}"
            ws.conditional_formatting.add(
                f"{layout.letter('gap')}{first}:{layout.letter('gap')}{last}",
                FormulaRule(formula=[f'AND(ISNUMBER({gap}),ABS({gap})>=2)'], fill=_FILL_GAP),
            )

    # --- Yhteenveto ---------------------------------------------------------------------------

    def _groups(self) -> list[_Group]:
        groups: list[_Group] = []
        for element in self.cat.elements:
            numbers = [c.number for c in self.cat.criteria if c.element_id == element.id]
            if not numbers:
                continue
            groups.append(_Group(element.id, element.heading, min(numbers), max(numbers), True, element.name))
            for area in self.cat.areas_of(element.id):
                nums = [c.number for c in self.cat.criteria_of(area.id)]
                if nums:
                    groups.append(_Group(area.id, area.name, min(nums), max(nums), False, element.name))
        return groups

    def _summary(self, ws: Worksheet) -> None:
        layout = self.layout
        peer = self.role == "peer"
        headers = ["_ryhmä", "Elementti ja osa-alue", "Kriteerit", "Kriteerejä", "Arvioitu", "Ei sovellu",
                   "Vastaamatta", *(["Työpajan keskiarvo", "Auditoijan keskiarvo", "Ero"] if peer else ["Keskiarvo"]),
                   "Huomio"]
        widths = [8, 48, 10, 11, 10, 10, 12, *([12, 12, 8] if peer else [12]), 18]
        ws.cell(1, 2, f"Yhteenveto: {k.ROLE_TITLE[self.role].lower()}").font = _TITLE
        _text(ws.cell(2, 2), self.ctx.workshop.name).font = _BOLD
        who = "auditoijan arvioista" if peer else "arvioista"
        ws.cell(3, 2, f"Luvut lasketaan Arviointi-välilehden {who} automaattisesti. Ei sovellu ei sisälly keskiarvoihin. "
                      "Raportin tulokset lasketaan uudelleen palautetusta tiedostosta.").font = _SMALL
        hr = k.SUMMARY_HEADER_ROW
        for col, (header, width) in enumerate(zip(headers, widths), 1):
            cell = ws.cell(hr, col, header)
            cell.font, cell.fill, cell.alignment, cell.border = _WHITE_BOLD, _FILL_HEADER, _HEADER_ALIGN, _BOX
            ws.column_dimensions[cell.column_letter].width = width
        ws.column_dimensions["A"].hidden = True
        ws.row_dimensions[hr].height = 30

        def rng(key: str) -> str:
            letter = layout.letter(key)
            return f"'{k.SHEET_RATINGS}'!${letter}${k.FIRST_ROW}:${letter}${self.last_row}"

        values, area_ids, element_ids = rng("value"), rng("area_id"), rng("element_id")
        self_values = rng("self_value") if peer else ""
        code = self.cat.scale.not_applicable.code
        share = self.cat.rule.max_not_applicable_share
        rows: list[tuple[_Group, int]] = []
        row = hr + 1
        groups = self._groups()
        for group in [*groups, None]:
            if group is None:  # the total row: every criterion row has an area id
                sel = f'{area_ids},"<>"'
                name, numbers, bold, fill = "Kaikki kriteerit", f"1–{len(self.cat.criteria)}", True, _FILL_AREA
            else:
                sel = f"{element_ids if group.element else area_ids},$A{row}"
                name, numbers, bold = group.name, group.numbers, group.element
                fill = _FILL_AREA if group.element else None
                ws.cell(row, 1, group.id)
                rows.append((group, row))
            cells = [
                name, numbers,
                f"=COUNTIFS({sel})",
                f'=COUNTIFS({sel},{values},">=1")',
                f'=COUNTIFS({sel},{values},"{code}")',
                f"=D{row}-E{row}-F{row}",
            ]
            if peer:
                cells += [f'=IFERROR(AVERAGEIFS({self_values},{sel}),"")',
                          f'=IFERROR(AVERAGEIFS({values},{sel}),"")',
                          f'=IF(AND(ISNUMBER(I{row}),ISNUMBER(H{row})),I{row}-H{row},"")']
            else:
                cells += [f'=IFERROR(AVERAGEIFS({values},{sel}),"")']
            flag_col = len(headers)
            cells.append(f'=IF(AND(D{row}>0,F{row}/D{row}>{share}),"ei arvioitavissa","")')
            for col, value in enumerate(cells, 2):
                cell = ws.cell(row, col, value)
                cell.border = _BOX
                cell.font = _BOLD if bold else _PLAIN
                cell.alignment = _WRAP_TOP if col == 2 else _CENTER_TOP
                if fill is not None:
                    cell.fill = fill
                if col >= 8 and col < flag_col:
                    cell.number_format = "0.00"
            ws.row_dimensions[row].height = _row_height([(name, widths[1], _BODY)])
            row += 1
        self._chart(ws, rows, row + 1)
        ws.freeze_panes = ws.cell(hr + 1, 1).coordinate
        ws.print_title_rows = f"{hr}:{hr}"
        _protect(ws)

    def _chart(self, ws: Worksheet, rows: list[tuple[_Group, int]], start: int) -> None:
        """A bar chart of the area means (the profile), drawn from a small table of short labels."""
        peer = self.role == "peer"
        series = ["Työpajan keskiarvo", "Auditoijan keskiarvo"] if peer else ["Keskiarvo"]
        mean_cols = ["H", "I"] if peer else ["H"]
        ws.cell(start, 2, "Profiili osa-alueittain").font = _HEADING
        head = start + 1
        for col, name in enumerate(["Osa-alue (kriteerit)", *series], 2):
            cell = ws.cell(head, col, name)
            cell.font, cell.fill, cell.alignment, cell.border = _WHITE_BOLD, _FILL_HEADER, _HEADER_ALIGN, _BOX
        ws.row_dimensions[head].height = 30
        r = head
        for group, row in rows:
            if group.element:
                continue
            r += 1
            label = ws.cell(r, 2, f"{group.element_name} {group.numbers}")
            label.font, label.border = _PLAIN, _BOX
            for i, col in enumerate(mean_cols):
                cell = ws.cell(r, 3 + i, f"={col}{row}")
                cell.number_format = "0.00"
                cell.font, cell.alignment, cell.border = _PLAIN, _CENTER_TOP, _BOX
        chart = BarChart()
        chart.type = "col"
        chart.title = "Keskiarvot osa-alueittain"
        chart.y_axis.title = "Keskiarvo"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = self.cat.scale.max
        chart.y_axis.majorUnit = 1
        chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
        chart.y_axis.delete = False
        chart.add_data(Reference(ws, min_col=3, max_col=2 + len(series), min_row=head, max_row=r), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=head + 1, max_row=r))
        chart.legend.position = "b"
        chart.height = 9
        chart.width = 22
        ws.add_chart(chart, f"B{r + 2}")

    # --- Ohje ---------------------------------------------------------------------------------

    def _guide(self, ws: Worksheet) -> None:
        ctx, cat = self.ctx, self.cat
        widths = {"A": 26, "B": 16, "C": 22, "D": 44, "E": 44}
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        total = sum(widths.values())
        peer = self.role == "peer"
        title = f"{cat.meta.title}: {k.ROLE_TITLE[self.role].lower()}"
        ws.cell(1, 1, title).font = _TITLE
        ws.cell(2, 1, f"{cat.meta.subtitle} ({cat.meta.publisher}, {cat.meta.year}). "
                      f"Kriteeristön versio {cat.version}.").font = _SMALL
        row = 4
        row = self._heading(ws, row, "Tiedot")
        w = ctx.workshop
        facts: list[tuple[str, str]] = [
            ("Kierros", ctx.round_name), ("Kierroksen tunnus", ctx.round_id),
            ("Työpaja", w.name), ("Työpajan tunnus", w.id), ("Organisaatio", w.organisation),
            ("Kunta", w.municipality), ("Sähköposti", w.email),
        ]
        for label, value in facts:
            row = self._fact(ws, row, label, value)
        row = self._fact(ws, row, "Profiili", _profile_fi(self.profile), derived=True)
        row = self._fact(ws, row, "Auditointityyppi", AUDIT_TYPE_FI.get(ctx.audit_type, ctx.audit_type), derived=True)
        for i, auditor in enumerate(ctx.auditors):
            row = self._fact(ws, row, "Auditoijat" if i == 0 else "", auditor.name, extra=auditor.role)
        for label, value in (("Koordinaattori", ctx.coordinator), ("Palautus", ctx.return_to),
                             ("Palautettava viimeistään", date_fi(ctx.deadline)), ("Työkirjan tunniste", ctx.kit_id)):
            row = self._fact(ws, row, label, value)
        if peer and self.prefill is not None:
            saved = f", tallennettu {date_fi(self.prefill.saved_at[:10])}" if self.prefill.saved_at else ""
            row = self._fact(ws, row, "Työpajan itsearviointi", f"{_basename(self.prefill.file)}{saved}")
            missing = self._missing_in_prefill()
            if self.prefill.kind == "form":
                text = ("Työpaja ei ole palauttanut itsearviointitaulukkoa, jossa sen arviot ovat; sarakkeessa Työpajan "
                        f"arvio lukee {MISSING_RATING}. Työpajan kuvaukset ovat sen palauttamassa itsearviointilomakkeessa.")
            elif missing:
                text = (f"Työpaja ei antanut arviota {criteria_fi(missing)} (sarakkeessa Työpajan arvio lukee "
                        f"{MISSING_RATING}).")
            else:
                text = ""
            if text:
                row = self._paragraph(ws, row, f"Huomio: {text}", total)
        if not peer:
            row += 1
            row = self._heading(ws, row, cat.meta.getting_started_title)
            for i, step in enumerate(cat.meta.getting_started, 1):
                row = self._paragraph(ws, row, f"{i}. {step}", total)
        row += 1
        row = self._heading(ws, row, "Näin täytät työkirjan")
        for i, step in enumerate(self._steps(), 1):
            row = self._paragraph(ws, row, f"{i}. {step}", total)
        row += 1
        ws.row_breaks.append(Break(id=row - 1))  # the scale starts a page, never orphaned from its table
        row = self._heading(ws, row, "Arviointiasteikko")
        row = self._scale_table(ws, row)
        row += 1
        row = self._heading(ws, row, "Laskenta")
        rule_lines = cat.rule.describe()
        row = self._paragraph(ws, row, f"Keskiarvoihin ei lasketa {cat.scale.not_applicable.label} -vastauksia. "
                                       + rule_lines[-1], total)
        if peer:
            row += 1
            row = self._heading(ws, row, "Suositus laatumerkistä (ehdotus Intolle)")
            for line in rule_lines[:-1]:
                row = self._paragraph(ws, row, line, total)
            row = self._paragraph(ws, row, "Auditoijat suosittelevat, Into päättää laatumerkin myöntämisestä.", total)
        row += 1
        row = self._heading(ws, row, "Soveltuvuus")
        outside = [c.number for c in cat.criteria if not applies(c, self.profile)]
        na = cat.scale.not_applicable.label
        if not outside:
            which = "Kaikki kriteerit koskevat tätä profiilia."
        elif peer:
            which = (f"Kriteerit {_ranges(outside)} eivät koske tätä profiilia: ne on merkitty Arviointi-välilehdellä "
                     f"harmaalla, ja ne ovat {na} ilman auditoijien hyväksyntää. Ne eivät vaikuta keskiarvoihin eivätkä "
                     f"{na} -osuuteen. Jos jokin niistä kuitenkin koskee työpajaa, antakaa arvio.")
        else:
            which = (f"Kriteerit {_ranges(outside)} eivät koske tätä profiilia: ne on merkitty Arviointi-välilehdellä "
                     f"harmaalla ja valmiiksi {na}, perusteluna profiili. Ne eivät vaikuta keskiarvoihin. Jos jokin "
                     "niistä kuitenkin koskee teitä, valitse sille arvio.")
        text = f"Työpajan profiili: {_profile_fi(self.profile)}. {which}"
        row = self._paragraph(ws, row, text, total)
        row = self._paragraph(ws, row, "Sarake Huomioitavaa kertoo, jos kriteeri koskee vain tietynlaisia työpajoja "
                                       "tai sitä arvioidaan vain ehdolla, ja mitä käsitteitä kriteeri käyttää.", total)
        row += 1
        row = self._heading(ws, row, "Suojaus")
        row = self._paragraph(ws, row, (
            "Välilehdet on suojattu ilman salasanaa, jotta kriteerit ja laskukaavat pysyvät ehjinä. Suojaus ohjaa "
            "täyttämistä; se ei estä muutoksia eikä ole tietoturvaa. Täytettävät solut ovat keltaisia. Jos poistat "
            "suojauksen, älä muuta kriteerien numeroita tai tekstejä äläkä piilotettuja sarakkeita tai välilehtiä: "
            "niiden avulla palautettu tiedosto tunnistetaan ja vastaukset luetaan oikeille kriteereille."), total)
        ws.print_title_rows = None
        _protect(ws)

    def _steps(self) -> list[str]:
        cat = self.cat
        na = cat.scale.not_applicable.label
        save = ("Tallenna tiedosto Excel-muodossa (.xlsx; LibreOfficessa Tallenna nimellä → Excel 2007–365) "
                "ja palauta se määräaikaan mennessä.")
        if self.role == "self":
            return [
                f"Lue kunkin kriteerin teksti välilehdeltä Arviointi ja kysy: {cat.meta.question}",
                f"Valitse Arvio-sarakkeen pudotusvalikosta taso {cat.scale.min}–{cat.scale.max} tai {na}. "
                "Tasot on kuvattu alla.",
                f"Kirjoita Perustelut-sarakkeeseen lyhyesti, miksi valitsitte tason. {na} vaatii aina perustelun.",
                "Arviot ja perustelut kirjoitetaan vain tähän työkirjaan. Nykyiset käytännöt, näyttö, vahvuudet, "
                "kehittämiskohteet, toimenpiteet ja kysymykset auditoijille kirjoitetaan itsearviointilomakkeeseen.",
                "Yhteenveto-välilehti laskee keskiarvot ja vastaamatta olevat kriteerit automaattisesti.",
                save,
            ]
        return [
            "Työpajan arvio ja perustelut näkyvät harmailla pohjilla työpajan palauttamasta itsearvioinnista; niitä "
            f"ei voi muuttaa. {MISSING_RATING}: työpaja ei antanut arviota. Jos sarakkeet ovat tyhjiä, itsearviointi "
            "ei ollut käytettävissä työkirjaa tehtäessä.",
            f"Valitse Auditoijan arvio -sarakkeen pudotusvalikosta taso {cat.scale.min}–{cat.scale.max} tai {na}.",
            f"Jos työpaja on valinnut {na}, valitse sarakkeesta Työpajan Ei sovellu {k.ACCEPT_YES} tai {k.ACCEPT_NO}. "
            f"Hylätty {na} lasketaan arvoksi {cat.rule.rejected_not_applicable_counts_as}.",
            f"Työpajan profiiliin kuulumattomat kriteerit ovat {na} ilman hyväksyntää; jos kriteeri kuitenkin koskee "
            "työpajaa, antakaa arvio.",
            "Kirjoita perustelut, havainnot (mitä näitte ja kuulitte), vahvuudet ja kehittämissuositukset. Arviot "
            "annetaan vain tähän työkirjaan; auditointiraporttiin kirjoitetaan sanallinen arvio.",
            "Ero-sarake näyttää auditoijan ja työpajan arvion erotuksen; kahden tason tai suurempi ero on korostettu.",
            "Yhteenveto-välilehti laskee keskiarvot ja vastaamatta olevat kriteerit automaattisesti.",
            "Arviointi-välilehti tulostuu vaakasuuntaiselle A3-arkille. A4-tulostimella valitse tulostusasetuksista "
            "sovitus paperin kokoon.",
            save,
        ]

    def _heading(self, ws: Worksheet, row: int, text: str) -> int:
        ws.cell(row, 1, text).font = _HEADING
        ws.row_dimensions[row].height = 20
        return row + 1

    def _fact(self, ws: Worksheet, row: int, label: str, value: str, *, extra: str = "", derived: bool = False) -> int:
        head = ws.cell(row, 1, label)
        head.font, head.alignment = _BOLD, _TOP
        cell = ws.cell(row, 2)
        if derived:
            cell.value = value
        else:
            _text(cell, value)
        cell.alignment = _TOP
        if extra:
            _text(ws.cell(row, 4), extra).alignment = _TOP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3 if extra else 5)
        return row + 1

    def _paragraph(self, ws: Worksheet, row: int, text: str, width: float) -> int:
        cell = ws.cell(row, 1, text)
        cell.alignment = _WRAP_TOP
        cell.font = _PLAIN
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.row_dimensions[row].height = _row_height([(text, width, _BODY)])
        return row + 1

    def _scale_table(self, ws: Worksheet, row: int) -> int:
        cat = self.cat
        practice = ", ".join(e.name for e in cat.elements if e.descriptors == "practice")
        results = ", ".join(e.heading for e in cat.elements if e.descriptors == "results")
        headers = ["Arvo", "Taso", "Tarkoittaa", f"Kuvaus: {practice}", f"Kuvaus: {results}"]
        for col, header in enumerate(headers, 1):
            cell = ws.cell(row, col, header)
            cell.font, cell.fill, cell.alignment, cell.border = _WHITE_BOLD, _FILL_HEADER, _HEADER_ALIGN, _BOX
        row += 1
        na = cat.scale.not_applicable
        lines = [(lv.label, lv.name, lv.plain, lv.practice, lv.results) for lv in cat.scale.levels]
        lines.append((na.label, na.label, na.plain, na.meaning, na.meaning))
        for values in lines:
            for col, value in enumerate(values, 1):
                cell = ws.cell(row, col, value)
                cell.alignment, cell.border = _WRAP_TOP, _BOX
                cell.font = _BOLD if col <= 2 else _PLAIN
            ws.row_dimensions[row].height = _row_height([(values[3], 44, _BODY), (values[4], 44, _BODY)])
            row += 1
        return row

    # --- Käsitteet ----------------------------------------------------------------------------

    def _glossary(self, ws: Worksheet) -> None:
        cat = self.cat
        widths = {"A": 26, "B": 13, "C": 90, "D": 14}
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        ws.cell(1, 1, "Käsitteet").font = _TITLE
        ws.cell(2, 1, f"{cat.meta.subtitle} ({cat.meta.publisher}, {cat.meta.year})").font = _SMALL
        headers = ("Käsite", "Tyyppi", "Määritelmä", "Kriteerit")
        for col, header in enumerate(headers, 1):
            cell = ws.cell(4, col, header)
            cell.font, cell.fill, cell.alignment, cell.border = _WHITE_BOLD, _FILL_HEADER, _HEADER_ALIGN, _BOX
        kinds = {"core": "Ydinkäsite", "key": "Avainkäsite", "other": "Muu käsite"}
        row = 5
        for concept in cat.concepts:
            used = [c.number for c in cat.criteria if concept.term in c.concepts]
            definition = "\n\n".join(concept.paragraphs)
            if concept.source:
                definition = f"{definition}\n\nLähde: {concept.source}" if definition else f"Lähde: {concept.source}"
            values = (concept.term, kinds.get(concept.kind, concept.kind), definition, _ranges(used))
            for col, value in enumerate(values, 1):
                cell = ws.cell(row, col, value)
                cell.alignment, cell.border = _WRAP_TOP, _BOX
                cell.font = _BOLD if col == 1 else _PLAIN
            ws.row_dimensions[row].height = _row_height([(definition, widths["C"], _BODY), (concept.term, 26, _BODY)])
            row += 1
        if cat.note is not None:
            row += 1
            ws.cell(row, 1, cat.note.title).font = _HEADING
            row += 1
            for paragraph in cat.note.paragraphs:
                cell = ws.cell(row, 1, paragraph)
                cell.alignment, cell.font = _WRAP_TOP, _PLAIN
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
                ws.row_dimensions[row].height = _row_height([(paragraph, sum(widths.values()), _BODY)])
                row += 1
        ws.freeze_panes = "A5"
        ws.print_title_rows = "4:4"
        _protect(ws)

    # --- print set-up -------------------------------------------------------------------------

    def _print_setup(self, ws: Worksheet, *, a3: bool = False, one_page: bool = False) -> None:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A3 if a3 else ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages as the rows need
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = False
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = 0.5
        ws.page_margins.bottom = 0.6
        ws.page_margins.footer = 0.25
        footer = ws.oddFooter
        footer.left.text = _footer_text(self.ctx.workshop.name)
        footer.left.size = 8
        footer.center.text = "&A – sivu &P / &N"
        footer.center.size = 8
        footer.right.text = _footer_text(self.ctx.round_name)
        footer.right.size = 8


# --- helpers -----------------------------------------------------------------------------------


def _text(cell: Cell, value: str | None) -> Cell:
    """Write a string from outside as text, never as a formula (formula injection, see PITFALLS)."""
    if value is None:
        return cell
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True
    return cell


def _value_formula(rating_cell: str) -> str:
    """The numeric value of a rating cell (a drop-down label or a bare level), else "" or the N/A code."""
    names = (k.NAME_RATING_VALUES, k.NAME_RATINGS)
    return (f'=IFERROR(INDEX({names[0]},MATCH({rating_cell},{names[1]},0)),'
            f'IFERROR(INDEX({names[0]},MATCH({rating_cell},{names[0]},0)),""))')


def _protect(ws: Worksheet) -> None:
    """Protect a sheet without a password; people may still resize rows and columns."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def _footer_text(value: str) -> str:
    return value.replace("&", "&&")


def _lines(text: str, width: float, font_size: float) -> int:
    """How many lines a wrapped cell of this width needs (generous, so text is never cut)."""
    per_line = max(4, int(width * 1.12 * 11 / font_size) - 2)
    count = 0
    for paragraph in text.split("\n"):
        count += max(1, len(textwrap.wrap(paragraph, per_line, break_long_words=True)))
    return count


def _row_height(cells: Iterable[tuple[str, float, float]], min_lines: int = 1) -> float:
    """A row height in points that shows every wrapped cell whole."""
    best = min_lines * _BODY * 1.3 + 4
    for text, width, size in cells:
        if text:
            best = max(best, _lines(text, width, size) * size * 1.3 + 6)
    return round(min(best, 409), 1)


def _profile_fi(profile: Profile) -> str:
    audience = AUDIENCE_FI.get(profile.audience, profile.audience)
    environments = "kyllä" if profile.learning_environments else "ei"
    return f"{audience}; oppimisympäristöt (opinnollistaminen): {environments}"


def _runs(cells: Sequence[str]) -> list[str]:
    """["F7", "F8", "F10"] -> ["F7:F8", "F10"]: contiguous cells of one column as ranges."""
    out: list[str] = []
    parsed = [re.fullmatch(r"([A-Z]+)(\d+)", c).groups() for c in cells]  # type: ignore[union-attr]
    i = 0
    while i < len(parsed):
        j = i
        while j + 1 < len(parsed) and parsed[j + 1][0] == parsed[i][0] and int(parsed[j + 1][1]) == int(parsed[j][1]) + 1:
            j += 1
        out.append(cells[i] if i == j else f"{cells[i]}:{cells[j]}")
        i = j + 1
    return out


def _basename(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]+|[0-9]+);")


_CUSTOM_HEIGHT = re.compile(rb'(<row r="(\d+)"[^>]*?) customHeight="1"')


def _growing_rows(xml: bytes, rows: set[int]) -> bytes:
    """The rows people type in keep their height as a starting point but lose customHeight: Excel
    and LibreOffice then grow such a row to fit what is typed (on screen and in print), where a
    custom height would keep it fixed and hide the rest of a long reason. Neither fits a row to its
    text on opening the file (LibreOffice 7.4 was tried), so the starting height must show the
    criterion's text whole."""
    return _CUSTOM_HEIGHT.sub(lambda m: m.group(1) if int(m.group(2)) in rows else m.group(0), xml)


def _utf8_package(data: bytes, typed_rows: dict[str, set[int]] | None = None) -> bytes:
    """Rewrite the package's XML parts with characters as UTF-8 instead of numeric references.

    openpyxl (with lxml) writes every non-ASCII character as "&#228;". Kit generation stamps each
    workshop's values into a copy by replacing placeholder text in the XML, so each value must be
    there as plain UTF-8 text. Parts without an XML declaration are UTF-8 by definition. The same
    pass tidies the package (package.tidy: shared strings, fonts in schema order) and lets the rows
    in typed_rows (sheet part -> row numbers) grow with what people type.
    """

    def decode(match: re.Match[bytes]) -> bytes:
        ref = match.group(1)
        code = int(ref[1:], 16) if ref[:1] == b"x" else int(ref)
        if code < 0x80 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            return match.group(0)
        return chr(code).encode("utf-8")

    def change(name: str, part: bytes) -> bytes:
        if typed_rows and name in typed_rows:
            part = _growing_rows(part, typed_rows[name])
        if name.endswith((".xml", ".rels")) and b"&#" in part:
            head = part[:100]
            if not head.startswith(b"<?xml") or b"utf-8" in head.lower() or b"encoding" not in head:
                return _CHAR_REF.sub(decode, part)
        return part

    return tidy(data, change)
