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
from ..i18n import wording
from ..labels import AUDIENCE_FI, KIND_FI, ROLE_LABEL, SEVERITY_FI, STATUS_FI
from ..model import Identity
from ..plan import development_plan
from ..results import RoundResult, WorkshopResult
from ..scoring import CriterionStats, GroupScore, ScoreProfile, difference, weakest
from . import ooxml
from .contract import CONSOLIDATED_ROLE, CONSOLIDATED_TITLE, FORMAT_VERSION
from .document import Writer
from .ooxml import Cell, Element, Row, Run
from .paging import Measure, Page, pages_for
from .pictures import HEAT_WIDTH, PROFILE_WIDTH, HeatMap, ProfileChart, heat_map, profile_chart
from .results import (
    AUDITOR_LABEL,
    NO_AUDIT,
    OUTCOME_FILL,
    SELF_LABEL,
    RoundFigures,
    clean,
    facts_table,
    fi,
    figure_cell,
    group_mean,
    label_cell,
    percent,
    profile_description,
    proposal_lines,
    rated_value,
    report_time,
    returned_label,
    rule_paragraphs,
    short,
    signed,
    text_cell,
    unassessable_note,
)
from .styles import LABEL_FILL

HEAT_ROWS = 40  # workshops per heat-map picture, so each stays readable on one page
WEAKEST = 10
PROPOSAL = ("Ehdotukset laatumerkistä ovat auditoijien arvioihin perustuvia ehdotuksia Intolle; "
            "Into päättää laatumerkin myöntämisestä.")
SECTIONS = (
    ("yhteenveto", "Kierroksen yhteenveto"),
    ("ehdotukset", "Ehdotukset laatumerkistä"),
    ("arviot", "Arviot kriteereittäin"),
    ("keskiarvot", "Keskiarvot"),
    ("heikoimmat", "Heikoimmat kriteerit"),
    ("kalibrointi", "Itsearvio ja auditoijien arvio"),
    ("tyopajat", "Työpajat"),
    ("tarkistamatta", "Mitä ei tarkistettu"),
    ("ongelmat", "Liite 1: Ongelmat"),
    ("tiedostot", "Liite 2: Tiedostot, joita ei käytetty"),
)
NAME_CHARS = 30  # a workshop's name in a table row or heat-map label, so the row stays one line


# A picture of the report: ("heat", the first workshop's index) for a slice of the heat map, or
# ("profile", the workshop's index) for a workshop's profile; drawn: its PNG and its height in inches.
Picture = tuple[str, int]
Drawn = tuple[bytes, float]


class Pictures:
    """The report's pictures, each drawn on its own (draw), so that they can be drawn by several
    workers before the report is written and handed to build_consolidated_report. Picklable."""

    def __init__(self, catalogue: Catalogue, result: RoundResult) -> None:
        self.cat = catalogue
        self.result = result
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
        return heat_map(columns, _heat_size(len(self.result.workshops)), breaks, catalogue.scale.choices)

    def profile_chart(self) -> ProfileChart:
        return profile_chart(tuple(a.name for a in self.cat.areas), PROFILE_SERIES, self.cat.scale.min,
                             self.cat.scale.max)

    def draw(self, key: Picture) -> Drawn:
        """One picture's PNG (the same bytes wherever it is drawn) and its height in inches. The report
        given its pictures never makes the charts (a heat map's holds about 50 MB)."""
        kind, index = key
        workshops = self.result.workshops
        if kind == "heat":
            part = workshops[index:index + _heat_size(len(workshops))]
            columns = tuple(c.number for c in self.cat.criteria)
            labels = [_heat_label(wr) for wr in part]
            values = [[rated_value(wr.auditor_scores or wr.self_scores, n) for n in columns] for wr in part]
            heat = self.heat_map()
            return heat.png(labels, values), heat.height_in
        series, notes, _ = profile_description(self.cat, workshops[index], PROFILE_SERIES, self.auditor_groups)
        chart = self.profile_chart()
        return chart.png(series, notes), chart.height_in


PROFILE_SERIES = (SELF_LABEL, AUDITOR_LABEL, "Kierros (auditoijat)")


