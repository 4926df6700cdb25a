"""A workshop's feedback report (palaute/<workshop>.docx): its own results against the round's.

Round figures are shown only when at least `min_round` workshops are behind them, so no workshop's
ratings can be worked out from a mean of two or three.
"""

from __future__ import annotations

import os

from ..catalogue import Catalogue
from ..results import RoundResult, WorkshopResult
from ..labels import AUDIENCE_FI
from ..model import Identity
from . import ooxml
from .consolidated import PROPOSAL, round_heading, round_parts
from .contract import FEEDBACK_ROLE, FEEDBACK_TITLE, FORMAT_VERSION
from .document import Writer
from .stamped import report_writer
from .ooxml import Row
from .results import (
    AUDITOR_LABEL,
    SELF_LABEL,
    RoundFigures,
    clean,
    facts_table,
    figure_cell,
    gaps_table,
    label_cell,
    profile_picture,
    profile_table,
    rating_text,
    recommendation_block,
    report_time,
    returned_label,
    rule_paragraphs,
    short,
    signed,
    text_cell,
    texts_table,
)
from .styles import LIGHT_FILL

FEEDBACK_TEXT_LIMIT = 5000


def build_feedback_report(catalogue: Catalogue, result: RoundResult, workshop_result: WorkshopResult, *,
                          min_round: int = 5, templates: str | os.PathLike[str] | None = None,
                          stamped: bool = True) -> bytes:
    """palaute/<workshop>.docx for one workshop of a compiled round, as bytes.

    The workshop's profile against the round, its ratings per criterion, the biggest gaps, the texts
    of strengths and development targets, and the recommendation with its checks. Round means (per
    area, element and criterion) appear only when at least min_round workshops are behind them;
    otherwise a sentence says they are withheld. stamped: spliced into a package made once per process
    (stamped.py); False builds it through python-docx's whole package (the same content). Raises
    TemplateError when the base document is broken.
    """
    w = report_writer(catalogue, templates, stamped=stamped, when=report_time(result))
    wr = workshop_result
    ws = wr.workshop
    figures = RoundFigures.of(result)
    rounds = [(label, groups) for label, groups, count in (
        ("Kierros: itsearviot", figures.self_groups, figures.self_workshops),
        ("Kierros: auditoijat", figures.auditor_groups, figures.auditor_workshops)) if count >= min_round]
    _cover(w, result, wr)
    w.heading(1, "Profiili", page_break=True)
    w.para("Normal", "Keskiarvot osa-alueittain ja elementeittäin: työpajan oma arvio, auditoijien arvio, niiden ero"
           + (" ja kierroksen keskiarvot" if rounds else "") + ".")
    withheld = _withheld(figures, min_round)
    if withheld:
        w.para("Note", withheld)
    profile_table(w, wr, rounds, min_n=min_round)
    chart_round = (("Kierros (auditoijat)", figures.auditor_groups) if figures.auditor_workshops >= min_round else
                   ("Kierros (itsearviot)", figures.self_groups) if figures.self_workshops >= min_round else None)
    profile_picture(w, wr, chart_round, min_round)
    _ratings(w, wr, figures, min_round)
    w.heading(1, "Suurimmat erot", page_break=True)
    w.para("Normal", "Kriteerit, joissa työpajan oma arvio ja auditoijien arvio eroavat eniten. Ero = auditoijat "
           "− itsearvio; miinus tarkoittaa, että työpaja arvioi itsensä korkeammalle.")
    gaps_table(w, wr, count=8)
    w.heading(1, "Vahvuudet ja kehittämiskohteet")
    w.para("Normal", "Työpajan itsearviointilomakkeeseen ja auditoijien taulukkoon kirjaamat vahvuudet ja "
           "kehittämiskohteet kriteereittäin. Toimenpiteet vastuuhenkilöineen ja aikatauluineen ovat työpajan "
           "kehittämissuunnitelmassa, joka on tämän palautteen rinnalla Word-asiakirjana ja muokattavana "
           "Excel-taulukkona.")
    texts_table(w, wr, FEEDBACK_TEXT_LIMIT)
    w.heading(1, "Ehdotus Intolle", page_break=True)
    w.para("Normal", PROPOSAL)
    recommendation_block(w, wr)
    w.heading(3, "Ehdotuksen sääntö")
    rule_paragraphs(w)
    name = clean(ws.name) or clean(ws.id)
    w.header_footer([FEEDBACK_TITLE, " · ", name, " · ", *round_heading(result)],
                    [f"{catalogue.meta.title} {catalogue.version}"])
    ident = Identity(FORMAT_VERSION, catalogue.version, catalogue.hash, round_id=result.round_id,
                     workshop_id=ws.id, workshop_name=ws.name, role=FEEDBACK_ROLE)
    return w.finish(ident, f"{FEEDBACK_TITLE}: {ws.name}", f"{catalogue.meta.title}: palaute työpajalle",
                    when=report_time(result))


