"""koonti.xlsx: a compiled round as tables and native charts, for the coordinator to sort, filter and count.

Sheets: Yhteenveto (the round in figures, the recommendation rule, each workshop's recommendation),
Kaaviot (criterion, element and area means, self against auditors), Kriteerit (per-criterion
statistics), Työpajat (each workshop's element and area means), Suunnitelmat (each workshop's
development plan in figures), Arviot (every rating and text of
every returned file), Ongelmat (every problem) and Tiedostot (what became of each file). Text from
returned files is always written as text, never as a formula; the same round gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from statistics import mean

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.series import SeriesLabel
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import Catalogue
from ..errors import place_said
from ..i18n import C_, N_, Wording, wording
from ..choices import unresolved_text
from ..labels import AUDIT_TYPE, KIND, ROLE, SEVERITY, STATUS, label, labels
from ..model import Returned
from ..plan import development_plan
from ..results import RoundResult
from ..scoring import CriterionStats, GroupScore, ScoreProfile, difference, rule_lines
from .layout import print_setup, row_height
from .tables import Cell, Sheet, TableBook, set_text

NOT_ASSESSABLE = N_("cannot be assessed")
NOT_RETURNED = N_("not returned")
# Text fields of returned files, in the order the long table shows them: workbooks, then forms.
TEXT_COLUMNS = (("reasoning", C_("koonti text", "Reasoning")), ("evidence", C_("koonti text", "Evidence")),
                ("observations", C_("koonti text", "Observations")), ("strengths", C_("koonti text", "Strengths")),
                ("development", C_("koonti text", "Development areas")),
                ("practice", C_("koonti text", "Current practice")), ("actions", C_("koonti text", "Actions")),
                ("owner", C_("koonti text", "Person responsible")), ("due", C_("koonti text", "Schedule")),
                ("questions", C_("koonti text", "Questions")))

# Every font named: a font without a name falls back to a serif one in LibreOffice.
_TITLE = Font(name="Calibri", size=14, bold=True, color="1F4E79")
_HEADING = Font(name="Calibri", size=12, bold=True, color="1F4E79")
_BOLD = Font(name="Calibri", size=11, bold=True)
_SMALL = Font(name="Calibri", size=9)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_FLAG_FILL = PatternFill("solid", fgColor="F8CBAD")
_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")
_MEAN = "0.00"
# The summary prints landscape to the page's width at about 85 %: its columns add up to ~150 characters.
_SUMMARY_WIDTHS = (30, 28, 12, 12, 22, 48)
_SERIES = (C_("series", "Self-assessment"), C_("series", "Audit"))
# The reports' own orange and blue (Okabe-Ito): told apart with colour blindness and in grey.
_SERIES_COLOURS = ("E69F00", "0072B2")


def build_consolidated_workbook(catalogue: Catalogue, result: RoundResult) -> bytes:
    """koonti.xlsx of a compiled round in the round's language (result.language), as the file's bytes
    (the same result gives the same bytes)."""
    return _Koonti(catalogue, result).build()


class _Koonti:
    def __init__(self, catalogue: Catalogue, result: RoundResult) -> None:
        self.cat = catalogue
        self.result = result
        self.lang = result.language
        self.w: Wording = wording("workbooks", self.lang)
        self.book = TableBook(lang=self.lang)
        self.names = _display_names(result)

    def build(self) -> bytes:
        wb = self.book.wb
        _ = self.w
        summary = wb.create_sheet(self.w.pgettext("koonti sheet", "Summary"))
        charts = wb.create_sheet(self.w.pgettext("koonti sheet", "Charts"))
        criteria = self.book.add(self._criteria_sheet(), a3=True)
        workshops = self.book.add(self._workshop_sheet())
        self.book.add(self._plans_sheet())
        self.book.add(self._ratings_sheet(), a3=True)
        self.book.add(self._problems_sheet())
        self.book.add(self._files_sheet())
        self._flag(workshops)
        self._summary(summary)
        self._charts(charts, criteria)
        wb.active = 0
        wb.properties.title = _("Compilation: {round}", round=self.result.round_name or self.result.round_id)
        wb.properties.creator = "auditkit"
        return self.book.save()

    # --- Yhteenveto ---------------------------------------------------------------------------

    def _summary(self, ws: Worksheet) -> None:
        r, cat = self.result, self.cat
        _ = self.w
        for letter, width in zip("ABCDEF", _SUMMARY_WIDTHS):
            ws.column_dimensions[letter].width = width
        set_text(ws.cell(1, 1), _("Compilation: {round}", round=r.round_name or r.round_id or _("round")))
        ws.cell(1, 1).font = _TITLE
        ws.cell(2, 1, _("{title}. The recommendations are the auditors' proposals to Into; Into decides on awarding "
                        "the quality mark.", title=cat.meta.title)).font = _SMALL
        row = 4
        row = self._heading(ws, row, self.w.pgettext("koonti heading", "Round"))
        checked = _("yes") if r.checked_against_round else _("no")
        label: str
        value: Cell
        for label, value in ((self.w.pgettext("koonti fact", "Round"), r.round_name), (_("Round code"), r.round_id),
                             (_("Audit type"), _audit_type(r.audit_type, self.lang)),
                             (_("Criteria version"), f"{r.content_version} ({r.content_hash[:12]})"),
                             (_("Checked against the round's register"), checked)):
            row = self._fact(ws, row, label, value)
        said = wording("messages", r.language)  # the round's language, whatever the terminal speaks
        for note in r.unchecked:
            row = self._fact(ws, row, _("Not checked"), said(note))
        row += 1
        row = self._heading(ws, row, _("Returns"))
        figures = r.summary()
        problems: Mapping[str, int] = figures["problems"]
        counts = (
            (_("Workshops"), len(r.workshops)),
            (_("Self-assessments returned"), figures["self_returned"]),
            (_("Audits returned"), figures["auditor_returned"]),
            (_("Missing returns"), len(r.missing)),
            (_("Files"), figures["files"]),
            (self.w.pgettext("koonti count", "Used"), figures["used"]),
            (_("Duplicates (not used)"), figures["duplicates"]),
            (_("Refused (another round, old content, unknown)"), figures["refused"]),
            (_("Not readable"), figures["unreadable"]),
            (self.w.pgettext("koonti count", "Passed over"), figures["ignored"]),
            (_("Problems: errors"), problems["error"]),
            (_("Problems: warnings"), problems["warning"]),
        )
        for label, value in counts:
            row = self._fact(ws, row, label, value)
        row += 1
        row = self._heading(ws, row, _("Self-assessment and audit side by side"))
        cal = r.calibration
        if cal is not None and cal.pairs:
            for label, value in ((_("Rating pairs"), cal.pairs), (_("Mean difference (audit − self-assessment)"), cal.mean_gap),
                                 (_("Workshop rated higher"), cal.self_higher), (_("Same rating"), cal.same),
                                 (_("Workshop rated lower"), cal.self_lower)):
                row = self._fact(ws, row, label, value)
        else:
            row = self._fact(ws, row, _("Rating pairs"), 0)
        row += 1
        row = self._heading(ws, row, _("Recommendation rule"))
        for line in rule_lines(cat, self.lang):
            row = self._paragraph(ws, row, line)
        row += 1
        row = self._heading(ws, row, _("Recommendations by workshop (a proposal to Into)"))
        outcomes = [w.recommendation.label for w in r.workshops if w.recommendation is not None]
        for label in (cat.rule.recommended, cat.rule.conditional, cat.rule.not_recommended):
            row = self._fact(ws, row, label.capitalize(), outcomes.count(label))
        row = self._fact(ws, row, _("No audit returned"), sum(1 for w in r.workshops if w.recommendation is None))
        row += 1
        headers = (self.w.pgettext("koonti column", "Code"), self.w.pgettext("koonti column", "Workshop"),
                   self.w.pgettext("koonti column", "Self-assessment"), self.w.pgettext("koonti column", "Audit"),
                   self.w.pgettext("koonti column", "Proposal"), _("Grounds and reservations"))
        for col, header in enumerate(headers, 1):
            c = ws.cell(row, col, header)
            c.font, c.fill, c.alignment = _BOLD, _HEADER_FILL, _WRAP
        ws.print_title_rows = f"{row}:{row}"
        row += 1
        for w in r.workshops:
            rec = w.recommendation
            grounds = ([_("Reservation: {text}", text=c.said(self.w.lang)) for c in rec.caveats] + list(rec.reasons)
                       if rec else [])
            if rec is None and w.unresolved:  # differing copies nobody chose among: said without a proposal too
                grounds = [_("Reservation: {text}", text=unresolved_text(w.unresolved, self.w.lang))]
            values = (w.workshop.id, w.workshop.name, _returned(self.w, w.self_workbook, w.form),
                      _returned(self.w, w.auditor_workbook),
                      rec.label if rec else "", "\n".join(grounds))
            for col, text in enumerate(values, 1):
                cell = ws.cell(row, col)
                set_text(cell, text)
                cell.alignment = _WRAP
            ws.row_dimensions[row].height = row_height(zip(values, _SUMMARY_WIDTHS))
            row += 1
        print_setup(ws, landscape=True, lang=self.lang)

    def _heading(self, ws: Worksheet, row: int, text: str) -> int:
        ws.cell(row, 1, text).font = _HEADING
        return row + 1

    def _fact(self, ws: Worksheet, row: int, label: str, value: Cell) -> int:
        ws.cell(row, 1, label).alignment = _WRAP
        ws.row_dimensions[row].height = row_height([(label, _SUMMARY_WIDTHS[0]),
                                                    (value if isinstance(value, str) else "", sum(_SUMMARY_WIDTHS[1:4]))])
        c = ws.cell(row, 2)
        if isinstance(value, str):
            set_text(c, value)
        else:
            c.value = value
            if isinstance(value, float):
                c.number_format = _MEAN
        c.alignment = Alignment(vertical="top", horizontal="left", wrap_text=True)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        return row + 1

    def _paragraph(self, ws: Worksheet, row: int, text: str) -> int:
        c = ws.cell(row, 1, text)
        c.alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.row_dimensions[row].height = row_height([(text, sum(_SUMMARY_WIDTHS))])
        return row + 1

    # --- Kriteerit ----------------------------------------------------------------------------

    def _criteria_sheet(self) -> Sheet:
        cat, r = self.cat, self.result
        values = cat.scale.values
        own = {s.number: s for s in r.self_stats}
        aud = {s.number: s for s in r.auditor_stats}
        gaps: dict[int, list[int]] = {}
        for w in r.workshops:
            for number, gap in w.gaps.items():
                gaps.setdefault(number, []).append(gap)
        _ = self.w
        own_, aud_ = _("Self: {what}"), _("Auditors: {what}")
        na = cat.scale.not_applicable.label
        mean_, n_ = self.w.pgettext("abbreviation", "mean"), "n"
        headers = [self.w.pgettext("koonti column", "No."), self.w.pgettext("koonti column", "Element name"),
                   self.w.pgettext("koonti column", "Area"), self.w.pgettext("koonti column", "Criterion"),
                   *(own_.format(what=x) for x in (mean_, n_, na)), *(aud_.format(what=x) for x in (mean_, n_, na)),
                   *(own_.format(what=v) for v in values), *(aud_.format(what=v) for v in values),
                   _("Difference: mean (aud. − self)"), _("Difference: pairs")]  # the distributions: how many rated each level
        rows: list[list[Cell]] = []
        for c in cat.criteria:
            s, a, g = own.get(c.number), aud.get(c.number), gaps.get(c.number, [])
            rows.append([
                c.number, cat.element(c.element_id).name, cat.area(c.area_id).name, c.text,
                *_stats(s), *_stats(a),
                *((s.distribution.get(v, 0) if s else 0) for v in values),
                *((a.distribution.get(v, 0) if a else 0) for v in values),
                mean(g) if g else None, len(g),
            ])
        n = len(values)
        return Sheet(self.w.pgettext("koonti sheet", "Criteria"), headers, rows, widths=[5, 12, 22, 44, 7, 7, 9, 13, 13, 13, *[7] * n, *[13] * n, 9, 8],
                     formats=["", "", "", "", _MEAN, "", "", _MEAN, "", "", *[""] * (2 * n), _MEAN, ""])

    # --- Työpajat -----------------------------------------------------------------------------

    def _workshop_sheet(self) -> Sheet:
        _ = self.w
        own_, aud_ = _("Self: {what}"), _("Auditors: {what}")
        whats = (self.w.pgettext("abbreviation", "mean"), _("rated"), self.cat.scale.not_applicable.label,
                 _("missing"), _("note"))
        headers = [self.w.pgettext("koonti column", "Code"), self.w.pgettext("koonti column", "Workshop"),
                   self.w.pgettext("koonti column", "Level"), _("Element or area"), _("Criteria count"),
                   *(own_.format(what=x) for x in whats), *(aud_.format(what=x) for x in whats),
                   _("Difference (aud. − self)")]
        rows: list[list[Cell]] = []
        # Each group as every workshop's rows say it: its level, its name and its number of criteria.
        groups = [(key, group, self.w.pgettext("level", level), _group_name(self.w, self.cat, key, group),
                   len(self._numbers(key, group))) for level, key, group in _groups(self.cat)]
        for w in self.result.workshops:
            for key, group, level_said, name, total in groups:
                own, aud = _group(w.self_scores, key, group), _group(w.auditor_scores, key, group)
                gap = difference(_mean(aud), _mean(own))
                rows.append([w.workshop.id, w.workshop.name, level_said, name,
                             total, *_group_cells(self.w, own), *_group_cells(self.w, aud), gap])
        return Sheet(self.w.pgettext("koonti sheet", "Workshops"), headers, rows, widths=[9, 28, 10, 44, 12, 8, 10, 10, 10, 16, 13, 13, 13, 13, 16, 10],
                     formats=["", "", "", "", "", _MEAN, "", "", "", "", _MEAN, "", "", "", "", _MEAN])

    def _numbers(self, key: str, group: str) -> list[int]:
        if key == "element":
            return [c.number for c in self.cat.criteria if c.element_id == group]
        if key == "area":
            return [c.number for c in self.cat.criteria_of(group)]
        return [c.number for c in self.cat.criteria]

    def _flag(self, ws: Worksheet) -> None:
        """"ei arvioitavissa" stands out wherever a filter or sort puts it."""
        last = max(2, 1 + len(self.result.workshops) * len(_groups(self.cat)))
        for letter in ("J", "O"):
            ws.conditional_formatting.add(f"{letter}2:{letter}{last}", CellIsRule(
                operator="equal", formula=[f'"{self.w(NOT_ASSESSABLE)}"'], fill=_FLAG_FILL))

    # --- Suunnitelmat -------------------------------------------------------------------------

    def _plans_sheet(self) -> Sheet:
        """Each workshop's development plan in figures (the plans are in palaute/): enough to see which
        conditional proposals still lack an action for a shortfall of the rule."""
        _ = self.w
        headers = [self.w.pgettext("koonti column", "Code"), self.w.pgettext("koonti column", "Workshop"),
                   self.w.pgettext("koonti column", "Proposal"), _("Items"), _("Actions"),
                   _("Person responsible and schedule"), _("Items of the rule"), _("Items of the rule without an action"),
                   self.w.pgettext("koonti column", "Plan summary")]
        rows: list[list[Cell]] = []
        for w in self.result.workshops:
            if not (w.returned_self or w.returned_auditor):
                continue
            plan = development_plan(self.cat, w, self.lang)  # its summary in the round's language
            required = plan.required
            rows.append([w.workshop.id, w.workshop.name, plan.label or None, len(plan.lines), plan.actions,
                         sum(1 for line in plan.lines if line.complete), len(required),
                         sum(1 for line in required if not line.action), plan.summary()])
        return Sheet(self.w.pgettext("koonti sheet", "Plans"), headers, rows, widths=[9, 28, 22, 8, 12, 13, 10, 14, 60])

    # --- Arviot, Ongelmat, Tiedostot ----------------------------------------------------------

    def _ratings_sheet(self) -> Sheet:
        r = self.result
        _ = self.w
        na = self.cat.scale.not_applicable.label
        column = lambda text: self.w.pgettext("koonti column", text)  # noqa: E731
        headers = [column(C_("koonti column", "Round")), column(C_("koonti column", "Code")),
                   column(C_("koonti column", "Workshop")), column(C_("koonti column", "Role")),
                   column(C_("koonti column", "No.")), column(C_("koonti column", "Rating")),
                   na, _("{na} accepted", na=na),
                   *(self.w.pgettext("koonti text", text) for _key, text in TEXT_COLUMNS),
                   column(C_("koonti column", "File")), column(C_("koonti column", "Place"))]
        yes = _("yes")
        accepted_said = {True: self.w.pgettext("acceptance", "accepted"),
                         False: self.w.pgettext("acceptance", "not accepted")}
        rows: list[list[Cell]] = []
        places: dict[str, str] = {}  # a place as said: every workbook of the kit has its answers in the same cells
        keys = [key for key, _text in TEXT_COLUMNS]
        blank = [None] * (3 + len(TEXT_COLUMNS))
        numbers = [c.number for c in self.cat.criteria]
        for w in r.workshops:
            for role, returned in (("self", w.self_workbook), ("peer", w.auditor_workbook), ("form", w.form)):
                if returned is None:
                    continue
                by_number = {x.number: x for x in returned.responses}
                file = self.names.get(returned.file, PurePosixPath(returned.file.replace("\\", "/")).name)
                round_id = r.round_id or returned.identity.round_id
                role_said = label(ROLE, role, self.lang)
                head = [round_id, w.workshop.id, w.workshop.name, role_said]
                for number in numbers:
                    x = by_number.get(number)
                    if x is None:
                        rows.append([*head, number, *blank, file, None])
                        continue
                    accepted = accepted_said[x.na_accepted] if x.na_accepted is not None else None
                    place = places.get(x.place)
                    if place is None:
                        place = places[x.place] = "; ".join(place_said(p, self.lang) for p in x.place.split("; "))
                    # a text not given is empty, None or "": an empty cell either way
                    rows.append([*head, number, x.rating, yes if x.not_applicable else None, accepted,
                                 *map(x.texts.get, keys), file, place])
        return Sheet(self.w.pgettext("koonti sheet", "Ratings"), headers, rows,
                     widths=[12, 9, 24, 13, 5, 7, 9, 12, *[32] * len(TEXT_COLUMNS), 30, 13])

    def _problems_sheet(self) -> Sheet:
        lang = self.result.language  # the round's language, whatever the terminal speaks
        rows: list[list[Cell]] = [[p.file, p.place_in(lang), label(SEVERITY, p.severity, lang), p.message_in(lang)]
                                  for p in self.result.problems]
        column = lambda text: self.w.pgettext("koonti column", text)  # noqa: E731
        return Sheet(self.w.pgettext("koonti sheet", "Problems"),
                     [column(C_("koonti column", "File")), column(C_("koonti column", "Place")),
                      column(C_("koonti column", "Severity")), column(C_("koonti column", "Message"))], rows,
                     widths=[40, 28, 11, 90])

    def _files_sheet(self) -> Sheet:
        said = wording("messages", self.result.language).moment  # 23.1.2027 klo 12.00 (Suomen aikaa)
        lang = self.lang
        rows: list[list[Cell]] = [[f.file, label(KIND, f.kind, lang), label(STATUS, f.status, lang), f.workshop_id,
                                   label(ROLE, f.role, lang), said(f.saved_at) if f.saved_at else "", f.note_in(lang)]
                                  for f in self.result.files]
        column = lambda text: self.w.pgettext("koonti column", text)  # noqa: E731
        return Sheet(self.w.pgettext("koonti sheet", "Files"),
                     [column(C_("koonti column", "File")), column(C_("koonti column", "Kind")),
                      column(C_("koonti column", "State")), column(C_("koonti column", "Workshop")),
                      column(C_("koonti column", "Role")),
                      column(C_("koonti column", "Saved")), column(C_("koonti column", "Note"))], rows,
                     widths=[50, 10, 15, 10, 14, 30, 40])

    # --- Kaaviot ------------------------------------------------------------------------------

    def _charts(self, ws: Worksheet, criteria: Worksheet) -> None:
        """Round means per element and area (tables), and bar charts of criteria, elements and areas."""
        cat, r = self.cat, self.result
        _ = self.w
        widths = (16, 62, 12, 12, 12, 12)
        for letter, width in zip("ABCDEF", widths):
            ws.column_dimensions[letter].width = width
        ws.cell(1, 1, _("Means: self-assessment and audit")).font = _TITLE
        ws.cell(2, 1, _("The mean of the workshops' means (each workshop with the same weight); {na} is not included, "
                        "nor an area or element that cannot be assessed for a workshop. n = the number of workshops.",
                        na=cat.scale.not_applicable.label)).font = _SMALL
        row = 4
        tables: dict[str, tuple[int, int]] = {}
        own_, aud_ = _("Self: {what}"), _("Auditors: {what}")
        mean_ = self.w.pgettext("abbreviation", "mean")
        for key, title in (("element", self.w.pgettext("koonti column", "Element name")),
                           ("area", self.w.pgettext("koonti column", "Area"))):
            head = row
            headers = (title, _("Name"), own_.format(what=mean_), aud_.format(what=mean_), own_.format(what="n"),
                       aud_.format(what="n"))
            for col, header in enumerate(headers, 1):
                c = ws.cell(head, col, header)
                c.font, c.fill, c.alignment = _BOLD, _HEADER_FILL, _WRAP
            ws.row_dimensions[head].height = row_height(zip(headers, widths), words=True)
            for _level, k, group in _groups(cat):
                if k != key:
                    continue
                row += 1
                numbers = self._numbers(key, group)
                element = cat.element(group if key == "element" else cat.area(group).element_id)
                short = element.name if key == "element" else f"{element.name} {min(numbers)}–{max(numbers)}"
                name = element.heading if key == "element" else cat.area(group).name
                ws.cell(row, 1, short).alignment = _TOP
                ws.cell(row, 2, name).alignment = _WRAP
                ws.row_dimensions[row].height = row_height([(name, widths[1])])
                for col, groups in ((3, r.self_groups), (4, r.auditor_groups)):
                    figure = groups.get(group)
                    c = ws.cell(row, col, figure.mean if figure else None)
                    c.number_format, c.alignment = _MEAN, _TOP
                    ws.cell(row, col + 2, figure.n if figure else 0).alignment = _TOP
            tables[key] = (head, row)
            row += 2
        # Each chart on a page of its own, never cut by a page break.
        count = len(cat.criteria)
        chart = _bar(self.w, _("Criteria means"), self.w.pgettext("koonti column", "Criterion"), cat.scale.min,
                     cat.scale.max, width=30)
        for col in (5, 8):  # Itse: ka and Auditoijat: ka on the sheet Kriteerit
            chart.add_data(Reference(criteria, min_col=col, min_row=2, max_row=count + 1))
        chart.set_categories(Reference(criteria, min_col=1, min_row=2, max_row=count + 1))
        charts = [chart]
        for key, title, width in (("element", _("Element means"), 18), ("area", _("Area means"), 30)):
            head, last = tables[key]
            part = _bar(self.w, title, "", cat.scale.min, cat.scale.max, width=width)
            part.add_data(Reference(ws, min_col=3, max_col=4, min_row=head + 1, max_row=last))
            part.set_categories(Reference(ws, min_col=1, min_row=head + 1, max_row=last))
            charts.append(part)
        for part in charts:
            for series, title, colour in zip(part.series, _SERIES, _SERIES_COLOURS):
                series.tx = SeriesLabel(v=self.w.pgettext("series", title))
                series.graphicalProperties.solidFill = colour
                series.graphicalProperties.line.solidFill = colour
            ws.row_breaks.append(Break(id=row))
            ws.add_chart(part, f"A{row + 2}")  # a row below the break: LibreOffice draws a border on the line
            row += 26
        print_setup(ws, landscape=True, lang=self.lang)


# --- helpers -----------------------------------------------------------------------------------


def _display_names(result: RoundResult) -> dict[str, str]:
    """A returned file's path (as read) -> its name as compile shows it (relative to the folder given)."""
    shown = {f.file for f in result.files}
    out: dict[str, str] = {}
    for w in result.workshops:
        for returned in (w.self_workbook, w.auditor_workbook, w.form):
            if returned is None:
                continue
            parts = PurePosixPath(returned.file.replace("\\", "/")).parts
            for i in range(len(parts)):
                name = "/".join(parts[i:])
                if name in shown:
                    out[returned.file] = name
                    break
    return out


