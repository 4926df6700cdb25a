"""The consolidated report of a round (koontiraportti.docx): the round at a glance, then a page per workshop.

Written for the coordinator of 10 to 300 workshops. The round's tables have a row per workshop or
criterion, cut into pages; the heat map is split into pictures of at most HEAT_ROWS workshops; each
workshop gets one page: its profile, its own and the auditors' figures, and the proposal to Into with
its reasons and caveats in sentences. Criterion-level detail is in the workshop's feedback report and
in koonti.xlsx. Every section starts a page and long tables are cut by paging's estimates, so the
contents (a TOC field Word updates) and the proposals table carry page numbers when written, and
LibreOffice, which never fills a TOC field, prints them too.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

from ..catalogue import Catalogue
from ..i18n import C_, wording
from ..labels import AUDIENCE, AUDIT_TYPE, KIND, ROLE_FILE, SEVERITY, STATUS, label, labels
from ..model import Identity
from ..plan import DevelopmentPlan, development_plan
from ..results import RoundResult, WorkshopResult
from ..scoring import CriterionStats, GroupScore, ScoreProfile, difference, rule_lines, weakest
from . import ooxml
from .contract import CONSOLIDATED_ROLE, FORMAT_VERSION
from .document import Writer
from .ooxml import Cell, Element, Row, Run
from .paging import Measure, Page, pages_for
from .pictures import HEAT_WIDTH, PROFILE_WIDTH, HeatMap, ProfileChart, heat_map, profile_chart
from .results import (
    OUTCOME_FILL,
    RoundFigures,
    clean,
    facts_table,
    fi,
    figure_cell,
    fit_columns,
    group_mean,
    label_cell,
    no_audit,
    percent,
    profile_description,
    proposal_lines,
    rated_value,
    report_time,
    returned_label,
    rule_paragraphs,
    short,
    side_labels,
    signed,
    text_cell,
    unassessable_note,
)
from .styles import LABEL_FILL

HEAT_ROWS = 40  # workshops per heat-map picture, so each stays readable on one page
WEAKEST = 10
_PROPOSAL = C_("proposal", "The proposals on the quality mark are proposals to Into based on the auditors' ratings; "
                           "Into decides on granting the quality mark.")
# The report's sections: bookmark and title (said in the report's language by `sections`; SECTIONS: Finnish).
_SECTIONS = (
    ("yhteenveto", C_("section", "Summary of the round")),
    ("ehdotukset", C_("section", "Proposals on the quality mark")),
    ("arviot", C_("section", "Ratings by criterion")),
    ("keskiarvot", C_("section", "Means")),
    ("heikoimmat", C_("section", "Weakest criteria")),
    ("kalibrointi", C_("section", "Self-assessment and the auditors' rating")),
    ("tyopajat", C_("section", "Workshops")),
    ("tarkistamatta", C_("section", "What was not checked")),
    ("ongelmat", C_("section", "Annex 1: Problems")),
    ("tiedostot", C_("section", "Annex 2: Files that were not used")),
)


def sections(lang: str) -> tuple[tuple[str, str], ...]:
    """The report's sections (bookmark, title) in a language."""
    words = wording("documents", lang)
    return tuple((key, words.pgettext("section", title)) for key, title in _SECTIONS)


def proposal_text(lang: str) -> str:
    """The sentence every report says of what a proposal is: Into decides."""
    return wording("documents", lang).pgettext("proposal", _PROPOSAL)


def __getattr__(name: str) -> object:
    """PROPOSAL and SECTIONS in Finnish, by their old names (new code: proposal_text, sections)."""
    if name == "PROPOSAL":
        return proposal_text("fi")
    if name == "SECTIONS":
        return sections("fi")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
# koonti.xlsx's sheets the report points to, by the names excel/koonti.py gives them (workbooks catalogue).
SHEET_RATINGS, SHEET_FILES = "Ratings", "Files"


def koonti_sheet(key: str, lang: str) -> str:
    """koonti.xlsx's sheet of that name as the round's koonti.xlsx names it (Arviot, Bedömningar)."""
    return wording("workbooks", lang).pgettext("koonti sheet", key)
NAME_CHARS = 30  # a workshop's name in a table row or heat-map label, so the row stays one line


# A picture of the report: ("heat", the first workshop's index) for a slice of the heat map, or
# ("profile", the workshop's index) for a workshop's profile; drawn: its PNG and its height in inches.
Picture = tuple[str, int]
Drawn = tuple[bytes, float]


