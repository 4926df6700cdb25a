"""Käsitteet: the glossary as a sheet, each concept with its definition and the criteria that use it."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import number_ranges as _ranges
from ..labels import CONCEPT_KIND, label
from . import contract as k
from .book import SheetWriter
from .layout import fitted_height as row_height
from .style import BODY, BOLD, BOX, FILL_HEADER, HEADER_ALIGN, HEADING, PLAIN, SMALL, TITLE, WHITE_BOLD, WRAP_TOP, protect


class ConceptsSheet(SheetWriter):
    """The Käsitteet sheet."""

    def write(self, ws: Worksheet) -> None:
        cat = self.cat
        widths = {"A": 26, "B": 13, "C": 90, "D": 14}
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        _ = self.w
        ws.cell(1, 1, k.sheet_name("glossary", self.lang)).font = TITLE
        ws.cell(2, 1, f"{cat.meta.subtitle} ({cat.meta.publisher}, {cat.meta.year})").font = SMALL
        headers = (_("Concept"), _("Type"), _("Defined as"), self.w.pgettext("concepts", "Criteria"))
        for col, header in enumerate(headers, 1):
            cell = ws.cell(4, col, header)
            cell.font, cell.fill, cell.alignment, cell.border = WHITE_BOLD, FILL_HEADER, HEADER_ALIGN, BOX
        row = 5
        for concept in cat.concepts:
            used = [c.number for c in cat.criteria if concept.term in c.concepts]
            definition = "\n\n".join(concept.paragraphs)
            if concept.source:
                source = _("Source: {source}", source=concept.source)
                definition = f"{definition}\n\n{source}" if definition else source
            values = (concept.term, label(CONCEPT_KIND, concept.kind, self.lang), definition, _ranges(used))
            for col, value in enumerate(values, 1):
                cell = ws.cell(row, col, value)
                cell.alignment, cell.border = WRAP_TOP, BOX
                cell.font = BOLD if col == 1 else PLAIN
            ws.row_dimensions[row].height = row_height([(definition, widths["C"], BODY), (concept.term, 26, BODY)])
            row += 1
        if cat.note is not None:
            row += 1
            ws.cell(row, 1, cat.note.title).font = HEADING
            row += 1
            for paragraph in cat.note.paragraphs:
                cell = ws.cell(row, 1, paragraph)
                cell.alignment, cell.font = WRAP_TOP, PLAIN
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
                ws.row_dimensions[row].height = row_height([(paragraph, sum(widths.values()), BODY)])
                row += 1
        ws.freeze_panes = "A5"
        ws.print_title_rows = "4:4"
        protect(ws)
