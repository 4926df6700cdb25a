"""What the consolidated report and the feedback reports share: texts from returned files made safe,
figures across the round, and a workshop's profile, gaps, texts and recommendation as tables.

Text from returned files is data: it goes in as plain runs (never fields), with control characters
removed and very long texts cut with a visible note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

from ..catalogue import Catalogue, Criterion
from ..choices import unresolved_text
from ..results import RoundResult, WorkshopResult
from ..model import Returned
from ..scoring import CriterionStats, GroupScore, RoundMean, ScoreProfile, difference
from . import ooxml
from .document import Writer
from .ooxml import Cell, Element, Row, Run
from .pictures import PROFILE_WIDTH, profile_chart
from .styles import GREY, LABEL_FILL

TEXT_LIMIT = 3000  # characters of one returned text a report shows
# C0 and C1 controls (tab and line breaks are kept), lone surrogates, non-characters, and the bidi
# controls that could make a text read differently from what it holds.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
OUTCOME_FILL = {"recommended": "E2EFDA", "conditional": "FFF2CC", "not_recommended": "F8DDD3", None: "EDEDED"}
PASS_FILL, FAIL_FILL = "E2EFDA", "F8DDD3"
FLAG_COLOUR = "9C2A00"
SELF_LABEL, AUDITOR_LABEL = "Itsearvio", "Auditoijat"
NO_AUDIT = "ei ehdotusta (auditointia ei palautettu)"
_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


# --- text and numbers ----------------------------------------------------------------------------


def clean(text: str) -> str:
    """Text as a report may show it: control characters removed, line ends as \\n, outer space trimmed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def returned_text(text: str, limit: int = TEXT_LIMIT) -> list[Element]:
    """Runs showing a text from a returned file: lines kept, cut at `limit` characters with a note."""
    text = clean(text)
    if len(text) <= limit:
        return [ooxml.typed_run(text)]
    return [ooxml.typed_run(text[:limit].rstrip() + " …"),
            ooxml.run(f" [Teksti katkaistu: siinä on {thousands(len(text))} merkkiä, tässä näkyy "
                      f"{thousands(limit)} ensimmäistä. Koko teksti on palautetussa tiedostossa.]",
                      italic=True, color=GREY)]


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def fi(value: float | None, decimals: int = 2) -> str:
    """2,45 (Finnish decimal comma); – for no value."""
    return "–" if value is None else f"{value:.{decimals}f}".replace(".", ",")


def signed(value: float | None, decimals: int = 0) -> str:
    """+1, −1 (a real minus sign), 0; – for no value."""
    if value is None:
        return "–"
    text = fi(abs(value), decimals)
    if round(value, decimals) == 0:
        return fi(0.0, decimals)
    return ("+" if value > 0 else "\u2212") + text


def percent(part: int, whole: int) -> str:
    return f"{fi(100 * part / whole, 0)} %" if whole else "–"


_ABBREVIATIONS = ("ml", "esim", "mm", "ns", "jne", "yms", "tms", "ks", "vrt", "nk", "s", "n")


def short(criterion: Criterion, limit: int = 95) -> str:
    """The start of a criterion's text for a table row: its first sentence, cut at a word with …."""
    text = criterion.text
    for match in re.finditer(r"[.!?](?=\s+[A-ZÅÄÖ0-9])", text):
        head = text[:match.end()]
        last = re.search(r"(\w+)\.$", head)
        if (last and last.group(1).casefold() in _ABBREVIATIONS) or head.count("(") > head.count(")"):
            continue
        text = head
        break
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:(") + " …"


_T = TypeVar("_T")


def _per_round(func: Callable[[RoundResult], _T]) -> Callable[[RoundResult], _T]:
    """func(result), computed again only for another round: a round's reports ask it per workshop, and
    it goes through every workshop (a RoundResult is frozen, so the last answer stays true)."""
    last: list[tuple[RoundResult, _T]] = []

    def once(result: RoundResult) -> _T:
        if not last or last[0][0] is not result:
            last[:] = [(result, func(result))]
        return last[0][1]

    once.__doc__, once.__name__ = func.__doc__, func.__name__
    return once


@_per_round
def report_time(result: RoundResult) -> datetime:
    """The time a report records as its own: the last save among the returned files, so the same
    inputs give the same document (a fixed date when no file says when it was saved)."""
    times = []
    for w in result.workshops:
        for r in (w.self_workbook, w.auditor_workbook, w.form):
            if r is not None and r.saved_at:
                try:
                    stamp = datetime.fromisoformat(r.saved_at.replace("Z", "+00:00"))
                except ValueError:
                    continue
                times.append(stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc))
    return max(times, default=_EPOCH).astimezone(timezone.utc)


