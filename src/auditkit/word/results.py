"""What the consolidated report and the feedback reports share: texts from returned files made safe,
figures across the round, and a workshop's profile, gaps, texts and recommendation as tables.

Text from returned files is data: it goes in as plain runs (never fields), with control characters
removed and very long texts cut with a visible note.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

from ..catalogue import Catalogue, Criterion
from ..choices import unresolved_text
from ..i18n import C_, wording
from ..results import RoundResult, WorkshopResult
from ..model import Returned
from ..scoring import (
    CriterionStats,
    GroupScore,
    Recommendation,
    RoundMean,
    ScoreProfile,
    difference,
    in_language,
    rule_lines,
)
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
# The two sides' labels (table columns, chart series) and the proposal a workshop without an audit has,
# said in the document's language by side_labels and no_audit.
SELF_LABEL, AUDITOR_LABEL = C_("side", "Self-assessment"), C_("side", "Auditors")
NO_AUDIT = C_("proposal", "no proposal (the audit was not returned)")
_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


# --- text and numbers ----------------------------------------------------------------------------


def side_labels(lang: str) -> tuple[str, str]:
    """(the workshop's own, the auditors') as column heads and chart series say them: Itsearvio, Auditoijat."""
    words = wording("documents", lang)
    return words.pgettext("side", SELF_LABEL), words.pgettext("side", AUDITOR_LABEL)


def no_audit(lang: str) -> str:
    """The proposal of a workshop whose audit did not come back, in words."""
    return wording("documents", lang).pgettext("proposal", NO_AUDIT)


def proposal_of(catalogue: Catalogue, wr: WorkshopResult, lang: str) -> Recommendation | None:
    """The workshop's proposal with its checks and reasons in the document's language."""
    rec = wr.recommendation
    return None if rec is None else in_language(catalogue, rec, wr.auditor_scores, lang)


def clean(text: str) -> str:
    """Text as a report may show it: control characters removed, line ends as \\n, outer space trimmed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def returned_text(text: str, limit: int = TEXT_LIMIT, lang: str = "fi") -> list[Run]:
    """Runs showing a text from a returned file: lines kept, cut at `limit` characters with a note."""
    text = clean(text)
    if len(text) <= limit:
        return [Run(text, typed=True)]
    _ = wording("documents", lang)
    return [Run(text[:limit].rstrip() + " …", typed=True),
            Run(_(" [Text cut: it has {count} characters, the first {shown} are shown here. The whole text is in "
                  "the returned file.]", count=thousands(len(text)), shown=thousands(limit)), italic=True, color=GREY)]


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
    return f"{fi(100 * part / whole, 0)} %" if whole else "–"  # fi and sv alike


_ABBREVIATIONS = ("ml", "esim", "mm", "ns", "jne", "yms", "tms", "ks", "vrt", "nk", "s", "n")


def short(criterion: Criterion, limit: int = 95) -> str:
    """The start of a criterion's text for a table row: its first sentence, cut at a word with …."""
    return _short(criterion.text, limit)


@functools.lru_cache(maxsize=4096)
def _short(text: str, limit: int) -> str:  # every report of a round shows the same criteria
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


def rating_text(profile: ScoreProfile | None, number: int, na_label: str, lang: str = "fi") -> str:
    if profile is None:
        return "–"
    e = profile.criteria.get(number)
    if e is not None and e.value is not None and e.source != "na-rejected":
        return str(e.value)  # most ratings: said without words
    _ = wording("documents", lang)
    if e is None or e.missing:
        return _("no rating")
    if e.value is None:
        return na_label
    return _("{value} (rejected {na})", value=e.value, na=na_label) if e.source == "na-rejected" else str(e.value)


# --- table pieces --------------------------------------------------------------------------------