class Pictures:
    """The report's pictures, each drawn on its own (draw), so that they can be drawn by several
    workers before the report is written and handed to build_consolidated_report. Picklable."""

    def __init__(self, catalogue: Catalogue, result: RoundResult, lang: str | None = None) -> None:
        self.cat = catalogue
        self.result = result
        self.lang = lang or result.language  # the report's: its pictures' labels are in it
        self.auditor_groups = RoundFigures.of(result).auditor_groups

    def keys(self) -> list[Picture]:
        """Every picture the report shows, in the order it shows them."""
        workshops = self.result.workshops
        size = _heat_size(len(workshops))
        return [*(("heat", start) for start in range(0, len(workshops), size)),
                *(("profile", i) for i, wr in enumerate(workshops)
                  if wr.self_scores is not None or wr.auditor_scores is not None)]

    def heat_map(self) -> HeatMap:
        """The heat map's picture, for the round's number of workshops (one slice's rows)."""
        catalogue = self.cat
        columns = tuple(c.number for c in catalogue.criteria)
        breaks = tuple(min(c.number for c in catalogue.criteria if c.element_id == e.id) for e in catalogue.elements[1:])
        return heat_map(columns, _heat_size(len(self.result.workshops)), breaks, catalogue.scale.choices, self.lang)

    def profile_chart(self) -> ProfileChart:
        return profile_chart(tuple(a.name for a in self.cat.areas), profile_series(self.lang), self.cat.scale.min,
                             self.cat.scale.max, lang=self.lang)

    def draw(self, key: Picture) -> Drawn:
        """One picture's PNG (the same bytes wherever it is drawn) and its height in inches. The report
        given its pictures never makes the charts (a heat map's holds about 50 MB)."""
        kind, index = key
        workshops = self.result.workshops
        if kind == "heat":
            part = workshops[index:index + _heat_size(len(workshops))]
            columns = tuple(c.number for c in self.cat.criteria)
            labels = [_heat_label(wr, self.lang) for wr in part]
            values = [[rated_value(wr.auditor_scores or wr.self_scores, n) for n in columns] for wr in part]
            heat = self.heat_map()
            return heat.png(labels, values), heat.height_in
        series, notes, _ = profile_description(self.cat, workshops[index], profile_series(self.lang), self.auditor_groups,
                                               lang=self.lang)
        chart = self.profile_chart()
        return chart.png(series, notes), chart.height_in


def profile_series(lang: str) -> tuple[str, str, str]:
    """The profile's series in the consolidated report: the workshop's own, the auditors', the round's."""
    _ = wording("documents", lang)
    return (*side_labels(lang), _("Round (auditors)"))


def _heat_size(workshops: int) -> int:
    """Workshops per heat-map picture: the round cut into equal slices of at most HEAT_ROWS."""
    return math.ceil(workshops / max(math.ceil(workshops / HEAT_ROWS), 1)) or 1


def build_consolidated_report(catalogue: Catalogue, result: RoundResult, *,
                              templates: str | os.PathLike[str] | None = None,
                              pictures: Mapping[Picture, Drawn] | None = None, lang: str | None = None) -> bytes:
    """koontiraportti.docx for a compiled round, as bytes.

    Cover with the contents (round, audit type, content version; no date, so the same inputs give
    the same report), the round's summary, the recommendation rule and every workshop's proposal to
    Into, a heat map of ratings, means per criterion, area and element, the weakest criteria,
    self-vs-auditor calibration, a page per workshop, what was not checked and every problem. Text
    from returned files goes in as plain text. Raises TemplateError when the base document is broken.
    pictures: pictures drawn already (Pictures.draw, by key); the others are drawn here. lang: the
    report's language (default: the round's, result.language).
    """
    w = Writer(catalogue, templates, lang=lang or result.language)
    _ = wording("documents", w.lang)
    title = _.pgettext("document title", "Consolidated report")
    report = _Report(w, result, pictures or {})
    report.write()
    w.header_footer([title, " · ", *round_heading(result, w.lang)], [f"{catalogue.meta.title} {catalogue.version}"])
    ident = Identity(FORMAT_VERSION, catalogue.version, catalogue.hash, round_id=result.round_id,
                     role=CONSOLIDATED_ROLE)
    return w.finish(ident, f"{title}: {result.round_name or result.round_id}",
                    _("{title}: consolidated report", title=catalogue.meta.title), when=report_time(result))


def round_parts(result: RoundResult, lang: str = "fi") -> list[str]:
    """The round as shown where a person may need to quote it: its name and its id labelled, each
    whole, or a note that no round was named."""
    _ = wording("documents", lang)
    name, rid = clean(result.round_name), clean(result.round_id)
    if name and rid and name != rid:
        return [name, _(" (code "), rid, ")"]
    return [name or rid or _("round not known")]


def round_heading(result: RoundResult, lang: str = "fi") -> list[str]:
    """The round in a page header: its name only (its id where it has no name)."""
    _ = wording("documents", lang)
    return [clean(result.round_name) or clean(result.round_id) or _("round not known")]


def audit_type_said(result: RoundResult, lang: str) -> str:
    """The round's audit type in a language: result.audit_type is its label in the round's language."""
    for said_in in ("fi", "sv", "en"):
        for code, text in labels(AUDIT_TYPE, said_in).items():
            if text and text == result.audit_type:
                return label(AUDIT_TYPE, code, lang)
    _ = wording("documents", lang)
    return result.audit_type or _("not known")


def _short_name(wr: WorkshopResult, limit: int = NAME_CHARS) -> str:
    name = clean(wr.workshop.name) or clean(wr.workshop.id)
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


