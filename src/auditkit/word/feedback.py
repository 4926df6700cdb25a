"""A workshop's feedback report (palaute/<workshop>.docx): its own results against the round's.

Round figures are shown only when at least `min_round` workshops are behind them, so no workshop's
ratings can be worked out from a mean of two or three.
"""

from __future__ import annotations

import os

from ..catalogue import Catalogue
from ..i18n import wording
from ..results import RoundResult, WorkshopResult
from ..labels import AUDIENCE, label
from ..model import Identity
from . import ooxml
from .consolidated import audit_type_said, proposal_text, round_heading, round_parts
from .contract import FEEDBACK_ROLE, FORMAT_VERSION
from .document import Writer
from .stamped import report_writer
from .ooxml import Row
from .results import (
    RoundFigures,
    clean,
    facts_table,
    figure_cell,
    fit_columns,
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
    side_labels,
    signed,
    text_cell,
    texts_table,
)
from .styles import LIGHT_FILL

FEEDBACK_TEXT_LIMIT = 5000


def build_feedback_report(catalogue: Catalogue, result: RoundResult, workshop_result: WorkshopResult, *,
                          min_round: int = 5, templates: str | os.PathLike[str] | None = None,
                          stamped: bool = True, lang: str | None = None) -> bytes:
    """palaute/<workshop>.docx for one workshop of a compiled round, as bytes.

    The workshop's profile against the round, its ratings per criterion, the biggest gaps, the texts
    of strengths and development targets, and the recommendation with its checks. Round means (per
    area, element and criterion) appear only when at least min_round workshops are behind them;
    otherwise a sentence says they are withheld. stamped: spliced into a package made once per process
    (stamped.py); False builds it through python-docx's whole package (the same content). lang: the
    document's language (default: the workshop's, else the round's). Raises TemplateError when the base
    document is broken.
    """
    wr = workshop_result
    ws = wr.workshop
    lang = lang or ws.language or result.language
    w = report_writer(catalogue, templates, stamped=stamped, when=report_time(result), lang=lang)
    _ = wording("documents", w.lang)
    title = _.pgettext("document title", "Feedback report")
    figures = RoundFigures.of(result)
    rounds = [(label, groups) for label, groups, count in (
        (_("Round: self-assessments"), figures.self_groups, figures.self_workshops),
        (_("Round: auditors"), figures.auditor_groups, figures.auditor_workshops)) if count >= min_round]
    _cover(w, result, wr, title)
    w.heading(1, _.pgettext("report", "Profile"), page_break=True)
    w.para("Normal", _("Means by area and element: the workshop's own rating, the auditors' rating, their difference")
           + (_(" and the round's means") if rounds else "") + ".")
    withheld = _withheld(w, figures, min_round)
    if withheld:
        w.para("Note", withheld)
    profile_table(w, wr, rounds, min_n=min_round)
    chart_round = ((_("Round (auditors)"), figures.auditor_groups) if figures.auditor_workshops >= min_round else
                   (_("Round (self-assessments)"), figures.self_groups) if figures.self_workshops >= min_round
                   else None)
    profile_picture(w, wr, chart_round, min_round)
    _ratings(w, wr, figures, min_round)
    w.heading(1, _("Largest differences"), page_break=True)
    w.para("Normal", _("The criteria where the workshop's own rating and the auditors' rating differ most. Difference = "
                       "auditors − self-assessment; a minus means that the workshop rated itself higher."))
    gaps_table(w, wr, count=8)
    w.heading(1, _("Strengths and development targets"))
    w.para("Normal", _("The strengths and development targets per criterion that the workshop recorded in its "
                       "self-assessment form and the auditors in their workbook. The actions with their owners and "
                       "schedules are in the workshop's development plan, which comes with this feedback as a Word "
                       "document and as an editable Excel workbook."))
    texts_table(w, wr, FEEDBACK_TEXT_LIMIT)
    w.heading(1, _("Proposal to Into"), page_break=True)
    w.para("Normal", proposal_text(w.lang))
    recommendation_block(w, wr)
    w.heading(3, _("The proposal's rule"))
    rule_paragraphs(w)
    name = clean(ws.name) or clean(ws.id)
    w.header_footer([title, " · ", name, " · ", *round_heading(result, w.lang)],
                    [f"{catalogue.meta.title} {catalogue.version}"])
    ident = Identity(FORMAT_VERSION, catalogue.version, catalogue.hash, round_id=result.round_id,
                     workshop_id=ws.id, workshop_name=ws.name, role=FEEDBACK_ROLE)
    return w.finish(ident, f"{title}: {ws.name}", _("{title}: feedback to the workshop", title=catalogue.meta.title),
                    when=report_time(result))