# Advance widths (ems) of bold Carlito (Calibri's metric twin), for estimating a heading word's width.
_BOLD_EMS = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZåäöÅÄÖ.,:;()-–/% ",
    (0.494, 0.537, 0.419, 0.537, 0.503, 0.317, 0.474, 0.537, 0.245, 0.255, 0.48, 0.246, 0.813, 0.537, 0.537,
     0.537, 0.537, 0.356, 0.398, 0.346, 0.537, 0.473, 0.745, 0.459, 0.474, 0.398, 0.606, 0.561, 0.529, 0.631,
     0.488, 0.459, 0.636, 0.631, 0.267, 0.331, 0.547, 0.423, 0.874, 0.66, 0.676, 0.532, 0.686, 0.563, 0.473,
     0.496, 0.653, 0.591, 0.906, 0.551, 0.519, 0.479, 0.494, 0.494, 0.537, 0.606, 0.606, 0.676, 0.267, 0.259,
     0.276, 0.276, 0.311, 0.311, 0.307, 0.498, 0.43, 0.729, 0.226)))
HEAD_SIZE = 9.5  # points: a heading row's labels (styles: Table Label)
CELL_PADDING = 11.0  # points: a cell's left and right margin (ooxml.table: 100 twips each), and a point to spare


def fit_columns(w: Writer, head: Sequence[str], fractions: Sequence[float], size: float | None = None
                ) -> tuple[float, ...]:
    """Column shares widened where a heading word would not fit its column and break inside (Swedish has
    long ones: Självvärdering), the room taken from the widest column; shares that fit are kept as they
    are (the Finnish headings all fit)."""
    total = sum(fractions)
    out = [f / total for f in fractions]
    if not head or len(head) != len(out):
        return tuple(fractions)
    text = w.width / 20  # points
    points = size or HEAD_SIZE
    needed = [(max((sum(_BOLD_EMS.get(c, 0.6) for c in word) for word in label.split()), default=0.0) * points
               + CELL_PADDING) / text for label in head]
    widest = max(range(len(out)), key=out.__getitem__)
    for i, need in enumerate(needed):
        if i != widest and out[i] < need:
            out[widest] -= need - out[i]
            out[i] = need
    return tuple(share * total for share in out)


def text_cell(w: Writer, *parts: str | Run | Element, fill: str | None = None, align: str | None = None) -> Cell:
    return w.cell("Table Text", *parts, fill=fill, align=align)


def label_cell(w: Writer, *parts: str | Run | Element) -> Cell:
    return w.cell("Table Label", *parts, fill=LABEL_FILL)


def facts_table(w: Writer, rows: Sequence[tuple[str, Sequence[str | Run | Element]]],
                fractions: tuple[float, float] = (0.34, 0.66)) -> None:
    """Label and value rows (a data sheet)."""
    w.table(fractions, [Row([label_cell(w, label), text_cell(w, *value)]) for label, value in rows], keep_together=True)


def group_mean(g: GroupScore | None) -> float | None:
    """The mean a report shows for an area or element: none when it is "ei arvioitavissa"."""
    return g.mean if g is not None and g.assessable else None


def _group_cell(w: Writer, g: GroupScore | None) -> Cell:
    return text_cell(w, fi(group_mean(g)), align="center")


def unassessable_note(*sides: tuple[str, GroupScore | None], lang: str = "fi") -> list[Run]:
    """The note a row's label gets when a side is "ei arvioitavissa" (its mean is not shown). sides:
    ("self" or "auditors", the side's group)."""
    if all(g is None or g.assessable for _name, g in sides):
        return []
    _ = wording("documents", lang)
    names = {"self": _.pgettext("side in a note", "self-assessment"),
             "auditors": _.pgettext("side in a note", "auditors")}
    flagged = [names[name] for name, g in sides if g is not None and not g.assessable]
    return [Run(_(" *cannot be assessed ({sides})", sides=_(" and ").join(flagged)), italic=True, color=FLAG_COLOUR,
                size=8.5)]


def figure_cell(w: Writer, f: RoundMean | None, min_n: int = 1) -> Cell:
    """A round figure with the number behind it in grey; – when there is none or fewer than min_n."""
    if f is None or f.mean is None or f.n < min_n:
        return text_cell(w, "–", align="center")
    return text_cell(w, fi(f.mean), _count(f.n), align="center")


@functools.lru_cache(maxsize=1024)
def _count(n: int) -> Run:
    """The number behind a round figure, in grey (one Run per number: the same for every report)."""
    return Run(f" ({n})", color=GREY, size=8.5)