class _Report:
    """Writes the report in order while keeping count of pages (paging's estimates), then fills in
    the page numbers of the contents and of the proposals table."""

    def __init__(self, w: Writer, result: RoundResult, pictures: Mapping[Picture, Drawn]) -> None:
        self.w = w
        self.result = result
        self.cat = w.catalogue
        self.lang = w.lang
        self.sections = dict(sections(w.lang))
        self.figures = RoundFigures.of(result)
        self.drawn = pictures
        self.pictures = Pictures(self.cat, result, w.lang)
        self.anchors = {wr.workshop.id: f"tyopaja_{i}" for i, wr in enumerate(result.workshops, start=1)}
        self.page = Page.of(w.doc.sections[0])
        self.at = 1  # the page being written
        self.room = self.page.budget
        self.pages: dict[str, int] = {}  # bookmark -> page
        self.page_refs: list[tuple[str, Element]] = []  # (bookmark, the run showing its page)
        self._plans: dict[int, DevelopmentPlan] = {}  # id(workshop result) -> its plan, made once

    def plan(self, wr: WorkshopResult) -> DevelopmentPlan:
        """The workshop's development plan in the report's language, made once per workshop (the
        proposals' figures and the workshop's page both use it)."""
        plan = self._plans.get(id(wr))
        if plan is None:
            plan = self._plans[id(wr)] = development_plan(self.cat, wr, self.lang)
        return plan

    # --- the flow of pages ------------------------------------------------------------------------

    def new_page(self) -> None:
        self.at += 1
        self.room = self.page.budget

    def para(self, style: str | None, text: str, *parts: str | Run | Element, share: float = 1.0,
             height: float | None = None, keep: float = 0.0, **layout: Any) -> Element:
        """Add a paragraph (its text `text` for the estimate, `parts` as shown; `text` alone when no
        parts), starting a page first when it, and `keep` points of what follows, would not fit."""
        needed = self.page.text(text, style or "Normal", share) if height is None else height
        if needed + keep > self.room and self.room < self.page.budget:
            layout["page_break_before"] = True
            self.new_page()
        self.room -= needed
        return self.w.para(style, *(parts or (text,)), **layout)

    def heading(self, level: int, text: str, *parts: str | Run | Element, new_page: bool = False) -> Element:
        """A heading; a page break before it when asked, or when it would stand at a page's foot
        without two lines of what it heads (Word and LibreOffice keep a heading with its next line)."""
        if new_page:
            self.new_page()
            self.room -= self.page.text(text, f"Heading {level}")
            return self.w.heading(level, *(parts or (text,)), page_break=True)
        return self.para(f"Heading {level}", text, *parts, keep=60)

    def section(self, key: str) -> None:
        title = self.sections[key]
        self.heading(1, title, *ooxml.bookmark(key, self.w.next_id(), ooxml.run(title)), new_page=True)
        self.pages[key] = self.at

    def table(self, head: Sequence[str], fractions: Sequence[float], rows: Sequence[tuple[Row, Sequence[str]]],
              *, continued: str = "", head_size: float | None = None) -> None:
        """A table cut into pages: each piece repeats the header; a later piece starts a page under
        `continued` (jatkuu). rows: each Row with its cells' texts for the estimate."""
        fractions = fit_columns(self.w, head, fractions, head_size)
        total = sum(fractions)
        shares = [f / total for f in fractions]
        header = self.page.row([Measure(h, s, "Table Label") for h, s in zip(head, shares)]) if head else 0.0
        heights = [self.page.row([Measure(t, s) for t, s in zip(texts, shares)]) for _, texts in rows]
        _ = wording("documents", self.lang)
        again_title = _("{title} (continued)", title=continued)
        again = self.page.text(again_title, "Heading 3") if continued else 0.0
        for k, chunk in enumerate(pages_for(heights, self.room, self.page.budget - again, header)):
            if k:
                self.new_page()
                if continued:
                    self.room -= again
                    self.w.para("Heading 3", again_title, page_break_before=True)
                else:
                    self.w.para(None, page_break_before=True, after=0, before=0)
            if not chunk:
                continue
            body = [rows[i][0] for i in chunk]
            self.w.table(fractions, ([self.w.head_row(head, size=head_size)] if head else []) + body)
            self.room -= header + sum(heights[i] for i in chunk)
        self.spacer()

    def spacer(self, after: int = 120) -> None:
        self.room -= after / 20
        self.w.spacer(after)

    def page_ref(self, anchor: str) -> list[Element]:
        """A PAGEREF field to a bookmark, its shown page filled in when the plan is done."""
        runs = ooxml.field(f"PAGEREF {anchor} \\h", "")
        self.page_refs.append((anchor, runs[3]))
        return runs

    # --- the report ---------------------------------------------------------------------------------

    def write(self) -> None:
        self._cover()
        self._summary()
        self._recommendations()
        self._heat_maps()
        self._means()
        self._weakest()
        self._calibration()
        self._workshops()
        self._unchecked()
        self._problems()
        self._files()
        for anchor, run in self.page_refs:
            text = run.find(ooxml.qn("w:t"))
            if text is not None:
                text.text = str(self.pages.get(anchor, ""))

    def _cover(self) -> None:
        w, result, catalogue = self.w, self.result, self.cat
        _ = wording("documents", self.lang)
        w.title_block(_.pgettext("document title", "Consolidated report"), "")
        w.para("Subtitle", *round_parts(result, self.lang))
        unchecked = self.sections["tarkistamatta"]
        checked = [_("yes: register, letter codes, the round's code and the criteria's version")] \
            if result.checked_against_round and not result.unchecked else \
            [_("partly; see {section}", section=unchecked)] if result.checked_against_round else \
            [_("no: no round file was given; see {section}", section=unchecked)]
        facts_table(w, [
            (_.pgettext("report", "Assessment round"), round_parts(result, self.lang)),
            (_.pgettext("report", "Audit model"), [audit_type_said(result, self.lang)]),
            (_.pgettext("report", "Criteria"), [_("{title} version {version} ({hash})", title=catalogue.meta.title,
                                                  version=catalogue.version, hash=catalogue.short_hash)]),
            (_("Workshops"), [str(len(result.workshops))]),
            (_.pgettext("report", "Checked against the round"), checked),
        ])
        w.para("Normal", _("The report is compiled from the files the workshops and auditors returned. ")
               + proposal_text(self.lang)
               + _(" The ratings and texts by criterion are in the workshops' feedback reports and in koonti.xlsx."),
               before=200)
        w.heading(2, _("Contents"))
        self._contents()

    def _contents(self) -> None:
        """A TOC field (Word: right-click, Update Field) whose entries are written with their pages."""
        w = self.w
        begin = ooxml.field('TOC \\o "1-1" \\h \\z \\u', "")
        entries = list(self.sections.items())
        for index, (key, title) in enumerate(entries):
            entry = [ooxml.internal_link(key, title), ooxml.tab(), *self.page_ref(key)]
            if index == 0:
                entry = [*begin[:3], *entry]  # the field's result is the entries, up to its end below
            if index == len(entries) - 1:
                entry.append(begin[4])
            w.para("Normal", *entry, after=40, right_tab=w.width)

    def _counts(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        self.heading(3, title)
        self.table((), (0.74, 0.26), [(Row([text_cell(self.w, label), text_cell(self.w, value, align="right")]),
                                       (label, value)) for label, value in rows])

    def _summary(self) -> None:
        result, w = self.result, self.w
        _ = wording("documents", self.lang)
        s = result.summary()
        problems = s["problems"]
        self.section("yhteenveto")
        self._counts(_("Returned files"), [
            (_("Files read"), str(s["files"])),
            (_("Used"), str(s["used"])),
            (_("Duplicates (the same answers, or the coordinator chose another)"), str(s["duplicates"])),
            (_("Differing versions the coordinator has not yet chosen among"), str(s["in_conflict"])),
            (_("Refused (another round or workshop, an unknown code or other criteria)"), str(s["refused"])),
            (_("Not readable"), str(s["unreadable"])),
            (_("Received, no answers (cover letters, concepts, reports, plans)"), str(s["received"])),
            (_("Passed over (other than returnable files)"), str(s["ignored"])),
            (_("Errors in returned files (annex 1)"), str(problems["error"])),
            (_("Warnings in returned files (annex 1)"), str(problems["warning"])),
        ])
        missing = str(len(result.missing)) if result.checked_against_round else \
            _("not known (no round file was given)")
        self._counts(_.pgettext("report", "Workshops"), [
            (_("Workshops"), str(s["workshops"])),
            (_("Self-assessment workbook returned"), str(s["self_returned"])),
            (_("Audit workbook returned"), str(s["auditor_returned"])),
            (_("Self-assessment form returned"), str(sum(1 for wr in result.workshops if wr.form is not None))),
            (_("Missing returns"), missing),
        ])
        outcomes = [wr.recommendation.outcome if wr.recommendation else None for wr in result.workshops]
        rule = self.cat.rule
        self._counts(_("Proposals to Into"), [
            (rule.recommended, str(outcomes.count("recommended"))),
            (rule.conditional, str(outcomes.count("conditional"))),
            (rule.not_recommended, str(outcomes.count("not_recommended"))),
            (no_audit(self.lang), str(outcomes.count(None))),
            (_("Proposals with a caveat"), str(sum(1 for wr in result.workshops
                                                    if wr.recommendation and wr.recommendation.caveats))),
            (_("Conditional ones with actions for the condition's items"), self._conditional_plans()),
        ])
        if not result.missing:
            return
        missing_title = _.pgettext("heading", "Missing returns")
        self.heading(3, missing_title)
        names = {wr.workshop.id: wr for wr in result.workshops}
        by_workshop: dict[str, list[str]] = {}  # a row per workshop: what it still owes, in one cell
        for wid, role in result.missing:
            by_workshop.setdefault(wid, []).append(label(ROLE_FILE, role, self.lang))
        rows = []
        for wid, roles in by_workshop.items():
            name = _short_name(names[wid]) if wid in names else ""
            owed = ", ".join(roles)
            rows.append((Row([text_cell(w, clean(wid)), text_cell(w, name), text_cell(w, owed)]),
                         (clean(wid), name, owed)))
        self.table([_.pgettext("report", "Code"), _.pgettext("report", "Workshop"), _("Missing")], (0.14, 0.56, 0.3),
                   rows, continued=missing_title)

    def _conditional_plans(self) -> str:
        """"2 / 4": of the conditional proposals, those whose plan has an action for every shortfall."""
        plans = [self.plan(wr) for wr in self.result.workshops  # which lines have an action: the same in any language
                 if wr.recommendation is not None and wr.recommendation.outcome == "conditional"]
        return f"{sum(1 for p in plans if all(line.action for line in p.required))} / {len(plans)}"

    def _recommendations(self) -> None:
        w, result = self.w, self.result
        _ = wording("documents", self.lang)
        self.section("ehdotukset")
        self.para("Normal", proposal_text(self.lang) + _(" The proposal is made from the auditors' ratings by this rule:"))
        rule_paragraphs(w)
        self.room -= sum(self.page.text(line, "Numbered") for line in rule_lines(self.cat, self.lang))
        by_workshop = _("Proposals by workshop")
        self.heading(3, by_workshop)
        head = [_.pgettext("report", "Code"), _.pgettext("report", "Workshop"), *side_labels(self.lang),
                _("Proposal to Into"), _.pgettext("report", "Page")]
        caveat = _(" (caveat)")
        rows = []
        for wr in result.workshops:
            own = group_mean(wr.self_scores.overall) if wr.self_scores else None
            aud = group_mean(wr.auditor_scores.overall) if wr.auditor_scores else None
            rec = wr.recommendation
            label = rec.label if rec else _("no proposal")
            marked = bool(rec and rec.caveats) or bool(wr.unresolved)  # unresolved copies: said without a proposal too
            shown = [Run(label)] + ([Run(caveat, italic=True, size=8.5)] if marked else [])
            name = _short_name(wr)
            anchor = self.anchors[wr.workshop.id]
            rows.append((Row([
                text_cell(w, clean(wr.workshop.id)),
                text_cell(w, ooxml.internal_link(anchor, name)),
                text_cell(w, fi(own), align="center"), text_cell(w, fi(aud), align="center"),
                text_cell(w, *shown, fill=OUTCOME_FILL[rec.outcome if rec else None]),
                text_cell(w, *self.page_ref(anchor), align="center"),
            ]), (clean(wr.workshop.id), name, fi(own), fi(aud), label + (caveat if marked else ""),
                 "999")))
        self.table(head, (0.1, 0.31, 0.12, 0.13, 0.26, 0.08), rows, continued=by_workshop)
        self.para("Note", _("Means of all criteria on the scale {low}–{high} ({na} left out). Caveat: the proposal "
                            "comes with something the reader should know (for example, the self-assessment is "
                            "missing); it is told on the workshop's page. Page: the workshop's page in this report.",
                            low=self.cat.scale.min, high=self.cat.scale.max, na=self.cat.scale.not_applicable.label))

    def _heat_maps(self) -> None:
        catalogue, w = self.cat, self.w
        _ = wording("documents", self.lang)
        self.section("arviot")
        spans = [f"{e.heading} {min(ns)}–{max(ns)}" for e in catalogue.elements
                 if (ns := [c.number for c in catalogue.criteria if c.element_id == e.id])]
        na = catalogue.scale.not_applicable.label
        self.para("Normal", _("Every row is a workshop, every column a criterion. A cell holds the auditors' rating as a "
                              "number and a colour; – is an accepted {na}, · no rating (a rejected {na} counts as the "
                              "value {value}). Where the audit has not been returned, the row has the workshop's own "
                              "rating and the mark (self). Vertical lines separate the elements ({spans}). The colours "
                              "stay apart in greyscale print and for colour-blind readers too.", na=na,
                              value=catalogue.rule.rejected_not_applicable_counts_as, spans=", ".join(spans)))
        workshops = self.result.workshops
        if not workshops:
            self.para("Normal", _("No workshops."))
            return
        columns = tuple(c.number for c in catalogue.criteria)
        size = _heat_size(len(workshops))
        chunks = math.ceil(len(workshops) / size)
        for start in range(0, len(workshops), size):
            part = workshops[start:start + size]
            png, height = self._picture(("heat", start))
            if chunks > 1:
                title = _("Workshops {first}–{last} ({total} in all)", first=start + 1, last=start + len(part),
                          total=len(workshops))
                if start:
                    self.heading(3, title, new_page=True)
                else:
                    self.heading(3, title)
            description = _("Heat map: {what} by workshop (rows: workshops {first}–{last}) and by criterion (columns "
                            "{low}–{high}). A cell holds the rating as a number; – is {na}, · no rating. The same ratings "
                            "are on koonti.xlsx's sheet {sheet}.", sheet=koonti_sheet(SHEET_RATINGS, self.lang),
                            what=_("the auditors' ratings") if any(wr.auditor_scores for wr in part) else _("ratings"),
                            first=start + 1, last=start + len(part), low=columns[0], high=columns[-1], na=na)
            self.para(None, "", w.picture(png, HEAT_WIDTH, description), after=0, height=height * 72)

    def _means(self) -> None:
        catalogue, w, figures, result = self.cat, self.w, self.figures, self.result
        _ = wording("documents", self.lang)
        self.section("keskiarvot")
        self.para("Normal", _("Means on the scale {low}–{high} of the workshops' self-assessments and of the auditors' "
                              "ratings; {na} is left out, and so is an area or element that cannot be assessed for a "
                              "workshop. An area's and an element's figure is the mean of the workshops' means. The "
                              "number of workshops (for criteria: of ratings) in brackets.", low=catalogue.scale.min,
                              high=catalogue.scale.max, na=catalogue.scale.not_applicable.label))
        self.heading(2, _("Elements and areas"))
        head = [_.pgettext("report", "Element and area"), *side_labels(self.lang), _.pgettext("report", "Difference")]

        def row(gid: str, label: str, bold: bool) -> tuple[Row, tuple[str, ...]]:
            s, a = figures.self_groups.get(gid), figures.auditor_groups.get(gid)
            gap = a.mean - s.mean if s and a and s.mean is not None and a.mean is not None else None
            first = label_cell(w, label) if bold else text_cell(w, label)
            return (Row([first, figure_cell(w, s), figure_cell(w, a), text_cell(w, signed(gap, 2), align="center")]),
                    (label, "3,00 (300)", "3,00 (300)", "+0,00"))

        rows = []
        for element in catalogue.elements:
            rows.append(row(element.id, element.heading, True))
            rows += [row(area.id, area.name, False) for area in catalogue.areas_of(element.id)]
        rows.append(row("kaikki", _.pgettext("report", "All criteria"), True))
        self.table(head, (0.55, 0.16, 0.16, 0.13), rows)
        criteria = _("Criteria")
        self.heading(2, criteria, new_page=True)
        levels = " / ".join(str(v) for v in catalogue.scale.values)
        na = catalogue.scale.not_applicable.label
        head = [_.pgettext("report", "No."), _.pgettext("report", "Criterion"), *side_labels(self.lang),
                _("Distribution {levels}", levels=levels), na]
        aud_stats = {s.number: s for s in result.auditor_stats}
        rows = []
        for criterion in catalogue.criteria:
            stats = aud_stats.get(criterion.number)
            text = short(criterion, 80)
            distribution = _distribution(stats, catalogue) if stats else "–"
            rows.append((Row([
                label_cell(w, str(criterion.number)), text_cell(w, text),
                figure_cell(w, figures.self_criteria.get(criterion.number)),
                figure_cell(w, figures.auditor_criteria.get(criterion.number)),
                text_cell(w, distribution, align="center"),
                text_cell(w, str(stats.not_applicable) if stats else "–", align="center"),
            ]), ("00", text, "3,00 (300)", "3,00 (300)", distribution, "000")))
        self.table(head, (0.06, 0.42, 0.13, 0.13, 0.16, 0.1), rows, continued=criteria)
        self.para("Note", _("Distribution: how many of the auditors' ratings at each level {levels}. {na}: how many of "
                            "the auditors' ratings {na}.", levels=levels, na=na))

    def _weakest(self) -> None:
        catalogue, w, result = self.cat, self.w, self.result
        _ = wording("documents", self.lang)
        self.section("heikoimmat")
        audited = sum(1 for wr in result.workshops if wr.auditor_scores)
        stats, count = (result.auditor_stats, audited) if audited else \
            (result.self_stats, sum(1 for wr in result.workshops if wr.self_scores))
        min_n = max(1, min(3, count))
        found = weakest(stats, WEAKEST, min_n=min_n)
        if not found:
            self.para("Normal", _("No ratings have been returned yet."))
            return
        levels = " / ".join(str(v) for v in catalogue.scale.values)
        self.para("Normal", (_("The criteria whose mean is the round's lowest in the auditors' ratings (criteria that at "
                               "least {count} workshops have rated). Distribution: how many ratings at each level "
                               "{levels}.", count=min_n, levels=levels) if audited else
                             _("The criteria whose mean is the round's lowest in the workshops' own ratings (criteria "
                               "that at least {count} workshops have rated). Distribution: how many ratings at each "
                               "level {levels}.", count=min_n, levels=levels)))
        rows = []
        for s in found:
            text = catalogue.criterion(s.number).text
            distribution = _distribution(s, catalogue)
            rows.append((Row([label_cell(w, str(s.number)), text_cell(w, text),
                              text_cell(w, fi(s.mean), align="center"), text_cell(w, str(s.n), align="center"),
                              text_cell(w, distribution, align="center")]),
                         ("00", text, "3,00", "300", distribution)))
        self.table([_.pgettext("report", "No."), _.pgettext("report", "Criterion"), _("Mean"), _("Ratings"),
                    _("Distribution {levels}", levels=levels)], (0.06, 0.54, 0.12, 0.11, 0.17),
                   rows, continued=self.sections["heikoimmat"])

    def _calibration(self) -> None:
        w, result = self.w, self.result
        _ = wording("documents", self.lang)
        self.section("kalibrointi")
        cal = result.calibration
        if cal is None or not cal.pairs:
            self.para("Normal", _("No comparison can be made: no workshop has both a self-assessment and the auditors' "
                                  "rating."))
            return
        self.para("Normal", _("The comparison covers the criteria where both the workshop and the auditors gave a "
                              "rating. Difference = the auditors' rating − the workshop's rating; a minus means that the "
                              "workshop rated itself higher."))
        facts = [
            (_("Pairs of ratings"), str(cal.pairs)),
            (_("Mean difference"), signed(cal.mean_gap, 2)),
            (_("The workshop rated higher"), f"{cal.self_higher} ({percent(cal.self_higher, cal.pairs)})"),
            (_("The same rating"), f"{cal.same} ({percent(cal.same, cal.pairs)})"),
            (_("The workshop rated lower"), f"{cal.self_lower} ({percent(cal.self_lower, cal.pairs)})"),
        ]
        self.table((), (0.5, 0.5), [(Row([label_cell(w, label), text_cell(w, value)]), (label, value))
                                    for label, value in facts])
        by_criterion: dict[int, list[int]] = {}
        for wr in result.workshops:
            for number, gap in wr.gaps.items():
                by_criterion.setdefault(number, []).append(gap)
        ranked = sorted(((n, sum(g) / len(g), g) for n, g in by_criterion.items()),
                        key=lambda item: (-abs(item[1]), item[0]))
        ranked = [item for item in ranked if item[1]][:WEAKEST]
        if not ranked:
            return
        most = _("Criteria where the ratings differ most")
        self.heading(2, most)
        rows = []
        for number, mean_gap, gaps in ranked:
            higher = sum(1 for g in gaps if g < 0)
            text = short(self.cat.criterion(number), 80)
            rows.append((Row([label_cell(w, str(number)), text_cell(w, text),
                              text_cell(w, signed(mean_gap, 2), align="center"),
                              text_cell(w, str(len(gaps)), align="center"),
                              text_cell(w, f"{higher} ({percent(higher, len(gaps))})", align="center")]),
                         ("00", text, "+0,00", "300", "300 (100 %)")))
        self.table([_.pgettext("report", "No."), _.pgettext("report", "Criterion"), _.pgettext("column", "Mean difference"),
                    _("Pairs"), _("Workshop higher")],
                   (0.06, 0.5, 0.15, 0.1, 0.19), rows, continued=most)

    # --- a page per workshop ------------------------------------------------------------------------

    def _workshops(self) -> None:
        _ = wording("documents", self.lang)
        self.section("tyopajat")
        self.para("Normal", _("A page for every workshop: the proposal to Into with its grounds, the development plan in "
                              "figures, the workshop's own and the auditors' rating by element, and the profile by area "
                              "against the round's mean. The ratings, differences and texts by criterion are in the "
                              "workshop's feedback report and in koonti.xlsx, the development plans in the palaute "
                              "folder."))
        for index, wr in enumerate(self.result.workshops):
            self._workshop(index, wr, first=index == 0)

    def _workshop(self, index: int, wr: WorkshopResult, *, first: bool) -> None:
        w, ws = self.w, wr.workshop
        _ = wording("documents", self.lang)
        name = clean(ws.name)
        anchor = self.anchors[ws.id]
        title = f"{clean(ws.id)} {name}".strip()
        self.heading(2, title, *ooxml.bookmark(anchor, w.next_id(), ooxml.run(clean(ws.id))),
                     *([" ", name] if name else []), new_page=not first)
        self.pages[anchor] = self.at
        profile = ws.profile
        who = clean(ws.organisation) or "–"
        if self.result.checked_against_round:
            who += _("; {audience}, learning environments: {yes_or_no}",
                     audience=label(AUDIENCE, profile.audience, self.lang),
                     yes_or_no=_.pgettext("report", "yes") if profile.learning_environments else _.pgettext("report", "no"))
        returned = returned_label(wr, self.lang)
        self.table((), (0.26, 0.74), [(Row([label_cell(w, head), text_cell(w, *value)]), (head, "".join(value)))
                                      for head, value in ((_("Organisation and profile"), [who]),
                                                          (_.pgettext("report", "Returns"), returned))])
        rec = wr.recommendation
        outcome = rec.label if rec else no_audit(self.lang)
        lead = _("Proposal to Into: ")
        self.para("Normal", f"{lead}{outcome}", lead, Run(outcome, bold=True),
                  keep_next=True, before=0, fill=OUTCOME_FILL[rec.outcome if rec else None])
        for line, bold in proposal_lines(wr, self.cat, self.lang):
            self.para("List Bullet", line, Run(line, bold=bold))
        if wr.returned_self or wr.returned_auditor:  # a plan is written for every workshop that returned anything
            lead = _("Development plan: ")
            summary = f"{self.plan(wr).summary()}."
            self.para("Normal", lead + summary, Run(lead, bold=True), summary, before=60)
        if wr.self_scores is None and wr.auditor_scores is None:
            self.para("Normal", _("The workshop has not returned ratings."), before=120)
            return
        self._summary_table(wr)
        self.para("Note", _counts_sentence(wr, self.cat, self.lang), before=40)
        *_drawn, description = profile_description(self.cat, wr, profile_series(self.lang), self.figures.auditor_groups,
                                                   lang=self.lang)
        png, height = self._picture(("profile", index))
        self.para(None, "", w.picture(png, PROFILE_WIDTH, description), after=0, height=height * 72)

    def _picture(self, key: Picture) -> Drawn:
        """A picture given to the report, or drawn now."""
        return self.drawn.get(key) or self.pictures.draw(key)

    def _summary_table(self, wr: WorkshopResult) -> None:
        """Elements and all criteria: the workshop's own mean, the auditors', their gap, the round's."""
        w, cat = self.w, self.cat
        _ = wording("documents", self.lang)
        own, aud = wr.self_scores, wr.auditor_scores
        rows = []

        def figure(g: GroupScore | None) -> Cell:
            return text_cell(w, fi(group_mean(g)) if g is not None else "–", align="center")

        groups = [(e.heading, e.id, _group(own, e.id), _group(aud, e.id)) for e in cat.elements]
        groups.append((_.pgettext("report", "All criteria"), "kaikki", own.overall if own else None,
                       aud.overall if aud else None))
        for label, gid, s, a in groups:
            gap = difference(group_mean(a), group_mean(s))
            note = unassessable_note(("self", s), ("auditors", a), lang=self.lang)
            round_mean = self.figures.auditor_groups.get(gid)
            rows.append((Row([Cell([w.p("Table Label", Run(label, size=9), *note)], fill=LABEL_FILL),
                              figure(s), figure(a), text_cell(w, signed(gap, 2), align="center"),
                              figure_cell(w, round_mean)]),
                         (label + "".join(r.text for r in note), "3,00", "3,00", "+0,00", "3,00 (300)")))
        self.table([_.pgettext("report", "Element name"), *side_labels(self.lang), _.pgettext("report", "Difference"),
                    _("Round (auditors)")],
                   (0.42, 0.13, 0.13, 0.12, 0.2), rows, head_size=8.5)

    # --- the end ------------------------------------------------------------------------------------

    def _unchecked(self) -> None:
        result = self.result
        _ = wording("documents", self.lang)
        self.section("tarkistamatta")
        if not result.unchecked:
            self.para("Normal", _("All returned files were checked against the round's register, the letter codes, the "
                                  "round's code and the criteria's version."))
            return
        self.para("Normal", _("Compiling left unchecked:"))
        said = wording("messages", self.lang)  # the report's language, whatever the terminal speaks
        for note in result.unchecked:
            self.para("List Bullet", clean(said(note)))

    def _problems(self) -> None:
        w, result = self.w, self.result
        _ = wording("documents", self.lang)
        self.section("ongelmat")
        if not result.problems:
            self.para("Normal", _("No problems were found in the returned files."))
            return
        self.para("Normal", _("Every problem found in the returned files, and every missing return ({count}). Error: the "
                              "information could not be used; warning: the information was used or is missing, but the "
                              "matter is worth checking.", count=len(result.problems)))
        rows = []
        lang = self.lang
        for p in result.problems:
            texts = (clean(p.file) or "–", clean(p.place_in(lang)) or "–", label(SEVERITY, p.severity, lang),
                     clean(p.message_in(lang)))
            rows.append((Row([text_cell(w, t) for t in texts]), texts))
        self.table([_.pgettext("report", "File"), _.pgettext("report", "Place"), _.pgettext("report", "Severity"),
                    _.pgettext("report", "Description")], (0.27, 0.15, 0.11, 0.47), rows,
                   continued=self.sections["ongelmat"])

    def _files(self) -> None:
        """The files not used (duplicates, refused, unreadable, ignored): the ones to act on. Every file
        read is in koonti.xlsx (Tiedostot); at 300 workshops that list alone is some thirty pages."""
        w, result = self.w, self.result
        _ = wording("documents", self.lang)
        self.section("tiedostot")
        unused = [f for f in result.files if f.status != "used"]
        self.para("Normal", _.ngettext("{count} file was read, of which {used} was used. Here are those that were not "
                                       "used, and why (the reason is in annex 1). Every file read is on koonti.xlsx's "
                                       "sheet {sheet}.",
                                       "{count} files were read, of which {used} were used. Here are those that were not "
                                       "used, and why (the reason is in annex 1). Every file read is on koonti.xlsx's "
                                       "sheet {sheet}.", len(result.files), used=len(result.files) - len(unused),
                                       sheet=koonti_sheet(SHEET_FILES, self.lang)))
        if not unused:
            return
        rows = []
        saved_as_said = wording("messages", self.lang).moment
        for f in unused:
            texts = (clean(f.file), label(KIND, f.kind, self.lang), label(STATUS, f.status, self.lang),
                     clean(f.workshop_id) or "–", saved_as_said(clean(f.saved_at)) or "–")
            rows.append((Row([text_cell(w, t) for t in texts]), texts))
        self.table([_.pgettext("report", "File"), _.pgettext("report", "Kind"), _.pgettext("report", "State"),
                    _.pgettext("report", "Workshop"), _.pgettext("report", "Saved")], (0.39, 0.11, 0.18, 0.11, 0.21),
                   rows, continued=self.sections["tiedostot"])


def _group(profile: ScoreProfile | None, gid: str) -> GroupScore | None:
    if profile is None:
        return None
    return next((g for g in profile.elements if g.id == gid), None)


def _counts_sentence(wr: WorkshopResult, catalogue: Catalogue, lang: str = "fi") -> str:
    """The workshop's own and the auditors' ratings in counts, and where they differ most."""
    _ = wording("documents", lang)
    levels = "/".join(str(v) for v in catalogue.scale.values)
    na = catalogue.scale.not_applicable.label
    parts = []
    for who, profile in zip(side_labels(lang), (wr.self_scores, wr.auditor_scores)):
        if profile is None:
            parts.append(_("{who}: not returned.", who=who))
            continue
        values = [e.value for e in profile.criteria.values() if e.value is not None]
        na_count = sum(1 for e in profile.criteria.values() if e.not_applicable)
        counts = "/".join(str(values.count(v)) for v in catalogue.scale.values)
        parts.append(_("{who}: {rated} rated, {na} {na_count}, missing {missing}; at levels {levels}: {counts}.",
                       who=who, rated=len(values), na=na, na_count=na_count, missing=len(profile.missing),
                       levels=levels, counts=counts))
    gaps = [(n, g) for n, g in wr.gaps.items() if g]
    if gaps:
        higher = sum(1 for _n, g in gaps if g < 0)
        top = sorted(gaps, key=lambda item: (-abs(item[1]), item[0]))[:3]
        parts.append(_.ngettext("The ratings differ in {count} criterion (the workshop higher in {higher}, lower in "
                                "{lower}); most in criteria {top}.",
                                "The ratings differ in {count} criteria (the workshop higher in {higher}, lower in "
                                "{lower}); most in criteria {top}.", len(gaps), higher=higher, lower=len(gaps) - higher,
                                top=", ".join(f"{n} ({signed(g)})" for n, g in top)))
    elif wr.gaps:
        parts.append(_("The ratings are the same in every criterion both rated."))
    return " ".join(parts)


def _heat_label(wr: WorkshopResult, lang: str = "fi", width: int = NAME_CHARS) -> str:
    _ = wording("documents", lang)
    mark = "" if wr.auditor_scores else _(" (self)") if wr.self_scores else _(" (no returns)")
    text = f"{clean(wr.workshop.id)} {clean(wr.workshop.name)}".strip()
    room = width - len(mark)
    return (text if len(text) <= room else text[:room - 1].rstrip() + "…") + mark


def _distribution(stats: CriterionStats, catalogue: Catalogue) -> str:
    return " / ".join(str(stats.distribution.get(v, 0)) for v in catalogue.scale.values)
