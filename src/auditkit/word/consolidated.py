"""The consolidated report of a round (koontiraportti.docx): the round at a glance, then every workshop.

Built for a national round of 300 workshops as well as for a dozen: the round's tables are one row
per workshop or criterion, the heat map is split into pictures of at most HEAT_ROWS workshops, and
each workshop's section is a page or two drawn with one reused chart.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

from ..catalogue import Catalogue
from ..compile import ROLE_LABEL, RoundResult, WorkshopResult
from ..model import AUDIENCE_FI, Identity
from ..scoring import CriterionStats, weakest
from . import ooxml
from .contract import CONSOLIDATED_ROLE, CONSOLIDATED_TITLE, FORMAT_VERSION
from .document import Writer
from .ooxml import Row, Run
from .pictures import HEAT_WIDTH, heat_map
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
    gaps_table,
    label_cell,
    percent,
    profile_picture,
    profile_table,
    rated_value,
    recommendation_block,
    report_time,
    returned_label,
    rule_paragraphs,
    short,
    signed,
    text_cell,
    texts_table,
)

HEAT_ROWS = 40  # workshops per heat-map picture, so each stays readable on one page
WEAKEST = 10
SECTION_TEXT_LIMIT = 1500  # characters of one returned text in a workshop's section
SEVERITY_FI = {"error": "virhe", "warning": "varoitus"}
STATUS_FI = {"used": "käytetty", "duplicate": "kaksoiskappale, ei käytetty", "refused": "hylätty",
             "unreadable": "ei luettavissa", "ignored": "ohitettu", "read": "luettu"}
KIND_FI = {"workbook": "taulukko", "form": "lomake", "other": "muu"}
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
    ("tiedostot", "Liite 2: Luetut tiedostot"),
)


def build_consolidated_report(catalogue: Catalogue, result: RoundResult, *,
                              templates: str | os.PathLike[str] | None = None) -> bytes:
    """koontiraportti.docx for a compiled round, as bytes.

    Cover (round, audit type, content version; no date, so the same inputs give the same report),
    the round's summary, the recommendation rule and every workshop's proposal to Into, a heat map
    of ratings, means per criterion, area and element, the weakest criteria, self-vs-auditor
    calibration, a section per workshop, what was not checked and every problem. Text from returned
    files goes in as plain text. Raises TemplateError when the base document is broken.
    """
    w = Writer(catalogue, templates)
    figures = RoundFigures.of(result)
    anchors = {wr.workshop.id: f"tyopaja_{i}" for i, wr in enumerate(result.workshops, start=1)}
    _cover(w, result)
    _summary(w, result)
    _recommendations(w, result, anchors)
    _heat_maps(w, result)
    _means(w, result, figures)
    _weakest(w, result)
    _calibration(w, result)
    _workshops(w, result, figures, anchors)
    _unchecked(w, result)
    _problems(w, result)
    _files(w, result)
    w.header_footer([CONSOLIDATED_TITLE, " · ", *round_parts(result)], [f"{catalogue.meta.title} {catalogue.version}"])
    ident = Identity(FORMAT_VERSION, catalogue.version, catalogue.hash, round_id=result.round_id,
                     role=CONSOLIDATED_ROLE)
    return w.finish(ident, f"{CONSOLIDATED_TITLE}: {result.round_name or result.round_id}",
                    f"{catalogue.meta.title}: koontiraportti", when=report_time(result))


def round_parts(result: RoundResult) -> list[str]:
    """The round as shown: its name and id, each whole, or a note that no round was named."""
    name, rid = clean(result.round_name), clean(result.round_id)
    if name and rid and name != rid:
        return [name, " (", rid, ")"]
    return [name or rid or "kierros ei tiedossa"]


def _section(w: Writer, key: str, *, page_break: bool = True) -> None:
    title = dict(SECTIONS)[key]
    w.heading(1, *ooxml.bookmark(key, w.next_id(), ooxml.run(title)), page_break=page_break)


def _cover(w: Writer, result: RoundResult) -> None:
    catalogue = w.catalogue
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
    w.para("Normal", "Raportti on koottu työpajojen ja auditoijien palauttamista tiedostoista. " + PROPOSAL,
           before=200)
    w.heading(2, "Sisältö")
    for number, (key, title) in enumerate(SECTIONS, start=1):
        w.para("Numbered", f"{number}.", ooxml.tab(), ooxml.internal_link(key, title), after=20)


def _counts(w: Writer, title: str, rows: Sequence[tuple[str, str]]) -> None:
    w.heading(3, title)
    w.table((0.74, 0.26), [Row([text_cell(w, label), text_cell(w, value, align="right")]) for label, value in rows])


def _summary(w: Writer, result: RoundResult) -> None:
    s = result.summary()
    problems = s["problems"]
    _section(w, "yhteenveto")
    _counts(w, "Palautetut tiedostot", [
        ("Luettuja tiedostoja", str(s["files"])),
        ("Käytetty", str(s["used"])),
        ("Kaksoiskappaleita (uusin tallennettu käytettiin)", str(s["duplicates"])),
        ("Hylätty (toinen kierros, tuntematon tunniste tai eri kriteeristö)", str(s["refused"])),
        ("Ei luettavissa", str(s["unreadable"])),
        ("Ohitettu (muut kuin palautettavat tiedostot)", str(s["ignored"])),
        ("Virheitä palautetuissa tiedostoissa (liite 1)", str(problems["error"])),
        ("Varoituksia palautetuissa tiedostoissa (liite 1)", str(problems["warning"])),
    ])
    missing = str(len(result.missing)) if result.checked_against_round else "ei tiedossa (kierrostiedostoa ei annettu)"
    _counts(w, "Työpajat", [
        ("Työpajoja", str(s["workshops"])),
        ("Itsearviointitaulukko palautettu", str(s["self_returned"])),
        ("Auditointitaulukko palautettu", str(s["auditor_returned"])),
        ("Itsearviointilomake palautettu", str(sum(1 for wr in result.workshops if wr.form is not None))),
        ("Puuttuvia palautuksia", missing),
    ])
    outcomes = [wr.recommendation.outcome if wr.recommendation else None for wr in result.workshops]
    rule = w.catalogue.rule
    _counts(w, "Ehdotukset Intolle", [
        (rule.recommended, str(outcomes.count("recommended"))),
        (rule.conditional, str(outcomes.count("conditional"))),
        (rule.not_recommended, str(outcomes.count("not_recommended"))),
        (NO_AUDIT, str(outcomes.count(None))),
    ])
    if not result.missing:
        return
    w.heading(3, "Puuttuvat palautukset")
    names = {wr.workshop.id: wr.workshop.name for wr in result.workshops}
    rows = [w.head_row(["Tunnus", "Työpaja", "Puuttuu"])]
    rows += [Row([text_cell(w, clean(wid)), text_cell(w, clean(names.get(wid, ""))),
                  text_cell(w, ROLE_LABEL.get(role, role))]) for wid, role in result.missing]
    w.table((0.14, 0.56, 0.3), rows)


def _recommendations(w: Writer, result: RoundResult, anchors: dict[str, str]) -> None:
    _section(w, "ehdotukset")
    w.para("Normal", PROPOSAL + " Ehdotus tehdään auditoijien arvioista tämän säännön mukaan:")
    rule_paragraphs(w)
    w.heading(3, "Ehdotukset työpajoittain")
    rows = [w.head_row(["Tunnus", "Työpaja", SELF_LABEL, AUDITOR_LABEL, "Ero", "Ehdotus Intolle"])]
    for wr in result.workshops:
        own = wr.self_scores.overall.mean if wr.self_scores else None
        aud = wr.auditor_scores.overall.mean if wr.auditor_scores else None
        gap = sum(wr.gaps.values()) / len(wr.gaps) if wr.gaps else None
        rec = wr.recommendation
        rows.append(Row([
            text_cell(w, clean(wr.workshop.id)),
            text_cell(w, ooxml.internal_link(anchors[wr.workshop.id],
                                             clean(wr.workshop.name) or clean(wr.workshop.id))),
            text_cell(w, fi(own), align="center"), text_cell(w, fi(aud), align="center"),
            text_cell(w, signed(gap, 2), align="center"),
            text_cell(w, rec.label if rec else "ei ehdotusta", fill=OUTCOME_FILL[rec.outcome if rec else None]),
        ]))
    w.table((0.09, 0.35, 0.105, 0.105, 0.1, 0.25), rows)
    w.para("Note", "Keskiarvot kaikista kriteereistä asteikolla 1–4 (Ei sovellu ei mukana). Ero: auditoijien ja "
           "työpajan arvion erotus keskimäärin niissä kriteereissä, jotka molemmat arvioivat; miinus tarkoittaa, "
           "että työpaja arvioi itsensä korkeammalle.", before=40)


def _heat_maps(w: Writer, result: RoundResult) -> None:
    catalogue = w.catalogue
    _section(w, "arviot")
    spans = [f"{e.heading} {min(ns)}–{max(ns)}" for e in catalogue.elements
             if (ns := [c.number for c in catalogue.criteria if c.element_id == e.id])]
    w.para("Normal", "Jokainen rivi on työpaja, jokainen sarake kriteeri. Väri on auditoijien arvio (hyväksytty "
           f"Ei sovellu harmaana, hylätty lasketaan arvoksi {catalogue.rule.rejected_not_applicable_counts_as}); "
           "jos auditointia ei ole palautettu, rivillä on työpajan oma arvio ja merkintä (itse). Valkoinen: ei "
           f"arviota. Pystyviivat erottavat elementit ({', '.join(spans)}).")
    workshops = result.workshops
    if not workshops:
        w.para("Normal", "Ei työpajoja.")
        return
    columns = tuple(c.number for c in catalogue.criteria)
    breaks = tuple(min(c.number for c in catalogue.criteria if c.element_id == e.id) for e in catalogue.elements[1:])
    legend = catalogue.scale.choices
    chunks = math.ceil(len(workshops) / HEAT_ROWS)
    size = math.ceil(len(workshops) / chunks)
    for start in range(0, len(workshops), size):
        part = workshops[start:start + size]
        labels = [_heat_label(wr) for wr in part]
        values = [[rated_value(wr.auditor_scores or wr.self_scores, n) for n in columns] for wr in part]
        picture = heat_map(columns, size, breaks, legend).png(labels, values)
        if chunks > 1:
            w.para("Heading 3", f"Työpajat {start + 1}–{start + len(part)} (yhteensä {len(workshops)})",
                   page_break_before=start > 0)
        description = (f"Lämpökartta: {'auditoijien arviot' if any(wr.auditor_scores for wr in part) else 'arviot'} "
                       f"työpajoittain (rivit: työpajat {start + 1}–{start + len(part)}) ja kriteereittäin "
                       f"(sarakkeet {columns[0]}–{columns[-1]}). Solussa on arvio numerona; – on "
                       f"{catalogue.scale.not_applicable.label}, · ei arviota. Samat arviot ovat koonti.xlsx:n "
                       "välilehdellä Arviot.")
        w.para(None, w.picture(picture, HEAT_WIDTH, description), after=0)


def _heat_label(wr: WorkshopResult, width: int = 34) -> str:
    mark = "" if wr.auditor_scores else " (itse)" if wr.self_scores else " (ei palautusta)"
    text = f"{clean(wr.workshop.id)} {clean(wr.workshop.name)}".strip()
    room = width - len(mark)
    return (text if len(text) <= room else text[:room - 1].rstrip() + "…") + mark


def _means(w: Writer, result: RoundResult, figures: RoundFigures) -> None:
    catalogue = w.catalogue
    _section(w, "keskiarvot")
    w.para("Normal", f"Keskiarvot asteikolla 1–{catalogue.scale.max} työpajojen itsearvioista ja auditoijien "
           "arvioista; Ei sovellu ei ole mukana. Osa-alueen ja elementin luku on työpajojen keskiarvojen "
           "keskiarvo. Suluissa työpajojen (kriteereissä arvioiden) määrä.")
    w.heading(2, "Elementit ja osa-alueet")
    rows = [w.head_row(["Elementti ja osa-alue", SELF_LABEL, AUDITOR_LABEL, "Ero"])]

    def row(gid: str, label: str, bold: bool) -> Row:
        s, a = figures.self_groups.get(gid), figures.auditor_groups.get(gid)
        gap = a.mean - s.mean if s and a and s.mean is not None and a.mean is not None else None
        first = label_cell(w, label) if bold else text_cell(w, label)
        return Row([first, figure_cell(w, s), figure_cell(w, a), text_cell(w, signed(gap, 2), align="center")])

    for element in catalogue.elements:
        rows.append(row(element.id, element.heading, True))
        rows += [row(area.id, area.name, False) for area in catalogue.areas_of(element.id)]
    rows.append(row("kaikki", "Kaikki kriteerit", True))
    w.table((0.58, 0.15, 0.15, 0.12), rows)
    w.heading(2, "Kriteerit", page_break=True)
    levels = " / ".join(str(v) for v in catalogue.scale.values)
    rows = [w.head_row(["Nro", "Kriteeri", SELF_LABEL, AUDITOR_LABEL, f"Auditoijat: {levels}",
                        catalogue.scale.not_applicable.label])]
    aud_stats = {s.number: s for s in result.auditor_stats}
    for criterion in catalogue.criteria:
        stats = aud_stats.get(criterion.number)
        rows.append(Row([
            label_cell(w, str(criterion.number)), text_cell(w, short(criterion, 80)),
            figure_cell(w, figures.self_criteria.get(criterion.number)),
            figure_cell(w, figures.auditor_criteria.get(criterion.number)),
            text_cell(w, _distribution(stats, catalogue) if stats else "–", align="center"),
            text_cell(w, str(stats.not_applicable) if stats else "–", align="center"),
        ]))
    w.table((0.06, 0.44, 0.12, 0.12, 0.17, 0.09), rows)


def _distribution(stats: CriterionStats, catalogue: Catalogue) -> str:
    return " / ".join(str(stats.distribution.get(v, 0)) for v in catalogue.scale.values)


def _weakest(w: Writer, result: RoundResult) -> None:
    catalogue = w.catalogue
    _section(w, "heikoimmat")
    audited = sum(1 for wr in result.workshops if wr.auditor_scores)
    side, stats, count = ("auditoijien", result.auditor_stats, audited) if audited else \
        ("työpajojen omien", result.self_stats, sum(1 for wr in result.workshops if wr.self_scores))
    min_n = max(1, min(3, count))
    found = weakest(stats, WEAKEST, min_n=min_n)
    if not found:
        w.para("Normal", "Arvioita ei ole vielä palautettu.")
        return
    w.para("Normal", f"Kriteerit, joiden keskiarvo on kierroksen matalin {side} arvioissa (kriteerit, joita "
           f"vähintään {min_n} työpajaa on arvioinut). Jakauma: montako arviota kullakin tasolla "
           f"{' / '.join(str(v) for v in catalogue.scale.values)}.")
    rows = [w.head_row(["Nro", "Kriteeri", "Keskiarvo", "Arvioita", "Jakauma"])]
    for s in found:
        criterion = catalogue.criterion(s.number)
        rows.append(Row([label_cell(w, str(s.number)), text_cell(w, criterion.text),
                         text_cell(w, fi(s.mean), align="center"), text_cell(w, str(s.n), align="center"),
                         text_cell(w, _distribution(s, catalogue), align="center")]))
    w.table((0.06, 0.56, 0.1, 0.1, 0.18), rows)


def _calibration(w: Writer, result: RoundResult) -> None:
    _section(w, "kalibrointi")
    cal = result.calibration
    if cal is None or not cal.pairs:
        w.para("Normal", "Vertailua ei voi tehdä: yhdeltäkään työpajalta ei ole sekä itsearviota että "
               "auditoijien arviota.")
        return
    w.para("Normal", "Vertailu kattaa kriteerit, joissa sekä työpaja että auditoijat antoivat arvion. Ero = "
           "auditoijien arvio − työpajan arvio; miinus tarkoittaa, että työpaja arvioi itsensä korkeammalle.")
    facts_table(w, [
        ("Arviopareja", [str(cal.pairs)]),
        ("Keskimääräinen ero", [signed(cal.mean_gap, 2)]),
        ("Työpaja arvioi korkeammalle", [f"{cal.self_higher} ({percent(cal.self_higher, cal.pairs)})"]),
        ("Sama arvio", [f"{cal.same} ({percent(cal.same, cal.pairs)})"]),
        ("Työpaja arvioi matalammalle", [f"{cal.self_lower} ({percent(cal.self_lower, cal.pairs)})"]),
    ], (0.5, 0.5))
    by_criterion: dict[int, list[int]] = {}
    for wr in result.workshops:
        for number, gap in wr.gaps.items():
            by_criterion.setdefault(number, []).append(gap)
    ranked = sorted(((n, sum(g) / len(g), g) for n, g in by_criterion.items()),
                    key=lambda item: (-abs(item[1]), item[0]))
    ranked = [item for item in ranked if item[1]][:WEAKEST]
    if not ranked:
        return
    w.heading(2, "Kriteerit, joissa arviot eroavat eniten")
    rows = [w.head_row(["Nro", "Kriteeri", "Ero keskimäärin", "Pareja", "Työpaja korkeammalla"])]
    for number, mean_gap, gaps in ranked:
        higher = sum(1 for g in gaps if g < 0)
        rows.append(Row([label_cell(w, str(number)), text_cell(w, short(w.catalogue.criterion(number), 80)),
                         text_cell(w, signed(mean_gap, 2), align="center"),
                         text_cell(w, str(len(gaps)), align="center"),
                         text_cell(w, f"{higher} ({percent(higher, len(gaps))})", align="center")]))
    w.table((0.06, 0.52, 0.14, 0.1, 0.18), rows)


def _workshops(w: Writer, result: RoundResult, figures: RoundFigures, anchors: dict[str, str]) -> None:
    _section(w, "tyopajat")
    w.para("Normal", "Jokaisesta työpajasta: profiili (itsearvio, auditoijat ja kierroksen keskiarvo), kriteerit, "
           "joissa arviot eroavat eniten, vahvuudet ja kehittämiskohteet työpajan lomakkeesta ja auditoijien "
           "taulukosta sekä ehdotus Intolle perusteluineen. " + PROPOSAL)
    round_column = ("Kierros (auditoijat)", figures.auditor_groups)
    for index, wr in enumerate(result.workshops):
        ws = wr.workshop
        name = clean(ws.name)
        w.heading(2, *ooxml.bookmark(anchors[ws.id], w.next_id(), ooxml.run(clean(ws.id))),
                  *([" ", name] if name else []), page_break=index > 0)
        rec = wr.recommendation
        profile = ws.profile
        facts = [("Organisaatio", [clean(ws.organisation) or "–"])]
        if result.checked_against_round:
            facts.append(("Profiili", [f"{AUDIENCE_FI.get(profile.audience, profile.audience)}; oppimisympäristöjä: "
                                       f"{'kyllä' if profile.learning_environments else 'ei'}"]))
        facts += [("Palautukset", returned_label(wr)),
                  ("Ehdotus Intolle", [Run(rec.label if rec else NO_AUDIT, bold=True)])]
        facts_table(w, facts)
        if wr.self_scores is None and wr.auditor_scores is None:
            w.para("Normal", "Työpaja ei ole palauttanut arvioita.", before=120)
            continue
        w.heading(3, "Profiili")
        profile_picture(w, wr, round_column)
        profile_table(w, wr, [round_column])
        w.heading(3, "Suurimmat erot")
        gaps_table(w, wr)
        w.heading(3, "Vahvuudet ja kehittämiskohteet")
        texts_table(w, wr, SECTION_TEXT_LIMIT)
        w.heading(3, "Ehdotus Intolle")
        recommendation_block(w, wr)


def _unchecked(w: Writer, result: RoundResult) -> None:
    _section(w, "tarkistamatta")
    if not result.unchecked:
        w.para("Normal", "Kaikki palautetut tiedostot tarkistettiin kierroksen rekisteriä, kirjetunnisteita, "
               "kierroksen tunnistetta ja kriteeristön versiota vasten.")
        return
    w.para("Normal", "Kokoamisessa jäi tarkistamatta (kokoamistyökalun kuvaus):")
    for note in result.unchecked:
        w.para("List Bullet", clean(note))


def _problems(w: Writer, result: RoundResult) -> None:
    _section(w, "ongelmat")
    if not result.problems:
        w.para("Normal", "Palautetuissa tiedostoissa ei havaittu ongelmia.")
        return
    w.para("Normal", f"Jokainen palautetuissa tiedostoissa havaittu ongelma ja puuttuva palautus "
           f"({len(result.problems)}). Virhe: tietoa ei voitu käyttää; varoitus: tieto käytettiin tai puuttuu, "
           "mutta asia kannattaa tarkistaa. Kuvaukset ovat kokoamistyökalun kielellä (englanniksi).")
    rows = [w.head_row(["Tiedosto", "Kohta", "Vakavuus", "Kuvaus"])]
    for p in result.problems:
        rows.append(Row([text_cell(w, clean(p.file) or "–"), text_cell(w, clean(p.place) or "–"),
                         text_cell(w, SEVERITY_FI.get(p.severity, p.severity)), text_cell(w, clean(p.message))],
                        cant_split=False))
    w.table((0.27, 0.15, 0.1, 0.48), rows)


def _files(w: Writer, result: RoundResult) -> None:
    _section(w, "tiedostot")
    if not result.files:
        w.para("Normal", "Yhtään tiedostoa ei luettu.")
        return
    rows = [w.head_row(["Tiedosto", "Laji", "Tila", "Työpaja", "Tallennettu"])]
    for f in result.files:
        rows.append(Row([text_cell(w, clean(f.file)), text_cell(w, KIND_FI.get(f.kind, f.kind)),
                         text_cell(w, STATUS_FI.get(f.status, f.status)), text_cell(w, clean(f.workshop_id) or "–"),
                         text_cell(w, clean(f.saved_at).replace("T", " ").rstrip("Z") or "–")]))
    w.table((0.4, 0.11, 0.17, 0.1, 0.22), rows)