def _audit_type(said: str, lang: str) -> str:
    """The round's audit type in the workbook's language: compile gives its code or its Finnish label."""
    codes = {text: code for code, text in labels(AUDIT_TYPE, "fi").items()}
    code = codes.get(said, said)
    return label(AUDIT_TYPE, code, lang) if code in AUDIT_TYPE.texts else said


def _returned(w: Wording, workbook: Returned | None, form: Returned | None = None) -> str:
    _ = w
    if workbook is not None:
        return _("returned")
    return _("form only") if form is not None else w.pgettext("return", "missing")


def _stats(s: CriterionStats | None) -> list[Cell]:
    if s is None:
        return [None, 0, 0]
    return [s.mean, s.n, s.not_applicable]


def _groups(cat: Catalogue) -> list[tuple[str, str, str]]:
    """(level shown, key, id) for each element with its areas, then all criteria."""
    out = []
    for element in cat.elements:
        out.append((C_("level", "an element"), "element", element.id))
        out += [(C_("level", "area"), "area", area.id) for area in cat.areas_of(element.id)]
    out.append((C_("level", "all"), "all", "kaikki"))
    return out


def _group_name(w: Wording, cat: Catalogue, key: str, group: str) -> str:
    if key == "element":
        return cat.element(group).name
    if key == "area":
        return cat.area(group).name
    _ = w
    return _("All criteria")