def profile_table(w: Writer, wr: WorkshopResult, rounds: Sequence[tuple[str, Mapping[str, RoundMean]]] = (),
                  min_n: int = 1) -> None:
    """Elements and their areas: self and auditors' means, their difference, and round columns
    (mean with the number of workshops behind it, – below min_n)."""
    catalogue = w.catalogue
    _ = wording("documents", w.lang)
    own, aud = wr.self_scores, wr.auditor_scores
    by_id = lambda p: {g.id: g for g in (*p.areas, *p.elements, p.overall)} if p else {}  # noqa: E731
    own_g, aud_g = by_id(own), by_id(aud)
    head = [_.pgettext("report", "Element and area"), *side_labels(w.lang), _.pgettext("report", "Difference")] + [
        label for label, _figures in rounds]
    value_share = 0.115 if len(rounds) < 2 else 0.105
    fractions = fit_columns(w, head, [1 - value_share * (3 + len(rounds))] + [value_share] * (3 + len(rounds)), 8.5)
    rows = [w.head_row(head, size=8.5)]

    def row(gid: str, label: str, fill: str | None) -> Row:
        s, a = own_g.get(gid), aud_g.get(gid)
        gap = difference(group_mean(a), group_mean(s))
        flag = unassessable_note(("self", s), ("auditors", a), lang=w.lang)
        cells = [Cell([w.p("Table Label" if fill else "Table Text", Run(label, size=9), *flag)], fill=fill),
                 _group_cell(w, s), _group_cell(w, a), text_cell(w, signed(gap, 2), align="center")]
        cells += [figure_cell(w, figures.get(gid), min_n) for _, figures in rounds]
        return Row(cells)

    for element in catalogue.elements:
        rows.append(row(element.id, element.heading, LABEL_FILL))
        for area in catalogue.areas_of(element.id):
            rows.append(row(area.id, area.name, None))
    rows.append(row("kaikki", _.pgettext("report", "All criteria"), LABEL_FILL))
    w.table(fractions, rows, keep_together=True)
    share = fi(round(catalogue.rule.max_not_applicable_share * 100), 0)
    na = catalogue.scale.not_applicable.label
    w.para("Note", _("Means on the scale {low}–{high}; {na} is left out. Difference = auditors − self-assessment. "
                     "*Cannot be assessed: more than {share} % of the criteria are {na} (or none is rated), so the "
                     "mean is left out.", low=catalogue.scale.min, high=catalogue.scale.max, na=na, share=share)
           + (_(" The number of workshops in brackets.") if rounds else ""), before=40)


def profile_description(catalogue: Catalogue, wr: WorkshopResult, labels: Sequence[str],
                        round_groups: Mapping[str, RoundMean] | None, min_n: int = 1, lang: str = "fi"
                        ) -> tuple[list[list[float | None]], list[str], str]:
    """A profile chart's values (per series, per area: self, auditors, the round when given), a note
    per area whose own or auditors' mean is "ei arvioitavissa", and the alternative text that says
    the same in words."""
    areas = catalogue.areas
    scale = catalogue.scale
    _ = wording("documents", lang)
    unassessable = _("cannot be assessed")

    def means(p: ScoreProfile | None) -> list[float | None]:
        return [group_mean(g) for g in p.areas] if p else [None] * len(areas)

    series = [means(wr.self_scores), means(wr.auditor_scores)]
    if round_groups is not None:
        series.append([f.mean if (f := round_groups.get(a.id)) and f.n >= min_n else None for a in areas])
    flagged = [[p.areas[i] for p in (wr.self_scores, wr.auditor_scores) if p and not p.areas[i].assessable]
               for i in range(len(areas))]
    notes = [unassessable if flags and all(values[i] is None for values in series[:2]) else ""
             for i, flags in enumerate(flagged)]
    rows = "; ".join(f"{a.name}: " + ", ".join(f"{label.lower()} "
                                               + (unassessable if values[i] is None and flagged[i] and k < 2
                                                  else fi(values[i]))
                                               for k, (label, values) in enumerate(zip(labels, series)))
                     for i, a in enumerate(areas))
    return series, notes, _("Bar chart: the areas' means on the scale {low}–{high} ({series}). {rows}.",
                            low=scale.min, high=scale.max,
                            series=", ".join(label.lower() for label in labels[:len(series)]), rows=rows)


