"""Yhteenveto: per element and area the counts and means, computed live from Arviointi, and a chart."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from . import contract as k
from .book import SheetWriter
from .layout import fitted_height as row_height
from .style import (BODY, BOLD, BOX, CENTER_TOP, FILL_AREA, FILL_HEADER, HEADER_ALIGN, HEADING, PLAIN, SMALL, TITLE,
                    WHITE_BOLD, WRAP_TOP, protect, as_text)


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


class SummarySheet(SheetWriter):
    """The Yhteenveto sheet."""

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

    def write(self, ws: Worksheet) -> None:
        layout = self.layout
        peer = self.role == "peer"
        _ = self.w
        na = self.cat.scale.not_applicable.label
        means = ([_("Workshop's mean"), _("Auditor's mean"), self.w.pgettext("summary", "Difference")] if peer
                 else [_("Mean")])
        headers = [_("_group"), _("Element and area"), self.w.pgettext("summary", "Criteria"), _("Criteria count"),
                   _("Rated"), na, _("Unanswered"), *means, self.w.pgettext("summary", "Note")]
        widths = [8, 48, 10, 11, 10, 10, 12, *([12, 12, 8] if peer else [12]), 18]
        ws.cell(1, 2, f"{k.sheet_name('summary', self.lang)}: {k.role_title(self.role, self.lang).lower()}").font = TITLE
        as_text(ws.cell(2, 2), self.ctx.workshop.name).font = BOLD
        sheet = k.sheet_name("ratings", self.lang)
        ws.cell(3, 2, (_("The figures are computed automatically from the auditor's ratings on the sheet {sheet}. {na} "
                         "is not included in the means. The report's results are computed again from the returned "
                         "file.", sheet=sheet, na=na) if peer else
                       _("The figures are computed automatically from the ratings on the sheet {sheet}. {na} is not "
                         "included in the means. The report's results are computed again from the returned file.",
                         sheet=sheet, na=na))).font = SMALL
        hr = k.SUMMARY_HEADER_ROW
        for col, (header, width) in enumerate(zip(headers, widths), 1):
            cell = ws.cell(hr, col, header)
            cell.font, cell.fill, cell.alignment, cell.border = WHITE_BOLD, FILL_HEADER, HEADER_ALIGN, BOX
            ws.column_dimensions[cell.column_letter].width = width
        ws.column_dimensions["A"].hidden = True
        ws.row_dimensions[hr].height = 30

        def rng(key: str) -> str:
            letter = layout.letter(key)
            return f"'{k.sheet_name('ratings', self.lang)}'!${letter}${k.FIRST_ROW}:${letter}${self.book.last_row}"

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
                fill: PatternFill | None = FILL_AREA
                name, numbers, bold = _("All criteria"), f"1–{len(self.cat.criteria)}", True
            else:
                sel = f"{element_ids if group.element else area_ids},$A{row}"
                name, numbers, bold = group.name, group.numbers, group.element
                fill = FILL_AREA if group.element else None
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
            flag = _("cannot be assessed").replace('"', "'")
            cells.append(f'=IF(AND(D{row}>0,F{row}/D{row}>{share}),"{flag}","")')
            for col, value in enumerate(cells, 2):
                cell = ws.cell(row, col, value)
                cell.border = BOX
                cell.font = BOLD if bold else PLAIN
                cell.alignment = WRAP_TOP if col == 2 else CENTER_TOP
                if fill is not None:
                    cell.fill = fill
                if col >= 8 and col < flag_col:
                    cell.number_format = "0.00"
            ws.row_dimensions[row].height = row_height([(name, widths[1], BODY)])
            row += 1
        self._chart(ws, rows, row + 1)
        ws.freeze_panes = ws.cell(hr + 1, 1).coordinate
        ws.print_title_rows = f"{hr}:{hr}"
        protect(ws)

    def _chart(self, ws: Worksheet, rows: list[tuple[_Group, int]], start: int) -> None:
        """A bar chart of the area means (the profile), drawn from a small table of short labels."""
        peer = self.role == "peer"
        _ = self.w
        series = [_("Workshop's mean"), _("Auditor's mean")] if peer else [_("Mean")]
        mean_cols = ["H", "I"] if peer else ["H"]
        ws.cell(start, 2, _("Profile by area")).font = HEADING
        head = start + 1
        for col, name in enumerate([_("Area (criteria)"), *series], 2):
            cell = ws.cell(head, col, name)
            cell.font, cell.fill, cell.alignment, cell.border = WHITE_BOLD, FILL_HEADER, HEADER_ALIGN, BOX
        ws.row_dimensions[head].height = 30
        r = head
        for group, row in rows:
            if group.element:
                continue
            r += 1
            label = ws.cell(r, 2, f"{group.element_name} {group.numbers}")
            label.font, label.border = PLAIN, BOX
            for i, letter in enumerate(mean_cols):
                cell = ws.cell(r, 3 + i, f"={letter}{row}")
                cell.number_format = "0.00"
                cell.font, cell.alignment, cell.border = PLAIN, CENTER_TOP, BOX
        chart = BarChart()
        chart.type = "col"
        chart.title = _("Means by area")
        chart.y_axis.title = _("Mean")
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