# --- figures across the round --------------------------------------------------------------------


def criterion_means(stats: Iterable[CriterionStats]) -> dict[int, RoundMean]:
    return {s.number: RoundMean(s.mean, s.n) for s in stats}


@dataclass(frozen=True, slots=True)
class RoundFigures:
    """The round's means on each side, for every workshop's section."""

    self_groups: Mapping[str, RoundMean]
    auditor_groups: Mapping[str, RoundMean]
    self_criteria: Mapping[int, RoundMean]
    auditor_criteria: Mapping[int, RoundMean]
    self_workshops: int
    auditor_workshops: int

    @classmethod
    def of(cls, result: RoundResult) -> RoundFigures:
        """The round's figures, as compile computed them."""
        return _round_figures(result)


@_per_round
def _round_figures(result: RoundResult) -> RoundFigures:
    return RoundFigures(result.self_groups, result.auditor_groups, criterion_means(result.self_stats),
                        criterion_means(result.auditor_stats),
                        sum(1 for w in result.workshops if w.self_scores is not None),
                        sum(1 for w in result.workshops if w.auditor_scores is not None))


def rated_value(profile: ScoreProfile | None, number: int) -> int | None:
    """A criterion's value for a heat map: its level, 0 for Ei sovellu, None when not given."""
    if profile is None:
        return None
    e = profile.criteria.get(number)
    if e is None:
        return None
    return e.value if e.value is not None else (0 if e.not_applicable else None)


def rating_text(profile: ScoreProfile | None, number: int, na_label: str) -> str:
    if profile is None:
        return "–"
    e = profile.criteria.get(number)
    if e is None or e.missing:
        return "ei arviota"
    if e.value is None:
        return na_label
    return f"{e.value} (hylätty {na_label})" if e.source == "na-rejected" else str(e.value)


# --- table pieces --------------------------------------------------------------------------------


def text_cell(w: Writer, *parts: str | Run | Element, fill: str | None = None, align: str | None = None) -> Cell:
    return Cell([w.p("Table Text", *parts, align=align)], fill=fill)


def label_cell(w: Writer, *parts: str | Run | Element) -> Cell:
    return Cell([w.p("Table Label", *parts)], fill=LABEL_FILL)


def facts_table(w: Writer, rows: Sequence[tuple[str, Sequence[str | Run | Element]]],
                fractions: tuple[float, float] = (0.34, 0.66)) -> None:
    """Label and value rows (a data sheet)."""
    w.table(fractions, [Row([label_cell(w, label), text_cell(w, *value)]) for label, value in rows], keep_together=True)


def group_mean(g: GroupScore | None) -> float | None:
    """The mean a report shows for an area or element: none when it is "ei arvioitavissa"."""
    return g.mean if g is not None and g.assessable else None


def _group_cell(w: Writer, g: GroupScore | None) -> Cell:
    return text_cell(w, fi(group_mean(g)), align="center")