def profile_picture(w: Writer, wr: WorkshopResult, round_series: tuple[str, Mapping[str, RoundMean]] | None,
                    min_n: int = 1) -> None:
    """The profile per area as bars: self, auditors and (when given) the round's mean, with the
    figures as the picture's alternative text."""
    scale = w.catalogue.scale
    labels = side_labels(w.lang) + ((round_series[0],) if round_series else ())
    chart = profile_chart(tuple(a.name for a in w.catalogue.areas), labels, scale.min, scale.max, lang=w.lang)
    series, notes, description = profile_description(w.catalogue, wr, labels,
                                                     round_series[1] if round_series else None, min_n, w.lang)
    w.para(None, w.picture(chart.png(series, notes), PROFILE_WIDTH, description), after=60)


def gaps_table(w: Writer, wr: WorkshopResult, count: int = 5) -> None:
    """The criteria where self and auditors differ most (absolute gap, then number)."""
    _ = wording("documents", w.lang)
    gaps = sorted(((n, g) for n, g in wr.gaps.items() if g), key=lambda item: (-abs(item[1]), item[0]))[:count]
    if not gaps:
        reason = _("The self-assessment and the auditors' ratings are the same in every criterion both rated.") \
            if wr.gaps else _("No differences can be calculated: there is not both a self-assessment and an auditors' "
                              "rating.")
        w.para("Normal", reason)
        return
    head = [_.pgettext("report", "No."), _.pgettext("report", "Criterion"), *side_labels(w.lang),
            _.pgettext("report", "Difference")]
    rows = [w.head_row(head)]
    for number, gap in gaps:
        criterion = w.catalogue.criterion(number)
        own = wr.self_scores.criteria[number].value if wr.self_scores else None
        aud = wr.auditor_scores.criteria[number].value if wr.auditor_scores else None
        rows.append(Row([label_cell(w, str(number)), text_cell(w, short(criterion)),
                         text_cell(w, str(own), align="center"), text_cell(w, str(aud), align="center"),
                         text_cell(w, signed(gap), align="center")]))
    w.table(fit_columns(w, head, (0.07, 0.57, 0.12, 0.12, 0.12)), rows, keep_together=True)


TEXT_FIELDS = (("strengths", C_("report", "Strengths")), ("development", C_("report", "Development targets")))
SOURCES = ((C_("text from", "Workshop"), "form"), (C_("text from", "Auditors"), "auditor_workbook"))


def texts_table(w: Writer, wr: WorkshopResult, limit: int = TEXT_LIMIT) -> None:
    """Strengths and development targets per criterion, each cell with the workshop's text (from its
    form) and the auditors' (from their workbook); only criteria with a text."""
    _ = wording("documents", w.lang)
    rows = [w.head_row([_.pgettext("report", "No."), *(_.pgettext("report", title) for _key, title in TEXT_FIELDS)])]
    # Each source's responses by criterion (its first response to a criterion, as Returned.response finds it),
    # and the run that says whose a text is.
    sources = [(Run(f"{_.pgettext('text from', who)}: ", bold=True, color=GREY, size=8.5),
                r.by_number() if (r := getattr(wr, attribute)) is not None else {})
               for who, attribute in SOURCES]
    for criterion in w.catalogue.criteria:
        cells = []
        for key, _title in TEXT_FIELDS:
            paragraphs = []
            for whose, responses in sources:
                response = responses.get(criterion.number)
                text = clean(response.texts.get(key, "")) if response is not None else ""
                if text:
                    paragraphs.append(w.p("Table Text", whose, *returned_text(text, limit, w.lang)))
            cells.append(Cell(paragraphs))
        if any(cell.paragraphs for cell in cells):
            rows.append(Row([label_cell(w, str(criterion.number)), *cells], cant_split=False))
    if len(rows) > 1:
        w.table((0.07, 0.465, 0.465), rows)
        return
    why = ("" if wr.form is not None and wr.auditor_workbook is not None else
           _(" (the self-assessment form and the audit workbook have not been returned)") if wr.form is None
           and wr.auditor_workbook is None else
           _(" (the self-assessment form has not been returned)") if wr.form is None else
           _(" (the audit workbook has not been returned)"))
    w.para("Normal", _("No strengths or development targets have been recorded{why}.", why=why))