def _group(profile: ScoreProfile | None, key: str, group: str) -> GroupScore | None:
    if profile is None:
        return None
    if key == "all":
        return profile.overall
    return next((g for g in (profile.elements if key == "element" else profile.areas) if g.id == group), None)


def _mean(g: GroupScore | None) -> float | None:
    """A group's mean as shown: none for "ei arvioitavissa" (the flag column says why)."""
    return g.mean if g is not None and g.assessable else None


def _group_cells(w: Wording, g: GroupScore | None) -> list[Cell]:
    if g is None:
        return [None, None, None, None, w(NOT_RETURNED)]
    return [_mean(g), g.rated, g.not_applicable, g.missing, None if g.assessable else w(NOT_ASSESSABLE)]


def _bar(w: Wording, title: str, x_title: str, bottom: int, top: int, *, width: int) -> BarChart:
    """A column chart of means on the rating scale: the value axis runs over the scale's own levels
    in whole steps (1, 2, 3, 4), not from 0.00."""
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = w("Mean")
    if x_title:
        chart.x_axis.title = x_title
    chart.y_axis.scaling.min = bottom
    chart.y_axis.scaling.max = top
    chart.y_axis.majorUnit = 1
    chart.y_axis.number_format = NumFmt(formatCode="0", sourceLinked=False)
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.height = 12
    chart.width = width
    return chart