def unassessable_note(*sides: tuple[str, GroupScore | None]) -> list[Run]:
    """The note a row's label gets when a side is "ei arvioitavissa" (its mean is not shown)."""
    flagged = [name for name, g in sides if g is not None and not g.assessable]
    if not flagged:
        return []
    return [Run(f" *ei arvioitavissa ({' ja '.join(flagged)})", italic=True, color=FLAG_COLOUR, size=8.5)]


def figure_cell(w: Writer, f: RoundMean | None, min_n: int = 1) -> Cell:
    """A round figure with the number behind it in grey; – when there is none or fewer than min_n."""
    if f is None or f.mean is None or f.n < min_n:
        return text_cell(w, "–", align="center")
    return text_cell(w, fi(f.mean), Run(f" ({f.n})", color=GREY, size=8.5), align="center")


def profile_table(w: Writer, wr: WorkshopResult, rounds: Sequence[tuple[str, Mapping[str, RoundMean]]] = (),
                  min_n: int = 1) -> None:
    """Elements and their areas: self and auditors' means, their difference, and round columns
    (mean with the number of workshops behind it, – below min_n)."""
    catalogue = w.catalogue
    own, aud = wr.self_scores, wr.auditor_scores
    by_id = lambda p: {g.id: g for g in (*p.areas, *p.elements, p.overall)} if p else {}  # noqa: E731
    own_g, aud_g = by_id(own), by_id(aud)
    head = ["Elementti ja osa-alue", SELF_LABEL, AUDITOR_LABEL, "Ero"] + [label for label, _ in rounds]
    value_share = 0.115 if len(rounds) < 2 else 0.105
    fractions = [1 - value_share * (3 + len(rounds))] + [value_share] * (3 + len(rounds))
    rows = [w.head_row(head, size=8.5)]

    def row(gid: str, label: str, fill: str | None) -> Row:
        s, a = own_g.get(gid), aud_g.get(gid)
        gap = difference(group_mean(a), group_mean(s))
        flag = unassessable_note(("itsearvio", s), ("auditoijat", a))
        cells = [Cell([w.p("Table Label" if fill else "Table Text", Run(label, size=9), *flag)], fill=fill),
                 _group_cell(w, s), _group_cell(w, a), text_cell(w, signed(gap, 2), align="center")]
        cells += [figure_cell(w, figures.get(gid), min_n) for _, figures in rounds]
        return Row(cells)

    for element in catalogue.elements:
        rows.append(row(element.id, element.heading, LABEL_FILL))
        for area in catalogue.areas_of(element.id):
            rows.append(row(area.id, area.name, None))
    rows.append(row("kaikki", "Kaikki kriteerit", LABEL_FILL))
    w.table(fractions, rows, keep_together=True)
    share = fi(round(catalogue.rule.max_not_applicable_share * 100), 0)
    w.para("Note", f"Keskiarvot asteikolla {catalogue.scale.min}–{catalogue.scale.max}; Ei sovellu ei ole mukana. "
           f"Ero = auditoijat − itsearvio. *Ei arvioitavissa: yli {share} % kriteereistä on Ei sovellu (tai "
           "yhtään ei ole arvioitu), joten keskiarvo jätetään pois."
           + (" Suluissa työpajojen määrä." if rounds else ""), before=40)