def unresolved_texts(wr: WorkshopResult, lang: str = "fi") -> list[str]:
    """What a report says of a workshop whose file came back in copies that differ, when it has no proposal
    to carry the caveat (compile.unresolved_caveat)."""
    if not wr.unresolved or wr.recommendation is not None:
        return []
    return [unresolved_text(wr.unresolved, lang)]


def caveat_line(text: str, lang: str) -> str:
    """A caveat as a report shows it: Varauma: ..."""
    _ = wording("documents", lang)
    return _("Caveat: {text}", text=text)


def proposal_lines(wr: WorkshopResult, catalogue: Catalogue | None = None, lang: str = "fi") -> list[tuple[str, bool]]:
    """What the proposal rests on, as (sentence, bold): its caveats first, then the reasons, in `lang`
    (catalogue: to say the reasons in a language other than the one they were made in)."""
    rec = wr.recommendation if catalogue is None else proposal_of(catalogue, wr, lang)
    if rec is None:
        return [(caveat_line(text, lang), True) for text in unresolved_texts(wr, lang)]
    return [(caveat_line(c.said(lang), lang), True) for c in rec.caveats] + [(reason, False) for reason in rec.reasons]


def recommendation_block(w: Writer, wr: WorkshopResult) -> None:
    """The proposal to Into with its caveats, the rule's checks and the reasons."""
    _ = wording("documents", w.lang)
    rec = proposal_of(w.catalogue, wr, w.lang)
    if rec is None:
        w.para("Normal", _("Proposal to Into: "), Run(no_audit(w.lang), bold=True))
        for text in unresolved_texts(wr, w.lang):  # differing copies: said without a proposal too
            w.para("List Bullet", Run(caveat_line(text, w.lang), bold=True))
        return
    # A paragraph, not a one-row table: editors keep a paragraph with the table after it, not two tables.
    w.para("Normal", _("Proposal to Into: "), Run(rec.label, bold=True), keep_next=True)
    for caveat in rec.caveats:
        w.para("List Bullet", Run(caveat_line(caveat.said(w.lang), w.lang), bold=True), keep_next=True)
    rows = [w.head_row([_.pgettext("report", "Condition"), _.pgettext("report", "Holds"),
                        _.pgettext("report", "Figures")])]
    for check in rec.checks:
        rows.append(Row([text_cell(w, check.name),
                         text_cell(w, _.pgettext("report", "yes") if check.passed else _.pgettext("report", "no"),
                                   fill=PASS_FILL if check.passed else FAIL_FILL, align="center"),
                         text_cell(w, check.detail)]))
    w.table((0.4, 0.1, 0.5), rows, keep_together=True)
    for reason in rec.reasons:
        w.para("List Bullet", reason)


def rule_paragraphs(w: Writer) -> None:
    """The recommendation rule as every report prints it (rules.toml; scoring.rule_lines, in the document's
    language)."""
    for line in rule_lines(w.catalogue, w.lang):
        numbered = re.match(r"(\d+)\.\s+(.*)", line)
        if numbered:
            w.para("Numbered", f"{numbered.group(1)}.", ooxml.TAB, numbered.group(2))
        else:
            w.para("Normal", line)


def returned_label(wr: WorkshopResult, lang: str = "fi") -> list[str]:
    """Which of the workshop's files came back, in words."""
    _ = wording("documents", lang)
    return ["; ".join((
        _("self-assessment workbook returned") if wr.self_workbook else _("self-assessment workbook missing"),
        _("audit workbook returned") if wr.auditor_workbook else _("audit workbook missing"),
        _("self-assessment form returned") if wr.form else _("self-assessment form not returned")))]