def _cover(w: Writer, result: RoundResult, wr: WorkshopResult) -> None:
    ws = wr.workshop
    w.title_block(FEEDBACK_TITLE, "")
    w.para("Subtitle", clean(ws.name) or clean(ws.id))
    facts = [("Työpaja", [clean(ws.name) or "–"]), ("Tunnus", [clean(ws.id)]),
             ("Organisaatio", [clean(ws.organisation) or "–"]), ("Arviointikierros", round_parts(result)),
             ("Auditointimalli", [result.audit_type or "ei tiedossa"])]
    if result.checked_against_round:
        profile = ws.profile
        facts.append(("Profiili", [f"{AUDIENCE_FI.get(profile.audience, profile.audience)}; oppimisympäristöjä: "
                                   f"{'kyllä' if profile.learning_environments else 'ei'}"]))
    facts += [("Palautukset", returned_label(wr)),
              ("Kriteeristö", [f"{w.catalogue.meta.title}, versio {w.catalogue.version} ({w.catalogue.short_hash})"])]
    facts_table(w, facts)
    w.para("Normal", "Tämä palaute kokoaa työpajan oman arvion ja auditoijien arvion laatukriteereittäin ja "
           "vertaa niitä kierroksen muihin työpajoihin. " + PROPOSAL, before=200)


def _withheld(figures: RoundFigures, min_round: int) -> str:
    """The sentence saying which round figures are not shown and why."""
    low = [(whose, returned, count) for whose, returned, count in (
        ("itsearvioiden", "itsearviointeja", figures.self_workshops),
        ("auditointien", "auditointeja", figures.auditor_workshops)) if count < min_round]
    if not low:
        return f"Kierroksen luku näytetään vain, kun sen takana on vähintään {min_round} työpajaa; muuten tilalla on –."
    which = "Kierroksen keskiarvoja" if len(low) == 2 else f"Kierroksen {low[0][0]} keskiarvoja"
    counts = ", ".join(f"{returned} {count}" for _, returned, count in low)
    return (f"{which} ei näytetä, koska arvionsa palautti alle {min_round} työpajaa (palautettu {counts}). "
            "Näin yksittäisen työpajan arvioita ei voi päätellä keskiarvoista.")


def _ratings(w: Writer, wr: WorkshopResult, figures: RoundFigures, min_round: int) -> None:
    catalogue = w.catalogue
    na = catalogue.scale.not_applicable.label
    show_round = figures.auditor_workshops >= min_round
    w.heading(1, "Arviot kriteereittäin", page_break=True)
    w.para("Normal", "Työpajan oma arvio ja auditoijien arvio jokaisesta kriteeristä. Auditoijien sarakkeessa "
           f"hyväksytty {na} näkyy sellaisenaan ja hylätty sen arvona, jolla se lasketaan."
           + (f" Kierroksen keskiarvo auditoijien arvioista, kun kriteerin on arvioinut vähintään {min_round} "
              "työpajaa; suluissa arvioiden määrä." if show_round else ""))
    head = ["Nro", "Kriteeri", SELF_LABEL, AUDITOR_LABEL, "Ero"] + (["Kierros"] if show_round else [])
    fractions = (0.06, 0.5, 0.12, 0.12, 0.08, 0.12) if show_round else (0.06, 0.58, 0.13, 0.13, 0.1)
    rows = [w.head_row(head)]
    for area in catalogue.areas:
        rows.append(Row([ooxml.Cell([w.p("Table Label", area.name)], fill=LIGHT_FILL, span=len(head))]))
        for criterion in catalogue.criteria_of(area.id):
            n = criterion.number
            gap = wr.gaps.get(n)
            cells = [label_cell(w, str(n)), text_cell(w, short(criterion, 90)),
                     text_cell(w, rating_text(wr.self_scores, n, na), align="center"),
                     text_cell(w, rating_text(wr.auditor_scores, n, na), align="center"),
                     text_cell(w, signed(gap) if gap is not None else "–", align="center")]
            if show_round:
                cells.append(figure_cell(w, figures.auditor_criteria.get(n), min_round))
            rows.append(Row(cells))
    w.table(fractions, rows)
