"""Arviointi, the sheet people fill: a row per criterion under its element and area, drop-downs, the
workshop's own answers beside the auditors' columns, live values and flags."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import Criterion, applies
from ..labels import APPLIES_TO, label
from . import contract as k
from .book import Book, SheetWriter, profile_reason
from .layout import fitted_height as row_height
from .style import (BODY, BOLD, BOX, CENTER_TOP, ELEMENT_FONT, FILL_AREA, FILL_ELEMENT, FILL_GAP, FILL_HEADER,
                    FILL_INPUT, FILL_OUTSIDE, FILL_SHOWN, FILL_SUB, FILL_WARN, HEADER_ALIGN, ITALIC, NOTE_FONT, PLAIN,
                    SMALL, TITLE, UNLOCKED, WHITE_BOLD, WRAP_TOP, protect, as_text, set_style, style_of)


class RatingsSheet(SheetWriter):
    """The Arviointi sheet; the rows it wrote are in book.table_rows and book.last_row."""

    def __init__(self, book: Book) -> None:
        super().__init__(book)
        self.styles: dict[tuple[str, bool], Any] = {}  # (column key, outside the profile) -> style array

    def write(self, ws: Worksheet) -> None:
        layout = self.layout
        last_col = len(layout.columns)
        _ = self.w
        shown_workshop, shown_kit_id = k.shown_labels(self.lang)
        ws.cell(k.TITLE_ROW, 2, f"{k.role_title(self.role, self.lang)}: {self.cat.meta.title}").font = TITLE
        ws.cell(k.TITLE_ROW + 1, 2, shown_workshop).font = BOLD
        as_text(ws.cell(k.TITLE_ROW + 1, layout.index("criterion")), self.ctx.workshop.name).font = BOLD
        # The kit id in sight on the sheet that holds the answers: a sheet pasted over from another workshop's
        # (or round's) workbook brings its own along, and read-back compares it with the hidden identity.
        as_text(ws.cell(k.TITLE_ROW + 1, layout.index("rating")), f"{shown_kit_id}: {self.ctx.kit_id}").font = SMALL
        scale = self.cat.scale
        hint = _("Choose a rating from the drop-down list ({low}–{high} or {na}) and write your reasoning. {na} "
                 "always needs a reason. Instructions and the scale: the sheet {guide}.", low=scale.min, high=scale.max,
                 na=scale.not_applicable.label, guide=k.sheet_name("guide", self.lang))
        ws.cell(k.TITLE_ROW + 2, 2, hint).font = SMALL
        for col, column in enumerate(layout.columns, 1):
            cell = ws.cell(k.HEADER_ROW, col, column.header_in(self.lang))
            cell.font, cell.fill, cell.alignment, cell.border = WHITE_BOLD, FILL_HEADER, HEADER_ALIGN, BOX
            dim = ws.column_dimensions[cell.column_letter]
            dim.width = column.width
            dim.hidden = column.hidden
        ws.row_dimensions[k.HEADER_ROW].height = 30

        row = k.FIRST_ROW
        rating_cells: list[str] = []
        choice_cells: list[str] = []
        for element in self.cat.elements:
            self._group_row(ws, row, element.heading, FILL_ELEMENT, ELEMENT_FONT, last_col)
            row += 1
            for area in self.cat.areas_of(element.id):
                criteria = self.cat.criteria_of(area.id)
                numbers = f" ({criteria[0].number}–{criteria[-1].number})" if criteria else ""
                self._group_row(ws, row, f"{area.name}{numbers}", FILL_AREA, BOLD, last_col)
                row += 1
                sub = None
                for criterion in criteria:
                    if criterion.subheading and criterion.subheading != sub:
                        self._group_row(ws, row, f"{area.name}: {criterion.subheading}", FILL_SUB, ITALIC, last_col)
                        row += 1
                    sub = criterion.subheading
                    self._criterion_row(ws, row, criterion, area.name)
                    rating_cells.append(f"{layout.letter('rating')}{row}")
                    if layout.has("na_accepted"):
                        choice_cells.append(f"{layout.letter('na_accepted')}{row}")
                    row += 1
        self.book.last_row = row - 1
        self._validations(ws, rating_cells, choice_cells)
        self._conditional_formats(ws)
        ws.freeze_panes = ws.cell(k.FIRST_ROW, 1).coordinate
        ws.print_title_rows = f"{k.HEADER_ROW}:{k.HEADER_ROW}"
        protect(ws)

    def _group_row(self, ws: Worksheet, row: int, title: str, fill: PatternFill, font: Font, last_col: int) -> None:
        first = ws.cell(row, 2)
        first.fill = fill
        for col in range(3, last_col + 1):
            set_style(ws.cell(row, col), style_of(first))
        cell = ws.cell(row, 2, title)
        cell.font = font
        ws.row_dimensions[row].height = 18

    def _criterion_row(self, ws: Worksheet, row: int, criterion: Criterion, area_name: str) -> None:
        layout = self.layout
        col = layout.index
        outside = not applies(criterion, self.profile)
        note = self._note(criterion)
        self.book.table_rows[criterion.id] = row
        ws.cell(row, col("id"), criterion.id)
        ws.cell(row, col("number"), criterion.number)
        ws.cell(row, col("area"), area_name)
        ws.cell(row, col("criterion"), criterion.full_text)
        ws.cell(row, col("note"), note)
        ws.cell(row, col("area_id"), criterion.area_id)
        ws.cell(row, col("element_id"), criterion.element_id)
        rating = f"{layout.letter('rating')}{row}"
        ws.cell(row, col("value"), _value_formula(rating))
        heights = [(criterion.full_text, layout.columns[col("criterion") - 1].width, BODY),
                   (area_name, layout.columns[col("area") - 1].width, 9),
                   (note, layout.columns[col("note") - 1].width, 9)]
        if outside and self.role == "self":  # Ei sovellu by the profile comes filled in; a rating may replace it
            reason = profile_reason(criterion, self.profile, self.lang)
            ws.cell(row, col("rating"), self.cat.scale.not_applicable.label)
            as_text(ws.cell(row, col("reasoning")), reason)
            heights.append((reason, layout.columns[col("reasoning") - 1].width, BODY))
        if layout.has("self_rating"):
            shown = self.prefilled(criterion)
            as_text(ws.cell(row, col("self_rating")), shown[0])
            as_text(ws.cell(row, col("self_reasoning")), shown[1])
            heights.append((shown[1], layout.columns[col("self_reasoning") - 1].width, BODY))
            self_value = f"{layout.letter('self_value')}{row}"
            ws.cell(row, col("self_value"), _value_formula(f"{layout.letter('self_rating')}{row}"))
            value = f"{layout.letter('value')}{row}"
            ws.cell(row, col("gap"), f'=IF(AND(ISNUMBER({value}),ISNUMBER({self_value})),{value}-{self_value},"")')
        for i, column in enumerate(layout.columns, 1):
            cell = ws.cell(row, i)
            key = (column.key, outside)
            if key in self.styles:
                # Copying a finished style is ~10x faster than setting its parts (openpyxl hashes each).
                set_style(cell, self.styles[key])
                continue
            cell.border = BOX
            if column.kind == "number":
                cell.font, cell.alignment = BOLD, CENTER_TOP
            elif column.kind in ("area", "note"):
                cell.font, cell.alignment = (NOTE_FONT if column.kind == "note" else SMALL), WRAP_TOP
            else:
                cell.font, cell.alignment = PLAIN, WRAP_TOP
            if column.is_input:
                cell.protection = UNLOCKED
                cell.fill = FILL_INPUT
            elif column.kind == "shown":
                cell.fill = FILL_SHOWN
            elif column.kind == "formula":
                cell.alignment = CENTER_TOP
            if outside and column.kind in ("number", "area", "criterion", "note"):
                cell.fill = FILL_OUTSIDE
            self.styles[key] = style_of(cell)
        ws.row_dimensions[row].height = row_height(heights, min_lines=4)

    def _note(self, criterion: Criterion) -> str:
        """What a person should know before rating: applicability, conditions, concepts."""
        _ = self.w
        notes: list[str] = []
        na = self.cat.scale.not_applicable.label
        if not applies(criterion, self.profile):
            notes.append(_("Outside your workshop's profile: marked {na} in advance. If the criterion does apply to "
                           "you, choose a rating.", na=na) if self.role == "self" else
                         _("Outside the workshop's profile: {na} without acceptance. If the criterion does apply to "
                           "the workshop, give a rating.", na=na))
        if criterion.applies_to in APPLIES_TO.texts:
            notes.append(label(APPLIES_TO, criterion.applies_to, self.lang))
        outside_items = [i for i, item in enumerate(criterion.items, 1) if not applies(item, self.profile)]
        if outside_items and applies(criterion, self.profile):
            which = ", ".join(str(i) for i in outside_items)
            notes.append(_("Themes {which} do not concern your workshop's profile; rate the other themes.",
                           which=which))
        if criterion.condition:
            notes.append(criterion.condition)
        if criterion.concepts:
            notes.append(_("Concepts (sheet {sheet}): {concepts}.", sheet=k.sheet_name("glossary", self.lang),
                           concepts=", ".join(criterion.concepts)))
        return "\n".join(notes)

    def _validations(self, ws: Worksheet, rating_cells: list[str], choice_cells: list[str]) -> None:
        _ = self.w
        scale = self.cat.scale
        prompt = " · ".join(f"{lv.value} {lv.name}: {lv.plain.lower()}" for lv in scale.levels)
        prompt = _("{levels} · {na}: write a reason.", levels=prompt, na=scale.not_applicable.label)
        rating = DataValidation(
            type="list", formula1=k.NAME_RATINGS, allow_blank=True, showDropDown=False,
            showErrorMessage=True, errorStyle="stop", errorTitle=_("Choose from the list"),
            error=_("Choose a rating from the list: {low}–{high} or {na}.", low=scale.min, high=scale.max,
                    na=scale.not_applicable.label),
            showInputMessage=True, promptTitle=self.w.pgettext("input prompt", "Rating"), prompt=prompt[:255],
        )
        for cells in _runs(rating_cells):
            rating.add(cells)
        ws.add_data_validation(rating)
        if choice_cells:
            yes, no = k.acceptance(self.lang)
            choice = DataValidation(
                type="list", formula1=k.NAME_ACCEPTANCE, allow_blank=True, showErrorMessage=True,
                errorStyle="stop", errorTitle=_("Choose from the list"),
                error=_("Choose {yes} or {no}.", yes=yes, no=no),
                showInputMessage=True, promptTitle=self.layout.columns[self.layout.index("na_accepted") - 1].header_in(self.lang),
                prompt=_("If the workshop has chosen {na}, do you accept it? One not accepted counts as {value}.",
                         na=scale.not_applicable.label, value=self.cat.rule.rejected_not_applicable_counts_as),
            )
            for cells in _runs(choice_cells):
                choice.add(cells)
            ws.add_data_validation(choice)

    def _conditional_formats(self, ws: Worksheet) -> None:
        layout = self.layout
        first, last = k.FIRST_ROW, self.book.last_row
        value = f"${layout.letter('value')}{first}"
        reason = f"{layout.letter('reasoning')}{first}"
        code = self.cat.scale.not_applicable.code
        ws.conditional_formatting.add(
            f"{layout.letter('reasoning')}{first}:{layout.letter('reasoning')}{last}",
            FormulaRule(formula=[f'AND({value}="{code}",LEN(TRIM({reason}))=0)'], fill=FILL_WARN),
        )
        if layout.has("gap"):
            gap = f"{layout.letter('gap')}{first}"
            ws.conditional_formatting.add(
                f"{layout.letter('gap')}{first}:{layout.letter('gap')}{last}",
                FormulaRule(formula=[f'AND(ISNUMBER({gap}),ABS({gap})>=2)'], fill=FILL_GAP),
            )


def _value_formula(rating_cell: str) -> str:
    """The numeric value of a rating cell (a drop-down label or a bare level), else "" or the N/A code."""
    names = (k.NAME_RATING_VALUES, k.NAME_RATINGS)
    return (f'=IFERROR(INDEX({names[0]},MATCH({rating_cell},{names[1]},0)),'
            f'IFERROR(INDEX({names[0]},MATCH({rating_cell},{names[0]},0)),""))')


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