def _cover(w: Writer, result: RoundResult, wr: WorkshopResult, title: str) -> None:
    _ = wording("documents", w.lang)
    ws = wr.workshop
    w.title_block(title, "")
    w.para("Subtitle", clean(ws.name) or clean(ws.id))
    facts = [(_.pgettext("report", "Workshop"), [clean(ws.name) or "–"]),
             (_.pgettext("report", "Code"), [clean(ws.id)]),
             (_.pgettext("report", "Organization"), [clean(ws.organisation) or "–"]),
             (_.pgettext("report", "Assessment round"), round_parts(result, w.lang)),
             (_.pgettext("report", "Audit model"), [audit_type_said(result, w.lang)])]
    if result.checked_against_round:
        profile = ws.profile
        facts.append((_.pgettext("report", "Profile"), [_(
            "{audience}; learning environments: {yes_or_no}", audience=label(AUDIENCE, profile.audience, w.lang),
            yes_or_no=_.pgettext("report", "yes") if profile.learning_environments else _.pgettext("report", "no"))]))
    facts += [(_.pgettext("report", "Returns"), returned_label(wr, w.lang)),
              (_.pgettext("report", "Criteria"), [_("{title} version {version} ({hash})", title=w.catalogue.meta.title,
                                                    version=w.catalogue.version, hash=w.catalogue.short_hash)])]
    facts_table(w, facts)
    w.para("Normal", _("This feedback brings together the workshop's own rating and the auditors' rating by quality "
                       "criterion and compares them with the round's other workshops. ") + proposal_text(w.lang),
           before=200)


def _withheld(w: Writer, figures: RoundFigures, min_round: int) -> str:
    """The sentence saying which round figures are not shown and why."""
    _ = wording("documents", w.lang)
    low_self, low_audit = figures.self_workshops < min_round, figures.auditor_workshops < min_round
    if not low_self and not low_audit:
        return _("A round figure is shown only when at least {count} workshops are behind it; otherwise – stands in "
                 "its place.", count=min_round)
    which = (_("The round's means") if low_self and low_audit else
             _("The round's means of the self-assessments") if low_self else _("The round's means of the audits"))
    counts = ", ".join(part for part in (
        _("self-assessments {count}", count=figures.self_workshops) if low_self else "",
        _("audits {count}", count=figures.auditor_workshops) if low_audit else "") if part)
    return _("{which} are not shown, because fewer than {minimum} workshops returned their ratings (returned: "
             "{counts}). So no single workshop's ratings can be worked out from the means.", which=which,
             minimum=min_round, counts=counts)


def _ratings(w: Writer, wr: WorkshopResult, figures: RoundFigures, min_round: int) -> None:
    _ = wording("documents", w.lang)
    catalogue = w.catalogue
    na = catalogue.scale.not_applicable.label
    show_round = figures.auditor_workshops >= min_round
    w.heading(1, _("Ratings by criterion"), page_break=True)
    w.para("Normal", _("The workshop's own rating and the auditors' rating of every criterion. In the auditors' column "
                       "an accepted {na} is shown as it is and a rejected one as the value it counts as.", na=na)
           + (_(" The round's mean of the auditors' ratings where at least {count} workshops have rated the criterion; "
                "the number of ratings in brackets.", count=min_round) if show_round else ""))
    head = [_.pgettext("report", "No."), _.pgettext("report", "Criterion"), *side_labels(w.lang),
            _.pgettext("report", "Difference")] + ([_.pgettext("report", "Round")] if show_round else [])
    fractions = fit_columns(w, head, (0.06, 0.5, 0.12, 0.12, 0.08, 0.12) if show_round else
                            (0.06, 0.58, 0.13, 0.13, 0.1))
    rows = [w.head_row(head)]
    for area in catalogue.areas:
        rows.append(Row([ooxml.Cell([w.p("Table Label", area.name)], fill=LIGHT_FILL, span=len(head))]))
        for criterion in catalogue.criteria_of(area.id):
            n = criterion.number
            gap = wr.gaps.get(n)
            cells = [label_cell(w, str(n)), text_cell(w, short(criterion, 90)),
                     text_cell(w, rating_text(wr.self_scores, n, na, w.lang), align="center"),
                     text_cell(w, rating_text(wr.auditor_scores, n, na, w.lang), align="center"),
                     text_cell(w, signed(gap) if gap is not None else "–", align="center")]
            if show_round:
                cells.append(figure_cell(w, figures.auditor_criteria.get(n), min_round))
            rows.append(Row(cells))
    w.table(fractions, rows)