def _heat_size(workshops: int) -> int:
    """Workshops per heat-map picture: the round cut into equal slices of at most HEAT_ROWS."""
    return math.ceil(workshops / max(math.ceil(workshops / HEAT_ROWS), 1)) or 1


def build_consolidated_report(catalogue: Catalogue, result: RoundResult, *,
                              templates: str | os.PathLike[str] | None = None,
                              pictures: Mapping[Picture, Drawn] | None = None) -> bytes:
    """koontiraportti.docx for a compiled round, as bytes.

    Cover with the contents (round, audit type, content version; no date, so the same inputs give
    the same report), the round's summary, the recommendation rule and every workshop's proposal to
    Into, a heat map of ratings, means per criterion, area and element, the weakest criteria,
    self-vs-auditor calibration, a page per workshop, what was not checked and every problem. Text
    from returned files goes in as plain text. Raises TemplateError when the base document is broken.
    pictures: pictures drawn already (Pictures.draw, by key); the others are drawn here.
    """
    w = Writer(catalogue, templates)
    report = _Report(w, result, pictures or {})
    report.write()
    w.header_footer([CONSOLIDATED_TITLE, " · ", *round_heading(result)], [f"{catalogue.meta.title} {catalogue.version}"])
    ident = Identity(FORMAT_VERSION, catalogue.version, catalogue.hash, round_id=result.round_id,
                     role=CONSOLIDATED_ROLE)
    return w.finish(ident, f"{CONSOLIDATED_TITLE}: {result.round_name or result.round_id}",
                    f"{catalogue.meta.title}: koontiraportti", when=report_time(result))


def round_parts(result: RoundResult) -> list[str]:
    """The round as shown where a person may need to quote it: its name and its id labelled, each
    whole, or a note that no round was named."""
    name, rid = clean(result.round_name), clean(result.round_id)
    if name and rid and name != rid:
        return [name, " (tunnus ", rid, ")"]
    return [name or rid or "kierros ei tiedossa"]