def profile_description(catalogue: Catalogue, wr: WorkshopResult, labels: Sequence[str],
                        round_groups: Mapping[str, RoundMean] | None, min_n: int = 1
                        ) -> tuple[list[list[float | None]], list[str], str]:
    """A profile chart's values (per series, per area: self, auditors, the round when given), a note
    per area whose own or auditors' mean is "ei arvioitavissa", and the alternative text that says
    the same in words."""
    areas = catalogue.areas
    scale = catalogue.scale

    def means(p: ScoreProfile | None) -> list[float | None]:
        return [group_mean(g) for g in p.areas] if p else [None] * len(areas)

    series = [means(wr.self_scores), means(wr.auditor_scores)]
    if round_groups is not None:
        series.append([f.mean if (f := round_groups.get(a.id)) and f.n >= min_n else None for a in areas])
    flagged = [[p.areas[i] for p in (wr.self_scores, wr.auditor_scores) if p and not p.areas[i].assessable]
               for i in range(len(areas))]
    notes = ["ei arvioitavissa" if flags and all(values[i] is None for values in series[:2]) else ""
             for i, flags in enumerate(flagged)]
    rows = "; ".join(f"{a.name}: " + ", ".join(f"{label.lower()} "
                                               + ("ei arvioitavissa" if values[i] is None and flagged[i] and k < 2
                                                  else fi(values[i]))
                                               for k, (label, values) in enumerate(zip(labels, series)))
                     for i, a in enumerate(areas))
    return series, notes, (f"Pylväskaavio: osa-alueiden keskiarvot asteikolla {scale.min}–{scale.max} "
                           f"({', '.join(label.lower() for label in labels[:len(series)])}). {rows}.")


def profile_picture(w: Writer, wr: WorkshopResult, round_series: tuple[str, Mapping[str, RoundMean]] | None,
                    min_n: int = 1) -> None:
    """The profile per area as bars: self, auditors and (when given) the round's mean, with the
    figures as the picture's alternative text."""
    scale = w.catalogue.scale
    labels = (SELF_LABEL, AUDITOR_LABEL) + ((round_series[0],) if round_series else ())
    chart = profile_chart(tuple(a.name for a in w.catalogue.areas), labels, scale.min, scale.max)
    series, notes, description = profile_description(w.catalogue, wr, labels,
                                                     round_series[1] if round_series else None, min_n)
    w.para(None, w.picture(chart.png(series, notes), PROFILE_WIDTH, description), after=60)


def gaps_table(w: Writer, wr: WorkshopResult, count: int = 5) -> None:
    """The criteria where self and auditors differ most (absolute gap, then number)."""
    gaps = sorted(((n, g) for n, g in wr.gaps.items() if g), key=lambda item: (-abs(item[1]), item[0]))[:count]
    if not gaps:
        reason = "Itsearvio ja auditoijien arvio ovat samat kaikissa kriteereissä, joissa molemmat arvioivat." \
            if wr.gaps else "Eroja ei voi laskea: itsearviota ja auditoijien arviota ei ole molempia."
        w.para("Normal", reason)
        return
    rows = [w.head_row(["Nro", "Kriteeri", SELF_LABEL, AUDITOR_LABEL, "Ero"])]
    for number, gap in gaps:
        criterion = w.catalogue.criterion(number)
        own = wr.self_scores.criteria[number].value if wr.self_scores else None
        aud = wr.auditor_scores.criteria[number].value if wr.auditor_scores else None
        rows.append(Row([label_cell(w, str(number)), text_cell(w, short(criterion)),
                         text_cell(w, str(own), align="center"), text_cell(w, str(aud), align="center"),
                         text_cell(w, signed(gap), align="center")]))
    w.table((0.07, 0.57, 0.12, 0.12, 0.12), rows, keep_together=True)


TEXT_FIELDS = (("strengths", "Vahvuudet"), ("development", "Kehittämiskohteet"))
SOURCES = (("Työpaja", "form"), ("Auditoijat", "auditor_workbook"))


