"""Ohje, the first sheet: the facts of the round and the workshop, how to fill the workbook, the scale and
the rules."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import applies
from ..catalogue import number_ranges as _ranges
from ..i18n import C_
from ..templating import common_variables, render
from ..labels import AUDIT_TYPE, AUDITOR_ROLE, label as label_of
from ..scoring import rule_lines
from . import contract as k
from .book import SheetWriter, basename, criteria_list, missing_rating, profile_text
from .layout import fitted_height as row_height
from .style import (BODY, BOLD, BOX, FILL_HEADER, HEADER_ALIGN, HEADING, PLAIN, SMALL, TITLE, TOP, WHITE_BOLD,
                    WRAP_TOP, protect, as_text)


# An auditor's role in the team as the register and the assignment write it (model.Auditor.role), said
# in the workbook's language.


class GuideSheet(SheetWriter):
    """The Ohje sheet."""

    def write(self, ws: Worksheet) -> None:
        ctx, cat, lang = self.ctx, self.cat, self.lang
        _ = self.w
        widths = {"A": 26, "B": 16, "C": 22, "D": 44, "E": 44}
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        total = sum(widths.values())
        peer = self.role == "peer"
        title = f"{cat.meta.title}: {k.role_title(self.role, lang).lower()}"
        ws.cell(1, 1, title).font = TITLE
        ws.cell(2, 1, _("{subtitle} ({publisher}, {year}). Criteria version {version}.", subtitle=cat.meta.subtitle,
                        publisher=cat.meta.publisher, year=cat.meta.year, version=cat.version)).font = SMALL
        row = 4
        row = self._heading(ws, row, _("Details"))
        w = ctx.workshop
        facts: list[tuple[str, str]] = [
            (_("Round"), ctx.round_name), (_("Round code"), ctx.round_id),
            (self.w.pgettext("guide fact", "Workshop"), w.name), (_("Workshop code"), w.id),
            (_("Organization"), w.organisation), (_("Municipality"), w.municipality), (_("Email"), w.email),
        ]
        for label, value in facts:
            row = self._fact(ws, row, label, value)
        row = self._fact(ws, row, _("Profile"), profile_text(self.profile, lang), derived=True)
        row = self._fact(ws, row, _("Audit type"), label_of(AUDIT_TYPE, ctx.audit_type, lang), derived=True)
        for i, auditor in enumerate(ctx.auditors):
            role = label_of(AUDITOR_ROLE, auditor.role, self.w.lang)
            row = self._fact(ws, row, _("Auditors") if i == 0 else "", auditor.name, extra=role)
        for label, value in ((_("Coordinator"), ctx.coordinator), (_("Return to"), ctx.return_to),
                             (_("Return by"), self.w.date(ctx.deadline)), (_("Workbook identifier"), ctx.kit_id)):
            row = self._fact(ws, row, label, value)
        if peer and self.prefill is not None:
            name = basename(self.prefill.file)
            shown = (_("{file}, saved {date}", file=name, date=self.w.date(self.prefill.saved_at[:10]))
                     if self.prefill.saved_at else name)
            row = self._fact(ws, row, _("The workshop's self-assessment"), shown)
        page_break = False
        for line in render("workbook_guide.j2", self.book.templates, lang=lang, **self._variables()).splitlines():
            line = line.strip()
            if not line:
                continue
            if line == "<sivunvaihto>":
                page_break = True  # the next heading starts a page
            elif line == "<asteikko>":
                row = self._scale_table(ws, row)
            elif line.startswith("## "):
                row += 1
                if page_break:
                    ws.row_breaks.append(Break(id=row - 1))  # the scale starts a page, never orphaned from its table
                    page_break = False
                row = self._heading(ws, row, line[3:].strip())
            else:
                row = self._paragraph(ws, row, line, total)
        ws.print_title_rows = None
        protect(ws)

    def _variables(self) -> dict[str, Any]:
        """What workbook_guide.j2 is given (templating.TEMPLATES declares the names)."""
        cat, lang = self.cat, self.lang
        prefill = self.prefill if self.role == "peer" else None
        missing = self.missing_in_prefill() if prefill is not None else []
        yes, no = k.acceptance(lang)
        return {
            **common_variables(cat, self.ctx),
            "role": self.role,
            "missing_rating": missing_rating(lang),
            "accept_yes": yes,
            "accept_no": no,
            "rejected_counts_as": cat.rule.rejected_not_applicable_counts_as,
            "getting_started_title": cat.meta.getting_started_title,
            "getting_started": list(cat.meta.getting_started),
            "rule_lines": list(rule_lines(cat, lang)),
            "outside": _ranges([c.number for c in cat.criteria if not applies(c, self.profile)]),
            "profile": profile_text(self.profile, lang),
            "prefill_from_form": prefill is not None and prefill.kind == "form",
            "prefill_missing": criteria_list(missing, lang) if missing else "",
        }

    def _heading(self, ws: Worksheet, row: int, text: str) -> int:
        ws.cell(row, 1, text).font = HEADING
        ws.row_dimensions[row].height = 20
        return row + 1

    def _fact(self, ws: Worksheet, row: int, label: str, value: str, *, extra: str = "", derived: bool = False) -> int:
        head = ws.cell(row, 1, label)
        head.font, head.alignment = BOLD, TOP
        cell = ws.cell(row, 2)
        if derived:
            cell.value = value
        else:
            as_text(cell, value)
        cell.alignment = TOP
        if extra:
            as_text(ws.cell(row, 4), extra).alignment = TOP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3 if extra else 5)
        return row + 1

    def _paragraph(self, ws: Worksheet, row: int, text: str, width: float) -> int:
        cell = ws.cell(row, 1, text)
        cell.alignment = WRAP_TOP
        cell.font = PLAIN
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.row_dimensions[row].height = row_height([(text, width, BODY)])
        return row + 1

    def _scale_table(self, ws: Worksheet, row: int) -> int:
        cat = self.cat
        _ = self.w
        practice = ", ".join(e.name for e in cat.elements if e.descriptors == "practice")
        results = ", ".join(e.heading for e in cat.elements if e.descriptors == "results")
        headers = [_("Value"), _("Level"), _("Means"), _("Description: {elements}", elements=practice),
                   _("Description: {elements}", elements=results)]
        for col, header in enumerate(headers, 1):
            cell = ws.cell(row, col, header)
            cell.font, cell.fill, cell.alignment, cell.border = WHITE_BOLD, FILL_HEADER, HEADER_ALIGN, BOX
        row += 1
        na = cat.scale.not_applicable
        lines = [(lv.label, lv.name, lv.plain, lv.practice, lv.results) for lv in cat.scale.levels]
        lines.append((na.label, na.label, na.plain, na.meaning, na.meaning))
        for values in lines:
            for col, value in enumerate(values, 1):
                cell = ws.cell(row, col, value)
                cell.alignment, cell.border = WRAP_TOP, BOX
                cell.font = BOLD if col <= 2 else PLAIN
            ws.row_dimensions[row].height = row_height([(values[3], 44, BODY), (values[4], 44, BODY)])
            row += 1
        return row