def round_heading(result: RoundResult) -> list[str]:
    """The round in a page header: its name only (its id where it has no name)."""
    return [clean(result.round_name) or clean(result.round_id) or "kierros ei tiedossa"]


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
        self.figures = RoundFigures.of(result)
        self.drawn = pictures
        self.pictures = Pictures(self.cat, result)
        self.anchors = {wr.workshop.id: f"tyopaja_{i}" for i, wr in enumerate(result.workshops, start=1)}
        self.page = Page.of(w.doc.sections[0])
        self.at = 1  # the page being written
        self.room = self.page.budget
        self.pages: dict[str, int] = {}  # bookmark -> page
        self.page_refs: list[tuple[str, Element]] = []  # (bookmark, the run showing its page)

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
        title = dict(SECTIONS)[key]
        self.heading(1, title, *ooxml.bookmark(key, self.w.next_id(), ooxml.run(title)), new_page=True)
        self.pages[key] = self.at

    def table(self, head: Sequence[str], fractions: Sequence[float], rows: Sequence[tuple[Row, Sequence[str]]],
              *, continued: str = "", head_size: float | None = None) -> None:
        """A table cut into pages: each piece repeats the header; a later piece starts a page under
        `continued` (jatkuu). rows: each Row with its cells' texts for the estimate."""
        total = sum(fractions)
        shares = [f / total for f in fractions]
        header = self.page.row([Measure(h, s, "Table Label") for h, s in zip(head, shares)]) if head else 0.0
        heights = [self.page.row([Measure(t, s) for t, s in zip(texts, shares)]) for _, texts in rows]
        again = self.page.text(f"{continued} (jatkuu)", "Heading 3") if continued else 0.0
        for k, chunk in enumerate(pages_for(heights, self.room, self.page.budget - again, header)):
            if k:
                self.new_page()
                if continued:
                    self.room -= again
                    self.w.para("Heading 3", f"{continued} (jatkuu)", page_break_before=True)
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
        w.title_block(CONSOLIDATED_TITLE, "")
        w.para("Subtitle", *round_parts(result))
        checked = ["kyllä: rekisteri, kirjetunnisteet, kierroksen tunniste ja kriteeristön versio"] \
            if result.checked_against_round and not result.unchecked else \
            ["osittain; ks. Mitä ei tarkistettu"] if result.checked_against_round else \
            ["ei: kierrostiedostoa ei annettu; ks. Mitä ei tarkistettu"]
        facts_table(w, [
            ("Arviointikierros", round_parts(result)),
            ("Auditointimalli", [result.audit_type or "ei tiedossa"]),
            ("Kriteeristö", [f"{catalogue.meta.title}, versio {catalogue.version} ({catalogue.short_hash})"]),
            ("Työpajoja", [str(len(result.workshops))]),
            ("Tarkistettu kierrosta vasten", checked),
        ])
        w.para("Normal", "Raportti on koottu työpajojen ja auditoijien palauttamista tiedostoista. " + PROPOSAL
               + " Kriteerikohtaiset arviot ja tekstit ovat työpajojen palauteraporteissa ja koonti.xlsx:ssä.",
               before=200)
        w.heading(2, "Sisältö")
        self._contents()

    def _contents(self) -> None:
        """A TOC field (Word: right-click, Update Field) whose entries are written with their pages."""
        w = self.w
        begin = ooxml.field('TOC \\o "1-1" \\h \\z \\u', "")
        for index, (key, title) in enumerate(SECTIONS):
            entry = [ooxml.internal_link(key, title), ooxml.tab(), *self.page_ref(key)]
            if index == 0:
                entry = [*begin[:3], *entry]  # the field's result is the entries, up to its end below
            if index == len(SECTIONS) - 1:
                entry.append(begin[4])
            w.para("Normal", *entry, after=40, right_tab=w.width)

    def _counts(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        self.heading(3, title)
        self.table((), (0.74, 0.26), [(Row([text_cell(self.w, label), text_cell(self.w, value, align="right")]),
                                       (label, value)) for label, value in rows])

    def _summary(self) -> None:
        result, w = self.result, self.w
        s = result.summary()
        problems = s["problems"]
        self.section("yhteenveto")
        self._counts("Palautetut tiedostot", [
            ("Luettuja tiedostoja", str(s["files"])),
            ("Käytetty", str(s["used"])),
            ("Kaksoiskappaleita (samat vastaukset, tai koordinaattori valitsi toisen)", str(s["duplicates"])),
            ("Eri versioita, joista koordinaattori ei ole vielä valinnut", str(s["in_conflict"])),
            ("Hylätty (toinen kierros tai työpaja, tuntematon tunniste tai eri kriteeristö)", str(s["refused"])),
            ("Ei luettavissa", str(s["unreadable"])),
            ("Vastaanotettu, ei vastauksia (saatteet, käsitteet, raportit, suunnitelmat)", str(s["received"])),
            ("Ohitettu (muut kuin palautettavat tiedostot)", str(s["ignored"])),
            ("Virheitä palautetuissa tiedostoissa (liite 1)", str(problems["error"])),
            ("Varoituksia palautetuissa tiedostoissa (liite 1)", str(problems["warning"])),
        ])
        missing = str(len(result.missing)) if result.checked_against_round else "ei tiedossa (kierrostiedostoa ei annettu)"
        self._counts("Työpajat", [
            ("Työpajoja", str(s["workshops"])),
            ("Itsearviointitaulukko palautettu", str(s["self_returned"])),
            ("Auditointitaulukko palautettu", str(s["auditor_returned"])),
            ("Itsearviointilomake palautettu", str(sum(1 for wr in result.workshops if wr.form is not None))),
            ("Puuttuvia palautuksia", missing),
        ])
        outcomes = [wr.recommendation.outcome if wr.recommendation else None for wr in result.workshops]
        rule = self.cat.rule
        self._counts("Ehdotukset Intolle", [
            (rule.recommended, str(outcomes.count("recommended"))),
            (rule.conditional, str(outcomes.count("conditional"))),
            (rule.not_recommended, str(outcomes.count("not_recommended"))),
            (NO_AUDIT, str(outcomes.count(None))),
            ("Ehdotuksia, joihin liittyy varauma", str(sum(1 for wr in result.workshops
                                                          if wr.recommendation and wr.recommendation.caveats))),
            ("Ehdollisia, joiden ehdon kohdille on toimenpiteet", self._conditional_plans()),
        ])
        if not result.missing:
            return
        self.heading(3, "Puuttuvat palautukset")
        names = {wr.workshop.id: wr for wr in result.workshops}
        by_workshop: dict[str, list[str]] = {}  # a row per workshop: what it still owes, in one cell
        for wid, role in result.missing:
            by_workshop.setdefault(wid, []).append(ROLE_LABEL.get(role, role))
        rows = []
        for wid, roles in by_workshop.items():
            name = _short_name(names[wid]) if wid in names else ""
            owed = ", ".join(roles)
            rows.append((Row([text_cell(w, clean(wid)), text_cell(w, name), text_cell(w, owed)]),
                         (clean(wid), name, owed)))
        self.table(["Tunnus", "Työpaja", "Puuttuu"], (0.14, 0.56, 0.3), rows, continued="Puuttuvat palautukset")

    def _conditional_plans(self) -> str:
        """"2 / 4": of the conditional proposals, those whose plan has an action for every shortfall."""
        plans = [development_plan(self.cat, wr) for wr in self.result.workshops
                 if wr.recommendation is not None and wr.recommendation.outcome == "conditional"]
        return f"{sum(1 for p in plans if all(line.action for line in p.required))} / {len(plans)}"

    def _recommendations(self) -> None:
        w, result = self.w, self.result
        self.section("ehdotukset")
        self.para("Normal", PROPOSAL + " Ehdotus tehdään auditoijien arvioista tämän säännön mukaan:")
        rule_paragraphs(w)
        self.room -= sum(self.page.text(line, "Numbered") for line in self.cat.rule.describe())
        self.heading(3, "Ehdotukset työpajoittain")
        head = ["Tunnus", "Työpaja", SELF_LABEL, AUDITOR_LABEL, "Ehdotus Intolle", "Sivu"]
        rows = []
        for wr in result.workshops:
            own = group_mean(wr.self_scores.overall) if wr.self_scores else None
            aud = group_mean(wr.auditor_scores.overall) if wr.auditor_scores else None
            rec = wr.recommendation
            label = rec.label if rec else "ei ehdotusta"
            marked = bool(rec and rec.caveats) or bool(wr.unresolved)  # unresolved copies: said without a proposal too
            shown = [Run(label)] + ([Run(" (varauma)", italic=True, size=8.5)] if marked else [])
            name = _short_name(wr)
            anchor = self.anchors[wr.workshop.id]
            rows.append((Row([
                text_cell(w, clean(wr.workshop.id)),
                text_cell(w, ooxml.internal_link(anchor, name)),
                text_cell(w, fi(own), align="center"), text_cell(w, fi(aud), align="center"),
                text_cell(w, *shown, fill=OUTCOME_FILL[rec.outcome if rec else None]),
                text_cell(w, *self.page_ref(anchor), align="center"),
            ]), (clean(wr.workshop.id), name, fi(own), fi(aud), label + (" (varauma)" if marked else ""),
                 "999")))
        self.table(head, (0.1, 0.31, 0.12, 0.13, 0.26, 0.08), rows, continued="Ehdotukset työpajoittain")
        self.para("Note", "Keskiarvot kaikista kriteereistä asteikolla "
                  f"{self.cat.scale.min}–{self.cat.scale.max} (Ei sovellu ei mukana). Varauma: ehdotukseen liittyy "
                  "asia, joka lukijan on syytä tietää (esimerkiksi itsearviointi puuttuu); se on kerrottu työpajan "
                  "sivulla. Sivu: työpajan sivu tässä raportissa.")

    def _heat_maps(self) -> None:
        catalogue, w = self.cat, self.w
        self.section("arviot")
        spans = [f"{e.heading} {min(ns)}–{max(ns)}" for e in catalogue.elements
                 if (ns := [c.number for c in catalogue.criteria if c.element_id == e.id])]
        na = catalogue.scale.not_applicable.label
        self.para("Normal", "Jokainen rivi on työpaja, jokainen sarake kriteeri. Solussa on auditoijien arvio "
                  f"numerona ja värinä; – on hyväksytty {na}, · ei arviota (hylätty {na} lasketaan arvoksi "
                  f"{catalogue.rule.rejected_not_applicable_counts_as}). Jos auditointia ei ole palautettu, rivillä "
                  "on työpajan oma arvio ja merkintä (itse). Pystyviivat erottavat elementit "
                  f"({', '.join(spans)}). Värit erottuvat myös harmaasävytulosteessa ja värisokealle.")
        workshops = self.result.workshops
        if not workshops:
            self.para("Normal", "Ei työpajoja.")
            return
        columns = tuple(c.number for c in catalogue.criteria)
        size = _heat_size(len(workshops))
        chunks = math.ceil(len(workshops) / size)
        for start in range(0, len(workshops), size):
            part = workshops[start:start + size]
            png, height = self._picture(("heat", start))
            if chunks > 1:
                title = f"Työpajat {start + 1}–{start + len(part)} (yhteensä {len(workshops)})"
                if start:
                    self.heading(3, title, new_page=True)
                else:
                    self.heading(3, title)
            description = (f"Lämpökartta: {'auditoijien arviot' if any(wr.auditor_scores for wr in part) else 'arviot'} "
                           f"työpajoittain (rivit: työpajat {start + 1}–{start + len(part)}) ja kriteereittäin "
                           f"(sarakkeet {columns[0]}–{columns[-1]}). Solussa on arvio numerona; – on {na}, · ei "
                           "arviota. Samat arviot ovat koonti.xlsx:n välilehdellä Arviot.")
            self.para(None, "", w.picture(png, HEAT_WIDTH, description), after=0, height=height * 72)

    def _means(self) -> None:
        catalogue, w, figures, result = self.cat, self.w, self.figures, self.result
        self.section("keskiarvot")
        self.para("Normal", f"Keskiarvot asteikolla {catalogue.scale.min}–{catalogue.scale.max} työpajojen "
                  "itsearvioista ja auditoijien arvioista; Ei sovellu ei ole mukana, eikä osa-alue tai elementti, "
                  "joka on työpajalla ei arvioitavissa. Osa-alueen ja elementin luku on työpajojen keskiarvojen "
                  "keskiarvo. Suluissa työpajojen (kriteereissä arvioiden) määrä.")
        self.heading(2, "Elementit ja osa-alueet")
        head = ["Elementti ja osa-alue", SELF_LABEL, AUDITOR_LABEL, "Ero"]

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
        rows.append(row("kaikki", "Kaikki kriteerit", True))
        self.table(head, (0.55, 0.16, 0.16, 0.13), rows)
        self.heading(2, "Kriteerit", new_page=True)
        levels = " / ".join(str(v) for v in catalogue.scale.values)
        na = catalogue.scale.not_applicable.label
        head = ["Nro", "Kriteeri", SELF_LABEL, AUDITOR_LABEL, f"Jakauma {levels}", na]
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
        self.table(head, (0.06, 0.42, 0.13, 0.13, 0.16, 0.1), rows, continued="Kriteerit")
        self.para("Note", f"Jakauma: montako auditoijien arviota kullakin tasolla {levels}. {na}: montako "
                  f"auditoijien arviota {na}.")

    def _weakest(self) -> None:
        catalogue, w, result = self.cat, self.w, self.result
        self.section("heikoimmat")
        audited = sum(1 for wr in result.workshops if wr.auditor_scores)
        side, stats, count = ("auditoijien", result.auditor_stats, audited) if audited else \
            ("työpajojen omien", result.self_stats, sum(1 for wr in result.workshops if wr.self_scores))
        min_n = max(1, min(3, count))
        found = weakest(stats, WEAKEST, min_n=min_n)
        if not found:
            self.para("Normal", "Arvioita ei ole vielä palautettu.")
            return
        levels = " / ".join(str(v) for v in catalogue.scale.values)
        self.para("Normal", f"Kriteerit, joiden keskiarvo on kierroksen matalin {side} arvioissa (kriteerit, joita "
                  f"vähintään {min_n} työpajaa on arvioinut). Jakauma: montako arviota kullakin tasolla {levels}.")
        rows = []
        for s in found:
            text = catalogue.criterion(s.number).text
            distribution = _distribution(s, catalogue)
            rows.append((Row([label_cell(w, str(s.number)), text_cell(w, text),
                              text_cell(w, fi(s.mean), align="center"), text_cell(w, str(s.n), align="center"),
                              text_cell(w, distribution, align="center")]),
                         ("00", text, "3,00", "300", distribution)))
        self.table(["Nro", "Kriteeri", "Keskiarvo", "Arvioita", f"Jakauma {levels}"], (0.06, 0.54, 0.12, 0.11, 0.17),
                   rows, continued="Heikoimmat kriteerit")

    def _calibration(self) -> None:
        w, result = self.w, self.result
        self.section("kalibrointi")
        cal = result.calibration
        if cal is None or not cal.pairs:
            self.para("Normal", "Vertailua ei voi tehdä: yhdeltäkään työpajalta ei ole sekä itsearviota että "
                      "auditoijien arviota.")
            return
        self.para("Normal", "Vertailu kattaa kriteerit, joissa sekä työpaja että auditoijat antoivat arvion. Ero = "
                  "auditoijien arvio − työpajan arvio; miinus tarkoittaa, että työpaja arvioi itsensä korkeammalle.")
        facts = [
            ("Arviopareja", str(cal.pairs)),
            ("Keskimääräinen ero", signed(cal.mean_gap, 2)),
            ("Työpaja arvioi korkeammalle", f"{cal.self_higher} ({percent(cal.self_higher, cal.pairs)})"),
            ("Sama arvio", f"{cal.same} ({percent(cal.same, cal.pairs)})"),
            ("Työpaja arvioi matalammalle", f"{cal.self_lower} ({percent(cal.self_lower, cal.pairs)})"),
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
        self.heading(2, "Kriteerit, joissa arviot eroavat eniten")
        rows = []
        for number, mean_gap, gaps in ranked:
            higher = sum(1 for g in gaps if g < 0)
            text = short(self.cat.criterion(number), 80)
            rows.append((Row([label_cell(w, str(number)), text_cell(w, text),
                              text_cell(w, signed(mean_gap, 2), align="center"),
                              text_cell(w, str(len(gaps)), align="center"),
                              text_cell(w, f"{higher} ({percent(higher, len(gaps))})", align="center")]),
                         ("00", text, "+0,00", "300", "300 (100 %)")))
        self.table(["Nro", "Kriteeri", "Ero keskimäärin", "Pareja", "Työpaja korkeammalla"],
                   (0.06, 0.5, 0.15, 0.1, 0.19), rows, continued="Kriteerit, joissa arviot eroavat eniten")

    # --- a page per workshop ------------------------------------------------------------------------

    def _workshops(self) -> None:
        self.section("tyopajat")
        self.para("Normal", "Jokaisesta työpajasta sivu: ehdotus Intolle perusteluineen, kehittämissuunnitelma "
                  "lukuina, työpajan oma ja auditoijien arvio elementeittäin sekä profiili osa-alueittain kierroksen "
                  "keskiarvoon verrattuna. Kriteerikohtaiset arviot, erot ja tekstit ovat työpajan palauteraportissa "
                  "ja koonti.xlsx:ssä, kehittämissuunnitelmat palaute-kansiossa.")
        for index, wr in enumerate(self.result.workshops):
            self._workshop(index, wr, first=index == 0)

    def _workshop(self, index: int, wr: WorkshopResult, *, first: bool) -> None:
        w, ws = self.w, wr.workshop
        name = clean(ws.name)
        anchor = self.anchors[ws.id]
        title = f"{clean(ws.id)} {name}".strip()
        self.heading(2, title, *ooxml.bookmark(anchor, w.next_id(), ooxml.run(clean(ws.id))),
                     *([" ", name] if name else []), new_page=not first)
        self.pages[anchor] = self.at
        profile = ws.profile
        who = clean(ws.organisation) or "–"
        if self.result.checked_against_round:
            who += (f"; {AUDIENCE_FI.get(profile.audience, profile.audience)}, oppimisympäristöjä: "
                    f"{'kyllä' if profile.learning_environments else 'ei'}")
        returned = returned_label(wr)
        self.table((), (0.26, 0.74), [(Row([label_cell(w, label), text_cell(w, *value)]), (label, "".join(value)))
                                      for label, value in (("Organisaatio ja profiili", [who]),
                                                           ("Palautukset", returned))])
        rec = wr.recommendation
        outcome = rec.label if rec else NO_AUDIT
        self.para("Normal", f"Ehdotus Intolle: {outcome}", "Ehdotus Intolle: ", Run(outcome, bold=True),
                  keep_next=True, before=0, fill=OUTCOME_FILL[rec.outcome if rec else None])
        for line, bold in proposal_lines(wr):
            self.para("List Bullet", line, Run(line, bold=bold))
        if wr.returned_self or wr.returned_auditor:  # a plan is written for every workshop that returned anything
            plan = f"Kehittämissuunnitelma: {development_plan(self.cat, wr).summary()}."
            self.para("Normal", plan, Run("Kehittämissuunnitelma: ", bold=True), plan.split(": ", 1)[1], before=60)
        if wr.self_scores is None and wr.auditor_scores is None:
            self.para("Normal", "Työpaja ei ole palauttanut arvioita.", before=120)
            return
        self._summary_table(wr)
        self.para("Note", _counts_sentence(wr, self.cat), before=40)
        _, _, description = profile_description(self.cat, wr, PROFILE_SERIES, self.figures.auditor_groups)
        png, height = self._picture(("profile", index))
        self.para(None, "", w.picture(png, PROFILE_WIDTH, description), after=0, height=height * 72)

    def _picture(self, key: Picture) -> Drawn:
        """A picture given to the report, or drawn now."""
        return self.drawn.get(key) or self.pictures.draw(key)

    def _summary_table(self, wr: WorkshopResult) -> None:
        """Elements and all criteria: the workshop's own mean, the auditors', their gap, the round's."""
        w, cat = self.w, self.cat
        own, aud = wr.self_scores, wr.auditor_scores
        rows = []

        def figure(g: GroupScore | None) -> Cell:
            return text_cell(w, fi(group_mean(g)) if g is not None else "–", align="center")

        groups = [(e.heading, e.id, _group(own, e.id), _group(aud, e.id)) for e in cat.elements]
        groups.append(("Kaikki kriteerit", "kaikki", own.overall if own else None, aud.overall if aud else None))
        for label, gid, s, a in groups:
            gap = difference(group_mean(a), group_mean(s))
            note = unassessable_note(("itsearvio", s), ("auditoijat", a))
            round_mean = self.figures.auditor_groups.get(gid)
            rows.append((Row([Cell([w.p("Table Label", Run(label, size=9), *note)], fill=LABEL_FILL),
                              figure(s), figure(a), text_cell(w, signed(gap, 2), align="center"),
                              figure_cell(w, round_mean)]),
                         (label + "".join(r.text for r in note), "3,00", "3,00", "+0,00", "3,00 (300)")))
        self.table(["Elementti", SELF_LABEL, AUDITOR_LABEL, "Ero", "Kierros (auditoijat)"],
                   (0.42, 0.13, 0.13, 0.12, 0.2), rows, head_size=8.5)

    # --- the end ------------------------------------------------------------------------------------

    def _unchecked(self) -> None:
        result = self.result
        self.section("tarkistamatta")
        if not result.unchecked:
            self.para("Normal", "Kaikki palautetut tiedostot tarkistettiin kierroksen rekisteriä, kirjetunnisteita, "
                      "kierroksen tunnistetta ja kriteeristön versiota vasten.")
            return
        self.para("Normal", "Kokoamisessa jäi tarkistamatta:")
        said = wording("messages", result.language)  # the round's language, whatever the terminal speaks
        for note in result.unchecked:
            self.para("List Bullet", clean(said(note)))

    def _problems(self) -> None:
        w, result = self.w, self.result
        self.section("ongelmat")
        if not result.problems:
            self.para("Normal", "Palautetuissa tiedostoissa ei havaittu ongelmia.")
            return
        self.para("Normal", f"Jokainen palautetuissa tiedostoissa havaittu ongelma ja puuttuva palautus "
                  f"({len(result.problems)}). Virhe: tietoa ei voitu käyttää; varoitus: tieto käytettiin tai puuttuu, "
                  "mutta asia kannattaa tarkistaa.")
        rows = []
        for p in result.problems:
            lang = result.language
            texts = (clean(p.file) or "–", clean(p.place_in(lang)) or "–", SEVERITY_FI.get(p.severity, p.severity),
                     clean(p.message_in(lang)))
            rows.append((Row([text_cell(w, t) for t in texts]), texts))
        self.table(["Tiedosto", "Kohta", "Vakavuus", "Kuvaus"], (0.27, 0.15, 0.11, 0.47), rows,
                   continued="Liite 1: Ongelmat")

    def _files(self) -> None:
        """The files not used (duplicates, refused, unreadable, ignored): the ones to act on. Every file
        read is in koonti.xlsx (Tiedostot); at 300 workshops that list alone is some thirty pages."""
        w, result = self.w, self.result
        self.section("tiedostot")
        unused = [f for f in result.files if f.status != "used"]
        self.para("Normal", f"Luettiin {len(result.files)} tiedostoa, joista {len(result.files) - len(unused)} "
                  "käytettiin. Tässä ovat ne, joita ei käytetty, ja miksi (syy on liitteessä 1). Kaikki luetut "
                  "tiedostot ovat koonti.xlsx:n välilehdellä Tiedostot.")
        if not unused:
            return
        rows = []
        saved_as_said = wording("messages", result.language).moment
        for f in unused:
            texts = (clean(f.file), KIND_FI.get(f.kind, f.kind), STATUS_FI.get(f.status, f.status),
                     clean(f.workshop_id) or "–", saved_as_said(clean(f.saved_at)) or "–")
            rows.append((Row([text_cell(w, t) for t in texts]), texts))
        self.table(["Tiedosto", "Laji", "Tila", "Työpaja", "Tallennettu"], (0.39, 0.11, 0.18, 0.11, 0.21), rows,
                   continued=dict(SECTIONS)["tiedostot"])


def _group(profile: ScoreProfile | None, gid: str) -> GroupScore | None:
    if profile is None:
        return None
    return next((g for g in profile.elements if g.id == gid), None)


def _counts_sentence(wr: WorkshopResult, catalogue: Catalogue) -> str:
    """The workshop's own and the auditors' ratings in counts, and where they differ most."""
    levels = "/".join(str(v) for v in catalogue.scale.values)
    na = catalogue.scale.not_applicable.label
    parts = []
    for who, profile in ((SELF_LABEL, wr.self_scores), (AUDITOR_LABEL, wr.auditor_scores)):
        if profile is None:
            parts.append(f"{who}: ei palautettu.")
            continue
        values = [e.value for e in profile.criteria.values() if e.value is not None]
        na_count = sum(1 for e in profile.criteria.values() if e.not_applicable)
        counts = "/".join(str(values.count(v)) for v in catalogue.scale.values)
        parts.append(f"{who}: {len(values)} arvioitu, {na} {na_count}, puuttuu {len(profile.missing)}; "
                     f"tasoilla {levels}: {counts}.")
    gaps = [(n, g) for n, g in wr.gaps.items() if g]
    if gaps:
        higher = sum(1 for _, g in gaps if g < 0)
        top = sorted(gaps, key=lambda item: (-abs(item[1]), item[0]))[:3]
        parts.append(f"Arviot eroavat {len(gaps)} kriteerissä (työpaja korkeammalla {higher}, matalammalla "
                     f"{len(gaps) - higher}); eniten kriteereissä " + ", ".join(f"{n} ({signed(g)})" for n, g in top)
                     + ".")
    elif wr.gaps:
        parts.append("Arviot ovat samat kaikissa kriteereissä, jotka molemmat arvioivat.")
    return " ".join(parts)


def _heat_label(wr: WorkshopResult, width: int = NAME_CHARS) -> str:
    mark = "" if wr.auditor_scores else " (itse)" if wr.self_scores else " (ei palautusta)"
    text = f"{clean(wr.workshop.id)} {clean(wr.workshop.name)}".strip()
    room = width - len(mark)
    return (text if len(text) <= room else text[:room - 1].rstrip() + "…") + mark


def _distribution(stats: CriterionStats, catalogue: Catalogue) -> str:
    return " / ".join(str(stats.distribution.get(v, 0)) for v in catalogue.scale.values)