def texts_table(w: Writer, wr: WorkshopResult, limit: int = TEXT_LIMIT) -> None:
    """Strengths and development targets per criterion, each cell with the workshop's text (from its
    form) and the auditors' (from their workbook); only criteria with a text."""
    rows = [w.head_row(["Nro", *(title for _, title in TEXT_FIELDS)])]
    for criterion in w.catalogue.criteria:
        cells = []
        for key, _ in TEXT_FIELDS:
            paragraphs = []
            for who, attribute in SOURCES:
                text = _text_of(getattr(wr, attribute), criterion.number, key)
                if text:
                    paragraphs.append(w.p("Table Text", Run(f"{who}: ", bold=True, color=GREY, size=8.5),
                                          *returned_text(text, limit)))
            cells.append(Cell(paragraphs))
        if any(cell.paragraphs for cell in cells):
            rows.append(Row([label_cell(w, str(criterion.number)), *cells], cant_split=False))
    if len(rows) > 1:
        w.table((0.07, 0.465, 0.465), rows)
        return
    missing = [name for name, r in (("itsearviointilomaketta", wr.form), ("auditointitaulukkoa", wr.auditor_workbook))
               if r is None]
    why = {0: "", 1: f" ({''.join(missing)} ei ole palautettu)", 2: f" ({' eikä '.join(missing)} ole palautettu)"}
    w.para("Normal", f"Vahvuuksia tai kehittämiskohteita ei ole kirjattu{why[len(missing)]}.")


def _text_of(returned: Returned | None, number: int, key: str) -> str:
    if returned is None:
        return ""
    response = returned.response(number)
    return clean(response.texts.get(key, "")) if response is not None else ""


def unresolved_texts(wr: WorkshopResult) -> list[str]:
    """What a report says of a workshop whose file came back in copies that differ, when it has no proposal
    to carry the caveat (compile.unresolved_caveat)."""
    if not wr.unresolved or wr.recommendation is not None:
        return []
    return [unresolved_text(wr.unresolved)]


def proposal_lines(wr: WorkshopResult) -> list[tuple[str, bool]]:
    """What the proposal rests on, as (sentence, bold): its caveats first, then the reasons."""
    rec = wr.recommendation
    if rec is None:
        return [(f"Varauma: {text}", True) for text in unresolved_texts(wr)]
    return [(f"Varauma: {c.text}", True) for c in rec.caveats] + [(reason, False) for reason in rec.reasons]


def recommendation_block(w: Writer, wr: WorkshopResult) -> None:
    """The proposal to Into with its caveats, the rule's checks and the reasons."""
    rec = wr.recommendation
    if rec is None:
        w.para("Normal", "Ehdotus Intolle: ", Run(NO_AUDIT, bold=True))
        for text in unresolved_texts(wr):  # the self-assessment in differing copies: said without a proposal too
            w.para("List Bullet", Run(f"Varauma: {text}", bold=True))
        return
    # A paragraph, not a one-row table: editors keep a paragraph with the table after it, not two tables.
    w.para("Normal", "Ehdotus Intolle: ", Run(rec.label, bold=True), keep_next=True)
    for caveat in rec.caveats:
        w.para("List Bullet", Run(f"Varauma: {caveat.text}", bold=True), keep_next=True)
    rows = [w.head_row(["Ehto", "Täyttyy", "Tiedot"])]
    for check in rec.checks:
        rows.append(Row([text_cell(w, check.name),
                         text_cell(w, "kyllä" if check.passed else "ei", fill=PASS_FILL if check.passed else FAIL_FILL,
                                   align="center"),
                         text_cell(w, check.detail)]))
    w.table((0.4, 0.1, 0.5), rows, keep_together=True)
    for reason in rec.reasons:
        w.para("List Bullet", reason)


def rule_paragraphs(w: Writer) -> None:
    """The recommendation rule as every report prints it (rules.toml, Rule.describe)."""
    for line in w.catalogue.rule.describe():
        numbered = re.match(r"(\d+)\.\s+(.*)", line)
        if numbered:
            w.para("Numbered", f"{numbered.group(1)}.", ooxml.tab(), numbered.group(2))
        else:
            w.para("Normal", line)


def returned_label(wr: WorkshopResult) -> list[str]:
    """Which of the workshop's files came back, in words."""
    return [f"itsearviointitaulukko {'palautettu' if wr.self_workbook else 'puuttuu'}; "
            f"auditointitaulukko {'palautettu' if wr.auditor_workbook else 'puuttuu'}; "
            f"itsearviointilomake {'palautettu' if wr.form else 'ei palautettu'}"]
